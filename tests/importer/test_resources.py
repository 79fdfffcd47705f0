"""Dashboard resources as Grafana 12/13 export them (issue #16): a v1 resource wraps classic JSON in `spec`; a v2
resource has `spec.elements` placed by `spec.layout`. The fixtures (tests/importer/fixtures/resources) are written
in the v2beta1 shape of apps/dashboard/pkg/apis/dashboard/v2beta1; the expected positions follow Grafana's own
conversion to classic JSON (apps/dashboard/pkg/migration/conversion/v2beta1_to_v2alpha1.go, then
v2alpha1_to_v1beta1.go: `convertGridLayoutToPanels`, `processRowItem`, `processTabItem`,
`convertAutoGridLayoutToPanelsWithOffset`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from grafana_json.resource_to_classic import ResourceProblem, v2_to_classic
from tests.importer.helpers import compile_module, import_file

RESOURCES = Path(__file__).parent / "fixtures" / "resources"
FIXTURES = Path(__file__).parent / "fixtures"


def _compiled(name: str, tmp_path: Path) -> dict[str, Any]:
    module = name.replace("-", "_")
    import_file(RESOURCES / f"{name}.json", module, tmp_path)
    return json.loads(compile_module(tmp_path / f"{module}.py", module))


def _layout(compiled: dict[str, Any]) -> list[tuple[str, str, tuple[int, ...]]]:
    out = []
    for panel in compiled["panels"]:
        pos = panel["gridPos"]
        out.append((panel["type"], panel["title"], (pos["x"], pos["y"], pos["w"], pos["h"])))
        for child in panel.get("panels") or []:
            cpos = child["gridPos"]
            out.append(("  " + child["type"], child["title"], (cpos["x"], cpos["y"], cpos["w"], cpos["h"])))
    return out


def test_a_v1_resource_imports_like_the_classic_json_it_wraps(tmp_path) -> None:
    """v1beta1: the spec is the classic dashboard; metadata.name is the uid."""
    from_resource = _compiled("v1beta1-classic", tmp_path)
    import_file(FIXTURES / "10-api-wrapper.json", "classic", tmp_path)
    classic = json.loads(compile_module(tmp_path / "classic.py", "classic"))
    assert from_resource == classic


def test_a_v2_grid_layout_keeps_each_items_position(tmp_path) -> None:
    compiled = _compiled("v2beta1-grid", tmp_path)
    assert compiled["uid"] == "v2-grid"  # metadata.name
    assert _layout(compiled) == [
        ("timeseries", "Request rate", (0, 0, 12, 8)),
        ("stat", "Errors", (12, 0, 12, 8)),
        ("timeseries", "Latency", (0, 8, 16, 8)),
        ("stat", "Up", (16, 8, 8, 8)),
    ]
    # convertDashboardSpec_V2alpha1_to_V1beta1: cursorSync, time settings, tags
    assert compiled["graphTooltip"] == 1 and compiled["refresh"] == "30s" and compiled["tags"] == ["http"]
    assert compiled["time"] == {"from": "now-1h", "to": "now"}
    first = compiled["panels"][0]
    assert first["fieldConfig"]["defaults"]["unit"] == "reqps"
    assert first["targets"][0]["expr"] == "sum(rate(http_requests_total[5m]))"
    assert first["targets"][0]["legendFormat"] == "rps"
    assert first["targets"][0]["datasource"] == {"type": "prometheus", "uid": "${datasource}"}


def test_v2_variables_become_classic_variables(tmp_path) -> None:
    """convertQueryVariableToV1: enums back to numbers (refresh onTimeRangeChanged = 2, sort alphabeticalAsc = 1),
    the legacy string query back to a string."""
    variables = {v["name"]: v for v in _compiled("v2beta1-grid", tmp_path)["templating"]["list"]}
    job = variables["job"]
    assert job["type"] == "query" and job["query"] == "label_values(up, job)"
    assert job["refresh"] == 2 and job["sort"] == 1 and job["multi"] is True and job["includeAll"] is True
    assert variables["datasource"]["query"] == "prometheus"


def test_v2_rows_become_row_panels_and_a_collapsed_row_holds_its_panels(tmp_path) -> None:
    """processRowItem: a row panel at the running y; an expanded row's items at item.y + (y after the row) - 1;
    the next row after the lowest panel; a collapsed row's items inside it at item.y + its y + 1."""
    assert _layout(_compiled("v2beta1-rows", tmp_path)) == [
        ("row", "Traffic", (0, 0, 24, 1)),
        ("timeseries", "Request rate", (0, 0, 12, 8)),
        ("stat", "Errors", (12, 0, 12, 8)),
        ("row", "Latency", (0, 8, 24, 1)),
        ("  timeseries", "Latency", (0, 9, 16, 8)),
        ("  stat", "Up", (16, 9, 8, 8)),
    ]


def test_v2_tabs_become_expanded_rows_and_an_auto_grid_is_laid_out(tmp_path) -> None:
    """processTabItem: each tab an expanded row, its grid items below it; an AutoGridLayout inside a tab:
    24 / maxColumnCount (2 -> 12) wide, `short` rows 5 high, left to right."""
    assert _layout(_compiled("v2beta1-tabs", tmp_path)) == [
        ("row", "Traffic", (0, 0, 24, 1)),
        ("timeseries", "Request rate", (0, 1, 12, 8)),
        ("stat", "Errors", (12, 1, 12, 8)),
        ("row", "Latency", (0, 9, 24, 1)),
        ("timeseries", "Latency", (0, 10, 12, 5)),
        ("stat", "Up", (12, 10, 12, 5)),
    ]


def test_a_v2_auto_grid_wraps_at_max_column_count(tmp_path) -> None:
    """convertAutoGridLayoutToPanels: 3 columns of 8, `standard` rows 9 high, wrapping after the third."""
    assert [pos for _, _, pos in _layout(_compiled("v2beta1-autogrid", tmp_path))] == [
        (0, 0, 8, 9),
        (8, 0, 8, 9),
        (16, 0, 8, 9),
        (0, 9, 8, 9),
    ]


def test_a_v2_layout_naming_a_missing_element_is_refused() -> None:
    spec = json.loads((RESOURCES / "v2beta1-grid.json").read_text())["spec"]
    del spec["elements"]["panel-4"]
    with pytest.raises(ResourceProblem, match="panel-4"):
        v2_to_classic(spec)


def test_an_element_no_layout_places_is_left_out_and_said_so() -> None:
    """v2alpha1_to_v1beta1.go `convertPanelsFromElementsAndLayout` walks the layout: Grafana never converts
    (nor draws) an element no item names."""
    spec = json.loads((RESOURCES / "v2beta1-grid.json").read_text())["spec"]
    placed, _ = v2_to_classic(spec)
    name = spec["layout"]["spec"]["items"].pop()["spec"]["element"]["name"]
    dashboard, notes = v2_to_classic(spec)
    assert len(dashboard["panels"]) == len(placed["panels"]) - 1
    assert notes == (f"left out elements no layout item places (Grafana does not draw them): {name}",)


def test_a_v2_resource_exported_as_yaml_imports_like_its_json(tmp_path) -> None:
    """Grafana 12/13's export drawer writes a resource as JSON or YAML; the corpus has one dashboard both ways."""
    from importer.source import read

    corpus = Path(__file__).parent / "corpus"
    from_yaml, notes = read(corpus / "jenkins-2026--node-autoprovisioning.v2.yaml")
    from_json, _ = read(corpus / "jenkins-2026--node-autoprovisioning.v2.json")
    assert from_yaml == from_json and len(from_json["panels"]) > 5
    assert "read as YAML: a dashboard resource" in notes


def test_yaml_that_is_not_a_dashboard_resource_is_still_refused(tmp_path) -> None:
    from importer.source import ImportFailure, read

    provisioning = tmp_path / "dashboards.yaml"
    provisioning.write_text("apiVersion: 1\nproviders:\n  - name: x\n    options: {path: /d}\n")
    with pytest.raises(ImportFailure, match="provisioning file"):
        read(provisioning)
    other = tmp_path / "board.yaml"
    other.write_text("title: t\npanels: []\n")
    with pytest.raises(ImportFailure, match="YAML, not a dashboard JSON export"):
        read(other)


# --- conversion details, each written from the Go function it cites ------------------------------------------------


def _board(**spec: Any) -> dict[str, Any]:
    """A minimal v2 spec: no elements, an empty grid, plus `spec`."""
    return {"title": "t", "elements": {}, "layout": {"kind": "GridLayout", "spec": {"items": []}}} | spec


def _with_panel(panel_spec: dict[str, Any]) -> dict[str, Any]:
    item = {"kind": "GridLayoutItem", "spec": {"x": 0, "y": 0, "width": 12, "height": 8, "element": {"name": "p"}}}
    return _board(
        elements={"p": {"kind": "Panel", "spec": {"id": 1, "title": "P"} | panel_spec}},
        layout={"kind": "GridLayout", "spec": {"items": [item]}},
    )


def _beta_query(group: str, name: str | None = None, ref: str = "A") -> dict[str, Any]:
    query: dict[str, Any] = {"kind": "DataQuery", "group": group, "version": "v0", "spec": {"expr": "up"}}
    if name is not None:
        query["datasource"] = {"name": name}
    return {"kind": "PanelQuery", "spec": {"refId": ref, "query": query}}


def _beta_panel(*queries: dict[str, Any], version: str = "") -> dict[str, Any]:
    return {
        "vizConfig": {"kind": "VizConfig", "group": "timeseries", "version": version, "spec": {}},
        "data": {"kind": "QueryGroup", "spec": {"queries": list(queries)}},
    }


def _variables(spec: dict[str, Any], *, beta: bool = True) -> list[dict[str, Any]]:
    return v2_to_classic(spec, beta=beta)[0]["templating"]["list"]


def test_a_v2beta1_groupby_variable_takes_its_datasource_from_the_kind() -> None:
    """convertVariable_V2beta1_to_V2alpha1 builds `{type: group, uid: datasource.name}` from the variable kind;
    convertGroupByVariableToV1 writes multi, current, options and defaultValue, and the datasource through
    `getDataSourceForQuery(ds, "")`: nothing without a uid."""
    groupby = {
        "kind": "GroupByVariable",
        "group": "prometheus",
        "datasource": {"name": "prom-uid"},
        "spec": {
            "name": "by",
            "multi": True,
            "current": {"text": ["job"], "value": ["job"]},
            "options": [{"text": "job", "value": "job", "selected": True}],
            "defaultValue": {"text": "instance", "value": "instance"},
            "hide": "dontHide",
        },
    }
    only_group = {"kind": "GroupByVariable", "group": "prometheus", "spec": {"name": "by2"}}
    converted, no_uid = _variables(_board(variables=[groupby, only_group]))
    assert converted == {
        "name": "by",
        "type": "groupby",
        "hide": 0,
        "skipUrlSync": False,
        "multi": True,
        "current": {"text": ["job"], "value": ["job"]},
        "options": [{"text": "job", "value": "job", "selected": True}],
        "datasource": {"type": "prometheus", "uid": "prom-uid"},
        "defaultValue": {"text": "instance", "value": "instance"},
    }
    assert "datasource" not in no_uid and no_uid["current"] == {"text": "", "value": ""}


def test_a_v2beta1_adhoc_variable_keeps_its_datasource_filters_and_default_keys() -> None:
    """convertAdhocVariableToV1: allowCustomValue always (a v2 false stays false), the kind's datasource, filters
    and baseFilters as key/operator/value plus the optional parts it lists (forceEdit is not one of them), and
    defaultKeys as text, value, group, expandable."""
    adhoc = {
        "kind": "AdhocVariable",
        "group": "prometheus",
        "datasource": {"name": "prom-uid"},
        "spec": {
            "name": "filters",
            "allowCustomValue": False,
            "filters": [{"key": "job", "operator": "=", "value": "api", "forceEdit": True}],
            "baseFilters": [
                {"key": "env", "operator": "!=", "value": "dev", "condition": "AND", "origin": "dashboard"}
            ],
            "defaultKeys": [{"text": "job", "value": "job", "group": "labels", "expandable": True}, {"text": "x"}],
        },
    }
    (converted,) = _variables(_board(variables=[adhoc]))
    assert converted == {
        "name": "filters",
        "type": "adhoc",
        "hide": 0,
        "skipUrlSync": False,
        "allowCustomValue": False,
        "datasource": {"type": "prometheus", "uid": "prom-uid"},
        "filters": [{"key": "job", "operator": "=", "value": "api"}],
        "baseFilters": [{"key": "env", "operator": "!=", "value": "dev", "condition": "AND", "origin": "dashboard"}],
        "defaultKeys": [{"text": "job", "value": "job", "group": "labels", "expandable": True}, {"text": "x"}],
    }


@pytest.mark.parametrize(
    ("queries", "expected"),
    [
        ([_beta_query("prometheus", "p1")], {"type": "prometheus", "uid": "p1"}),
        ([_beta_query("prometheus", "p1"), _beta_query("prometheus", "p1", "B")], {"type": "prometheus", "uid": "p1"}),
        (
            [_beta_query("prometheus", "p1"), _beta_query("prometheus", "p2", "B")],
            {"type": "mixed", "uid": "-- Mixed --"},
        ),
        ([_beta_query("prometheus")], {"type": "prometheus"}),
        ([_beta_query("datasource", "-- Dashboard --")], {"type": "datasource", "uid": "-- Dashboard --"}),
        (
            [_beta_query("datasource", "-- Dashboard --"), _beta_query("datasource", "-- Dashboard --", "B")],
            {"type": "mixed", "uid": "-- Mixed --"},
        ),
        ([_beta_query("")], None),
    ],
    ids=["one", "same", "different", "type-only", "dashboard", "two-dashboard", "nothing"],
)
def test_the_panel_datasource_is_the_one_its_queries_share(queries: list[Any], expected: Any) -> None:
    """getPanelDatasource: every query on one (uid, type): that one, empty parts left out; one `-- Dashboard --`
    query: the dashboard datasource; more than one, or different pairs: mixed; nothing known: none."""
    (panel,) = v2_to_classic(_with_panel(_beta_panel(*queries)))[0]["panels"]
    assert panel.get("datasource") == expected


def test_a_repeated_tab_becomes_a_repeated_row() -> None:
    """processTabItem: `rowPanel["repeat"] = tab.Spec.Repeat.Value` (v1 has no repeat mode)."""
    tab = {"kind": "TabsLayoutTab", "spec": {"title": "Env", "repeat": {"mode": "variable", "value": "env"}}}
    tab["spec"]["layout"] = {"kind": "GridLayout", "spec": {"items": []}}
    spec = _board(layout={"kind": "TabsLayout", "spec": {"tabs": [tab]}})
    (row,) = v2_to_classic(spec)[0]["panels"]
    assert row["type"] == "row" and row["repeat"] == "env"


def test_allow_custom_value_false_is_kept() -> None:
    """convertQueryVariableToV1 / convertDatasourceVariableToV1 / convertCustomVariableToV1 write allowCustomValue:
    a v2 false must not become the v1 schema's default true."""
    query = {"kind": "DataQuery", "group": "prometheus", "version": "v0", "spec": {}}
    variables = [
        {"kind": "QueryVariable", "spec": {"name": "q", "query": query, "allowCustomValue": False}},
        {"kind": "DatasourceVariable", "spec": {"name": "d", "pluginId": "prometheus", "allowCustomValue": False}},
        {"kind": "CustomVariable", "spec": {"name": "c", "query": "a,b", "allowCustomValue": False}},
        {"kind": "CustomVariable", "spec": {"name": "unset", "query": "a,b"}},
    ]
    converted = _variables(_board(variables=variables))
    assert [v.get("allowCustomValue") for v in converted] == [False, False, False, None]


def test_a_v2alpha1_annotation_keeps_its_datasource_uid() -> None:
    """convertAnnotationsToV1: `getDataSourceForQuery(annotation.Spec.Datasource, query.kind)`: the uid, with the
    datasource's type, else the query kind."""
    annotations = [
        {
            "kind": "AnnotationQuery",
            "spec": {
                "name": "deploys",
                "enable": True,
                "datasource": {"uid": "prom-uid"},
                "query": {"kind": "prometheus", "spec": {"expr": "changes(x[5m])"}},
            },
        },
        {
            "kind": "AnnotationQuery",
            "spec": {"name": "typed", "datasource": {"uid": "l1", "type": "loki"}, "query": {"kind": "x", "spec": {}}},
        },
    ]
    deploys, typed = v2_to_classic(_board(annotations=annotations), beta=False)[0]["annotations"]["list"]
    assert deploys["datasource"] == {"uid": "prom-uid", "type": "prometheus"}
    assert deploys["target"] == {"expr": "changes(x[5m])"}
    assert typed["datasource"] == {"uid": "l1", "type": "loki"} and "target" not in typed


def test_transformations_keep_disabled_and_filter() -> None:
    """convertPanelKindToV1: each transformation's id and options, `disabled` when set, `filter` through
    matcherConfigToMap (id, options, scope when set)."""
    transformations = [
        {"kind": "organize", "spec": {"id": "organize", "options": {}, "disabled": True}},
        {
            "kind": "filterByValue",
            "spec": {
                "id": "filterByValue",
                "options": {"type": "include"},
                "filter": {"id": "byRefId", "options": "A", "scope": "series"},
            },
        },
    ]
    panel_spec = _beta_panel(_beta_query("prometheus", "p1"))
    panel_spec["data"]["spec"]["transformations"] = transformations
    (panel,) = v2_to_classic(_with_panel(panel_spec))[0]["panels"]
    assert panel["transformations"] == [
        {"id": "organize", "options": {}, "disabled": True},
        {
            "id": "filterByValue",
            "options": {"type": "include"},
            "filter": {"id": "byRefId", "options": "A", "scope": "series"},
        },
    ]


def test_annotation_mappings_take_the_structured_form() -> None:
    """convertAnnotationMappings_V2alpha1_to_V1: source ("field" when unset), value and regex when not empty; a
    mapping is kept when its source is "skip" or it has a value."""
    mappings = {
        "title": {"value": "summary"},
        "text": {"source": "text", "value": "desc", "regex": "(.*)"},
        "tags": {"source": "skip"},
        "id": {"source": "field", "value": ""},
    }
    annotation = {"kind": "AnnotationQuery", "spec": {"name": "a", "mappings": mappings}}
    (converted,) = v2_to_classic(_board(annotations=[annotation]), beta=False)[0]["annotations"]["list"]
    assert converted["mappings"] == {
        "title": {"source": "field", "value": "summary"},
        "text": {"source": "text", "value": "desc", "regex": "(.*)"},
        "tags": {"source": "skip"},
    }


def test_a_switch_variable_becomes_a_v1_switch() -> None:
    """convertSwitchVariableToV1: type switch, an empty query, current as text and value, and the enabled and
    disabled values as the two options, the current one selected."""
    switch = {
        "kind": "SwitchVariable",
        "spec": {"name": "debug", "current": "off", "enabledValue": "on", "disabledValue": "off", "label": "Debug"},
    }
    (converted,) = _variables(_board(variables=[switch]))
    assert converted == {
        "name": "debug",
        "hide": 0,
        "skipUrlSync": False,
        "label": "Debug",
        "type": "switch",
        "query": "",
        "current": {"text": "off", "value": "off"},
        "options": [
            {"text": "on", "value": "on", "selected": False},
            {"text": "off", "value": "off", "selected": True},
        ],
    }


def test_quick_ranges_and_the_smaller_variable_settings_are_carried() -> None:
    """convertTimeSettingsToV1 (`quick_ranges`), convertQueryVariableToV1 (regexApplyTo, staticOptions,
    staticOptionsOrder), convertCustomVariableToV1 (valuesFormat), convertDatasourceVariableToV1 (allValue)."""
    query = {"kind": "DataQuery", "group": "prometheus", "version": "v0", "spec": {}}
    variables = [
        {
            "kind": "QueryVariable",
            "spec": {
                "name": "q",
                "query": query,
                "regexApplyTo": "text",
                "staticOptions": [{"text": "none", "value": "", "selected": False}],
                "staticOptionsOrder": "before",
            },
        },
        {"kind": "CustomVariable", "spec": {"name": "c", "query": '[{"value": "a"}]', "valuesFormat": "json"}},
        {"kind": "DatasourceVariable", "spec": {"name": "d", "pluginId": "prometheus", "allValue": ".*"}},
    ]
    quick = [{"display": "Last 5 minutes", "from": "now-5m", "to": "now"}]
    dashboard, _ = v2_to_classic(_board(variables=variables, timeSettings={"quickRanges": quick}))
    assert dashboard["timepicker"] == {"quick_ranges": quick}
    q, c, d = dashboard["templating"]["list"]
    assert (q["regexApplyTo"], q["staticOptionsOrder"]) == ("text", "before")
    assert q["staticOptions"] == [{"text": "none", "value": "", "selected": False}]
    assert c["valuesFormat"] == "json" and d["allValue"] == ".*"


def test_the_plugin_version_is_carried() -> None:
    """convertPanelKindToV1 writes `pluginVersion` (v2beta1: the VizConfig's `version`,
    convertVizConfig_V2beta1_to_V2alpha1; v2alpha1: `vizConfig.spec.pluginVersion`); an empty one is left out."""
    (beta,) = v2_to_classic(_with_panel(_beta_panel(version="12.1.0")))[0]["panels"]
    (empty,) = v2_to_classic(_with_panel(_beta_panel()))[0]["panels"]
    alpha_spec = {"vizConfig": {"kind": "stat", "spec": {"pluginVersion": "11.6.0"}}}
    (alpha,) = v2_to_classic(_with_panel(alpha_spec), beta=False)[0]["panels"]
    assert (beta["pluginVersion"], alpha["pluginVersion"], "pluginVersion" in empty) == ("12.1.0", "11.6.0", False)
