"""Schema validation catches what Grafana would reject, and names the panel."""

from __future__ import annotations

import json

import pytest

from compiler.compile import CompiledDashboard, compile_all
from compiler.validate import dashboard_problems
from dashboards.registry import DASHBOARDS

API: CompiledDashboard = next(c for c in compile_all(DASHBOARDS) if c.uid == "anonymeme-api")


def _api() -> dict:
    return json.loads(API.text)


def _first(dash: dict, panel_type: str) -> dict:
    return next(p for p in dash["panels"] if p["type"] == panel_type)


def test_the_compiled_dashboard_is_valid():
    assert dashboard_problems(_api()) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: _first(d, "timeseries")["options"]["tooltip"].update(mode="sometimes"), "options/tooltip/mode"),
        (
            lambda d: _first(d, "timeseries")["fieldConfig"]["defaults"]["custom"].update(drawStyle=3),
            "fieldConfig.defaults.custom/drawStyle",
        ),
        (lambda d: _first(d, "timeseries")["targets"][0].pop("expr"), 'target A: "expr" is a required property'),
        (lambda d: _first(d, "timeseries").update(span=12), "'span' was unexpected"),
        (lambda d: _first(d, "timeseries")["gridPos"].update(x=None), "gridPos/x"),
        (lambda d: _first(d, "timeseries")["fieldConfig"]["defaults"].update(unit="furlongs"), "unit 'furlongs'"),
        (lambda d: d.update(rows=[]), "dashboard: Additional properties are not allowed ('rows' was unexpected)"),
    ],
)
def test_a_problem_anywhere_is_reported_with_its_panel(mutate, expected):
    dash = _api()
    mutate(dash)
    problems = dashboard_problems(dash)
    assert problems, "the whole-dashboard fast path must not accept this"
    assert any(expected in p for p in problems), problems
    if "panel" in problems[0]:
        assert problems[0].startswith("panel 'Request rate'")


def test_errata_accept_what_grafana_itself_writes_in_overrides_and_links():
    dash = _api()
    panel = _first(dash, "timeseries")
    panel["fieldConfig"]["overrides"] = [
        {
            "matcher": {"id": "byName", "options": "p99"},
            "properties": [
                {"id": "color", "value": {"mode": "fixed"}},
                {"id": "custom.lineWidth", "value": 2},
                {"id": "displayName", "value": "p99 latency"},
            ],
        }
    ]
    panel["links"] = [{"title": "Runbook", "url": "https://example.org/runbook", "targetBlank": True}]
    assert dashboard_problems(dash) == []
    panel["links"] = [{"title": "no url"}]
    assert any("links" in p for p in dashboard_problems(dash))


def test_each_table_cell_type_and_value_mapping_kind_is_valid_and_an_unknown_one_is_not():
    """grafana_json.schema `_pin_discriminators`: Grafana's CUE fixes each union member's `type`
    (`TableAutoCellOptions: {type: TableCellDisplayMode & "auto"}`); without that, `{"type": "auto"}` matched
    every member of the published `oneOf`, so no table cell type could be written."""
    from grafana_json.schema import definition_validator

    cells = definition_validator("table", "TableCellOptions")
    for cell in (
        {"type": "auto"},
        {"type": "color-text"},
        {"type": "color-background", "mode": "gradient"},
        {"type": "gauge", "mode": "lcd"},
        {"type": "json-view"},
        {"type": "image"},
        {"type": "data-links"},
        {"type": "sparkline"},
    ):
        assert cells.is_valid(cell), cell
    assert not cells.is_valid({"type": "bogus"})
    assert not cells.is_valid({"type": "auto", "mode": "lcd"})  # a gauge's option on the auto cell
    mappings = definition_validator("dashboard", "ValueMapping")
    assert mappings.is_valid({"type": "value", "options": {"1": {"text": "up"}}})
    assert mappings.is_valid({"type": "special", "options": {"match": "null", "result": {"text": "N/A"}}})
    assert not mappings.is_valid({"type": 1, "value": "null", "text": "N/A"})  # the Angular form
    assert not mappings.is_valid({"type": "range", "options": {"1": {"text": "up"}}})  # a value map called range


def test_a_variable_query_may_be_the_flat_object_grafanas_query_editors_write():
    """ERRATA `VariableModel.query`: Prometheus editors write {qryType, query, refId}, Loki {label, stream, type}."""
    dash = _api()
    dash["templating"]["list"].append(
        {"name": "ns", "type": "query", "query": {"label": "namespace", "stream": "", "type": 1}}
    )
    dash["templating"]["list"].append(
        {"name": "job", "type": "query", "query": {"qryType": 1, "query": "label_values(up, job)", "refId": "A"}}
    )
    assert dashboard_problems(dash) == []
    dash["templating"]["list"][-1]["query"] = 5
    assert dashboard_problems(dash)
