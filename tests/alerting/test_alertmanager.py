"""alertmanager.yml passes amtool, and amtool's own router proves who hears about which alert."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from alerting import routing
from alerting.render import to_yaml
from alerting.rules import all_alerts
from tests.alerting.conftest import REPO, binary, run
from tests.dashboards.repo_copy import tree


@pytest.fixture(scope="module")
def am_config(tmp_path_factory) -> Path:
    """The config rendered against a temporary secrets dir holding dummy secrets (amtool reads the files)."""
    root = tmp_path_factory.mktemp("alertmanager")
    secrets = root / "secrets"
    secrets.mkdir()
    for s in routing.SECRET_FILES:
        value = "https://hooks.slack.example/T0/B0/x" if s.file.startswith("slack") else "dummy-secret"
        (secrets / s.file).write_text(value)
    path = root / "alertmanager.yml"
    path.write_text(to_yaml(routing.render(secrets_dir=str(secrets)), "routing.py"))
    return path


def receivers_for(config: Path, **labels: str) -> list[str]:
    args = [f"{k}={v}" for k, v in labels.items()]
    result = run(binary("amtool"), "config", "routes", "test", f"--config.file={config}", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().split(",")


def test_amtool_check_config_accepts_the_generated_config(am_config):
    result = run(binary("amtool"), "check-config", str(am_config))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout
    assert f"{len(routing.receivers())} receivers" in result.stdout


def test_committed_config_reads_every_secret_from_a_file():
    text = (REPO / "compose/alertmanager/alertmanager.yml").read_text()
    config = yaml.safe_load(text)
    for receiver in config["receivers"]:
        for kind, field in (
            ("slack_configs", "api_url"),
            ("pagerduty_configs", "routing_key"),
            ("email_configs", "auth_password"),
        ):
            for entry in receiver.get(kind, []):
                assert field not in entry, f"{receiver['name']} has an inline {field}"
    assert config["global"]["smtp_auth_password_file"] == "/etc/alertmanager/secrets/smtp_password"
    inline = re.findall(
        r"^\s*(api_url|routing_key|service_key|auth_password|smtp_auth_password):", text, re.M
    )
    assert inline == []
    assert "${" not in text, "Alertmanager does not expand environment variables"


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (
            {"severity": "critical", "team": "security"},
            ["pagerduty-security", "slack-critical", "email-security", "slack-security"],
        ),
        (
            {"severity": "critical", "team": "devops"},
            ["pagerduty-devops", "slack-critical", "email-devops", "slack-devops"],
        ),
        ({"severity": "critical", "team": "business"}, ["slack-critical", "slack-business"]),
        ({"severity": "warning", "team": "devops"}, ["slack-devops"]),
        ({"severity": "warning", "team": "security"}, ["slack-security"]),
        ({"severity": "warning", "team": "business"}, ["slack-business"]),
        ({"severity": "warning"}, ["slack-default"]),
        ({"severity": "critical"}, ["slack-critical", "slack-default"]),
    ],
)
def test_routing_table(am_config, labels, expected):
    assert receivers_for(am_config, alertname="Example", **labels) == expected


def test_every_generated_alert_reaches_its_team_and_only_critical_pages(am_config):
    seen = set()
    for alert in all_alerts():
        key = (alert.severity, alert.team)
        if key in seen:
            continue
        seen.add(key)
        got = receivers_for(am_config, alertname=alert.name, **alert.labels)
        assert f"slack-{alert.team}" in got, (alert.name, got)
        pages = [r for r in got if r.startswith("pagerduty-")]
        if alert.severity == "critical" and alert.team in routing.PAGED_TEAMS:
            assert pages == [f"pagerduty-{alert.team}"], (alert.name, got)
            assert f"email-{alert.team}" in got and "slack-critical" in got
        else:
            assert pages == [], f"{alert.name} ({alert.severity}) must not page: {got}"


def test_critical_inhibits_the_matching_warning():
    [rule] = routing.render()["inhibit_rules"]
    assert rule["source_matchers"] == ['severity="critical"']
    assert rule["target_matchers"] == ['severity="warning"']
    assert rule["equal"][0] == "alertname"
    names = {a.name for a in all_alerts() if a.severity == "critical"} & {
        a.name for a in all_alerts() if a.severity == "warning"
    }
    assert {"HostHighCpuUsage", "HostHighDiskUsage", "ApiErrorBudgetBurn"} <= names


def _secrets_cli(tmp_path: Path, env: dict[str, str], *args: str,
                 prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {s.env for s in routing.SECRET_FILES}}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "alerting", "secrets", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**clean, **env},
        timeout=60,
        check=False,
    )


def test_secrets_command_writes_each_file_from_env_file_without_printing_values(tmp_path):
    values = {s.env: f"value-of-{s.env.lower()}" for s in routing.SECRET_FILES}
    env_file = tmp_path / ".env"
    env_file.write_text("# stack settings\n" + "".join(f"{k}='{v}'\n" for k, v in values.items()))
    out = tmp_path / "secrets"
    result = _secrets_cli(tmp_path, {}, "--env-file", str(env_file), "--out", str(out))
    assert result.returncode == 0, result.stderr
    for s in routing.SECRET_FILES:
        path = out / s.file
        assert path.read_text() == values[s.env]
        assert path.stat().st_mode & 0o777 == 0o600
        assert values[s.env] not in result.stdout + result.stderr


def test_secrets_command_refuses_missing_variables_before_writing(tmp_path):
    out = tmp_path / "secrets"
    result = _secrets_cli(tmp_path, {"SLACK_WEBHOOK_URL": "https://hooks.slack.example/x"}, "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "PAGERDUTY_DEVOPS_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_secrets_command_reads_env_files_as_compose_does(tmp_path):
    """An inline ` #` comment after an unquoted value is not part of the secret; inside quotes it is."""
    values = {s.env: f"value-of-{s.env.lower()}" for s in routing.SECRET_FILES}
    lines = [f"{k}={v}  # rotated 2026-11\n" for k, v in values.items()]
    lines[0] = f"{routing.SECRET_FILES[0].env}='quoted # kept'\n"
    env_file = tmp_path / ".env"
    env_file.write_text("".join(lines))
    out = tmp_path / "secrets"
    result = _secrets_cli(tmp_path, {}, "--env-file", str(env_file), "--out", str(out))
    assert result.returncode == 0, result.stderr
    first, *rest = routing.SECRET_FILES
    assert (out / first.file).read_text() == "quoted # kept"
    for s in rest:
        assert (out / s.file).read_text() == values[s.env]


def test_secrets_command_refuses_the_example_placeholders(tmp_path):
    """compose/.env.example as shipped must not become a PagerDuty key that silently never pages."""
    out = tmp_path / "secrets"
    result = _secrets_cli(tmp_path, {}, "--env-file", str(REPO / "compose" / ".env.example"), "--out", str(out))
    assert result.returncode == 2
    assert "placeholder" in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists()


def _all_secrets() -> dict[str, str]:
    return {s.env: f"value-of-{s.env.lower()}" for s in routing.SECRET_FILES}


def _assert_one_line_exit_2(result: subprocess.CompletedProcess, expected: str) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [expected]


@pytest.mark.parametrize("dry_run", [False, True])
def test_secrets_out_below_a_file_is_one_line_exit_2_and_nothing_written(tmp_path, dry_run):
    """A --out whose directory is missing and cannot be created (a file stands where a directory should)."""
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file\n")
    for out in (blocker / "secrets", blocker):
        before = tree(tmp_path)
        result = _secrets_cli(tmp_path, _all_secrets(), "--out", str(out), *(["--dry-run"] * dry_run))
        _assert_one_line_exit_2(result, f"error: --out {out}: {blocker} is not a directory")
        assert result.stdout == ""
        assert tree(tmp_path) == before


def _read_only(directory: Path) -> tuple[str, ...]:
    """A command prefix under which `directory` is read-only for this process, whoever it runs as."""
    if os.geteuid() != 0:
        directory.chmod(0o500)
        return ()
    # Root ignores permission bits; only a read-only filesystem stops it: mount one in a private mount namespace.
    prefix = ("unshare", "--mount", "sh", "-c", 'mount -t tmpfs -o ro tmpfs "$0" && exec "$@"', str(directory))
    probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"running as root and cannot mount a read-only filesystem here: {probe.stderr.decode()}")
    return prefix


@pytest.mark.parametrize("subdir", ["", "secrets"])
def test_secrets_out_on_a_read_only_directory_is_one_line_exit_2(tmp_path, subdir):
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    prefix = _read_only(read_only)
    out = read_only / subdir if subdir else read_only
    try:
        result = _secrets_cli(tmp_path, _all_secrets(), "--out", str(out), prefix=prefix)
    finally:
        read_only.chmod(0o700)
    _assert_one_line_exit_2(result, f"error: --out {out}: {read_only} is not writable (read-only or permission "
                                    "denied)")
    assert result.stdout == ""
    assert list(read_only.iterdir()) == []
