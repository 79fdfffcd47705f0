"""The `import` command as users run it (a real subprocess): exit codes, one-line errors, nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from importer.module import ROOT

FIXTURES = Path(__file__).parent / "fixtures"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "importer", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("bad/malformed.json", "not valid JSON"),
        ("bad/not-a-dashboard.json", "not a Grafana dashboard"),
        ("bad/unknown-panel-type.json", "unknown panel type 'grafana-polystat-panel'"),
        ("bad/does-not-exist.json", "cannot read"),
        ("bad/library-panel.json", "not a Grafana dashboard: a library panel"),
        ("bad/snapshot.json", "a snapshot"),
        ("bad/dashboards.yml", "not a Grafana dashboard: a Grafana provisioning file"),
        ("bad/loki-only.json", "no query is on Prometheus (the queries use loki)"),
        # every problem at once, in one line
        ("bad/many-problems.json", "3 problems: panel 'Poly' has unknown panel type 'grafana-polystat-panel'"),
        ("bad/many-problems.json", "panel 'Shared' is a library panel"),
        ("bad/many-problems.json", "panel 'Status' has unknown panel type 'vonage-status-panel'"),
    ],
)
def test_bad_input_gives_one_line_exit_2_and_writes_nothing(tmp_path, fixture, reason) -> None:
    result = run(str(FIXTURES / fixture), "--out-dir", str(tmp_path), "--name", "bad")
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and reason in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_writes_the_module_reports_panels_and_prints_the_registry_line(tmp_path) -> None:
    result = run(str(FIXTURES / "08-text-and-raw-types.json"), "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    module = tmp_path / "fx_mixed_types.py"  # named after the dashboard uid
    assert module.is_file() and [p.name for p in tmp_path.iterdir()] == ["fx_mixed_types.py"]
    assert "raw             piechart   'Trades by token'" in result.stderr
    assert 'Entry("fx_mixed_types", "<Folder>", fx_mixed_types.build)' in result.stderr


def test_refuses_to_overwrite_without_force(tmp_path) -> None:
    existing = tmp_path / "mine.py"
    existing.write_text("# hand-written\n")
    result = run(str(FIXTURES / "10-api-wrapper.json"), "--out-dir", str(tmp_path), "--name", "mine")
    assert result.returncode == 2 and "already exists; pass --force" in result.stderr
    assert existing.read_text() == "# hand-written\n"
    forced = run(str(FIXTURES / "10-api-wrapper.json"), "--out-dir", str(tmp_path), "--name", "mine", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "def build() -> Dashboard:" in existing.read_text()


def test_dry_run_prints_the_module_and_writes_nothing(tmp_path) -> None:
    result = run(str(FIXTURES / "02-singlestat-wall.json"), "--out-dir", str(tmp_path), "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('"""Service status wall: imported from Grafana')
    assert "migrated singlestat -> stat" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_rejects_a_name_that_is_not_a_module_name(tmp_path) -> None:
    result = run(str(FIXTURES / "10-api-wrapper.json"), "--out-dir", str(tmp_path), "--name", "my-dash")
    assert result.returncode == 2 and "--name 'my-dash'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_help_documents_the_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for option in ("--name", "--out-dir", "--dry-run", "--force"):
        assert option in result.stdout


def test_the_command_mounts_as_import_on_a_click_group(tmp_path) -> None:
    """How `python -m dashboards` will carry it: `cli.add_command(import_command)`."""
    import click
    from click.testing import CliRunner

    from importer.cli import import_command

    group = click.Group()
    group.add_command(import_command)
    assert import_command.name == "import"
    result = CliRunner().invoke(group, ["import", str(FIXTURES / "bad" / "malformed.json"), "--out-dir", str(tmp_path)])
    assert result.exit_code == 2 and "not valid JSON" in result.output


def _mutations() -> list[tuple[str, object]]:
    """Wrong shapes a hand-edited or foreign export can carry, each at a different place."""
    return [
        ("templating", "x"),
        ("templating.list", "abc"),
        ("annotations", "x"),
        ("panels.1.fieldConfig", "x"),
        ("panels.0.gridPos", "x"),
        ("panels.0.gridPos", None),
        ("panels.1.targets.0", "up"),
        ("uid", 7),
        ("title", 7),
    ]


@pytest.mark.parametrize(("where", "value"), _mutations(), ids=lambda v: str(v)[:20])
def test_a_wrong_shape_anywhere_is_one_line_and_exit_2(tmp_path, where, value) -> None:
    import json

    dashboard = json.loads((ROOT / "provisioning/dashboards/Platform/anonymeme-api.json").read_text())
    path = where.split(".")
    node = dashboard
    for key in path[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    last = path[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    source = tmp_path / "in.json"
    source.write_text(json.dumps(dashboard))
    out = tmp_path / "out"
    result = run(str(source), "--out-dir", str(out), "--name", "shape")
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: "), result.stderr
    assert not out.exists()


def test_an_export_with_a_byte_order_mark_imports(tmp_path) -> None:
    source = tmp_path / "bom.json"
    source.write_bytes(b"\xef\xbb\xbf" + (ROOT / "provisioning/dashboards/Platform/anonymeme-api.json").read_bytes())
    result = run(str(source), "--dry-run", "--name", "bom")
    assert result.returncode == 0, result.stderr


def test_overlapping_panels_keep_their_positions_and_are_reported(tmp_path) -> None:
    """Grafana opens a dashboard whose panels overlap (its grid compacts them when drawing); the JSON keeps the
    positions, and so does the import (issue #16)."""
    import json

    dashboard = json.loads((ROOT / "provisioning/dashboards/Platform/anonymeme-api.json").read_text())
    first = next(p for p in dashboard["panels"] if p["type"] != "row")
    second = next(p for p in dashboard["panels"] if p["type"] != "row" and p is not first)
    second["gridPos"] = dict(first["gridPos"])
    source = tmp_path / "in.json"
    source.write_text(json.dumps(dashboard))
    result = run(str(source), "--out-dir", str(tmp_path), "--name", "overlap")
    assert result.returncode == 0, result.stderr
    assert "overlap" in result.stderr and "kept as drawn" in result.stderr
    from tests.importer.helpers import compile_module

    compiled = json.loads(compile_module(tmp_path / "overlap.py", "overlap"))
    by_title = {p["title"]: p["gridPos"] for p in compiled["panels"]}
    assert by_title[second["title"]] == first["gridPos"] == by_title[first["title"]]
