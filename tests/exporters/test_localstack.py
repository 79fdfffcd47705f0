"""localstack.process and localstack.postgres: the helpers other areas reuse must start, fail and stop right."""

from __future__ import annotations

import os
import signal
import sys
import time

import psycopg
import pytest

from localstack import postgres as pg
from localstack.process import ManagedProcess, ServiceError, free_port, port_answers, require_binary


def test_free_port_is_bindable_on_loopback():
    port = free_port()
    assert 1024 <= port <= 65535 and not port_answers(port)


def test_stop_kills_the_whole_process_group(tmp_path):
    # A parent that spawns a grandchild ignoring SIGTERM: stop() must still leave nothing behind.
    script = (
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', "
        "'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(600)'])\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    process = ManagedProcess("tree", [sys.executable, "-c", script], tmp_path / "tree.log").start()
    process.wait_until(lambda: process.log_path.read_text().strip() != "", "printing its child's pid", 10)
    grandchild = int(process.log_path.read_text().split()[0])
    process.stop(timeout=2)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _alive(grandchild):
        time.sleep(0.05)
    assert not _alive(grandchild)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is dead, just not reaped by its (dead) parent yet
        return stat.read().split()[2] != "Z"


def test_a_service_that_dies_at_start_fails_fast_with_its_log(tmp_path):
    process = ManagedProcess(
        "crasher", [sys.executable, "-c", "import sys; print('bad flag'); sys.exit(3)"], tmp_path / "crash.log"
    ).start()
    started = time.monotonic()
    with pytest.raises(ServiceError, match=r"(?s)exited \(code 3\).*bad flag"):
        process.wait_for_port(free_port(), timeout=30)
    assert time.monotonic() - started < 10
    process.stop()


def test_wait_for_http_times_out_with_a_clear_message(tmp_path):
    process = ManagedProcess(
        "sleeper",
        [sys.executable, "-c", "import time; time.sleep(60)"],
        tmp_path / "sleep.log",
        stop_signal=signal.SIGINT,
    ).start()
    with pytest.raises(ServiceError, match="did not reach answering"):
        process.wait_for_http(f"http://127.0.0.1:{free_port()}/health", timeout=0.5)
    process.stop()


def test_missing_binaries_name_the_fix(monkeypatch, tmp_path):
    with pytest.raises(ServiceError, match="make system-deps"):
        require_binary("definitely-not-installed-binary")
    monkeypatch.setattr(pg, "PG_BIN_DIR", tmp_path)
    with pytest.raises(ServiceError, match=r"initdb not found: install PostgreSQL 15 with `make system-deps`"):
        pg.start_postgres()


def test_postgres_cluster_on_loopback_with_password_and_clean_stop(postgres):
    with psycopg.connect(postgres.dsn) as conn:
        listen = conn.execute("SHOW listen_addresses").fetchone()[0]
        assert listen == "127.0.0.1"
        assert conn.execute("SELECT current_setting('server_version_num')::int / 10000").fetchone()[0] == 15
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(postgres.dsn.replace(postgres.password, "wrong"), connect_timeout=5).close()
    if os.geteuid() == 0:
        assert os.stat(postgres.root / "data").st_uid != 0  # the server never ran as root
