"""Secrets never leave their files: run every CLI that handles one and grep everything it produced.

Each secret is a distinctive string, so any occurrence in stdout, stderr, a log, a /metrics page or a written
file is a leak. The CLIs run as subprocesses, exactly as an operator or CI runs them, so what is scanned is all
they printed. tests/dashsync/test_errors_and_secrets.py covers dashsync's permission errors in-process; this
file covers the other secret paths end to end.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tarfile
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from alerting.routing import SECRET_FILES
from localstack import solana_rpc
from localstack.process import LOOPBACK, ManagedProcess, free_port
from tests.grafana_emulator import Emulator, service_account_token

ROOT = Path(__file__).resolve().parents[2]
GRAFANA_ADMIN_SECRET = "gfadmin-Leak-Canary-51c0"
DATASOURCE_SECRET = "dsbasic-Leak-Canary-7e2a"
DB_SECRET = "pgpass-Leak-Canary-93d4"
RPC_KEY_SECRET = "rpckey-Leak-Canary-0bf8"
ALERT_SECRET = "alert-Leak-Canary-c6a1"
ALL_SECRETS = (GRAFANA_ADMIN_SECRET, DATASOURCE_SECRET, DB_SECRET, RPC_KEY_SECRET, ALERT_SECRET)


def inherited_env() -> dict[str, str]:
    """This process's environment without the user's Grafana settings: children talk only to our emulator."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("GRAFANA_", "DASHSYNC_"))}


def run(argv: list[str], env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={**inherited_env(), "PYTHONPATH": str(ROOT), **env},
    )


def leaks(text: str) -> list[str]:
    return [s for s in ALL_SECRETS if s in text]


def files_text(directory: Path) -> str:
    return "".join(p.read_bytes().decode(errors="replace") for p in directory.rglob("*") if p.is_file())


def test_dashsync_backup_keeps_datasource_secrets_out(tmp_path: Path) -> None:
    token = service_account_token()
    with Emulator(admin_password=GRAFANA_ADMIN_SECRET, token=token) as grafana:
        created = requests.post(
            f"{grafana.url}/api/datasources",
            headers={"Authorization": f"Bearer {token}"},
            json={
                "name": "Prometheus",
                "type": "prometheus",
                "url": "https://prometheus:9090",
                "access": "proxy",
                "basicAuth": True,
                "basicAuthUser": "grafana",
                "secureJsonData": {"basicAuthPassword": DATASOURCE_SECRET, "httpHeaderValue1": DATASOURCE_SECRET},
            },
            timeout=10,
        )
        assert created.status_code == 200, created.text
        dashsync = [sys.executable, "-m", "dashsync.cli"]
        base = {"GRAFANA_URL": grafana.url, "GRAFANA_USER": "admin", "GRAFANA_PASSWORD": GRAFANA_ADMIN_SECRET}
        outputs = []
        for args in (
            ["health"],
            ["backup", "--out", str(tmp_path / "dir")],
            ["backup", "--out", str(tmp_path / "tar"), "--archive"],
        ):
            result = run([*dashsync, *args], base)
            assert result.returncode == 0, result.stdout + result.stderr
            outputs.append(result.stdout + result.stderr)
        wrong = run([*dashsync, "health"], {**base, "GRAFANA_PASSWORD": "x" + GRAFANA_ADMIN_SECRET})
        assert wrong.returncode == 2
        outputs.append(wrong.stdout + wrong.stderr)
    backup_files = list((tmp_path / "dir").rglob("*.json"))
    assert any("Prometheus" in p.read_text() for p in backup_files), "the datasource was not backed up at all"
    archives = list(tmp_path.glob("*.tar.gz"))  # --out tar writes tar.tar.gz next to it
    assert archives, "no archive written"
    archived = ""
    for archive in archives:
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                extracted = tar.extractfile(member)
                archived += extracted.read().decode(errors="replace") if extracted else ""
    assert "basicAuthUser" in archived  # the datasource is in the archive, minus its secrets
    assert not leaks("".join(outputs) + files_text(tmp_path) + archived)


def test_alerting_secrets_writes_values_only_to_their_0600_files(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{s.env}={ALERT_SECRET}-{s.env}\n" for s in SECRET_FILES))
    env_file.chmod(0o600)
    out = tmp_path / "secrets"
    cli = [sys.executable, "-m", "alerting", "secrets", "--env-file", str(env_file), "--out", str(out)]
    dry = run([*cli, "--dry-run"], {})
    real = run(cli, {})
    missing = tmp_path / "partial.env"
    missing.write_text(f"{SECRET_FILES[0].env}={ALERT_SECRET}\n")
    error = run([sys.executable, "-m", "alerting", "secrets", "--env-file", str(missing), "--out", str(out)], {})
    assert dry.returncode == 0 and real.returncode == 0 and error.returncode == 2, real.stderr + error.stderr
    assert not leaks(dry.stdout + dry.stderr + real.stdout + real.stderr + error.stdout + error.stderr)
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(s.file for s in SECRET_FILES)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for s in SECRET_FILES:
        path = out / s.file
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
        assert path.read_text() == f"{ALERT_SECRET}-{s.env}"


def _wait_for_metrics(proc: ManagedProcess, port: int) -> str:
    url = f"http://{LOOPBACK}:{port}/metrics"
    proc.wait_for_http(url, timeout=30)
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (loopback URL we built)
        return response.read().decode()


@pytest.mark.parametrize("bad", ["url", "file"])
def test_business_collector_config_errors_do_not_echo_the_database_password(tmp_path: Path, bad: str) -> None:
    env = {"DATABASE_URL": f"postgresql://metrics:{DB_SECRET}@{LOOPBACK}:1/anonymeme"}
    if bad == "url":
        env["DATABASE_URL"] = f"postgresql://metrics:{DB_SECRET}@{LOOPBACK}:notaport/anonymeme?bogus=="
    else:
        env["QUERIES_FILE"] = str(tmp_path / "missing.yml")
    result = run([sys.executable, "-m", "exporters.business", "--check-config"], env)
    assert result.returncode == 2 and "configuration error" in result.stderr, result.stdout + result.stderr
    assert not leaks(result.stdout + result.stderr)


@pytest.fixture
def solana_rpc_port() -> Iterator[int]:
    """The local stack's Solana JSON-RPC on 127.0.0.1, so the exporter's requests really succeed."""
    port = free_port()
    server = solana_rpc.serve(port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield port
    finally:
        server.shutdown()
        server.server_close()


def test_running_collectors_keep_credentials_out_of_logs_and_metrics(tmp_path: Path, solana_rpc_port: int) -> None:
    """Both collectors log at DEBUG, the most talkative level: the business collector fails to reach its
    database, the Solana exporter polls a real JSON-RPC with an API key in its URL (urllib3's request-line
    logging is capped for that). Logs and /metrics are scanned."""
    dead = free_port()  # nothing listens there: every database connection fails and is logged
    business_port, solana_port = free_port(), free_port()
    common = {**inherited_env(), "PYTHONPATH": str(ROOT), "LISTEN_ADDRESS": LOOPBACK}
    business = ManagedProcess(
        "business",
        [sys.executable, "-m", "exporters.business"],
        tmp_path / "business.log",
        env={
            **common,
            "LOG_LEVEL": "DEBUG",
            "LISTEN_PORT": str(business_port),
            "REFRESH_INTERVAL_SECONDS": "0.2",
            "CONNECT_TIMEOUT_SECONDS": "1",
            "DATABASE_URL": f"postgresql://metrics:{DB_SECRET}@{LOOPBACK}:{dead}/anonymeme",
        },
    )
    solana = ManagedProcess(
        "solana",
        [sys.executable, "-m", "exporters.solana"],
        tmp_path / "solana.log",
        env={
            **common,
            "LOG_LEVEL": "DEBUG",
            "LISTEN_PORT": str(solana_port),
            "POLL_INTERVAL_SECONDS": "0.2",
            "CONTRACT_ADDRESS": solana_rpc.PROGRAM_ADDRESS,
            "SOLANA_RPC_URL": f"http://{LOOPBACK}:{solana_rpc_port}/?api-key={RPC_KEY_SECRET}",
        },
    )
    pages = []
    with business, solana:
        pages.append(_wait_for_metrics(business, business_port))
        pages.append(_wait_for_metrics(solana, solana_port))
        business.wait_until(lambda: "unreachable" in business.log_tail(), "logging the refused connection", 30)
        solana.wait_until(
            lambda: "solana_exporter_up 1.0" in _wait_for_metrics(solana, solana_port),
            "exporting data read from the RPC",
            30,
        )
        pages.append(_wait_for_metrics(business, business_port))
        pages.append(_wait_for_metrics(solana, solana_port))
    logs = (tmp_path / "business.log").read_text() + (tmp_path / "solana.log").read_text()
    assert str(dead) in logs, logs[-2000:]  # the database failures really were logged
    assert not leaks(logs + "".join(pages)), leaks(logs + "".join(pages))
