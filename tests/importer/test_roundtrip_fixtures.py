"""Third-party-style dashboards (tests/importer/fixtures): compile(import(x)) == canonicalise(x), and the meaning
of x survives: panels, positions, queries, units, thresholds, overrides, links, transformations, repeats and
variables, with instance ids and concrete datasource uids gone and old panel types migrated (and reported)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from grafana_json.serialise import serialise
from grafana_json.walk import walk_panels
from importer.codegen import BUILDER, RAW
from importer.source import load, normalise
from lint.cli import lint_files
from tests.importer.helpers import compile_module, import_file, ruff

FIXTURES = Path(__file__).parent / "fixtures"
NAMES = sorted(p.stem for p in FIXTURES.glob("*.json"))

# What the project's linter says about each imported dashboard: the fixtures are written like dashboards found in
# the wild (fixed [5m] windows, metrics outside our catalogue, no descriptions), and importing must not hide that.
EXPECTED_LINT = {
    "01-node-exporter-classic": {"panel-description", "target-rate-interval"},
    "02-singlestat-wall": {"panel-description", "target-rate-interval"},
    "06-heatmap-bargauge": {"target-rate-interval"},
    "08-text-and-raw-types": {"target-forbidden-label", "target-rate-interval"},  # groups by token: unbounded
    "09-variables-links": {"target-rate-interval"},
    "11-query-options": {"target-known-metric"},
    "12-freeform-layout": {"target-known-metric", "target-rate-interval"},
}
EXPECTED_MIGRATIONS = {"01-node-exporter-classic": ("graph", 3), "02-singlestat-wall": ("singlestat", 4)}
EXPECTED_RAW = {"08-text-and-raw-types": {"piechart", "state-timeline"}}


def _module_name(stem: str) -> str:
    return "fx_" + stem.replace("-", "_")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("fixtures")
    out = {}
    for stem in NAMES:
        name = _module_name(stem)
        result = import_file(FIXTURES / f"{stem}.json", name, tmp)
        out[stem] = {
            "result": result,
            "module": tmp / f"{name}.py",
            "compiled": compile_module(tmp / f"{name}.py", name),
        }
    return out


def test_there_are_at_least_ten_varied_fixtures() -> None:
    assert len(NAMES) >= 10


@pytest.mark.parametrize("stem", NAMES)
def test_compiling_the_import_gives_the_canonical_input(imported, stem) -> None:
    canonical = serialise(normalise(load(FIXTURES / f"{stem}.json")).dashboard)
    assert imported[stem]["compiled"] == canonical


def _raw_input(stem: str) -> dict[str, Any]:
    data = json.loads((FIXTURES / f"{stem}.json").read_text())
    return data.get("dashboard", data)


def _unit(panel: dict[str, Any]) -> str | None:
    if panel["type"] == "graph":
        return panel["yaxes"][0]["format"]
    if panel["type"] == "singlestat":
        return panel["format"]
    if panel["type"] == "heatmap":
        return panel["options"]["yAxis"].get("unit")
    return (panel.get("fieldConfig") or {}).get("defaults", {}).get("unit")


def _contains(big: Any, small: Any) -> bool:
    """Every setting of `small` is in `big` (which may add the defaults Grafana writes)."""
    if isinstance(small, dict):
        return isinstance(big, dict) and all(k in big and _contains(big[k], v) for k, v in small.items())
    return big == small


@pytest.mark.parametrize("stem", NAMES)
def test_the_meaning_of_every_panel_survives(imported, stem) -> None:
    source = list(walk_panels(_raw_input(stem)["panels"]))
    result = list(walk_panels(json.loads(imported[stem]["compiled"])["panels"]))
    assert [p["title"] for p in result] == [p["title"] for p in source]
    migrated = {"graph": "timeseries", "singlestat": "stat"}
    for before, after in zip(source, result, strict=True):
        where = f"{stem}: {before['title']!r}"
        assert after["type"] == migrated.get(before["type"], before["type"]), where
        assert after["gridPos"] == before["gridPos"], where
        assert [t["expr"] for t in after.get("targets", [])] == [t["expr"] for t in before.get("targets", [])], where
        assert [t.get("legendFormat", "__auto") or "__auto" for t in after.get("targets", [])] == [
            t.get("legendFormat") or "__auto" for t in before.get("targets", [])
        ], where
        if before["type"] == "row":
            assert after["collapsed"] == before["collapsed"] and after.get("repeat") == before.get("repeat"), where
            continue
        if before["type"] != "text":
            assert (_unit(after) or None) == (_unit(before) or None), where
        for key in (
            "links",
            "transformations",
            "repeat",
            "repeatDirection",
            "maxPerRow",
            "timeFrom",
            "interval",
            "transparent",
            "description",
        ):
            if before.get(key) not in (None, [], ""):
                assert after.get(key) == before[key], f"{where}: {key}"
        before_fc, after_fc = before.get("fieldConfig") or {}, after.get("fieldConfig") or {}
        if before_fc.get("overrides"):
            assert after_fc["overrides"] == before_fc["overrides"], where
        steps = before_fc.get("defaults", {}).get("thresholds", {}).get("steps")
        if steps:
            assert after_fc["defaults"]["thresholds"]["steps"] == steps, where
        if before.get("options") and before["type"] not in migrated:
            assert _contains(after["options"], before["options"]), f"{where}: options"


@pytest.mark.parametrize("stem", NAMES)
def test_instance_state_and_concrete_datasources_are_gone(imported, stem) -> None:
    compiled = json.loads(imported[stem]["compiled"])
    assert not {"id", "version", "iteration", "gnetId", "__inputs", "__requires"} & compiled.keys()
    text = imported[stem]["compiled"] + imported[stem]["module"].read_text()
    assert "P1809F7CD0C75ACF3" not in text and "DS_PROMETHEUS" not in text and "pluginVersion" not in text
    variables = compiled["templating"]["list"]
    assert variables[0]["type"] == "datasource" and variables[0]["name"] == "datasource"
    source_names = [
        v["name"] for v in (_raw_input(stem).get("templating") or {}).get("list", []) if v["type"] != "datasource"
    ]
    assert [v["name"] for v in variables if v["type"] != "datasource"] == source_names
    for panel in walk_panels(compiled["panels"]):
        for ref in [panel.get("datasource"), *(t.get("datasource") for t in panel.get("targets", []))]:
            assert ref in (None, {"type": "prometheus", "uid": "${datasource}"}), f"{stem}: {panel['title']!r}"


@pytest.mark.parametrize("stem", NAMES)
def test_migrations_and_raw_panels_are_reported(imported, stem) -> None:
    result = imported[stem]["result"]
    migrations = [n for n in result.notes if "migrated" in n]
    old, count = EXPECTED_MIGRATIONS.get(stem, ("", 0))
    assert len(migrations) == count and all(f"migrated {old} ->" in n for n in migrations)
    assert {c.type for c in result.choices if c.path == RAW} == EXPECTED_RAW.get(stem, set())
    text = imported[stem]["module"].read_text()
    assert text.count("# RAW:") == sum(c.path == RAW for c in result.choices)
    assert all(c.title in "\n".join(result.summary()) for c in result.choices)


def test_old_graph_panels_come_back_as_plain_builder_calls(imported) -> None:
    result = imported["01-node-exporter-classic"]["result"]
    assert {c.path for c in result.choices} == {BUILDER}
    assert "timeseries(" in imported["01-node-exporter-classic"]["module"].read_text()


def test_generated_modules_pass_ruff_check_and_format_unchanged(imported) -> None:
    paths = [str(v["module"]) for v in imported.values()]
    check = ruff("check", "--no-cache", *paths)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = ruff("format", "--check", "--no-cache", *paths)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


@pytest.mark.parametrize("stem", NAMES)
def test_the_linter_reports_what_the_dashboard_really_has(imported, stem, tmp_path) -> None:
    path = tmp_path / f"{stem}.json"
    path.write_text(imported[stem]["compiled"])
    findings, unreadable = lint_files([path], ())
    assert not unreadable
    assert {f.rule for f in findings} == EXPECTED_LINT.get(stem, set())
