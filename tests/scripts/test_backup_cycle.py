"""The scheduled backups: the systemd timer runs backup_cycle.sh. Cycles against a Grafana emulator and a real
Prometheus keep exactly the configured number of backups of each; a run that fails (wrong password, Grafana
stopped, Prometheus refusing) or is stopped deletes none, least of all the newest, and leaves nothing half
written; no secret reaches the output or the backup."""

from __future__ import annotations

import base64
import configparser
import json
import os
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.grafana_emulator import Emulator
from tests.scripts.conftest import (
    GRAFANA_PASSWORD,
    PROMETHEUS_PASSWORD,
    ROOT,
    Services,
    binary,
    run_script,
    script_command,
)

UNITS = ROOT / "scripts" / "monitoring" / "systemd"
INSTALLED_AT = "/opt/anonymeme-monitoring"  # where the units expect the checkout (docs/docker-quickstart.md)
GRAFANA_KEEP, METRICS_KEEP = 3, 2  # different, so each half is seen to use its own knob
# What a datasource in Grafana holds that no backup may: a password in its URL and a secure field.
URL_SECRET, SECURE_SECRET = "url-Secret-71c3", "secure-Secret-5d09"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(UNITS / name)
    return parser


def test_the_timer_starts_the_cycle_script_nightly_and_catches_up() -> None:
    timer, service = _unit("anonymeme-backup.timer"), _unit("anonymeme-backup.service")
    assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"
    assert service["Service"]["Type"] == "oneshot" and service["Service"]["UMask"] == "0077"
    script = service["Service"]["ExecStart"].removeprefix(service["Service"]["WorkingDirectory"] + "/")
    assert (ROOT / script).is_file() and script == "scripts/monitoring/backup_cycle.sh"
    # A stop or a timeout sends SIGINT, the signal on which dashsync removes its staging directory (see below).
    assert service["Service"]["KillSignal"] == "SIGINT" and service["Service"]["TimeoutStartSec"]


def test_systemd_accepts_both_units(tmp_path: Path) -> None:
    """systemd-analyze verify, on copies pointing at this checkout: it checks every key and the ExecStart path."""
    tool = binary("systemd-analyze")
    (tmp_path / "backup.env").write_text("")
    for unit in UNITS.iterdir():
        text = unit.read_text().replace(INSTALLED_AT, str(ROOT))
        (tmp_path / unit.name).write_text(text.replace("/etc/anonymeme/backup.env", str(tmp_path / "backup.env")))
    result = subprocess.run(
        [tool, "verify", *(str(tmp_path / u.name) for u in UNITS.iterdir())], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stdout + result.stderr, result.stdout + result.stderr


def _grafana_post(grafana: Emulator, path: str, body: dict) -> None:
    request = urllib.request.Request(f"{grafana.url}/api{path}", data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", "Basic " + base64.b64encode(f"admin:{GRAFANA_PASSWORD}".encode()).decode())
    with urllib.request.urlopen(request, timeout=10):  # noqa: S310 (loopback)
        pass


@pytest.fixture
def grafana() -> Iterator[Emulator]:
    """A Grafana of this test's own (it gets stopped and slowed down): a few dashboards and a datasource with
    secrets."""
    emulator = Emulator(admin_user="admin", admin_password=GRAFANA_PASSWORD, port=0).start()
    try:
        for i in range(3):
            _grafana_post(emulator, "/dashboards/db", {"dashboard": {"uid": f"cycle-{i}", "title": f"Cycle {i}"}})
        _grafana_post(
            emulator,
            "/datasources",
            {
                "name": "Platform Prometheus",
                "type": "prometheus",
                "access": "proxy",
                "url": f"http://scraper:{URL_SECRET}@prometheus:9090",
                "basicAuth": True,
                "basicAuthUser": "admin",
                "secureJsonData": {"basicAuthPassword": SECURE_SECRET},
            },
        )
        yield emulator
    finally:
        emulator.stop()


def _env(services: Services, grafana: Emulator, root: Path, **extra: str) -> dict[str, str]:
    return {
        "GRAFANA_URL": grafana.url,
        "GRAFANA_USER": "admin",
        "GRAFANA_PASSWORD": GRAFANA_PASSWORD,
        "PROMETHEUS_URL": services.prometheus_url,
        "PROMETHEUS_USER": "admin",
        "PROMETHEUS_PASSWORD": PROMETHEUS_PASSWORD,
        "PROMETHEUS_DATA_DIR": str(services.prometheus_data),
        "BACKUP_ROOT": str(root),
        "GRAFANA_BACKUP_KEEP": str(GRAFANA_KEEP),
        "METRICS_BACKUP_KEEP": str(METRICS_KEEP),
        **extra,
    }


def _kept(root: Path) -> tuple[list[str], list[str]]:
    """Every entry of the two backup directories, hidden ones included: a leftover shows up here."""
    return (sorted(p.name for p in (root / "grafana").iterdir()), sorted(p.name for p in (root / "metrics").iterdir()))


def _cycle(env: dict[str, str], outputs: list[str]) -> subprocess.CompletedProcess[str]:
    """One scheduled run; a second's pause after it, because backups are named by the second."""
    result = run_script("backup_cycle.sh", env=env)
    outputs.append(result.stdout + result.stderr)
    time.sleep(1.1)
    return result


def _leave_what_a_killed_run_leaves(root: Path) -> list[Path]:
    """The staging entries a SIGKILL (or a power cut) mid-run leaves: dashsync's and backup_metrics.sh's."""
    leftovers = [
        root / "grafana" / ".grafana-20260101T023000Z.k1ll3d.partial" / "backup",
        root / "metrics" / ".metrics-K1ll3d",
    ]
    for leftover in leftovers:
        leftover.mkdir(parents=True)
        (leftover / "half-written.json").write_text("{")
    return leftovers


def _assert_no_secret(root: Path, outputs: list[str]) -> None:
    secrets = (GRAFANA_PASSWORD, PROMETHEUS_PASSWORD, URL_SECRET, SECURE_SECRET, "wrong-Pw-9")
    for text in outputs:
        assert not [s for s in secrets if s in text], text
    for path in (root / "grafana").rglob("*"):
        if path.is_file():
            assert not [s for s in secrets if s in path.read_text()], path
        assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"


def test_cycles_keep_exactly_the_configured_number_and_a_failed_run_deletes_nothing(
    services: Services, grafana: Emulator, tmp_path: Path
) -> None:
    root, outputs = tmp_path / "backups", []
    leftovers = _leave_what_a_killed_run_leaves(root)
    for _ in range(GRAFANA_KEEP + 1):
        cycle = _cycle(_env(services, grafana, root), outputs)
        assert cycle.returncode == 0, cycle.stdout + cycle.stderr
    assert not [p for p in leftovers if p.exists()] and "left unfinished by an earlier run" in outputs[0]
    good_grafana, good_metrics = _kept(root)
    assert len(good_grafana) == GRAFANA_KEEP and len(good_metrics) == METRICS_KEEP  # nothing hidden either
    assert all((root / "grafana" / name / "manifest.json").is_file() for name in good_grafana)
    assert "retention: removed" in outputs[-1]
    _assert_no_secret(root, outputs)

    wrong = _cycle(_env(services, grafana, root, GRAFANA_PASSWORD="wrong-Pw-9"), outputs)
    assert wrong.returncode != 0 and "the Grafana backup failed; every earlier backup is kept" in wrong.stderr
    grafana_now, metrics_now = _kept(root)
    assert grafana_now == good_grafana  # the newest good backup and every one before it
    assert len(metrics_now) == METRICS_KEEP and metrics_now[-1] not in good_metrics  # the other half still ran

    refused = _cycle(_env(services, grafana, root, PROMETHEUS_PASSWORD="wrong-Pw-9"), outputs)
    assert refused.returncode != 0 and "the Prometheus backup failed; every earlier backup is kept" in refused.stderr
    grafana_after, metrics_after = _kept(root)
    assert metrics_after == metrics_now and not list((services.prometheus_data / "snapshots").glob("*"))
    assert len(grafana_after) == GRAFANA_KEEP and grafana_after[-1] not in good_grafana

    grafana.stop()  # Grafana down at backup time
    down = _cycle(_env(services, grafana, root), outputs)
    assert down.returncode != 0 and "the Grafana backup failed" in down.stderr
    assert _kept(root)[0] == grafana_after
    _assert_no_secret(root, outputs)


def test_a_stopped_cycle_deletes_nothing_leaves_nothing_and_does_not_start_the_next_half(
    services: Services, grafana: Emulator, tmp_path: Path
) -> None:
    """What `systemctl stop` or the unit's timeout does: SIGINT to every process of the unit, mid-backup."""
    root, outputs = tmp_path / "backups", []
    assert _cycle(_env(services, grafana, root), outputs).returncode == 0
    before = _kept(root)
    grafana.inject(latency=0.5)  # slow enough to be caught mid-read
    argv, env = script_command("backup_cycle.sh", env=_env(services, grafana, root))
    cycle = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        _wait_for(lambda: list((root / "grafana").glob(".grafana-*.partial")), "dashsync's staging directory")
        os.killpg(cycle.pid, signal.SIGINT)
        stdout, stderr = cycle.communicate(timeout=30)
    finally:
        if cycle.poll() is None:
            os.killpg(cycle.pid, signal.SIGKILL)
    assert cycle.returncode == 130 and "backup cycle: stopped; every earlier backup is kept" in stderr, stderr
    assert _kept(root) == before  # nothing deleted, nothing half-written, and no metrics backup begun
    _assert_no_secret(root, [*outputs, stdout + stderr])


def _wait_for(condition, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {seconds} s", pytrace=False)
        time.sleep(0.05)


def test_the_bundled_stack_needs_no_backup_service() -> None:
    """The schedule lives on the host (the timer says why); the compose file says where, for whoever looks there."""
    assert "scripts/monitoring/systemd/" in (ROOT / "compose" / "docker-compose.yml").read_text()
