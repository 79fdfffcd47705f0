"""backup_metrics.sh against the real Prometheus: a snapshot archive that a second Prometheus serves again."""

from __future__ import annotations

import base64
import json
import tarfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from localstack.process import LOOPBACK, ManagedProcess, ServiceError, free_port, http_answers
from tests.scripts.conftest import PROMETHEUS_PASSWORD, Services, binary, run_script


def _query(url: str, promql: str, at: float, auth: bool) -> list[dict]:
    request = urllib.request.Request(f"{url}/api/v1/query?" + urllib.parse.urlencode({"query": promql, "time": at}))
    if auth:
        token = base64.b64encode(f"admin:{PROMETHEUS_PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return json.load(response)["data"]["result"]


def _wait_for_samples(services: Services) -> float:
    """A time at which the self-scrape has stored `up`, so the snapshot must hold it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        at = time.time()
        try:
            if _query(services.prometheus_url, 'up{job="prometheus"}', at, auth=True):
                return at
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail("Prometheus stored no self-scrape sample within 30 s", pytrace=False)


def _env(services: Services, backup_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "PROMETHEUS_URL": services.prometheus_url,
        "PROMETHEUS_USER": "admin",
        "PROMETHEUS_PASSWORD": PROMETHEUS_PASSWORD,
        "PROMETHEUS_DATA_DIR": str(services.prometheus_data),
        "BACKUP_DIR": str(backup_dir),
        **extra,
    }


def test_snapshot_is_archived_cleaned_up_and_restorable(services: Services, tmp_path: Path) -> None:
    at = _wait_for_samples(services)
    result = run_script("backup_metrics.sh", env=_env(services, tmp_path / "backups"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert PROMETHEUS_PASSWORD not in result.stdout + result.stderr
    archives = sorted((tmp_path / "backups").glob("metrics-*.tar.gz"))
    assert len(archives) == 1 and f"backup: {archives[0]}" in result.stdout
    with tarfile.open(archives[0]) as tar:
        names = tar.getnames()
    assert any(n.endswith("/index") for n in names) or any("chunks_head" in n for n in names), names
    assert not list((services.prometheus_data / "snapshots").iterdir()), "the snapshot was left in the data dir"
    assert not list((tmp_path / "backups").glob(".metrics-*")), "a temporary directory was left behind"

    restored = tmp_path / "restored-tsdb"
    restore = run_script("restore_backup.sh", "metrics", str(archives[0]), str(restored))
    assert restore.returncode == 0, restore.stdout + restore.stderr
    assert not list(tmp_path.glob(".restore-*")), "a temporary directory was left behind"
    again = run_script("restore_backup.sh", "metrics", str(archives[0]), str(restored))
    assert again.returncode == 2 and "already exists" in again.stderr

    # A second Prometheus that scrapes nothing: whatever it answers comes from the restored snapshot.
    port = free_port()
    (tmp_path / "empty.yml").write_text(yaml.safe_dump({"global": {"scrape_interval": "1m"}}))
    second = ManagedProcess(
        "prometheus-restored",
        [
            binary("prometheus"),
            f"--config.file={tmp_path / 'empty.yml'}",
            f"--storage.tsdb.path={restored}",
            f"--web.listen-address={LOOPBACK}:{port}",
        ],
        tmp_path / "restored.log",
    ).start()
    try:
        url = f"http://{LOOPBACK}:{port}"
        try:
            second.wait_until(lambda: http_answers(f"{url}/-/ready"), "ready", 30)
        except ServiceError as e:
            pytest.fail(str(e), pytrace=False)
        series = _query(url, 'up{job="prometheus"}', at, auth=False)
        assert series and series[0]["value"][1] == "1", series
    finally:
        second.stop()


def test_retention_keeps_the_newest_archives(services: Services, tmp_path: Path) -> None:
    _wait_for_samples(services)
    backups = tmp_path / "backups"
    for _ in range(3):
        result = run_script("backup_metrics.sh", env=_env(services, backups, BACKUP_KEEP="2"))
        assert result.returncode == 0, result.stdout + result.stderr
        time.sleep(1.1)  # snapshot names carry the second they were taken
    kept = sorted(p.name for p in backups.glob("metrics-*.tar.gz"))
    assert len(kept) == 2
    assert "retention: removed" in result.stdout
    assert kept[-1] in result.stdout


def test_wrong_credentials_or_bad_input_fail_clearly(services: Services, tmp_path: Path) -> None:
    wrong = run_script("backup_metrics.sh", env=_env(services, tmp_path, PROMETHEUS_PASSWORD="nope-Wrong-1"))
    assert wrong.returncode == 1 and "snapshot request" in wrong.stderr and "nope-Wrong-1" not in wrong.stderr
    assert not list(tmp_path.glob("metrics-*"))
    bad_keep = run_script("backup_metrics.sh", env=_env(services, tmp_path, BACKUP_KEEP="zero"))
    assert bad_keep.returncode == 2 and "BACKUP_KEEP" in bad_keep.stderr
    assert run_script("backup_metrics.sh", "--help").stdout.startswith("usage: backup_metrics.sh")
    not_tar = tmp_path / "metrics-x.tar.gz"
    not_tar.write_text("not a tarball")
    bad = run_script("restore_backup.sh", "metrics", str(not_tar), str(tmp_path / "target"))
    assert bad.returncode == 2 and "not a readable" in bad.stderr and not (tmp_path / "target").exists()
