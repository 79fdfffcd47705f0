"""The production web config works on the real Prometheus: TLS with a CA-signed certificate plus basic auth.

A throwaway CA signs a certificate for 127.0.0.1; bcrypt hashes the password into `basic_auth_users`;
`promtool check web-config` accepts the file; then Prometheus serves with it and the four behaviours the
production profile relies on are checked with `requests`, verifying the chain against the CA file.
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


def web_config(tls: TlsFiles) -> dict:
    """The shape of compose/prometheus-tls/web-tls.yml, with the test's files and hash."""
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=10)).decode()
    return {
        "tls_server_config": {"cert_file": str(tls.server_cert), "key_file": str(tls.server_key),
                              "min_version": "TLS12"},
        "basic_auth_users": {USER: hashed},
    }


def _https_ready(port: int, ca: Path) -> bool:
    try:
        return requests.get(f"https://{LOOPBACK}:{port}/-/ready", auth=(USER, PASSWORD), verify=str(ca),
                            timeout=1).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture
def tls_prometheus(tmp_path: Path, start_prometheus: StartPrometheus) -> tuple[int, TlsFiles]:
    tls = write_ca_and_server_cert(tmp_path / "tls")
    web = tmp_path / "web.yml"
    web.write_text(yaml.safe_dump(web_config(tls)))
    checked = subprocess.run([binary("promtool"), "check", "web-config", str(web)],
                             capture_output=True, text=True, timeout=30)
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
