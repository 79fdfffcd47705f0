"""Forbidden labels never reach the TSDB: the real Prometheus scrapes a fixture that carries them.

promtool 2.42 has no command that applies relabelling to a scrape (`promtool check config` only validates the
syntax), so the proof is the real server: render prometheus.yml with `alerting.prometheus_config.render`, point
every scrape job at a fixture /metrics on 127.0.0.1 that exposes user ids, e-mails, IPs, wallets, tokens and
URLs as labels, wait for a scrape and read the stored series back through the query API.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from alerting import prometheus_config
from localstack.process import LOOPBACK
from signals import jobs
from signals.catalogue import FORBIDDEN_LABELS

from .conftest import StartPrometheus, binary, query

# One series per forbidden label, plus one carrying all of them at once; `handler` is an allowed label that
# must survive, so the test also proves relabelling did not drop too much.
LEAKY_VALUES = {
    "user": "alice",
    "user_id": "u-7731",
    "userid": "7731",
    "email": "alice@example.org",
    "ip": "203.0.113.9",
    "ip_address": "203.0.113.10",
    "client_ip": "198.51.100.4",
    "remote_addr": "198.51.100.5:41234",
    "wallet": "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin",
    "wallet_address": "So11111111111111111111111111111111111111112",
    "address": "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T",
    "token": "tok-leak-0d9f",
    "api_key": "key-leak-77aa",
    "session": "sess-leak-1",
    "session_id": "sess-leak-2",
    "url": "https://anonymeme.example/u/alice?ref=x",
    "path": "/api/users/7731",
}


def fixture_exposition() -> str:
    """Prometheus text format with every forbidden label, escaped as the format requires."""
    assert set(LEAKY_VALUES) == set(FORBIDDEN_LABELS), "keep the fixture in step with signals/catalogue.py"
    lines = ["# TYPE security_fixture_requests_total counter"]
    for i, (label, value) in enumerate(sorted(LEAKY_VALUES.items())):
        lines.append(f'security_fixture_requests_total{{handler="/h{i}",{label}="{value}"}} {i + 1}')
    everything = ",".join(f'{k}="{v}"' for k, v in sorted(LEAKY_VALUES.items()))
    lines.append("# TYPE security_fixture_all_labels gauge")
    lines.append(f'security_fixture_all_labels{{handler="/all",{everything}}} 1')
    return "\n".join(lines) + "\n"


@pytest.fixture
def leaky_exporter() -> Iterator[str]:
    """A /metrics endpoint on 127.0.0.1 serving the fixture; returns its `host:port`."""
    body = fixture_exposition().encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{LOOPBACK}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def rendered_config(target: str, tmp_path: Path) -> Path:
    """prometheus.yml from the project's renderer, every scrape job pointed at the fixture, scraping every 1s."""
    config = prometheus_config.render(
        targets={job.name: [target] for job in jobs.SCRAPE_JOBS},
        alertmanagers=[target],
        blackbox_address=None,
        rule_files=[],
        self_password_file=None,
        scrape_interval="1s",
        evaluation_interval="1s",
    )
    for scrape in config["scrape_configs"]:
        scrape["scrape_interval"] = "1s"
    path = tmp_path / "prometheus.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def test_every_rendered_scrape_job_drops_every_forbidden_label() -> None:
    """Each scrape job of the production prometheus.yml, the blackbox probe job included, carries the labeldrop."""
    config = prometheus_config.render()
    missing = []
    scraped = {j.name for j in jobs.SCRAPE_JOBS} | {jobs.BLACKBOX_JOB}
    assert scraped <= {s["job_name"] for s in config["scrape_configs"]}
    for scrape in config["scrape_configs"]:
        regexes = [r["regex"] for r in scrape.get("metric_relabel_configs", []) if r.get("action") == "labeldrop"]
        dropped = {name for regex in regexes for name in regex.split("|")}
        if not FORBIDDEN_LABELS <= dropped:
            missing.append(scrape["job_name"])
    assert not missing, f"scrape jobs without a labeldrop of FORBIDDEN_LABELS: {missing}"


def test_promtool_accepts_the_rendered_config(leaky_exporter: str, tmp_path: Path) -> None:
    path = rendered_config(leaky_exporter, tmp_path)
    result = subprocess.run(
        [binary("promtool"), "check", "config", str(path)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_prometheus_stores_the_series_without_forbidden_labels(
    leaky_exporter: str, tmp_path: Path, start_prometheus: StartPrometheus
) -> None:
    _, port = start_prometheus(rendered_config(leaky_exporter, tmp_path))
    expected_series = len(LEAKY_VALUES) + 1
    deadline = time.monotonic() + 30
    series: list[dict] = []
    while time.monotonic() < deadline:
        series = query(port, '{__name__=~"security_fixture_.*"}')
        if len({s["metric"]["job"] for s in series}) == len(jobs.SCRAPE_JOBS):
            break
        time.sleep(0.2)
    jobs_seen = {s["metric"]["job"] for s in series}
    assert jobs_seen == {j.name for j in jobs.SCRAPE_JOBS}, f"not every job scraped the fixture: {sorted(jobs_seen)}"
    for job in jobs_seen:
        stored = [s["metric"] for s in series if s["metric"]["job"] == job]
        # The series are there (each kept its allowed `handler` label, so none collapsed into another)...
        assert len(stored) == expected_series, (job, stored)
        assert len({m["handler"] for m in stored}) == expected_series
        # ...and no forbidden label, nor any of the leaked values, survived.
        for labels in stored:
            assert not set(labels) & FORBIDDEN_LABELS, (job, labels)
            assert not set(labels.values()) & set(LEAKY_VALUES.values()), (job, labels)
