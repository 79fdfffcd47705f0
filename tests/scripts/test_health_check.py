"""health_check.sh against real services on 127.0.0.1: all healthy, then one stopped and named."""

from __future__ import annotations

from pathlib import Path

from tests.scripts.conftest import PROMETHEUS_PASSWORD, Services, run_script, start_node_exporter

CHECKED = "grafana prometheus alertmanager node-exporter blackbox-exporter"


def test_all_healthy_then_a_stopped_service_is_named_and_the_exit_is_non_zero(
    services: Services, tmp_path: Path
) -> None:
    node, node_url = start_node_exporter(tmp_path)
    try:
        env = {**services.health_env(), "NODE_EXPORTER_URL": node_url, "HEALTH_SERVICES": CHECKED}
        healthy = run_script("health_check.sh", env=env)
        assert healthy.returncode == 0, healthy.stdout + healthy.stderr
        for service in CHECKED.split():
            assert any(line.startswith("OK") and f" {service} " in line for line in healthy.stdout.splitlines())
        assert "all 5 services healthy" in healthy.stdout
    finally:
        node.stop()
    down = run_script("health_check.sh", env=env)
    assert down.returncode == 1, down.stdout + down.stderr
    failed = [line for line in down.stdout.splitlines() if line.startswith("FAIL")]
    assert len(failed) == 1 and " node-exporter " in failed[0] and "unreachable" in failed[0]
    assert "unhealthy: node-exporter" in down.stdout and "4/5 healthy" in down.stdout
    assert PROMETHEUS_PASSWORD not in down.stdout + down.stderr


def test_prometheus_without_credentials_fails_with_its_http_status(services: Services) -> None:
    env = {**services.health_env(), "HEALTH_SERVICES": "prometheus"}
    del env["PROMETHEUS_PASSWORD"]
    result = run_script("health_check.sh", env=env)
    assert result.returncode == 1
    assert "FAIL" in result.stdout and "HTTP 401" in result.stdout


def test_usage_and_unknown_service() -> None:
    usage = run_script("health_check.sh", "--help")
    assert usage.returncode == 0 and usage.stdout.startswith("usage: health_check.sh")
    bad = run_script("health_check.sh", "--bogus")
    assert bad.returncode == 2 and "usage:" in bad.stderr
    unknown = run_script("health_check.sh", env={"HEALTH_SERVICES": "grafana nonesuch"})
    assert unknown.returncode == 2 and "nonesuch" in unknown.stderr
