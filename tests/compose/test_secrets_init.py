"""The secrets-init entrypoint: its files are exactly what the generated configs read, and real tools accept them."""

from __future__ import annotations

import base64
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from alerting.routing import SECRET_FILES
from localstack.process import LOOPBACK, ManagedProcess, ServiceError, free_port
from tests.compose import secrets_init
from tests.compose.compose_file import COMPOSE_DIR, load


def _binary(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"required binary {name!r} not found: install it with `make system-deps`", pytrace=False)
    return path


def test_writes_every_secret_file_the_generated_configs_read(tmp_path: Path) -> None:
    result, prom, am = secrets_init.run(tmp_path, secrets_init.SECRET_ENV)
    assert result.returncode == 0, result.stderr
    for secret in SECRET_FILES:
        path = am / secret.file
        assert path.read_text() == secrets_init.SECRET_ENV[secret.env], secret
        assert path.stat().st_mode & 0o777 == 0o600
    referenced = set()
    for text in (
        (COMPOSE_DIR / "alertmanager/alertmanager.yml").read_text(),
        (COMPOSE_DIR / "prometheus/prometheus.yml").read_text(),
    ):
        referenced |= {line.split(": ", 1)[1].strip() for line in text.splitlines() if "_file: /etc/" in line}
    mounted = {"/etc/alertmanager/secrets": am, "/etc/prometheus/secrets": prom}
    for path in referenced:
        directory, name = path.rsplit("/", 1)
        assert (mounted[directory] / name).is_file(), f"{path} is read by a config but not written"
    assert (prom / "prometheus_password").read_text() == secrets_init.SECRET_ENV["PROMETHEUS_PASSWORD"]
    output = result.stdout + result.stderr
    assert not [v for v in secrets_init.SECRET_ENV.values() if v in output and v != "admin"]


def test_the_compose_service_passes_every_variable_the_script_requires() -> None:
    passed = set(load()["services"]["secrets-init"]["environment"])
    assert passed == set(secrets_init.SECRET_ENV)
    assert {s.env for s in SECRET_FILES} <= passed


@pytest.mark.parametrize("missing", ["PROMETHEUS_PASSWORD", "PAGERDUTY_SECURITY_KEY"])
def test_a_missing_variable_is_named_and_nothing_is_written(tmp_path: Path, missing: str) -> None:
    env = {k: v for k, v in secrets_init.SECRET_ENV.items() if k != missing}
    result, prom, am = secrets_init.run(tmp_path, env)
    assert result.returncode != 0
    assert missing in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not prom.exists() and not am.exists()
    assert not [v for v in env.values() if v in result.stdout + result.stderr and v != "admin"]


def test_real_tools_accept_the_written_configs(tmp_path: Path) -> None:
    result, prom, am = secrets_init.run(tmp_path, secrets_init.SECRET_ENV)
    assert result.returncode == 0, result.stderr
    check = subprocess.run(
        [_binary("promtool"), "check", "web-config", str(prom / "web.yml")], capture_output=True, text=True, timeout=60
    )
    assert check.returncode == 0, check.stdout + check.stderr
    config = (COMPOSE_DIR / "alertmanager/alertmanager.yml").read_text().replace("/etc/alertmanager/secrets", str(am))
    (tmp_path / "alertmanager.yml").write_text(config)
    check = subprocess.run(
        [_binary("amtool"), "check-config", str(tmp_path / "alertmanager.yml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def _status(url: str, auth: tuple[str, str] | None) -> int:
    request = urllib.request.Request(url)
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(":".join(auth).encode()).decode())
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback)
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return 0  # not listening yet


def test_prometheus_serves_behind_the_written_web_config(tmp_path: Path) -> None:
    result, prom, _ = secrets_init.run(tmp_path, secrets_init.SECRET_ENV)
    assert result.returncode == 0, result.stderr
    port = free_port()
    (tmp_path / "prometheus.yml").write_text(yaml.safe_dump({"global": {"scrape_interval": "1m"}}))
    process = ManagedProcess(
        "prometheus",
        [
            _binary("prometheus"),
            f"--config.file={tmp_path / 'prometheus.yml'}",
            f"--storage.tsdb.path={tmp_path / 'data'}",
            f"--web.listen-address={LOOPBACK}:{port}",
            f"--web.config.file={prom / 'web.yml'}",
        ],
        tmp_path / "prometheus.log",
    )
    try:
        process.start()
        url = f"http://{LOOPBACK}:{port}/-/healthy"
        password = secrets_init.SECRET_ENV["PROMETHEUS_PASSWORD"]
        try:
            process.wait_until(lambda: _status(url, ("admin", password)) == 200, "healthy with credentials", 30)
        except ServiceError as e:
            pytest.fail(str(e), pytrace=False)
        assert _status(url, None) == 401
        assert _status(url, ("admin", "wrong")) == 401
    finally:
        process.stop()
