"""dashsync verifies Grafana's certificate: --ca-cert trusts a private CA, --insecure is the explicit way out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from dashsync.cli import main
from tests.grafana_emulator import Emulator, service_account_token
from tests.security.certs import write_ca_and_server_cert

pytestmark = pytest.mark.emulator_only


@pytest.fixture
def https_grafana(tmp_path: Path) -> Iterator[tuple[Emulator, str, Path]]:
    files = write_ca_and_server_cert(tmp_path / "tls")
    token = service_account_token()
    with Emulator(token=token, tls=(files.server_cert, files.server_key)) as emulator:
        yield emulator, token, files.ca_cert


def _health(url: str, token: str, *options: str):
    return CliRunner().invoke(main, ["health", "--url", url, "--token", token, "--timeout", "5", *options])


def test_a_private_ca_given_with_ca_cert_is_trusted(https_grafana):
    emulator, token, ca = https_grafana
    assert emulator.url.startswith("https://127.0.0.1:")
    result = _health(emulator.url, token, "--ca-cert", str(ca))
    assert result.exit_code == 0, result.output
    assert "write: yes" in result.output


def test_an_unknown_ca_is_refused_in_one_line_unless_insecure_is_explicit(https_grafana):
    emulator, token, _ = https_grafana
    refused = _health(emulator.url, token)
    assert refused.exit_code == 2
    assert len(refused.stderr.strip().splitlines()) == 1, refused.stderr
    assert "Traceback" not in refused.output and token not in refused.output
    insecure = _health(emulator.url, token, "--insecure")
    assert insecure.exit_code == 0, insecure.output
