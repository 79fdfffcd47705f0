"""The production profile's clients of Prometheus speak TLS: its own self-scrape and Grafana's datasource.

The server side (web-tls.yml + basic auth) is proven in test_prometheus_tls_basic_auth.py. Here:
- the generated compose/prometheus/prometheus-tls.yml passes `promtool check config` with every file it names
  present, and differs from prometheus.yml only in the self-scrape's `scheme: https` + `tls_config.ca_file`;
- a real Prometheus serving the production web config (TLS + basic auth) scrapes ITSELF with a config rendered
  by the same `self_scheme="https"` path, and its own `up` for that target becomes 1: the chain is verified
  against the CA file and the password file is sent;
- the same self-scrape without the CA file fails with a certificate error (so `up == 1` above proves the CA);
- the production override mounts both generated files where the base file mounts the plain ones;
- the production datasource file says https, trusts the CA by file reference, and holds no secret value.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
import yaml

from alerting import prometheus_config
from alerting.render import PROMETHEUS, PROMETHEUS_TLS, render_all, to_yaml
from compiler.provisioning import GRAFANA_CA_FILE, provisioning_files
from dashboards.registry import folders
from localstack.process import LOOPBACK, free_port

from .certs import TlsFiles, write_ca_and_server_cert
from .compose_prod import merged, volume_target
from .conftest import StartPrometheus, binary
from .test_prometheus_tls_basic_auth import PASSWORD, USER, production_web_config

REPO = Path(__file__).resolve().parents[2]
PROM_DIR = REPO / "compose" / "prometheus"
TLS_DATASOURCES = "provisioning/datasources-tls/datasources.yml"
SCRAPE_TIMEOUT = 30.0
TIMEOUT = 5


def _job(config: dict, name: str) -> dict:
    return next(j for j in config["scrape_configs"] if j["job_name"] == name)


def test_tls_config_differs_from_the_dev_config_only_in_the_self_scrape_transport() -> None:
    files = render_all()
    plain, tls = yaml.safe_load(files[PROMETHEUS]), yaml.safe_load(files[PROMETHEUS_TLS])
    self_job = _job(tls, "prometheus")
    assert self_job["scheme"] == "https"
    assert self_job["tls_config"] == {"ca_file": "/etc/prometheus/tls/ca.crt"}
    assert self_job["static_configs"] == [{"targets": ["prometheus:9090"]}]
    del self_job["scheme"], self_job["tls_config"]
    assert tls == plain
    assert "scheme" not in _job(plain, "prometheus")


def test_https_is_the_only_way_to_ask_for_a_ca_file() -> None:
    with pytest.raises(ValueError, match="self_scheme"):
        prometheus_config.render(self_ca_file="/ca.crt")
    with pytest.raises(ValueError, match="self_scheme"):
        prometheus_config.render(self_scheme="ftp")
    no_ca = _job(prometheus_config.render(self_scheme="https"), "prometheus")
    assert no_ca["scheme"] == "https" and "tls_config" not in no_ca  # system trust store


def test_promtool_accepts_the_production_prometheus_config(tmp_path: Path) -> None:
    """The shipped file, with its absolute paths pointed at real files in a temp dir (the container's paths)."""
    tls = write_ca_and_server_cert(tmp_path / "tls")
    password = tmp_path / "prometheus_password"
    password.write_text(PASSWORD)
    for rel in ("alerts", "rules"):
        shutil.copytree(PROM_DIR / rel, tmp_path / rel)
    text = (PROM_DIR / "prometheus-tls.yml").read_text()
    for container_path, local in (
        ("/etc/prometheus/tls/ca.crt", tls.ca_cert),
        (prometheus_config.SELF_PASSWORD_FILE, password),
    ):
        assert container_path in text
        text = text.replace(container_path, str(local))
    config = tmp_path / "prometheus.yml"
    config.write_text(text)
    result = subprocess.run(
        [binary("promtool"), "check", "config", str(config)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout + result.stderr


def _self_scrape_config(port: int, password_file: Path, ca_file: Path | None) -> str:
    config = prometheus_config.render(
        targets={"prometheus": [f"{LOOPBACK}:{port}"]},
        alertmanagers=[],
        blackbox_address=None,
        rule_files=[],
        self_username=USER,
        self_password_file=str(password_file),
        self_scheme="https",
        self_ca_file=None if ca_file is None else str(ca_file),
        scrape_interval="1s",
        evaluation_interval="1s",
    )
    for scrape in config["scrape_configs"]:
        scrape["scrape_interval"] = "1s"  # the job's own 15s would delay the first scrape by up to 15s
    return to_yaml(config, "prometheus_config.py")


def _https(port: int, path: str, tls: TlsFiles, **params: str) -> requests.Response:
    return requests.get(
        f"https://{LOOPBACK}:{port}{path}",
        params=params,
        auth=(USER, PASSWORD),
        verify=str(tls.ca_cert),
        timeout=TIMEOUT,
    )


def _ready(port: int, tls: TlsFiles) -> bool:
    try:
        return _https(port, "/-/ready", tls).status_code == 200
    except requests.RequestException:
        return False


def _self_target(port: int, tls: TlsFiles) -> dict:
    """The self-scrape target once Prometheus has scraped it at least once."""
    deadline = time.monotonic() + SCRAPE_TIMEOUT
    while time.monotonic() < deadline:
        active = _https(port, "/api/v1/targets", tls, state="active").json()["data"]["activeTargets"]
        scraped = [t for t in active if t["labels"]["job"] == "prometheus" and t["lastScrape"][:4] != "0001"]
        if scraped:
            return scraped[0]
        time.sleep(0.2)
    pytest.fail(f"no self-scrape within {SCRAPE_TIMEOUT}s")


ServeSelfScraping = Callable[[bool], tuple[int, TlsFiles]]


@pytest.fixture
def self_scraping_prometheus(tmp_path: Path, start_prometheus: StartPrometheus) -> ServeSelfScraping:
    """The real Prometheus behind the production web config (TLS + basic auth), its config rendered with
    `self_scheme="https"` and pointing the self-scrape at its own loopback port (picked before start, so the
    first scrape needs no reload). `with_ca=False` leaves out `tls_config.ca_file`."""

    def serve(with_ca: bool) -> tuple[int, TlsFiles]:
        tls = write_ca_and_server_cert(tmp_path / "tls")
        web = production_web_config(tls, tmp_path)
        password = tmp_path / "prometheus_password"
        password.write_text(PASSWORD)
        port = free_port()
        config = tmp_path / "prometheus.yml"
        config.write_text(_self_scrape_config(port, password, tls.ca_cert if with_ca else None))
        start_prometheus(config, [f"--web.config.file={web}"], ready=lambda p: _ready(p, tls), port=port)
        return port, tls

    return serve


def test_prometheus_scrapes_itself_over_tls_with_basic_auth(self_scraping_prometheus: ServeSelfScraping) -> None:
    port, tls = self_scraping_prometheus(True)
    target = _self_target(port, tls)
    assert target["scrapeUrl"] == f"https://{LOOPBACK}:{port}/metrics"
    assert target["health"] == "up", target["lastError"]
    deadline = time.monotonic() + SCRAPE_TIMEOUT
    while time.monotonic() < deadline:
        result = _https(port, "/api/v1/query", tls, query='up{job="prometheus"}').json()["data"]["result"]
        if result:
            break
        time.sleep(0.2)
    assert [r["value"][1] for r in result] == ["1"], result


def test_self_scrape_without_the_ca_is_refused(self_scraping_prometheus: ServeSelfScraping) -> None:
    """Without `tls_config.ca_file` the throwaway CA is unknown: the scrape fails on the certificate."""
    port, tls = self_scraping_prometheus(False)
    target = _self_target(port, tls)
    assert target["health"] == "down"
    assert "certificate" in target["lastError"], target["lastError"]


def test_production_override_mounts_the_tls_prometheus_config_and_datasources() -> None:
    services = merged()["services"]
    prometheus = {volume_target(v): v for v in services["prometheus"]["volumes"]}
    assert prometheus["/etc/prometheus/prometheus.yml"] == (
        "./prometheus/prometheus-tls.yml:/etc/prometheus/prometheus.yml:ro"
    )
    assert prometheus["/etc/prometheus/tls"].endswith(":/etc/prometheus/tls:ro")
    grafana = {volume_target(v): v for v in services["grafana"]["volumes"]}
    assert grafana["/etc/grafana/provisioning/datasources"] == (
        "../provisioning/datasources-tls:/etc/grafana/provisioning/datasources:ro"
    )
    assert grafana["/etc/grafana/tls"].endswith(":/etc/grafana/tls:ro")
    for service in ("prometheus", "grafana"):
        targets = [volume_target(v) for v in services[service]["volumes"]]
        assert len(targets) == len(set(targets)), f"{service} mounts a path twice: {targets}"
    assert (REPO / "compose" / "prometheus" / "prometheus-tls.yml").is_file()
    assert (REPO / TLS_DATASOURCES).is_file()


def test_production_datasource_is_https_trusts_the_ca_file_and_holds_no_secret() -> None:
    shipped = (REPO / TLS_DATASOURCES).read_text()
    assert shipped == provisioning_files(folders())[TLS_DATASOURCES]
    datasources = {d["name"]: d for d in yaml.safe_load(shipped)["datasources"]}
    prometheus = datasources["Prometheus"]
    assert prometheus["url"] == "https://prometheus:9090"
    assert prometheus["jsonData"]["tlsAuthWithCACert"] is True
    assert prometheus["jsonData"].get("tlsSkipVerify") is not True
    assert prometheus["secureJsonData"] == {
        "basicAuthPassword": "$PROMETHEUS_PASSWORD",
        "tlsCACert": f"$__file{{{GRAFANA_CA_FILE}}}",
    }
    assert GRAFANA_CA_FILE.startswith("/etc/grafana/tls/")  # the override mounts $TLS_CERT_DIR there
    for datasource in datasources.values():  # every secure value is a reference Grafana expands, never a value
        for key, value in datasource.get("secureJsonData", {}).items():
            assert value.startswith("$"), f"{datasource['name']}.{key} holds a literal value"
    assert "BEGIN CERTIFICATE" not in shipped and "PRIVATE KEY" not in shipped
    assert "insecure" not in shipped.lower()
