"""Contexts (dashsync.yml + the user's override): which Grafana a command talks to, refused bad files, secrets
never printed or written, `context list|show|use`. Against the emulator where a command connects."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashsync.contexts import load
from dashsync.selection import choose
from tests.grafana_emulator import Emulator, service_account_token

from .environments import CANARY, COMPILED, REPO, context, dashsync, one_line_error, write_config

pytestmark = pytest.mark.emulator_only  # two emulators and their stores; a real Grafana has one URL


@pytest.fixture
def two() -> Iterator[tuple[Emulator, Emulator, str, str]]:
    """Two Grafanas (12 and 13 profiles), each with its own token."""
    token_a, token_b = service_account_token(), service_account_token()
    with Emulator(token=token_a, grafana=12) as a, Emulator(token=token_b, grafana=13) as b:
        yield a, b, token_a, token_b


@pytest.fixture
def files(tmp_path: Path, two) -> tuple[Path, dict[str, str | None]]:
    a, b, token_a, token_b = two
    config = write_config(
        tmp_path / "dashsync.yml",
        {
            "alpha": context(a.url, "ALPHA_TOKEN", development=True),
            "beta": context(b.url, "BETA_TOKEN"),
        },
    )
    env = {
        "ALPHA_TOKEN": token_a,
        "BETA_TOKEN": token_b,
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
        "DASHSYNC_CONFIG": str(config),
    }
    return config, env


def dashboards(emulator: Emulator) -> set[str]:
    return set(emulator.state.orgs[1].dashboards)


def test_context_chooses_the_grafana_and_its_credentials(two, files):
    a, b, _, _ = two
    _, env = files
    assert dashsync("--context", "beta", "push", "--dir", str(COMPILED), env=env).exit_code == 0
    assert len(dashboards(b)) == 5 and dashboards(a) == set()
    # the group option, or DASHSYNC_CONTEXT: the same thing
    assert dashsync("push", "--dir", str(COMPILED), env={**env, "DASHSYNC_CONTEXT": "alpha"}).exit_code == 0
    assert dashboards(a) == dashboards(b)


def test_context_wins_over_grafana_url_and_never_sends_grafana_token(two, files):
    a, _, _, _ = two
    _, env = files
    # GRAFANA_URL/GRAFANA_TOKEN point elsewhere, with a token alpha would refuse: neither is used
    result = dashsync(
        "--context",
        "alpha",
        "push",
        "--dir",
        str(COMPILED),
        env={**env, "GRAFANA_URL": "http://127.0.0.1:9", "GRAFANA_TOKEN": CANARY},
    )
    assert result.exit_code == 0, result.output
    assert len(dashboards(a)) == 5 and CANARY not in result.output


def test_grafana_url_wins_over_the_default_context(two, files, tmp_path):
    a, b, token_a, _ = two
    config, env = files
    write_config(
        config,
        {"alpha": context(a.url, "ALPHA_TOKEN"), "beta": context(b.url, "BETA_TOKEN")},
        current="beta",
    )
    result = dashsync("push", "--dir", str(COMPILED), env={**env, "GRAFANA_URL": a.url, "GRAFANA_TOKEN": token_a})
    assert result.exit_code == 0, result.output
    assert len(dashboards(a)) == 5 and dashboards(b) == set()
    # without GRAFANA_URL the default context is used
    assert dashsync("push", "--dir", str(COMPILED), env=env).exit_code == 0
    assert len(dashboards(b)) == 5


def test_connection_options_beside_a_context_are_refused(files):
    _, env = files
    for option in (["--url", "http://127.0.0.1:9"], ["--token", CANARY], ["--insecure"]):
        result = dashsync("--context", "alpha", "health", *option, env=env)
        one_line_error(result, f"{option[0]} cannot be combined with --context alpha")
        assert CANARY not in result.output


def test_unknown_context_and_missing_credentials_are_one_line(files, tmp_path):
    config, env = files
    one_line_error(dashsync("--context", "gamma", "health", env=env), "unknown context 'gamma'")
    missing = dashsync("--context", "beta", "health", env={**env, "BETA_TOKEN": None})
    one_line_error(missing, "context beta: no credentials: env BETA_TOKEN (not set)")
    write_config(config, {"filed": context("http://127.0.0.1:9", "X", grafana={"token-file": "nope.token"})})
    # token-env and token-file together are refused as a bad file
    one_line_error(dashsync("--context", "filed", "health", env=env), "token-env and token-file both given")
    write_config(config, {"filed": {"grafana": {"server": "http://127.0.0.1:9", "token-file": str(tmp_path / "gone")}}})
    one_line_error(dashsync("--context", "filed", "health", env=env), f"token-file {tmp_path / 'gone'}: cannot read")


def test_token_file_relative_to_the_contexts_file(two, files, tmp_path):
    _, b, _, token_b = two
    config, env = files
    secret = tmp_path / "beta.token"
    secret.write_text(token_b + "\n")  # a trailing newline, as `echo > file` leaves it
    secret.chmod(stat.S_IRUSR | stat.S_IWUSR)
    write_config(config, {"beta": {"grafana": {"server": b.url, "token-file": "beta.token"}}})
    result = dashsync("--context", "beta", "push", "--dir", str(COMPILED), env=env)
    assert result.exit_code == 0, result.output
    assert token_b not in result.output and len(dashboards(b)) == 5


P = "contexts:\n  p:\n    grafana:\n      server: http://h\n"  # a context p up to its server, for the rows below
WITH_TOKEN = P + "      token-env: T\n"


@pytest.mark.parametrize(
    ("document", "words"),
    [
        (P + "      token: " + CANARY + "\n", "contexts.p.grafana.token: a secret"),
        (P + "      user: u\n      password: hunter2hunter\n", "password: a secret"),
        (P + "      tls:\n        key-data: abc\n", "key-data: a secret"),
        (WITH_TOKEN + "    colour: red\n", "unknown key 'colour'"),
        (P.replace("http://h", "ftp://h") + "      token-env: T\n", "expected http(s)://host"),
        (P.replace("http://h", "http://u:pw@h") + "      token-env: T\n", "without user:password@"),
        (P, "no credential source"),
        (P + "      token-env: 'NOT A NAME'\n", "is not a variable name"),
        (WITH_TOKEN.replace("  p:", "  env:"), "'env' is reserved"),
        (WITH_TOKEN + "      org-id: one\n", "org-id: expected a positive integer"),
        (WITH_TOKEN + "    datasources:\n      prometheus: 'a b'\n", "is not a datasource uid"),
        ("contexts: [1, 2\n", "not valid YAML at line"),
        ("- just\n- a list\n", "expected a mapping"),
        ("contexts: {}\ncurrent-context: gone\n", "current-context 'gone' names no context"),
    ],
    ids=lambda v: v if len(v) < 40 else None,
)
def test_bad_contexts_files_are_refused_in_one_line(tmp_path, document, words):
    config = tmp_path / "dashsync.yml"
    config.write_text(document)
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    for args in (["--config", str(config), "context", "list"], ["--config", str(config), "push", "--dry-run"]):
        result = dashsync(*args, env=env)
        one_line_error(result, words)
        assert CANARY not in result.output and "hunter2hunter" not in result.output


def test_org_and_ca_reach_the_connection_and_a_missing_ca_is_refused_when_connecting(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("not read here\n")
    tls = {"org-id": 7, "tls": {"ca-file": "ca.pem"}}  # relative to the contexts file
    config = write_config(tmp_path / "dashsync.yml", {"p": context("https://127.0.0.1:9", "T", grafana=tls)})
    transport = {"timeout": 10.0, "retries": 1, "backoff": 0.0, "retry_budget": 1.0, "concurrency": 1, "api": "auto"}
    target = choose(transport, frozenset(), False, "p", config)
    assert (target.settings.org_id, target.settings.ca_cert) == (7, str(ca.resolve()))
    ca.unlink()
    env = {"DASHSYNC_CONFIG": str(config), "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "T": CANARY}
    assert dashsync("context", "list", env=env).exit_code == 0  # listing connects nowhere: no CA needed
    result = dashsync("--context", "p", "health", env=env)
    one_line_error(result, f"context p: ca-file {ca.resolve()}: no such file")
    assert CANARY not in result.output


def test_show_prints_sources_never_values(files):
    _, env = files
    result = dashsync("context", "show", "alpha", env={**env, "ALPHA_TOKEN": CANARY})
    assert result.exit_code == 0, result.output
    assert "token: env ALPHA_TOKEN (set)" in result.output
    assert "development: yes" in result.output
    assert CANARY not in result.output
    as_json = json.loads(dashsync("context", "show", "beta", "--json", env={**env, "BETA_TOKEN": CANARY}).output)
    assert as_json["token"] == "env BETA_TOKEN (set)" and CANARY not in json.dumps(as_json)
    unset = dashsync("context", "show", "beta", env={**env, "BETA_TOKEN": None})
    assert "token: env BETA_TOKEN (not set)" in unset.output
    # the GRAFANA_* environment as a context: a password in GRAFANA_URL is not shown either
    shown = dashsync("context", "show", env={**env, "GRAFANA_URL": "https://bob:hunter2hunter@h:3000/g"})
    assert "server: https://h:3000/g" in shown.output and "hunter2hunter" not in shown.output


def test_list_marks_the_context_in_use(files):
    _, env = files
    listed = dashsync("context", "list", env=env).output.splitlines()
    assert listed[-1].startswith("* env ") and "no default context" in listed[-1]
    chosen = dashsync("--context", "beta", "context", "list", env=env).output.splitlines()
    assert [line for line in chosen if line.startswith("*")][0].split()[1] == "beta"
    data = json.loads(dashsync("context", "list", "--json", env=env).output)
    assert data["active"] == "env" and [c["name"] for c in data["contexts"]] == ["alpha", "beta"]


def test_use_writes_the_user_file_atomically_and_keeps_its_comments(two, files, tmp_path):
    _, b, _, _ = two
    _, env = files
    user_file = tmp_path / "xdg" / "dashsync" / "config.yml"
    user_file.parent.mkdir(parents=True)
    user_file.write_text("# mine: keep this comment\ncurrent-context: alpha\n")
    result = dashsync("context", "use", "beta", env=env)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"default context: beta (written to {user_file})"
    assert user_file.read_text() == "# mine: keep this comment\ncurrent-context: beta\n"
    assert [p.name for p in user_file.parent.iterdir()] == ["config.yml"]  # no temporary file left
    # the default now applies to a command without --context
    assert dashsync("push", "--dir", str(COMPILED), env=env).exit_code == 0
    assert len(dashboards(b)) == 5
    before = user_file.read_bytes()
    one_line_error(dashsync("context", "use", "nope", env=env), "unknown context 'nope'")
    assert user_file.read_bytes() == before


def test_use_creates_the_user_file_and_writes_no_secret(files, tmp_path):
    _, env = files
    result = dashsync("context", "use", "alpha", env={**env, "ALPHA_TOKEN": CANARY})
    assert result.exit_code == 0, result.output
    written = (tmp_path / "xdg" / "dashsync" / "config.yml").read_text()
    assert written == "current-context: alpha\n" and CANARY not in written


def test_a_user_context_replaces_the_repository_one_whole(two, files, tmp_path):
    a, b, _, token_b = two
    config, env = files
    user_file = tmp_path / "xdg" / "dashsync" / "config.yml"
    # the user's own alpha points at b with its own token variable: nothing of the repository's alpha remains
    write_config(user_file, {"alpha": context(b.url, "MY_TOKEN")})
    shown = dashsync("context", "show", "alpha", env=env).output
    assert f"server: {b.url}" in shown and "MY_TOKEN" in shown and "development: no" in shown
    result = dashsync("--context", "alpha", "push", "--dir", str(COMPILED), env={**env, "MY_TOKEN": token_b})
    assert result.exit_code == 0, result.output
    assert len(dashboards(b)) == 5 and dashboards(a) == set()


def test_the_repository_file_is_valid_and_names_the_team_environments(tmp_path):
    found = load(REPO / "dashsync.yml", {"XDG_CONFIG_HOME": str(tmp_path)})
    assert {"local", "dev", "staging", "prod"} <= set(found.contexts)
    assert found.current is None  # without a choice, dashsync behaves as before contexts (GRAFANA_URL, 3030)
    assert found.contexts["dev"].development and not found.contexts["prod"].development
    assert found.contexts["local"].server == "http://127.0.0.1:3030"
    result = dashsync("--config", str(REPO / "dashsync.yml"), "context", "list", env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output


def test_no_context_chosen_keeps_the_old_default(tmp_path, monkeypatch):
    """No file and no choice: the options and GRAFANA_* as before contexts (the context named env)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    options = {"url": "http://127.0.0.1:3030", "token": "t", "user": None, "password": None, "org_id": None,
               "ca_cert": None, "insecure": False}  # fmt: skip
    target = choose(options, frozenset(), False, None, None)
    assert target.name == "env" and target.settings.url == "http://127.0.0.1:3030" and target.settings.token == "t"
    # a default context in ./dashsync.yml is used instead; a typed --url goes back to the options
    write_config(tmp_path / "dashsync.yml", {"here": context("http://127.0.0.1:9", "HERE_TOKEN")}, current="here")
    monkeypatch.setenv("HERE_TOKEN", CANARY)
    chosen = choose(options, frozenset(), False, None, None)
    assert chosen.name == "here" and chosen.settings.url == "http://127.0.0.1:9" and chosen.settings.token == CANARY
    assert CANARY not in repr(chosen)
    assert choose(options, frozenset({"url"}), False, None, None).name == "env"
    assert choose(options, frozenset(), True, None, None).name == "env"  # GRAFANA_URL set
