"""The real entrypoints (`python -m exporters.solana|business`) as the containers run them: env config,
/health, /metrics, one-line configuration errors with exit code 2, and a clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request

import pytest

from localstack.process import ManagedProcess, free_port
from tests.exporters.conftest import PROGRAM, REPO, TREASURY
from tests.exporters.scrape import scrape


def run_module(module: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        env={**_base_env(), **env},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _base_env() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(REPO)}


@pytest.fixture
def service(tmp_path):
    started: list[ManagedProcess] = []

    def start(module: str, env: dict[str, str]) -> tuple[ManagedProcess, str]:
        port = free_port()
        process = ManagedProcess(
            module,
            [sys.executable, "-m", module],
            tmp_path / f"{module}.log",
            env={**_base_env(), **env, "LISTEN_ADDRESS": "127.0.0.1", "LISTEN_PORT": str(port)},
            cwd=REPO,
        )
        started.append(process.start())
        base = f"http://127.0.0.1:{port}"
        process.wait_for_http(f"{base}/health", timeout=30)
        return process, base

    yield start
    for process in started:
        process.stop()


def health(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
        return json.loads(response.read())


def wait_for(predicate, process: ManagedProcess, what: str) -> None:
    process.wait_until(predicate, what, timeout=30)


def test_solana_entrypoint_serves_metrics_and_stops_on_sigterm(rpc, service):
    process, base = service(
        "exporters.solana",
        {
            "SOLANA_RPC_URL": rpc.url,
            "CONTRACT_ADDRESS": PROGRAM,
            "SOLANA_ACCOUNTS": f"treasury={TREASURY}",
            "POLL_INTERVAL_SECONDS": "3600",
            "RPC_MAX_RPS": "100",
        },
    )
    wait_for(lambda: health(base)["polls"] >= 1, process, "its first poll")
    m = scrape(f"{base}/metrics")
    assert m.value("solana_exporter_up") == 1
    assert m.value("solana_account_balance", account="treasury") == 2.5
    assert not [name for name in m.names() if name.endswith("_created")]
    assert process.stop() == 0


def test_business_entrypoint_reads_pg_env_and_password_file(postgres, business_db, service, tmp_path):
    password_file = tmp_path / "db-password"
    password_file.write_text(postgres.password)
    process, base = service(
        "exporters.business",
        {
            "PGHOST": "127.0.0.1",
            "PGPORT": str(postgres.port),
            "PGUSER": "postgres",
            "PGDATABASE": "platform",
            "DATABASE_PASSWORD_FILE": str(password_file),
            "REFRESH_INTERVAL_SECONDS": "3600",
        },
    )
    wait_for(lambda: health(base)["refreshes"] >= 1, process, "its first refresh")
    m = scrape(f"{base}/metrics")
    assert m.value("anonymeme_user_registrations_total") == 5
    assert health(base)["failing_queries"] == []
    assert process.stop() == 0
    assert postgres.password not in process.log_path.read_text()


def test_business_entrypoint_never_logs_the_dsn_password(service):
    secret = "hunter2-in-the-dsn"
    process, base = service(
        "exporters.business",
        {
            "DATABASE_URL": f"postgresql://postgres:{secret}@127.0.0.1:{free_port()}/platform",
            "REFRESH_INTERVAL_SECONDS": "3600",
            "CONNECT_TIMEOUT_SECONDS": "2",
        },
    )
    wait_for(lambda: health(base)["refreshes"] >= 1, process, "its first refresh")
    assert scrape(f"{base}/metrics").value("anonymeme_collector_query_success", query="anonymeme_trades_total") == 0
    process.stop()
    log = process.log_path.read_text()
    assert "unreachable" in log and secret not in log


@pytest.mark.parametrize(
    ("module", "env", "message"),
    [
        ("exporters.solana", {}, "SOLANA_RPC_URL is required"),
        (
            "exporters.solana",
            {"SOLANA_RPC_URL": "http://127.0.0.1:1", "SOLANA_ACCOUNTS": "treasury"},
            "'treasury' is not name=address",
        ),
        (
            "exporters.solana",
            {"SOLANA_RPC_URL": "http://127.0.0.1:1", "SOLANA_ACCOUNTS": f"Bad Name={TREASURY}"},
            "account name 'Bad Name'",
        ),
        ("exporters.solana", {"SOLANA_RPC_URL": "http://127.0.0.1:1", "RPC_MAX_RPS": "0"}, "RPC_MAX_RPS"),
        ("exporters.solana", {"SOLANA_RPC_URL": "http://127.0.0.1:1", "LISTEN_PORT": "70000"}, "LISTEN_PORT"),
        ("exporters.solana", {"SOLANA_RPC_URL": "http://127.0.0.1:1", "LOG_LEVEL": "bogus"}, "LOG_LEVEL"),
        ("exporters.business", {"DATABASE_URL": "postgresql://u:pw@h/db", "LISTEN_PORT": "70000"}, "LISTEN_PORT"),
        ("exporters.business", {"DATABASE_URL": "postgresql://u:pw@h/db", "LOG_LEVEL": "bogus"}, "LOG_LEVEL"),
        ("exporters.business", {}, "set DATABASE_URL, or PGHOST"),
        (
            "exporters.business",
            {"DATABASE_URL": "postgresql://u:pw@h/db", "QUERIES_FILE": "/nonexistent.yml"},
            "cannot read",
        ),
        (
            "exporters.business",
            {"DATABASE_URL": "postgresql://u:pw@h/db", "DATABASE_PASSWORD_FILE": "/nonexistent"},
            "DATABASE_PASSWORD_FILE",
        ),
    ],
)
@pytest.mark.parametrize("check", [False, True], ids=["run", "check-config"])
def test_bad_configuration_is_one_line_and_exit_2(module, env, message, check):
    result = run_module(module, env, *(["--check-config"] if check else []))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr and ":pw@" not in result.stderr


@pytest.mark.parametrize(
    ("module", "env"),
    [
        ("exporters.business", {"DATABASE_URL": "postgresql://u@127.0.0.1/db"}),
        ("exporters.solana", {"SOLANA_RPC_URL": "http://127.0.0.1:8899", "SOLANA_ACCOUNTS": f"treasury={TREASURY}"}),
    ],
)
def test_check_config_accepts_a_valid_configuration(module, env):
    result = run_module(module, env, "--check-config")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("configuration ok")
