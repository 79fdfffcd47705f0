"""prometheus.yml passes promtool, matches signals' jobs, and runs in the real Prometheus on loopback."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from alerting import prometheus_config
from alerting.render import to_yaml
from alerting.rules import all_alerts
from signals import catalogue, exporters, jobs
from signals.recording import recorded_names
from signals.remote_write import ALERT_STATE_SERIES, VICTORIA_METRICS
from tests.alerting.conftest import REPO, binary, run


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_promtool_check_config_accepts_the_committed_layout(tmp_path):
    """prometheus.yml next to its rule files, as compose mounts them, with the self-scrape password file."""
    for rel in ("prometheus.yml", "alerts/critical.yml", "alerts/warning.yml", "rules/application.yml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text((REPO / "compose/prometheus" / rel).read_text())
    (tmp_path / "password").write_text("not-a-real-password")
    config = prometheus_config.render(self_password_file=str(tmp_path / "password"))
    (tmp_path / "prometheus.yml").write_text(to_yaml(config, "prometheus_config.py"))
    result = run(binary("promtool"), "check", "config", str(tmp_path / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 3 rule files found" in result.stdout


def test_defaults_are_the_compose_stack():
    config = yaml.safe_load((REPO / "compose/prometheus/prometheus.yml").read_text())
    assert config["global"]["scrape_interval"] == "15s"
    by_job = {c["job_name"]: c for c in config["scrape_configs"]}
    assert set(by_job) == {j.name for j in jobs.SCRAPE_JOBS} | {jobs.BLACKBOX_JOB}
    assert by_job[jobs.BUSINESS.name]["scrape_interval"] == "5s"
    for job in jobs.SCRAPE_JOBS:
        if job.profile is None:
            assert by_job[job.name]["static_configs"] == [{"targets": [job.target]}]
    assert by_job["prometheus"]["basic_auth"] == {
        "username": "admin",
        "password_file": "/etc/prometheus/secrets/prometheus_password",
    }
    probe = by_job[jobs.BLACKBOX_JOB]
    assert probe["metrics_path"] == "/probe" and probe["params"] == {"module": [jobs.BLACKBOX_MODULE]}
    assert probe["relabel_configs"][-1] == {
        "target_label": "__address__",
        "replacement": jobs.BLACKBOX_EXPORTER.target,
    }
    assert config["alerting"]["alertmanagers"][0]["static_configs"][0]["targets"] == ["alertmanager:9093"]
    assert config["rule_files"] == list(prometheus_config.RULE_FILES)


def test_optional_profile_jobs_are_discovered_by_dns_and_the_always_on_ones_are_static():
    """A service of an optional profile that is not running must yield no target (hence no `up`, no alert):
    its job is a DNS A lookup of the compose service at the job's port. Grafana always runs: static."""
    optional = {j.name for j in jobs.SCRAPE_JOBS if j.profile is not None}
    assert optional == {jobs.JAEGER.name, jobs.ELASTICSEARCH.name, jobs.LOGSTASH.name}
    for name in ("prometheus.yml", "prometheus-tls.yml", "prometheus-scale-out.yml"):
        config = yaml.safe_load((REPO / "compose/prometheus" / name).read_text())
        by_job = {c["job_name"]: c for c in config["scrape_configs"]}
        for job in jobs.SCRAPE_JOBS:
            if job.profile is None:
                assert "dns_sd_configs" not in by_job[job.name], f"{name}: {job.name}"
                assert by_job[job.name]["static_configs"] == [{"targets": [job.target]}], f"{name}: {job.name}"
            else:
                assert "static_configs" not in by_job[job.name], f"{name}: {job.name}"
                assert by_job[job.name]["dns_sd_configs"] == [{"names": [job.service], "type": "A", "port": job.port}]
        assert by_job[jobs.GRAFANA.name]["static_configs"] == [{"targets": ["grafana:3000"]}]


def test_explicit_targets_scrape_statically_and_discover_nothing_unless_asked():
    """The native local stack names loopback targets: none of its jobs may turn into a DNS lookup."""
    config = prometheus_config.render(targets={"jaeger": ["127.0.0.1:1"]}, blackbox_address=None)
    (scrape,) = config["scrape_configs"]
    assert scrape["static_configs"] == [{"targets": ["127.0.0.1:1"]}] and "dns_sd_configs" not in scrape
    config = prometheus_config.render(targets={}, discovered={"logstash": ["ls.example"]}, blackbox_address=None)
    (scrape,) = config["scrape_configs"]
    assert scrape["dns_sd_configs"] == [{"names": ["ls.example"], "type": "A", "port": jobs.LOGSTASH.port}]
    with pytest.raises(ValueError, match="both static and discovered"):
        prometheus_config.render(targets={"jaeger": ["127.0.0.1:1"]}, discovered={"jaeger": ["jaeger"]})
    with pytest.raises(ValueError, match="no scrape job named"):
        prometheus_config.render(discovered={"nope": ["nope"]})


def test_new_jobs_are_covered_by_the_down_alerts():
    """Grafana and Jaeger are services (ServiceDown pages devops); the two exporters are ExporterDown warnings."""
    alerts = {(a.name, a.team): a for a in all_alerts() if a.name in ("ServiceDown", "ExporterDown")}
    assert alerts[("ServiceDown", "devops")].severity == "critical"
    assert alerts[("ExporterDown", "devops")].severity == "warning"
    service = alerts[("ServiceDown", "devops")].expr
    exporter = alerts[("ExporterDown", "devops")].expr
    for job in (jobs.GRAFANA, jobs.JAEGER):
        assert re.search(rf"[\"|]{job.name}[\"|]", service) and job.name not in exporter, job.name
    for job in (jobs.ELASTICSEARCH, jobs.LOGSTASH):
        assert re.search(rf"[\"|]{job.name}[\"|]", exporter) and not re.search(rf"[\"|]{job.name}[\"|]", service)


def test_unknown_job_is_refused():
    with pytest.raises(ValueError, match="no scrape job named"):
        prometheus_config.render(targets={"nope": ["127.0.0.1:1"]})


@pytest.fixture
def live_prometheus(tmp_path, rule_files):
    """The Debian Prometheus on 127.0.0.1 with a config rendered for loopback targets; always stopped."""
    port = free_port()
    dead = f"127.0.0.1:{free_port()}"  # nothing listens: up == 0
    config = prometheus_config.render(
        targets={"prometheus": [f"127.0.0.1:{port}"], "api": [dead]},
        alertmanagers=[f"127.0.0.1:{free_port()}"],
        blackbox_address=None,
        rule_files=rule_files,
        self_password_file=None,
        scrape_interval="1s",
        evaluation_interval="1s",
    )
    path = tmp_path / "prometheus.yml"
    path.write_text(to_yaml(config, "prometheus_config.py"))
    proc = subprocess.Popen(
        [
            binary("prometheus"),
            f"--config.file={path}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--storage.tsdb.retention.time=30d",
            "--storage.tsdb.retention.size=50GB",
        ],
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "prometheus.log", "w"),
        start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}", tmp_path / "prometheus.log"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


_LOOPBACK = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy


def _get(url: str) -> dict:
    with _LOOPBACK.open(url, timeout=5) as response:
        return json.load(response)


def _wait_for(check, log: Path, seconds: float = 30):
    deadline = time.monotonic() + seconds
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except OSError as e:
            last = e
        time.sleep(0.3)
    pytest.fail(f"Prometheus never got there ({last}); log:\n{log.read_text()[-3000:]}")


def test_real_prometheus_loads_every_rule_and_evaluates_it(live_prometheus):
    """Recording groups run every 30s-1m, so only the alert groups (1s here) are awaited."""
    base, log = live_prometheus

    def alert_rules_evaluated():
        groups = _get(f"{base}/api/v1/rules")["data"]["groups"]
        rules = [r for g in groups for r in g["rules"]]
        alerting = [r for r in rules if r["type"] == "alerting"]
        return rules if alerting and all(r["health"] != "unknown" for r in alerting) else None

    rules = _wait_for(alert_rules_evaluated, log)
    assert [r for r in rules if r["health"] == "err"] == []
    loaded = {r["name"] for r in rules if r["type"] == "alerting"}
    assert loaded == {a.name for a in all_alerts()}

    def api_down_pending():
        alerts = _get(f"{base}/api/v1/alerts")["data"]["alerts"]
        return [a for a in alerts if a["labels"]["alertname"] == "ServiceDown"]

    [down] = _wait_for(api_down_pending, log)
    assert down["labels"] == {
        "alertname": "ServiceDown",
        "job": "api",
        "severity": "critical",
        "team": "devops",
    }
    assert down["state"] in {"pending", "firing"}


def test_remote_write_is_off_unless_asked_for():
    assert "remote_write" not in prometheus_config.render()
    assert "remote_write" not in yaml.safe_load((REPO / "compose/prometheus/prometheus.yml").read_text())
    with pytest.raises(ValueError, match="remote_write_address needs remote_write"):
        prometheus_config.render(remote_write_address="127.0.0.1:1")


def test_scale_out_config_passes_promtool_and_sends_raw_series_only(tmp_path):
    """The scale-out profile's file: the compose config plus one remote_write to the store of
    signals/remote_write.py, which drops every recorded series and the alert-state series (the store's vmalert
    writes those), and nothing else."""
    for rel in ("alerts/critical.yml", "alerts/warning.yml", "rules/application.yml"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text((REPO / "compose/prometheus" / rel).read_text())
    (tmp_path / "password").write_text("not-a-real-password")
    config = prometheus_config.render(self_password_file=str(tmp_path / "password"), remote_write=VICTORIA_METRICS)
    (tmp_path / "prometheus.yml").write_text(to_yaml(config, "prometheus_config.py"))
    result = run(binary("promtool"), "check", "config", str(tmp_path / "prometheus.yml"))
    assert result.returncode == 0, result.stdout + result.stderr

    committed = yaml.safe_load((REPO / "compose/prometheus/prometheus-scale-out.yml").read_text())
    [remote] = committed["remote_write"]
    assert remote["url"] == "http://victoriametrics:8428/api/v1/write"
    [drop] = remote["write_relabel_configs"]
    assert drop["source_labels"] == ["__name__"] and drop["action"] == "drop"
    dropped = re.compile(f"^(?:{drop['regex']})$")  # Prometheus anchors relabel regexes
    assert {n for n in recorded_names() | set(ALERT_STATE_SERIES) if not dropped.match(n)} == set()
    raw = (exporters.ALL - set(ALERT_STATE_SERIES)) | catalogue.series_names()
    assert raw and {m for m in raw if dropped.match(m)} == set()
    plain = yaml.safe_load((REPO / "compose/prometheus/prometheus.yml").read_text())
    assert {k: v for k, v in committed.items() if k != "remote_write"} == plain


def test_a_store_that_does_not_record_gets_every_series():
    store = replace(VICTORIA_METRICS, rules_at_store=False)
    entry = prometheus_config.render(remote_write=store, remote_write_address="127.0.0.1:9")["remote_write"]
    assert entry == [{"name": "victoriametrics", "url": "http://127.0.0.1:9/api/v1/write"}]
