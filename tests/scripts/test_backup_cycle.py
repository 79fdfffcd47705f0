"""The scheduled backups: the systemd timer runs backup_cycle.sh; one cycle against the Grafana emulator and a real
Prometheus keeps exactly the configured number of backups, and a failed run deletes none, least of all the newest."""

from __future__ import annotations

import configparser
import time
from pathlib import Path

from tests.scripts.conftest import GRAFANA_PASSWORD, PROMETHEUS_PASSWORD, ROOT, Services, run_script

UNITS = ROOT / "scripts" / "monitoring" / "systemd"


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


def _env(services: Services, root: Path, **extra: str) -> dict[str, str]:
    return {"GRAFANA_URL": services.grafana.url, "GRAFANA_USER": "admin", "GRAFANA_PASSWORD": GRAFANA_PASSWORD,
            "PROMETHEUS_URL": services.prometheus_url, "PROMETHEUS_USER": "admin",
            "PROMETHEUS_PASSWORD": PROMETHEUS_PASSWORD, "PROMETHEUS_DATA_DIR": str(services.prometheus_data),
            "BACKUP_ROOT": str(root), "GRAFANA_BACKUP_KEEP": "2", "METRICS_BACKUP_KEEP": "2", **extra}


def _kept(root: Path) -> tuple[list[str], list[str]]:
    return (sorted(p.name for p in (root / "grafana").iterdir()),
            sorted(p.name for p in (root / "metrics").iterdir()))


def test_cycles_keep_exactly_the_configured_number_and_a_failed_run_deletes_nothing(
    services: Services, tmp_path: Path
) -> None:
    root = tmp_path / "backups"
    for _ in range(3):
        cycle = run_script("backup_cycle.sh", env=_env(services, root))
        assert cycle.returncode == 0, cycle.stdout + cycle.stderr
        time.sleep(1.1)  # backups are named by the second
    grafana, metrics = _kept(root)
    assert len(grafana) == 2 and len(metrics) == 2
    assert all((root / "grafana" / name / "manifest.json").is_file() for name in grafana)

    failed = run_script("backup_cycle.sh", env=_env(services, root, GRAFANA_PASSWORD="wrong-Pw-9"))
    assert failed.returncode != 0 and "the Grafana backup failed; every earlier backup is kept" in failed.stderr
    assert "wrong-Pw-9" not in failed.stdout + failed.stderr and GRAFANA_PASSWORD not in failed.stdout
    after, metrics_after = _kept(root)
    assert after == grafana  # the newest good Grafana backup and the one before it are both still there
    assert len(metrics_after) == 2 and metrics_after[-1] not in metrics  # the other half still ran and rotated
    assert not [p for p in (root / "grafana").iterdir() if p.name.startswith(".")]  # no staging left behind
