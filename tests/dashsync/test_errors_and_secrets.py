"""Honest exit codes, one-line errors, and no secret anywhere in output or backups."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import TEST_PASSWORD, Target


def test_health_reports_version_read_and_write(grafana: Target) -> None:
    result = grafana.dashsync("health")
    assert result.exit_code == 0, result.output
    assert "version: Grafana" in result.output and "read: yes" in result.output


def test_invalid_token_says_so_in_one_line(grafana: Target) -> None:
    result = grafana.dashsync("health", env={"GRAFANA_TOKEN": "glsa_forged_token_00000000", "GRAFANA_USER": None})
    assert result.exit_code == 2
    assert "the token is invalid" in result.output and result.output.count("\n") == 1  # one line, nothing else
    assert "glsa_forged_token" not in result.output


def test_missing_credentials_and_bad_diff_source_are_usage_errors(grafana: Target) -> None:
    none = grafana.dashsync("health", env={"GRAFANA_TOKEN": None, "GRAFANA_USER": None, "GRAFANA_PASSWORD": None})
    assert none.exit_code == 2 and "no credentials" in none.output
    bad = grafana.dashsync("diff", "--against", "nowhere", "--dir", "tests/dashsync/fixtures/dashboards")
    assert bad.exit_code == 2 and "expected live, git:REV" in bad.output


@pytest.mark.emulator_only
def test_viewer_gets_403_naming_the_permission_and_password_never_shows(grafana: Target, tmp_path: Path) -> None:
    assert grafana.emulator is not None
    grafana.emulator.add_user("viewer", TEST_PASSWORD, "Viewer")
    env = {"GRAFANA_TOKEN": None, "GRAFANA_USER": "viewer", "GRAFANA_PASSWORD": TEST_PASSWORD}
    outputs = []
    health = grafana.dashsync("health", env=env)
    outputs.append(health.output)
    assert health.exit_code == 1 and "write: no (missing permission: dashboards:create" in health.output
    push = grafana.dashsync("push", "--dir", "tests/dashsync/fixtures/dashboards", env=env)
    outputs.append(push.output)
    assert push.exit_code == 2
    assert (
        "Permissions needed: folders:create" in push.output  # legacy /api (11)
        or 'cannot create resource "folders"' in push.output
    )  # resource API (12, 13)
    backup = grafana.dashsync("backup", "--out", str(tmp_path / "b"), env=env)
    outputs.append(backup.output)
    assert backup.exit_code == 2 and "datasources:read" in backup.output
    wrong = grafana.dashsync("health", env={**env, "GRAFANA_PASSWORD": "wrong-" + TEST_PASSWORD})
    outputs.append(wrong.output)
    assert wrong.exit_code == 2 and "user name or password" in wrong.output
    admin = {"GRAFANA_TOKEN": None, "GRAFANA_USER": "admin", "GRAFANA_PASSWORD": TEST_PASSWORD}
    for args in (
        ["push", "--dir", "tests/dashsync/fixtures/dashboards"],
        ["backup", "--out", str(tmp_path / "c")],
        ["diff", "--dir", "tests/dashsync/fixtures/dashboards"],
        ["restore", str(tmp_path / "c")],
    ):
        outputs.append(grafana.dashsync(*args, env=admin).output)
    files = "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())
    assert TEST_PASSWORD not in "".join(outputs) + files
    assert "nothing to restore" in outputs[-1]  # the admin commands above really ran
