"""backup_dashboards.sh and restore_backup.sh (dashboards) through dashsync against the Grafana emulator."""

from __future__ import annotations

import base64
import json
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from tests.scripts.conftest import GRAFANA_PASSWORD, ROOT, Services, run_script

FIVE = (
    "anonymeme-system-overview",
    "anonymeme-api",
    "anonymeme-infrastructure",
    "anonymeme-business",
    "anonymeme-security",
)


def _grafana(services: Services, method: str, path: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{services.grafana.url}/api{path}", method=method)
    token = base64.b64encode(f"admin:{GRAFANA_PASSWORD}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.status, json.load(response)
    except urllib.error.HTTPError as e:
        return e.code, {}


def _env(services: Services, backup_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "GRAFANA_URL": services.grafana.url,
        "GRAFANA_USER": "admin",
        "GRAFANA_PASSWORD": GRAFANA_PASSWORD,
        "BACKUP_DIR": str(backup_dir),
        **extra,
    }


def test_backup_then_restore_brings_back_the_five_dashboards(services: Services, tmp_path: Path) -> None:
    push = subprocess.run(
        [str(ROOT / ".venv/bin/dashsync"), "push", "--dir", str(ROOT / "provisioning/dashboards")],
        env={**_env(services, tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert push.returncode == 0, push.stdout + push.stderr
    before = {uid: _grafana(services, "GET", f"/dashboards/uid/{uid}")[1]["dashboard"] for uid in FIVE}

    backup = run_script("backup_dashboards.sh", env=_env(services, tmp_path / "backups"))
    assert backup.returncode == 0, backup.stdout + backup.stderr
    assert GRAFANA_PASSWORD not in backup.stdout + backup.stderr
    [out] = list((tmp_path / "backups").glob("grafana-*"))
    assert (out / "manifest.json").is_file() and f"backup: {out}" in backup.stdout

    for uid in FIVE:
        assert _grafana(services, "DELETE", f"/dashboards/uid/{uid}")[0] == 200
        assert _grafana(services, "GET", f"/dashboards/uid/{uid}")[0] == 404

    dry = run_script("restore_backup.sh", "dashboards", str(out), "--dry-run", env=_env(services, tmp_path))
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert all(_grafana(services, "GET", f"/dashboards/uid/{uid}")[0] == 404 for uid in FIVE)

    restore = run_script("restore_backup.sh", "dashboards", str(out), env=_env(services, tmp_path))
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert GRAFANA_PASSWORD not in restore.stdout + restore.stderr
    for uid in FIVE:
        status, body = _grafana(services, "GET", f"/dashboards/uid/{uid}")
        assert status == 200, uid
        assert body["dashboard"]["panels"] == before[uid]["panels"]
        assert body["dashboard"]["title"] == before[uid]["title"]


def test_retention_and_bad_input(services: Services, tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    for old in ("grafana-20250101T000000Z", "grafana-20250102T000000Z"):
        (backups / old).mkdir()
    result = run_script("backup_dashboards.sh", env=_env(services, backups, BACKUP_KEEP="2"))
    assert result.returncode == 0, result.stdout + result.stderr
    kept = sorted(p.name for p in backups.iterdir())
    assert len(kept) == 2 and kept[0] == "grafana-20250102T000000Z" and "retention: removed" in result.stdout

    wrong = run_script("backup_dashboards.sh", env=_env(services, tmp_path / "w", GRAFANA_PASSWORD="wrong-Pw-8"))
    assert wrong.returncode != 0 and "wrong-Pw-8" not in wrong.stdout + wrong.stderr
    assert not list((tmp_path / "w").glob("grafana-*"))
    missing = run_script("restore_backup.sh", "dashboards", str(tmp_path / "nope"), env=_env(services, tmp_path))
    assert missing.returncode == 2 and "no backup" in missing.stderr
    usage = run_script("restore_backup.sh")
    assert usage.returncode == 2 and usage.stderr.startswith("usage: restore_backup.sh")
