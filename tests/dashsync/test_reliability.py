"""Faults (emulator only): 20% of requests fail with 5xx or dropped connections; retries must cope,
or the command must fail cleanly with nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import FIXTURES, Target

pytestmark = pytest.mark.emulator_only
FAST = ["--backoff", "0.001", "--retries", "12"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_push_and_backup_complete_through_20_percent_faults(grafana: Target, tmp_path: Path, seed: int) -> None:
    assert grafana.emulator is not None
    grafana.emulator.inject(rate=0.2, seed=seed, latency=0.001)
    pushed = grafana.dashsync("push", "--dir", str(FIXTURES), *FAST)
    assert pushed.exit_code == 0, pushed.output
    out = tmp_path / "b"
    backed = grafana.dashsync("backup", "--out", str(out), *FAST)
    assert backed.exit_code == 0, backed.output
    grafana.emulator.inject(rate=0.0)
    assert grafana.dashsync("push", "--dir", str(FIXTURES)).output.count("unchanged") == 1
    assert "0 create, 0 update, 15 unchanged" in grafana.dashsync("push", "--dir", str(FIXTURES)).output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["dashboards"] == 15


def test_when_retries_run_out_push_and_backup_fail_cleanly(grafana: Target, tmp_path: Path) -> None:
    assert grafana.emulator is not None
    grafana.emulator.inject(rate=0.9, seed=4)
    pushed = grafana.dashsync("push", "--dir", str(FIXTURES), "--backoff", "0", "--retries", "2")
    assert pushed.exit_code in (1, 2) and "Traceback" not in pushed.output
    backed = grafana.dashsync("backup", "--out", str(tmp_path / "b"), "--backoff", "0", "--retries", "2")
    assert backed.exit_code in (1, 2) and "Traceback" not in backed.output
    assert list(tmp_path.iterdir()) == []


def test_unreachable_grafana_is_one_line_exit_2(grafana: Target) -> None:
    result = grafana.dashsync("health", env={"GRAFANA_URL": "http://127.0.0.1:9"})
    assert result.exit_code == 2
    assert result.output == (
        "dashsync: error: cannot reach Grafana at http://127.0.0.1:9: connection refused (nothing listens there)\n"
    )


def test_faults_are_really_injected(grafana: Target) -> None:
    assert grafana.emulator is not None
    grafana.emulator.inject(rate=0.2, seed=1)
    assert grafana.dashsync("push", "--dir", str(FIXTURES), *FAST).exit_code == 0
    routes = grafana.emulator.traffic.by_route
    assert routes["GET faulted"] + routes["GET dropped"] + routes["POST faulted"] + routes["POST dropped"] > 0
