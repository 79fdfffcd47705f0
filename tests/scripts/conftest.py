"""Real services on 127.0.0.1 for the scripts/monitoring tests, started once per session and always stopped.

Prometheus runs as the compose stack runs it: behind the basic-auth web.yml that compose/entrypoints/
write-secrets.sh writes, with the admin API on, scraping itself with the password file. Alertmanager, node-
exporter and blackbox-exporter are the Debian binaries the native local stack uses; Grafana is the in-process
emulator. A missing binary fails the test with its name and `make system-deps`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from localstack.process import LOOPBACK, ManagedProcess, ServiceError, free_port, http_answers
from tests.compose import secrets_init
from tests.grafana_emulator import Emulator

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "scripts" / "monitoring"
PROMETHEUS_PASSWORD = secrets_init.SECRET_ENV["PROMETHEUS_PASSWORD"]
GRAFANA_PASSWORD = "graf-Pw-4e2b1a"


def binary(name: str) -> str:
    path = shutil.which(name)
    if not path:
        pytest.fail(f"required binary {name!r} not found: install it with `make system-deps`", pytrace=False)
    return path


def script_command(name: str, *args: str, env: dict[str, str] | None = None) -> tuple[list[str], dict[str, str]]:
    """argv and environment (only PATH, HOME and `env`) for scripts/monitoring/<name>, for run() or Popen()."""
    for tool in ("bash", "curl", "tar", "flock"):  # what the scripts call besides coreutils
        binary(tool)
    base = {"PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}", "HOME": os.environ.get("HOME", "/root")}
    return ["bash", str(SCRIPTS / name), *args], {**base, **(env or {})}


def run_script(
    name: str, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run scripts/monitoring/<name> with only PATH, HOME and `env` in its environment."""
    argv, full_env = script_command(name, *args, env=env)
    return subprocess.run(argv, env=full_env, capture_output=True, text=True, timeout=timeout)


@dataclass
class Services:
    root: Path
    prometheus_port: int
    prometheus_data: Path
    alertmanager_port: int
    blackbox_port: int
    grafana: Emulator
    processes: list[ManagedProcess] = field(default_factory=list)

    @property
    def prometheus_url(self) -> str:
        return f"http://{LOOPBACK}:{self.prometheus_port}"

    def health_env(self) -> dict[str, str]:
        return {
            "PROMETHEUS_URL": self.prometheus_url,
            "PROMETHEUS_USER": "admin",
            "PROMETHEUS_PASSWORD": PROMETHEUS_PASSWORD,
            "ALERTMANAGER_URL": f"http://{LOOPBACK}:{self.alertmanager_port}",
            "BLACKBOX_EXPORTER_URL": f"http://{LOOPBACK}:{self.blackbox_port}",
            "GRAFANA_URL": self.grafana.url,
        }

    def stop(self) -> None:
        for p in reversed(self.processes):
            p.stop()
        self.grafana.stop()


def _start(
    services: Services, name: str, argv: list[str], ready_url: str | None = None, port: int | None = None
) -> None:
    process = ManagedProcess(name, argv, services.root / "logs" / f"{name}.log").start()
    services.processes.append(process)
    if ready_url:
        process.wait_for_http(ready_url)
    elif port:
        process.wait_for_port(port)


@pytest.fixture(scope="session")
def services(request: pytest.FixtureRequest) -> Iterator[Services]:
    root = Path(tempfile.mkdtemp(prefix="anonymeme-scripts-"))
    request.addfinalizer(lambda: shutil.rmtree(root, ignore_errors=True))
    result, prom_secrets, am_secrets = secrets_init.run(root, secrets_init.SECRET_ENV)
    assert result.returncode == 0, result.stderr
    grafana = Emulator(admin_user="admin", admin_password=GRAFANA_PASSWORD, port=0).start()
    s = Services(root, free_port(), root / "prometheus-data", free_port(), free_port(), grafana)
    request.addfinalizer(s.stop)

    (root / "prometheus.yml").write_text(
        yaml.safe_dump(
            {
                "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                "scrape_configs": [
                    {
                        "job_name": "prometheus",
                        "basic_auth": {"username": "admin", "password_file": str(prom_secrets / "prometheus_password")},
                        "static_configs": [{"targets": [f"{LOOPBACK}:{s.prometheus_port}"]}],
                    }
                ],
            }
        )
    )
    (root / "alertmanager.yml").write_text(
        yaml.safe_dump(
            {
                "route": {"receiver": "nowhere"},
                "receivers": [{"name": "nowhere"}],
            }
        )
    )
    (root / "blackbox.yml").write_text(yaml.safe_dump({"modules": {"http_2xx": {"prober": "http"}}}))
    try:
        _start(
            s,
            "alertmanager",
            [
                binary("prometheus-alertmanager"),
                f"--config.file={root / 'alertmanager.yml'}",
                f"--storage.path={root / 'alertmanager-data'}",
                f"--web.listen-address={LOOPBACK}:{s.alertmanager_port}",
                "--cluster.listen-address=",
            ],
            ready_url=f"http://{LOOPBACK}:{s.alertmanager_port}/-/healthy",
        )
        _start(
            s,
            "blackbox-exporter",
            [
                binary("prometheus-blackbox-exporter"),
                f"--config.file={root / 'blackbox.yml'}",
                f"--web.listen-address={LOOPBACK}:{s.blackbox_port}",
            ],
            ready_url=f"http://{LOOPBACK}:{s.blackbox_port}/-/healthy",
        )
        _start(
            s,
            "prometheus",
            [
                binary("prometheus"),
                f"--config.file={root / 'prometheus.yml'}",
                f"--storage.tsdb.path={s.prometheus_data}",
                f"--web.listen-address={LOOPBACK}:{s.prometheus_port}",
                f"--web.config.file={prom_secrets / 'web.yml'}",
                "--web.enable-admin-api",
            ],
            port=s.prometheus_port,
        )
    except ServiceError as e:
        pytest.fail(str(e), pytrace=False)
    yield s


def start_node_exporter(root: Path) -> tuple[ManagedProcess, str]:
    port = free_port()
    url = f"http://{LOOPBACK}:{port}"
    process = ManagedProcess(
        "node-exporter",
        [
            binary("prometheus-node-exporter"),
            f"--web.listen-address={LOOPBACK}:{port}",
        ],
        root / "node-exporter.log",
    ).start()
    try:
        process.wait_until(lambda: http_answers(f"{url}/metrics", timeout=5), f"answering {url}/metrics", 30)
    except ServiceError as e:
        process.stop()
        pytest.fail(str(e), pytrace=False)
    return process, url
