"""`python -m dashboards build/check`: all-or-nothing writes, one-line errors, and the staleness check."""

from __future__ import annotations

import json
import shutil
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

import generate.cli as cli_module
from dashboards.common import dashboard
from dashboards.registry import DASHBOARDS, Entry
from generate.files import generated_files
from grafana_json.schema import SCHEMA_VERSION, SCHEMA_VERSION_FLOOR
from grafana_json.schema import load as load_schema
from lint.cli import lint_document
from lint.context import project_context
from panels import prom, stat
from tests.generate.repo_copy import copy_repo, edit, run_module
from tests.generate.repo_copy import tree as _tree

ROOT = Path(__file__).resolve().parents[2]
API_JSON = "provisioning/dashboards/Platform/anonymeme-api.json"


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A copy of the committed generated files, with the CLI pointed at it."""
    for rel in generated_files():
        target = tmp_path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, target)
    monkeypatch.setattr(cli_module, "ROOT", tmp_path)
    return tmp_path


def _entry(name: str, uid: str, **stat_kwargs) -> Entry:
    kwargs = {"unit": "short", "description": "d", **stat_kwargs}
    return Entry(
        name,
        "Test",
        lambda: dashboard(uid=uid, title=name, description=name, panels=[stat("Broken panel", prom("up"), **kwargs)]),
    )


def _boom():
    raise RuntimeError("database of panels unavailable")


BAD_INPUTS = {
    "module raises": (
        [Entry("exploding", "Test", _boom)],
        "error: dashboard 'exploding': build() raised RuntimeError: database of panels unavailable",
    ),
    "duplicate uid": (
        [_entry("first", "same-uid"), _entry("second", "same-uid")],
        "error: dashboard 'second': uid 'same-uid' is already used by dashboard 'first'",
    ),
    "unknown unit": (
        [_entry("units", "u1", unit="furlongs")],
        "error: dashboard 'units' (units): panel 'Broken panel': unit 'furlongs' is not a Grafana unit id "
        "(for a literal suffix write 'suffix:furlongs')",
    ),
    "panel off the grid": (
        [_entry("wide", "w1", w=30)],
        "error: dashboard 'wide': panel 'Broken panel': width 30 is wider than the 24-column grid",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_exit_2_and_nothing_written(case, workspace, monkeypatch):
    entries, message = BAD_INPUTS[case]
    monkeypatch.setattr(cli_module, "generated_files", partial(generated_files, tuple(entries)))
    before = _tree(workspace)
    result = CliRunner().invoke(cli_module.cli, ["build"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message]
    assert "Traceback" not in result.output
    assert _tree(workspace) == before


def test_check_passes_on_a_fresh_build_and_names_every_stale_file(workspace):
    runner = CliRunner()
    assert runner.invoke(cli_module.cli, ["check"]).exit_code == 0
    api = workspace / "provisioning/dashboards/Platform/anonymeme-api.json"
    api.write_text(api.read_text().replace('"API"', '"API (edited by hand)"'))
    (workspace / "provisioning/dashboards/Business/anonymeme-business.json").unlink()
    (workspace / "provisioning/dashboards/Business/leftover.json").write_text("{}\n")
    result = runner.invoke(cli_module.cli, ["check"])
    assert result.exit_code == 1
    assert "stale: provisioning/dashboards/Platform/anonymeme-api.json" in result.stderr
    assert "missing: provisioning/dashboards/Business/anonymeme-business.json" in result.stderr
    assert "unexpected: provisioning/dashboards/Business/leftover.json" in result.stderr
    build = runner.invoke(cli_module.cli, ["build"])
    assert build.exit_code == 0, build.output
    assert runner.invoke(cli_module.cli, ["check"]).exit_code == 0
    assert not (workspace / "provisioning/dashboards/Business/leftover.json").exists()


def test_dry_run_reports_without_writing(workspace):
    api = workspace / "provisioning/dashboards/Platform/anonymeme-api.json"
    api.write_text("{}\n")
    result = CliRunner().invoke(cli_module.cli, ["build", "--dry-run"])
    assert result.exit_code == 0
    assert "update provisioning/dashboards/Platform/anonymeme-api.json" in result.output
    assert api.read_text() == "{}\n"


def test_schema_version_is_configurable():
    files = generated_files(DASHBOARDS, schema_version=41)
    assert '"schemaVersion": 41' in files[API_JSON]


RANGE = f"{SCHEMA_VERSION_FLOOR} (the linter's floor) to {SCHEMA_VERSION} (the carried Grafana schema)"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1", f"schemaVersion 1 is not supported: {RANGE}"),
        ("9999", f"schemaVersion 9999 is not supported: {RANGE}"),
        (str(SCHEMA_VERSION_FLOOR - 1), f"schemaVersion {SCHEMA_VERSION_FLOOR - 1} is not supported: {RANGE}"),
        (str(SCHEMA_VERSION + 1), f"schemaVersion {SCHEMA_VERSION + 1} is not supported: {RANGE}"),
        ("-5", f"schemaVersion -5 is not supported: {RANGE}"),
        ("forty-two", "'forty-two' is not an integer"),
    ],
)
@pytest.mark.parametrize("dry_run", [False, True])
def test_an_unsupported_schema_version_is_refused_at_the_option(value, message, dry_run, workspace):
    """Before, `--schema-version 1` or `9999` wrote five dashboards the linter then rejected."""
    before = _tree(workspace)
    result = CliRunner().invoke(cli_module.cli, ["build", "--schema-version", value, *(["--dry-run"] * dry_run)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"error: --schema-version: {message}"]
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert _tree(workspace) == before


def test_the_written_range_is_exactly_what_the_linter_and_the_carried_schema_accept():
    carried = load_schema("dashboard")["definitions"]["Dashboard"]["properties"]["schemaVersion"]["default"]
    assert carried == SCHEMA_VERSION
    ctx = project_context(API_JSON)

    def schema_findings(version: int) -> list[str]:
        doc = json.loads(generated_files(DASHBOARDS, schema_version=version)[API_JSON])
        return [f.message for f in lint_document(doc, ctx)[0] if f.rule == "schema-version"]

    assert schema_findings(SCHEMA_VERSION_FLOOR) == schema_findings(SCHEMA_VERSION) == []
    written = json.loads(generated_files(DASHBOARDS)[API_JSON])
    in_range = sorted(f.rule for f in lint_document(written, ctx)[0])  # findings excluded with reasons aside
    for outside in (SCHEMA_VERSION_FLOOR - 1, SCHEMA_VERSION + 1):
        found = sorted(f.rule for f in lint_document(written | {"schemaVersion": outside}, ctx)[0])
        assert found == sorted([*in_range, "schema-version"]), outside


def test_a_threshold_changed_once_changes_panel_and_alert_and_makes_the_build_stale(tmp_path):
    """End to end in a copy of the repository: edit signals/slo.py, and both outputs move together."""
    root = copy_repo(tmp_path)
    edit(
        root / "signals/slo.py",
        "API_ERROR_RATIO = Threshold(warning=0.05, critical=0.10,",
        "API_ERROR_RATIO = Threshold(warning=0.05, critical=0.125,",
    )
    check = run_module(root, "dashboards", "check")
    assert check.returncode == 1
    assert f"stale: {API_JSON}" in check.stderr
    assert "stale: compose/prometheus/alerts/critical.yml" in check.stderr
    assert run_module(root, "dashboards", "build").returncode == 0
    assert '"value": 0.125' in (root / API_JSON).read_text()
    assert "0.125" in (root / "compose/prometheus/alerts/critical.yml").read_text()
    assert run_module(root, "dashboards", "check").returncode == 0


def test_a_rebuilt_tree_is_readable_by_other_users(workspace):
    """Grafana and Prometheus read these files as their own container users."""
    (workspace / "provisioning/dashboards/Platform/anonymeme-api.json").write_text("{}\n")
    assert CliRunner().invoke(cli_module.cli, ["build"]).exit_code == 0
    for path in [workspace / "provisioning", *(workspace / "provisioning").rglob("*")]:
        assert path.stat().st_mode & 0o004, f"{path} is not world-readable"


def test_files_are_replaced_in_place_so_a_bind_mount_keeps_seeing_them(workspace):
    """Grafana's container bind-mounts provisioning/dashboards: the directories must stay the same inodes."""
    dirs = [
        workspace / "provisioning",
        workspace / "provisioning/dashboards",
        workspace / "provisioning/dashboards/Platform",
    ]
    before = [d.stat().st_ino for d in dirs]
    (workspace / "provisioning/dashboards/Platform/anonymeme-api.json").write_text("{}\n")
    (workspace / "provisioning/dashboards/Gone").mkdir()
    (workspace / "provisioning/dashboards/Gone/old.json").write_text("{}\n")
    assert CliRunner().invoke(cli_module.cli, ["build"]).exit_code == 0
    assert [d.stat().st_ino for d in dirs] == before
    assert not (workspace / "provisioning/dashboards/Gone").exists(), "emptied directories are removed"
    assert CliRunner().invoke(cli_module.cli, ["check"]).exit_code == 0


def test_an_alerting_render_failure_is_one_line_and_exit_2(workspace, monkeypatch):
    import generate.files as output

    def broken(**_):
        raise ValueError("template function toUpper is not a Prometheus template function")

    monkeypatch.setattr(output, "render_all", broken)
    before = _tree(workspace)
    result = CliRunner().invoke(cli_module.cli, ["build"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "error: alerting: template function toUpper is not a Prometheus template function"
    ]
    assert _tree(workspace) == before
