"""`python -m localstack up|status|down` from separate processes: down stops exactly what up started."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from localstack import stack as st

ROOT = Path(__file__).resolve().parents[2]


def _cli(state_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "localstack", "--state-dir", str(state_dir), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_up_status_down_leave_nothing_running() -> None:
    state_dir = Path(tempfile.mkdtemp(prefix="anonymeme-cli-stack-"))
    try:
        up = _cli(state_dir, "up", "--interval", "1s")
        assert up.returncode == 0, up.stderr
        assert up.stdout.startswith("Prometheus   http://127.0.0.1:")
        pids = json.loads((state_dir / st.STATE_FILE).read_text())["pids"]
        assert set(pids) == {
            "postgres",
            "redis",
            "loadgen",
            "business-collector",
            "solana-exporter",
            "node-exporter",
            "postgres-exporter",
            "redis-exporter",
            "blackbox-exporter",
            "alertmanager",
            "prometheus",
        }
        status = _cli(state_dir, "status")
        assert status.returncode == 0 and "STOPPED" not in status.stdout
        again = _cli(state_dir, "up")
        assert again.returncode == 2 and "already running" in again.stderr
    finally:
        down = _cli(state_dir, "down")
    assert down.returncode == 0, down.stderr
    assert [name for name, pid in pids.items() if st.group_alive(pid)] == []
    assert _cli(state_dir, "status").returncode == 1
    assert _cli(state_dir, "down").stdout.strip() == "nothing running"


def test_up_scale_out_dry_run_checks_the_store_binaries_too() -> None:
    state_dir = Path(tempfile.mkdtemp(prefix="anonymeme-cli-stack-"))
    dry = _cli(state_dir, "up", "--scale-out", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run: nothing started" in dry.stdout
    assert st.load_state(state_dir) is None
