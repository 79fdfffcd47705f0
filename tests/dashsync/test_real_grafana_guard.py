"""GRAFANA_URL switches the tests to a real Grafana that they wipe: only with consent and only on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import niquests
import pytest

from tests.grafana_emulator import Emulator, service_account_token
from tests.grafana_emulator.real import WIPE_CONSENT, RealGrafana, UnsafeRealGrafana, real_grafana_from_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:3030", "http://127.9.8.7:3000/", "http://localhost:3030", "https://[::1]:3000"]
)
def test_a_loopback_grafana_with_consent_is_used(url: str) -> None:
    env = {"GRAFANA_URL": url, WIPE_CONSENT: "yes", "GRAFANA_TOKEN": "glsa_x"}
    assert real_grafana_from_env(env) == RealGrafana(url.rstrip("/"), "glsa_x", None, None)


def test_no_grafana_url_means_the_emulator() -> None:
    assert real_grafana_from_env({WIPE_CONSENT: "yes"}) is None


def test_without_consent_the_wipe_is_named_and_refused() -> None:
    with pytest.raises(UnsafeRealGrafana, match=rf"WIPE every dashboard.*{WIPE_CONSENT}=yes"):
        real_grafana_from_env({"GRAFANA_URL": "http://127.0.0.1:3030", "GRAFANA_TOKEN": "glsa_x"})
    with pytest.raises(UnsafeRealGrafana, match=WIPE_CONSENT):
        real_grafana_from_env({"GRAFANA_URL": "http://127.0.0.1:3030", WIPE_CONSENT: "1", "GRAFANA_TOKEN": "t"})


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.5:3000",
        "https://grafana.example.com",
        "http://localhost.example.com:3000",
        "http://127.0.0.1.nip.io:3000",
        "http://[2001:db8::1]:3000",
        "http://0.0.0.0:3000",
    ],
)
def test_a_host_that_is_not_loopback_is_refused_even_with_consent(url: str) -> None:
    with pytest.raises(UnsafeRealGrafana, match="not loopback"):
        real_grafana_from_env({"GRAFANA_URL": url, WIPE_CONSENT: "yes", "GRAFANA_TOKEN": "glsa_x"})


def test_garbage_url_or_missing_credentials_are_refused() -> None:
    with pytest.raises(UnsafeRealGrafana, match="http"):
        real_grafana_from_env({"GRAFANA_URL": "127.0.0.1:3000", WIPE_CONSENT: "yes", "GRAFANA_TOKEN": "t"})
    with pytest.raises(UnsafeRealGrafana, match="GRAFANA_TOKEN"):
        real_grafana_from_env({"GRAFANA_URL": "http://127.0.0.1:3000", WIPE_CONSENT: "yes"})


@pytest.mark.parametrize("module", ["tests/dashsync/test_contract.py", "tests/importer/test_pull_then_import.py"])
def test_a_session_without_consent_stops_before_touching_grafana(module: str) -> None:
    """The whole pytest run refuses, and the Grafana GRAFANA_URL points at keeps its dashboards."""
    token = service_account_token()
    with Emulator(token=token) as grafana:
        auth = {"Authorization": f"Bearer {token}"}
        saved = niquests.post(
            f"{grafana.url}/api/dashboards/db",
            headers=auth,
            json={"dashboard": {"uid": "precious", "title": "Precious"}},
        )
        assert saved.status_code == 200, saved.text
        env = {k: v for k, v in os.environ.items() if not k.startswith("GRAFANA_") and k != WIPE_CONSENT}
        env.update({"GRAFANA_URL": grafana.url, "GRAFANA_TOKEN": token})
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", module],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode != 0, run.stdout
        assert f"set {WIPE_CONSENT}=yes" in run.stdout + run.stderr
        assert " passed" not in run.stdout
        assert grafana.traffic.writes == 1  # ours: the refused session wrote (deleted) nothing
        still = niquests.get(f"{grafana.url}/api/dashboards/uid/precious", headers=auth)
        assert still.status_code == 200
