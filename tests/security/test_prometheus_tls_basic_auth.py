"""The production web config works on the real Prometheus: TLS with a CA-signed certificate plus basic auth.

A throwaway CA signs a certificate for 127.0.0.1; bcrypt hashes the password into `basic_auth_users`; the
shipped compose/prometheus-tls files join them as in production; `promtool check web-config` accepts the
result; then Prometheus serves with it and the four behaviours the production profile relies on are checked
with `requests`, verifying the chain against the CA file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import bcrypt
import pytest
import requests
import yaml

from localstack.process import LOOPBACK

from .certs import TlsFiles, write_ca_and_server_cert
from .conftest import StartPrometheus, binary

USER = "scraper"
PASSWORD = "tls-Secret-4b7e1d"  # distinctive, so a leak would be found by grep
TIMEOUT = 5
TLS_DIR = Path(__file__).resolve().parents[2] / "compose" / "prometheus-tls"


def production_web_config(tls: TlsFiles, directory: Path) -> Path:
    """The production web config built the way the prod profile builds it: secrets-init's `basic_auth_users`
    (bcrypt) joined by compose/prometheus-tls/write-web-tls.sh with the shipped web-tls.yml, whose certificate
    paths are pointed at the throwaway files."""
    secrets = directory / "secrets"
    secrets.mkdir()
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=10)).decode()
    (secrets / "web.yml").write_text(f"basic_auth_users:\n  {USER}: '{hashed}'\n")
    template = directory / "web-tls.yml"
    template.write_text(
        (TLS_DIR / "web-tls.yml")
        .read_text()
        .replace("/etc/prometheus/tls/prometheus.crt", str(tls.server_cert))
        .replace("/etc/prometheus/tls/prometheus.key", str(tls.server_key))
    )
    result = subprocess.run(
        ["sh", str(TLS_DIR / "write-web-tls.sh")],
        env={
            "PATH": "/usr/bin:/bin",
            "PROM_SECRETS_DIR": str(secrets),
            "WEB_TLS_TEMPLATE": str(template),
            "SECRETS_OWNER": "0:0",
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return secrets / "web-tls.yml"


def _https_ready(port: int, ca: Path) -> bool:
    try:
        return (
            requests.get(
                f"https://{LOOPBACK}:{port}/-/ready", auth=(USER, PASSWORD), verify=str(ca), timeout=1
            ).status_code
            == 200
        )
    except requests.RequestException:
        return False


@pytest.fixture
def tls_prometheus(tmp_path: Path, start_prometheus: StartPrometheus) -> tuple[int, TlsFiles]:
    tls = write_ca_and_server_cert(tmp_path / "tls")
    web = production_web_config(tls, tmp_path)
    checked = subprocess.run(
        [binary("promtool"), "check", "web-config", str(web)], capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    config = tmp_path / "prometheus.yml"
    config.write_text(yaml.safe_dump({"global": {"scrape_interval": "15s"}, "scrape_configs": []}))
    _, port = start_prometheus(config, [f"--web.config.file={web}"], ready=lambda p: _https_ready(p, tls.ca_cert))
    return port, tls


def test_tls_and_basic_auth_on_the_real_prometheus(tls_prometheus: tuple[int, TlsFiles]) -> None:
    port, tls = tls_prometheus
    url = f"https://{LOOPBACK}:{port}/api/v1/status/buildinfo"
    ca = str(tls.ca_cert)

    assert requests.get(url, verify=ca, timeout=TIMEOUT).status_code == 401
    assert requests.get(url, auth=(USER, "wrong-" + PASSWORD), verify=ca, timeout=TIMEOUT).status_code == 401
    assert requests.get(url, auth=("nobody", PASSWORD), verify=ca, timeout=TIMEOUT).status_code == 401

    ok = requests.get(url, auth=(USER, PASSWORD), verify=ca, timeout=TIMEOUT)
    assert ok.status_code == 200 and ok.json()["status"] == "success"

    # Plain HTTP on the TLS port gets no data: Go answers a non-TLS request with 400 and no Prometheus content.
    plain = requests.get(f"http://{LOOPBACK}:{port}/api/v1/status/buildinfo", auth=(USER, PASSWORD), timeout=TIMEOUT)
    assert plain.status_code == 400 and "success" not in plain.text, plain.text


def test_a_client_that_does_not_trust_the_ca_is_refused(tls_prometheus: tuple[int, TlsFiles]) -> None:
    """Certificate verification is real: the system trust store does not know the throwaway CA."""
    port, _ = tls_prometheus
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"https://{LOOPBACK}:{port}/-/ready", auth=(USER, PASSWORD), timeout=TIMEOUT)
