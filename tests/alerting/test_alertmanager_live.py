"""The page as Alertmanager renders it, and one outage paging once, proven by the real Alertmanager 0.25.

The PagerDuty fields are rendered by `amtool template render` (Alertmanager's own template engine and functions)
for a grouped notification whose two alerts have different summaries: exactly the case where
`.CommonAnnotations.summary` is empty. Inhibition is proven by a real Alertmanager on 127.0.0.1 receiving the
alerts of one outage through its API and reporting which ones it suppresses, and by what.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from alerting import routing
from alerting.render import to_yaml
from alerting.rules import all_alerts
from signals import jobs
from tests.alerting.conftest import binary, run
from tests.alerting.test_prometheus_config import free_port

# --- the PagerDuty payload ----------------------------------------------------------------------------------


def _alert(name: str, severity: str | None = None, **labels: str) -> dict:
    """A notification's alert built from the generated rule: its labels, and annotations as Prometheus renders
    them (with the labels given)."""
    from alerting import templates

    rule = next(a for a in all_alerts() if a.name == name and severity in (None, a.severity))
    all_labels = {"alertname": name, **rule.labels, **labels}
    return {
        "status": "firing",
        "labels": all_labels,
        "annotations": {k: templates.render(v, all_labels, 0.97) for k, v in rule.annotations.items()},
        "startsAt": "2026-01-01T03:00:00Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus:9090/graph",
        "fingerprint": labels.get("mountpoint", "x"),
    }


@pytest.fixture(scope="module")
def two_disks(tmp_path_factory) -> Path:
    disk = {"job": jobs.NODE.name, "instance": jobs.NODE.target, "device": "/dev/sda1"}
    alerts = [
        _alert("HostHighDiskUsage", "critical", **disk, mountpoint="/"),
        _alert("HostHighDiskUsage", "critical", **disk, mountpoint="/data"),
    ]
    common = {k: v for k, v in alerts[0]["labels"].items() if alerts[1]["labels"].get(k) == v}
    data = {
        "receiver": "pagerduty-devops",
        "status": "firing",
        "alerts": alerts,
        "groupLabels": {"alertname": "HostHighDiskUsage"},
        "commonLabels": common,
        "commonAnnotations": {
            k: v for k, v in alerts[0]["annotations"].items() if alerts[1]["annotations"].get(k) == v
        },
        "externalURL": "http://alertmanager:9093",
    }
    assert "summary" not in data["commonAnnotations"], "the case must be one where the common summary is empty"
    path = tmp_path_factory.mktemp("pagerduty") / "data.json"
    path.write_text(json.dumps(data))
    (path.parent / "none.tmpl").write_text("")
    return path


def render(data: Path, text: str) -> str:
    result = run(
        binary("amtool"),
        "template",
        "render",
        f"--template.glob={data.parent / 'none.tmpl'}",
        f"--template.data={data}",
        f"--template.text={text}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.rstrip("\n")


def test_pagerduty_description_lists_each_alerts_summary(two_disks):
    summaries = [a["annotations"]["summary"] for a in json.loads(two_disks.read_text())["alerts"]]
    assert summaries[0] != summaries[1]
    assert render(two_disks, routing.PAGERDUTY_DESCRIPTION) == f"2 alerts: {summaries[0]}; {summaries[1]}"


def test_pagerduty_details_carry_every_alert_with_its_runbook_dashboard_and_labels(two_disks):
    [disk] = [a for a in all_alerts() if a.name == "HostHighDiskUsage" and a.severity == "critical"]
    details = {k: render(two_disks, v) for k, v in routing.PAGERDUTY_DETAILS.items()}
    assert details["firing"] == "2" and details["resolved"] == "0"
    assert details["alertname"] == "HostHighDiskUsage" and details["team"] == "devops"
    blocks = details["alerts"].split("\n\n")
    assert len(blocks) == 2
    for block, mountpoint in zip(blocks, ("/", "/data"), strict=True):
        assert block.startswith(f"[firing] Disk {mountpoint} ")
        assert f"Runbook: {disk.runbook_url}" in block and f"Dashboard: {disk.dashboard_url}" in block
        assert f"mountpoint={mountpoint}" in block and "description" not in block


def test_pagerduty_links_open_the_runbook_and_the_dashboard(two_disks):
    [disk] = [a for a in all_alerts() if a.name == "HostHighDiskUsage" and a.severity == "critical"]
    links = {link["text"]: render(two_disks, link["href"]) for link in routing.PAGERDUTY_LINKS}
    assert links == {"Runbook": disk.runbook_url, "Dashboard": disk.dashboard_url}


def test_every_pagerduty_receiver_uses_the_per_alert_payload():
    for receiver in routing.receivers():
        for pd in receiver.get("pagerduty_configs", []):
            assert pd["description"] == routing.PAGERDUTY_DESCRIPTION
            assert "CommonAnnotations.summary" not in json.dumps(pd)
            assert pd["details"] == routing.PAGERDUTY_DETAILS and pd["links"] == routing.PAGERDUTY_LINKS


# --- inhibition in the real Alertmanager --------------------------------------------------------------------

_LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _loopback_config(secrets: Path, dead: str) -> dict:
    """The generated config with every delivery pointed at a closed loopback port (nothing leaves the host)."""
    config = routing.render(secrets_dir=str(secrets), smtp_smarthost=dead)
    config["global"]["pagerduty_url"] = f"http://{dead}/pagerduty"
    for receiver in config["receivers"]:
        for hook in receiver.get("webhook_configs", []):
            hook["url"] = f"http://{dead}/heartbeat"
    return config


@pytest.fixture(scope="module")
def alertmanager(tmp_path_factory):
    exe = shutil.which("prometheus-alertmanager") or binary("alertmanager")
    root = tmp_path_factory.mktemp("am-live")
    dead = f"127.0.0.1:{free_port()}"
    secrets = root / "secrets"
    secrets.mkdir()
    for s in routing.SECRET_FILES:
        (secrets / s.file).write_text(f"http://{dead}/slack" if s.file.startswith("slack") else "dummy")
    config = root / "alertmanager.yml"
    config.write_text(to_yaml(_loopback_config(secrets, dead), "routing.py"))
    port = free_port()
    log = root / "alertmanager.log"
    proc = subprocess.Popen(
        [
            exe,
            f"--config.file={config}",
            f"--storage.path={root / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/api/v2"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with _LOOPBACK.open(f"{base}/status", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"Alertmanager did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _labels(name: str, severity: str | None = None, **labels: str) -> dict[str, str]:
    return _alert(name, severity, **labels)["labels"]


API = {"job": jobs.API.name, "instance": jobs.API.target}
SOLANA = {"job": jobs.SOLANA.name, "instance": jobs.SOLANA.target}
DISK = {"job": jobs.NODE.name, "instance": jobs.NODE.target, "device": "/dev/sda1"}
[(PROBED_API, _)] = [(t, j) for t, j in jobs.PROBED_JOBS.items() if j is jobs.API]

# (alert, suppressed by), all posted together: one API outage, one Solana RPC outage, a full disk.
OUTAGES = [
    (_labels("ServiceDown", job=jobs.API.name), None),
    (_labels("EndpointProbeFailed", job=jobs.BLACKBOX_JOB, instance=PROBED_API), "ServiceDown"),
    (_labels("EndpointProbeFailed", job=jobs.BLACKBOX_JOB, instance="https://anonymeme.io/"), None),
    (_labels("KeySeriesAbsent", job=jobs.API.name, metric="http_requests_total"), "ServiceDown"),
    (_labels("KeySeriesAbsent", job=jobs.SECURITY.name, metric="anonymeme_security_suspicious_activity_score"), None),
    (_labels("SolanaRpcUnhealthy", **SOLANA), None),
    (_labels("SolanaNodeBehind", "critical", **SOLANA), "SolanaRpcUnhealthy"),
    (_labels("SolanaNodeBehind", "warning", **SOLANA), "SolanaNodeBehind"),  # also the critical's
    (_labels("TransactionSuccessRatioLow", "critical"), "SolanaRpcUnhealthy"),
    (_labels("HostHighDiskUsage", "critical", **DISK, mountpoint="/"), None),
    (_labels("HostHighDiskUsage", "warning", **DISK, mountpoint="/"), "HostHighDiskUsage"),
    (_labels("HostHighDiskUsage", "warning", **DISK, mountpoint="/data"), None),
]


def _fingerprints_to_names(alerts: list[dict]) -> dict[str, str]:
    return {a["fingerprint"]: a["labels"]["alertname"] for a in alerts}


def test_one_outage_pages_once(alertmanager):
    body = json.dumps(
        [{"labels": labels, "annotations": {"summary": labels["alertname"]}} for labels, _ in OUTAGES]
    ).encode()
    request = urllib.request.Request(
        f"{alertmanager}/alerts", data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with _LOOPBACK.open(request, timeout=5) as response:
        assert response.status == 200

    def state() -> dict[tuple, tuple[str, set[str]]]:
        with _LOOPBACK.open(f"{alertmanager}/alerts", timeout=5) as response:
            alerts = json.load(response)
        names = _fingerprints_to_names(alerts)
        return {
            tuple(sorted(a["labels"].items())): (a["status"]["state"], {names[f] for f in a["status"]["inhibitedBy"]})
            for a in alerts
        }

    expected = {tuple(sorted(labels.items())): cause for labels, cause in OUTAGES}
    deadline = time.monotonic() + 30
    while True:
        got = state()
        if len(got) == len(expected) and all(
            (got[k][0] == "suppressed") is (cause is not None) for k, cause in expected.items()
        ):
            break
        if time.monotonic() > deadline:
            pytest.fail(f"inhibition never settled: {got}")
        time.sleep(0.3)
    for key, cause in expected.items():
        status, by = got[key]
        if cause is None:
            assert status == "active" and by == set(), (dict(key), got[key])
        else:
            assert cause in by, (dict(key), got[key])
