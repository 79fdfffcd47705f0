"""Every bad input and fault of docs/bad-inputs.md, fed for real: one line, the documented exit code and words,
no traceback, nothing lost, no secret. The test reads the table, so the table cannot drift from the output."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashsync.cli import main
from tests.docs.bad_inputs import table_rows
from tests.grafana_emulator import Emulator, service_account_token

from .conftest import FIXTURES, TEST_PASSWORD
from .hostile import answering, silent_server

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.emulator_only


class Ctx:
    """One emulated Grafana 13 with the fixtures pushed, and a dashsync that runs against it."""

    def __init__(self, emulator: Emulator, token: str, tmp: Path) -> None:
        self.emulator, self.token, self.tmp = emulator, token, tmp

    def run(self, *args: str, **env: str | None) -> tuple[int, str, float]:
        base = {
            "GRAFANA_URL": self.emulator.url,
            "GRAFANA_TOKEN": self.token,
            "GRAFANA_USER": None,
            "GRAFANA_PASSWORD": None,
            "GRAFANA_ORG_ID": None,
        }
        start = time.monotonic()
        result = CliRunner().invoke(main, list(args), env={**base, **env}, catch_exceptions=False)
        return result.exit_code, result.output, time.monotonic() - start


def prune_empty_dir(ctx: Ctx) -> tuple[int, str]:
    (ctx.tmp / "empty").mkdir()
    before = len(ctx.emulator.state.orgs[1].dashboards)
    code, out, _ = ctx.run("push", "--dir", str(ctx.tmp / "empty"), "--prune", "--yes")
    assert len(ctx.emulator.state.orgs[1].dashboards) == before and ctx.emulator.traffic.writes == 0
    return code, out


def prune_too_many(ctx: Ctx) -> tuple[int, str]:
    code_dir = ctx.tmp / "code"
    shutil.copytree(FIXTURES, code_dir)
    shutil.rmtree(code_dir / "Third party")  # 9 managed dashboards would go
    code, out, _ = ctx.run("push", "--dir", str(code_dir), "--prune", "--yes")
    assert ctx.emulator.traffic.writes == 0
    allowed, _, _ = ctx.run("push", "--dir", str(code_dir), "--prune", "--yes", "--max-delete", "9")
    assert allowed == 0 and "tp-node-full" not in ctx.emulator.state.orgs[1].dashboards
    return code, out


def folder_typo(ctx: Ctx) -> tuple[int, str]:
    code, out, _ = ctx.run("push", "--dir", str(FIXTURES), "--folder", "Anonymeme/Typo")
    return code, out


def restore_datasource_clash(ctx: Ctx) -> tuple[int, str]:
    assert ctx.run("backup", "--out", str(ctx.tmp / "b"))[0] == 0
    token = service_account_token()
    with Emulator(token=token, grafana=13) as other:
        other.state.create_datasource(1, {"name": "Prometheus test", "uid": "another-uid", "type": "prometheus"})
        env = {"GRAFANA_URL": other.url, "GRAFANA_TOKEN": token}
        dry, dry_out, _ = ctx.run("restore", str(ctx.tmp / "b"), "--dry-run", **env)
        code, out, _ = ctx.run("restore", str(ctx.tmp / "b"), **env)
        assert (dry, dry_out) == (code, out) and other.traffic.writes == 0
    return code, out


def restore_over_ui_edit(ctx: Ctx) -> tuple[int, str]:
    assert ctx.run("backup", "--out", str(ctx.tmp / "b"))[0] == 0
    time.sleep(1.1)  # the edit comes a second after the backup (Grafana stamps seconds)
    state = ctx.emulator.state
    current = state.get_dashboard(1, "anon-api")[1]["dashboard"]
    state.save_dashboard(
        1,
        "ui-user",
        {
            "dashboard": {**current, "title": "API (edited)"},
            "overwrite": True,
            "folderUid": state.orgs[1].dashboards["anon-api"].folder_uid,
        },
    )
    code, out, _ = ctx.run("restore", str(ctx.tmp / "b"))
    assert state.orgs[1].dashboards["anon-api"].title == "API (edited)"
    forced, _, _ = ctx.run("restore", str(ctx.tmp / "b"), "--force")
    assert forced == 0 and state.orgs[1].dashboards["anon-api"].title == "API"
    return code, out


def never_answers(ctx: Ctx) -> tuple[int, str]:
    with silent_server() as url:
        code, out, seconds = ctx.run("health", "--timeout", "1", "--retry-budget", "3", GRAFANA_URL=url)
    assert seconds < 8, seconds
    return code, out.replace(url, "URL")


def refused(ctx: Ctx) -> tuple[int, str]:
    code, out, seconds = ctx.run("health", GRAFANA_URL="http://127.0.0.1:9")
    assert seconds < 2, seconds
    return code, out


def token_with_newline(ctx: Ctx) -> tuple[int, str]:
    code, out, _ = ctx.run("health", GRAFANA_TOKEN=ctx.token + "\n")
    return code, out


def token_not_ascii(ctx: Ctx) -> tuple[int, str]:
    code, out, _ = ctx.run("health", GRAFANA_TOKEN="glsa_tökén")
    return code, out


def html_page(ctx: Ctx) -> tuple[int, str]:
    with answering(200, b"<!doctype html><html><body>Sign in</body></html>", "text/html") as (url, _):
        code, out, _ = ctx.run("health", GRAFANA_URL=url)
    return code, out.replace(url, "URL")


def always_429(ctx: Ctx) -> tuple[int, str]:
    with answering(429, b'{"message":"Too many requests"}', "application/json", {"Retry-After": "1"}) as (url, srv):
        code, out, seconds = ctx.run("health", "--retry-budget", "2.5", GRAFANA_URL=url)
    assert srv.hits == 3 and 2 <= seconds < 4, (srv.hits, seconds)  # waited 1 s twice, as asked, then gave up
    return code, out


def wrong_org(ctx: Ctx) -> tuple[int, str]:
    code, out, _ = ctx.run(
        "health", GRAFANA_TOKEN=None, GRAFANA_USER="admin", GRAFANA_PASSWORD=TEST_PASSWORD, GRAFANA_ORG_ID="999"
    )
    return code, out


def https_to_http(ctx: Ctx) -> tuple[int, str]:
    url = ctx.emulator.url.replace("http://", "https://")
    code, out, _ = ctx.run("health", "--insecure", GRAFANA_URL=url)
    return code, out.replace(url, "URL")


def datasource_url_credentials(ctx: Ctx) -> tuple[int, str]:
    secret = "pw-in-the-url-77"
    ctx.emulator.state.create_datasource(
        1, {"name": "Loki", "uid": "loki", "type": "loki", "url": f"http://reader:{secret}@loki:3100"}
    )
    code, out, _ = ctx.run("backup", "--out", str(ctx.tmp / "b"))
    root = ctx.tmp / "b"
    files = [p for p in root.rglob("*") if p.is_file()]
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in files)
    assert all(p.stat().st_mode & 0o777 == 0o700 for p in [root, *[d for d in root.rglob("*") if d.is_dir()]])
    assert secret not in "".join(p.read_text() for p in files)
    assert json.loads((root / "datasources" / "loki.json").read_text())["url"] == "http://loki:3100"
    return code, out.replace(str(root), "DIR")


CASES: dict[str, Callable[[Ctx], tuple[int, str]]] = {
    "prune-empty-dir": prune_empty_dir,
    "prune-too-many": prune_too_many,
    "folder-typo": folder_typo,
    "restore-datasource-clash": restore_datasource_clash,
    "restore-over-ui-edit": restore_over_ui_edit,
    "never-answers": never_answers,
    "connection-refused": refused,
    "token-trailing-newline": token_with_newline,
    "token-not-ascii": token_not_ascii,
    "html-page": html_page,
    "always-429": always_429,
    "wrong-org": wrong_org,
    "https-to-http-port": https_to_http,
    "datasource-url-password": datasource_url_credentials,
}


def test_the_table_and_the_cases_are_the_same_list() -> None:
    assert set(table_rows()) == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_bad_input_answers_as_the_table_says(case: str, tmp_path: Path) -> None:
    exit_code, message = table_rows()[case]
    token = service_account_token()
    with Emulator(admin_password=TEST_PASSWORD, token=token, grafana=13) as emulator:
        ctx = Ctx(emulator, token, tmp_path)
        assert ctx.run("push", "--dir", str(FIXTURES))[0] == 0
        emulator.state.create_datasource(
            1,
            {
                "name": "Prometheus test",
                "uid": "prom-test",
                "type": "prometheus",
                "secureJsonData": {"basicAuthPassword": TEST_PASSWORD},
            },
        )
        emulator.traffic.reset()
        code, output = CASES[case](ctx)
    assert "Traceback" not in output and TEST_PASSWORD not in output and token not in output
    assert code == exit_code, output
    assert message in output, output
    if code != 0:
        assert output.strip().splitlines()[-1].startswith(("dashsync: error:", f"{_conflicts(output)} conflict"))


def _conflicts(output: str) -> str:
    found = re.search(r"^(\d+) conflict", output, re.M)
    return found.group(1) if found else "?"


def test_one_ctrl_c_stops_a_backup_within_a_second_and_leaves_nothing(tmp_path: Path) -> None:
    token = service_account_token()
    with Emulator(token=token, grafana=11) as emulator:
        for n in range(400):
            emulator.state.save_dashboard(1, "admin", {"dashboard": {"uid": f"d{n}", "title": f"D {n}"}})
        emulator.inject(latency=0.05)
        env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFANA_")}
        env.update({"GRAFANA_URL": emulator.url, "GRAFANA_TOKEN": token})
        proc = subprocess.Popen(
            [str(REPO / ".venv" / "bin" / "dashsync"), "backup", "--out", str(tmp_path / "b")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(1.5)  # well into the 400 reads (50 ms each, 8 at a time: about 2.5 s)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=10)
        stopped = time.monotonic() - sent
    assert proc.returncode == 130, (out, err)
    assert stopped < 1.0, stopped
    assert err.strip() == "dashsync: interrupted" and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []  # no backup, no staging directory


def test_json_output_for_push_health_backup_and_restore(tmp_path: Path) -> None:
    token = service_account_token()
    with Emulator(token=token, grafana=13) as emulator:
        ctx = Ctx(emulator, token, tmp_path)
        code, out, _ = ctx.run("push", "--dir", str(FIXTURES), "--json")
        pushed = json.loads(out)
        assert code == 0 and pushed["exit"] == 0 and pushed["written"] == 23
        assert pushed["plan"]["counts"]["create"] == 15 and pushed["api"] == "resources /apis"
        health = json.loads(ctx.run("health", "--json")[1])
        assert health["read"] is True and health["write"] is True and health["version"] == "13.2.0"
        backed = json.loads(ctx.run("backup", "--out", str(tmp_path / "b"), "--json")[1])
        assert backed["counts"]["dashboards"] == 15 and backed["path"] == str(tmp_path / "b")
        restored = json.loads(ctx.run("restore", str(tmp_path / "b"), "--json")[1])
        assert restored["exit"] == 0 and restored["writes"] == [] and restored["conflicts"] == []


def test_every_cli_answers_help_without_side_effects(tmp_path: Path) -> None:
    for argv in (["dashsync", "--help"], ["dashsync", "push", "--help"], ["dashsync", "restore", "--help"]):
        run = subprocess.run(
            [str(REPO / ".venv" / "bin" / argv[0]), *argv[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert run.returncode == 0 and "Usage:" in run.stdout
    for module in ("dashboards", "alerting", "bench", "tests.grafana_emulator"):
        run = subprocess.run(
            [sys.executable, "-m", module, "--help"], cwd=REPO, capture_output=True, text=True, timeout=60
        )
        assert run.returncode == 0 and "Usage" in run.stdout + run.stderr, (module, run.stderr)
    assert list(tmp_path.iterdir()) == []
