"""Each of Grafana's schema steps the importer runs, before and after, written from Grafana's Go migration
(apps/dashboard/pkg/migration/schemaversion/vNN.go); every docstring names the file and function followed."""

from __future__ import annotations

import copy
from typing import Any

from importer import schema_steps as steps
from importer.schema_steps import DEFAULT_PROMETHEUS, GRAFANA_BUILTIN, name_to_ref, upgrade


def _run(step: Any, dashboard: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(dashboard)
    step(out)
    return out


def test_v14_shared_crosshair_becomes_graph_tooltip() -> None:
    """v14.go `V14`: sharedCrosshair true -> graphTooltip 1, absent/false -> 0; the old key goes."""
    assert _run(steps.v14, {"sharedCrosshair": True}) == {"graphTooltip": 1}
    assert _run(steps.v14, {"sharedCrosshair": False}) == {"graphTooltip": 0}
    assert _run(steps.v14, {}) == {"graphTooltip": 0}


def test_v16_rows_become_grid_positions_with_row_panels_when_one_row_shows() -> None:
    """v16.go `upgradeToGridLayout`: spans of 12 -> widths of 24, the default 250px row -> 7 units, panels placed
    left to right (`rowArea.getPanelPosition`), row panels written after their panels because the second row is
    collapsed (`shouldShowRows`), a collapsed row holding its panels, a panel's own height (100px -> 3 units)."""
    before = {
        "rows": [
            {"panels": [{"id": 1, "span": 6, "type": "graph"}, {"id": 2, "span": 6, "type": "graph"}]},
            {"title": "B", "showTitle": True, "collapse": True, "panels": [{"id": 3, "span": 12, "height": 100}]},
        ]
    }
    after = _run(steps.v16, before)
    assert "rows" not in after
    assert after["panels"] == [
        {"id": 1, "type": "graph", "gridPos": {"x": 0, "y": 1, "w": 12, "h": 7}},
        {"id": 2, "type": "graph", "gridPos": {"x": 12, "y": 1, "w": 12, "h": 7}},
        {"id": 4, "type": "row", "title": "", "repeat": "", "panels": [], "gridPos": {"x": 0, "y": 0, "w": 24, "h": 7}},
        {
            "id": 5,
            "type": "row",
            "title": "B",
            "repeat": "",
            "collapsed": True,
            "panels": [{"id": 3, "height": 100, "gridPos": {"x": 0, "y": 9, "w": 24, "h": 3}}],
            "gridPos": {"x": 0, "y": 8, "w": 24, "h": 7},
        },
    ]


def test_v16_without_a_visible_row_writes_no_row_panels_and_wraps_a_full_row() -> None:
    """v16.go: no row collapsed, repeated or titled -> no row panels; a third panel of span 6 wraps to a new line
    of the row's height (`getPanelPosition` resets the area); the default span is 4 (width 8); ids are given."""
    before = {"rows": [{"height": 300, "panels": [{"span": 6}, {"span": 6}, {"span": 6}, {}]}]}
    after = _run(steps.v16, before)
    # 300px -> ceil(300 / 38) = 8 units
    assert [p["gridPos"] for p in after["panels"]] == [
        {"x": 0, "y": 0, "w": 12, "h": 8},
        {"x": 12, "y": 0, "w": 12, "h": 8},
        {"x": 0, "y": 8, "w": 12, "h": 8},
        {"x": 12, "y": 8, "w": 8, "h": 8},
    ]
    assert [p["id"] for p in after["panels"]] == [1, 2, 3, 4]
    assert all(p.get("type") != "row" for p in after["panels"])


def test_v16_drops_repeated_row_copies_and_an_empty_rows_list() -> None:
    """v16.go: a row with `repeatIteration` is a copy made by a repeat, skipped; `rows: []` is just removed."""
    after = _run(steps.v16, {"rows": [{"panels": [{"id": 1}]}, {"repeatIteration": 123, "panels": [{"id": 2}]}]})
    assert [p["id"] for p in after["panels"]] == [1]
    assert _run(steps.v16, {"rows": [], "panels": []}) == {"panels": []}


def test_v17_min_span_becomes_max_per_row() -> None:
    """v17.go `migrateMinSpanToMaxPerRow`: 24 / minSpan, then the factor of 24 just below the first factor above
    it (minSpan 8 -> 3 -> maxPerRow 3; minSpan 5 -> 4.8 -> 4)."""
    after = _run(steps.v17, {"panels": [{"minSpan": 8}, {"minSpan": 5}, {"minSpan": 0}, {"id": 9}]})
    assert after["panels"] == [{"maxPerRow": 3}, {"maxPerRow": 4}, {}, {"id": 9}]


def test_v24_angular_table_styles_become_field_config() -> None:
    """v24.go `tablePanelChangedHandler`: the `/.*/` style over the table's defaults (`migrateDefaults`,
    thresholds by `generateThresholds`: the first colour for the base, colour i + 1 for threshold i), another
    style -> an override (`migrateTableStyleToOverride`; a hidden column `custom.hideFrom.viz`), `transform` ->
    a transformation (`transformsMap`, `columnsMap`), the table's default options; the old plugin's keys are
    cleared (PanelModel `clearPropertiesBeforePluginChange`, angular_migration.go)."""
    before = {
        "panels": [
            {
                "id": 1,
                "type": "table",
                "title": "T",
                "styles": [
                    {
                        "pattern": "/.*/",
                        "unit": "bytes",
                        "decimals": 2,
                        "thresholds": ["10", "20"],
                        "colors": ["green", "orange", "red"],
                        "colorMode": "cell",
                    },
                    {"pattern": "instance", "alias": "Host", "type": "string"},
                    {"pattern": "Time", "type": "hidden"},
                ],
                "transform": "timeseries_aggregations",
                "columns": [{"value": "avg"}, {"value": "max"}],
                "sort": {"col": 0},
                "targets": [{"refId": "A", "expr": "up"}],
            }
        ]
    }
    after = _run(steps.v24, before)["panels"][0]
    assert after == {
        "id": 1,
        "type": "table",
        "title": "T",
        "targets": [{"refId": "A", "expr": "up"}],
        "transformations": [{"id": "reduce", "options": {"reducers": ["mean", "max"], "includeTimeField": False}}],
        "fieldConfig": {
            "defaults": {
                "custom": {
                    "align": "auto",
                    "cellOptions": {"type": "color-background"},
                    "inspect": False,
                    "footer": {"reducer": []},
                },
                "mappings": [],
                "unit": "bytes",
                "decimals": 2,
                "thresholds": {
                    "mode": "absolute",
                    "steps": [
                        {"color": "green", "value": None},
                        {"color": "orange", "value": 10.0},
                        {"color": "red", "value": 20.0},
                    ],
                },
            },
            "overrides": [
                {
                    "matcher": {"id": "byName", "options": "instance"},
                    "properties": [{"id": "displayName", "value": "Host"}],
                },
                {
                    "matcher": {"id": "byName", "options": "Time"},
                    "properties": [{"id": "custom.hideFrom.viz", "value": True}],
                },
            ],
        },
        "options": {
            "cellHeight": "sm",
            "footer": {"countRows": False, "fields": "", "reducer": ["sum"], "show": False},
            "showHeader": True,
        },
    }
    without_thresholds = _run(steps.v24, {"panels": [{"type": "table", "styles": [{"pattern": "/.*/"}]}]})
    assert without_thresholds["panels"][0]["fieldConfig"]["defaults"]["thresholds"] == {
        "mode": "absolute",
        "steps": [{"color": "green"}, {"color": "red", "value": 80}],
    }


def test_v24_leaves_a_react_table_alone() -> None:
    """v24.go: a `table` without `styles` is already the React table."""
    before = {"panels": [{"type": "table", "options": {"showHeader": True}}]}
    assert _run(steps.v24, before) == before


def test_v26_text2_becomes_text_without_the_angular_option() -> None:
    """v26.go `migrateText2Panel`: top level and inside rows; other panels untouched."""
    before = {
        "panels": [
            {"type": "text2", "options": {"content": "x", "angular": True, "mode": "markdown"}},
            {"type": "row", "panels": [{"type": "text2", "options": {"angular": False, "mode": "html"}}]},
            {"type": "graph", "options": {"angular": True}},
        ]
    }
    after = _run(steps.v26, before)["panels"]
    assert after[0] == {"type": "text", "options": {"content": "x", "mode": "markdown"}}
    assert after[1]["panels"] == [{"type": "text", "options": {"mode": "html"}}]
    assert after[2] == {"type": "graph", "options": {"angular": True}}


def test_v38_table_display_mode_becomes_cell_options() -> None:
    """v38.go `migrateTableDisplayModeToCellOptions`: gauges and colour backgrounds get a type and mode, other
    modes keep their name as the type; overrides of custom.displayMode follow; only tables."""
    before = {
        "panels": [
            {
                "type": "table",
                "fieldConfig": {
                    "defaults": {"custom": {"displayMode": "gradient-gauge"}},
                    "overrides": [{"properties": [{"id": "custom.displayMode", "value": "color-background-solid"}]}],
                },
            },
            {
                "type": "row",
                "panels": [{"type": "table", "fieldConfig": {"defaults": {"custom": {"displayMode": "json-view"}}}}],
            },
            {"type": "stat", "fieldConfig": {"defaults": {"custom": {"displayMode": "lcd-gauge"}}}},
        ]
    }
    table, row, stat = _run(steps.v38, before)["panels"]
    assert table["fieldConfig"]["defaults"]["custom"] == {"cellOptions": {"type": "gauge", "mode": "gradient"}}
    assert table["fieldConfig"]["overrides"][0]["properties"] == [
        {"id": "custom.cellOptions", "value": {"type": "color-background", "mode": "basic"}}
    ]
    assert row["panels"][0]["fieldConfig"]["defaults"]["custom"] == {"cellOptions": {"type": "json-view"}}
    assert stat == before["panels"][2]


def test_v27_drops_repeated_copies_and_migrates_constant_variables() -> None:
    """v27.go `removeRepeatedPanels` and `migrateConstantVariable`: copies with repeatPanelId/repeatByRow go
    (also inside rows); a constant gets current/options, and becomes a textbox when shown (hide 0 or 1)."""
    before = {
        "panels": [
            {"id": 1, "repeatPanelId": 7},
            {"id": 2, "type": "row", "panels": [{"id": 3, "repeatPanelId": 2}, {"id": 4}]},
            {"id": 5, "repeatByRow": True},
        ],
        "templating": {
            "list": [{"type": "constant", "name": "c", "query": "v", "hide": 0}, {"type": "constant", "hide": 2}]
        },
    }
    after = _run(steps.v27, before)
    assert after["panels"] == [{"id": 2, "type": "row", "panels": [{"id": 4}]}]
    shown, hidden = after["templating"]["list"]
    current = {"selected": True, "text": "v", "value": "v"}
    assert shown == {"type": "textbox", "name": "c", "query": "v", "hide": 0, "current": current, "options": [current]}
    assert hidden["type"] == "constant" and hidden["query"] == "" and hidden["current"]["value"] == ""


def test_v28_singlestat_becomes_stat_and_variables_lose_tags() -> None:
    """v28.go `migrateFromAngularSinglestat` / `applySharedSinglestatMigration` / `removeDeprecatedVariableProperties`:
    valueName -> reducer, format -> unit, thresholds + colours -> steps, sparkline -> graphMode area,
    colorBackground -> colorMode background, percent -> min 0 / max 100."""
    before = {
        "panels": [
            {
                "id": 1,
                "type": "singlestat",
                "title": "Up",
                "format": "percent",
                "valueName": "current",
                "thresholds": "50,80",
                "colors": ["green", "orange", "red"],
                "sparkline": {"show": True},
                "colorBackground": True,
                "targets": [{"refId": "A", "expr": "up"}],
            }
        ],
        "templating": {"list": [{"name": "v", "type": "query", "tags": ["a"], "useTags": True, "tagsQuery": "q"}]},
    }
    after = _run(steps.v28, before)
    assert after["panels"][0] == {
        "id": 1,
        "type": "stat",
        "title": "Up",
        "targets": [{"refId": "A", "expr": "up"}],
        "options": {
            "reduceOptions": {"calcs": ["lastNotNull"]},
            "orientation": "horizontal",
            "graphMode": "area",
            "colorMode": "background",
        },
        "fieldConfig": {
            "defaults": {
                "unit": "percent",
                "thresholds": {
                    "mode": "absolute",
                    "steps": [
                        {"color": "green", "value": None},
                        {"color": "orange", "value": 50.0},
                        {"color": "red", "value": 80.0},
                    ],
                },
                "min": 0,
                "max": 100,
            },
            "overrides": [],
        },
    }
    assert after["templating"]["list"] == [{"name": "v", "type": "query"}]


def test_v28_reaches_singlestats_inside_rows() -> None:
    """v28.go `processPanelsV28`: a row's panels are migrated too; no sparkline -> graphMode none."""
    before = {"panels": [{"type": "row", "panels": [{"type": "singlestat", "valueName": "avg"}]}]}
    inner = _run(steps.v28, before)["panels"][0]["panels"][0]
    assert inner["type"] == "stat" and inner["options"]["graphMode"] == "none"
    assert inner["options"]["reduceOptions"]["calcs"] == ["mean"] and inner["options"]["colorMode"] == "none"


def test_v29_query_variables_refresh_on_load_and_drop_stored_options() -> None:
    """v29.go `V29`: refresh not 1 or 2 -> 1; options emptied; other variable types untouched."""
    before = {
        "templating": {
            "list": [
                {"type": "query", "refresh": 0, "options": [{"text": "a"}]},
                {"type": "query", "refresh": 2, "options": []},
                {"type": "custom", "refresh": 0, "options": [{"text": "b"}]},
            ]
        }
    }
    assert _run(steps.v29, before)["templating"]["list"] == [
        {"type": "query", "refresh": 1, "options": []},
        {"type": "query", "refresh": 2, "options": []},
        {"type": "custom", "refresh": 0, "options": [{"text": "b"}]},
    ]


def test_name_to_ref_resolves_names_like_grafana() -> None:
    """datasource_utils.go `MigrateDatasourceNameToRef`: a ref stays, a known name resolves (here the project's
    Prometheus and Grafana's built-in), an unknown one is a uid-only ref, "" an empty object, null/"default" the
    default (or null when asked, as v33 does)."""
    assert name_to_ref({"type": "loki", "uid": "x"}, default_as_null=False) == {"type": "loki", "uid": "x"}
    assert name_to_ref("Prometheus", default_as_null=False) == DEFAULT_PROMETHEUS
    assert name_to_ref("-- Grafana --", default_as_null=False) == GRAFANA_BUILTIN
    assert name_to_ref("$datasource", default_as_null=False) == {"uid": "$datasource"}
    assert name_to_ref("", default_as_null=False) == {}
    assert name_to_ref(None, default_as_null=False) == DEFAULT_PROMETHEUS
    assert name_to_ref("default", default_as_null=True) is None


def test_v33_panel_and_target_datasource_names_become_references() -> None:
    """v33.go `migratePanelDatasourcesV33`: panels always get the result (null for default); targets only when
    it is not null, so a target's "default" stays."""
    before = {
        "panels": [
            {"datasource": "Prometheus", "targets": [{"datasource": "logs"}, {"datasource": "default"}]},
            {"datasource": "default", "targets": [{"refId": "A"}]},
        ]
    }
    after = _run(steps.v33, before)
    assert after["panels"] == [
        {"datasource": DEFAULT_PROMETHEUS, "targets": [{"datasource": {"uid": "logs"}}, {"datasource": "default"}]},
        {"datasource": None, "targets": [{"refId": "A"}]},
    ]


def test_v36_null_datasources_take_the_default_and_annotations_get_references() -> None:
    """v36.go `migrateAnnotations`, `migrateTemplateVariables`, `migratePanelDatasourcesInternal`: the built-in
    annotation's "-- Grafana --" resolves; a null query-variable datasource takes the default; a panel without
    datasource takes the default and its targets a copy; a top-level panel without targets gets `[{refId: A}]`;
    a panel inside a row without targets is left alone."""
    before = {
        "annotations": {"list": [{"builtIn": 1, "datasource": "-- Grafana --"}]},
        "templating": {"list": [{"type": "query", "datasource": None}, {"type": "custom"}]},
        "panels": [
            {"id": 1, "targets": [{"refId": "A", "expr": "up"}]},
            {"id": 2, "type": "text"},
            {"id": 3, "type": "row", "panels": [{"id": 4, "type": "text"}]},
        ],
    }
    after = _run(steps.v36, before)
    assert after["annotations"]["list"] == [{"builtIn": 1, "datasource": GRAFANA_BUILTIN}]
    assert after["templating"]["list"] == [{"type": "query", "datasource": DEFAULT_PROMETHEUS}, {"type": "custom"}]
    first, text, row = after["panels"]
    assert first == {
        "id": 1,
        "datasource": DEFAULT_PROMETHEUS,
        "targets": [{"refId": "A", "expr": "up", "datasource": DEFAULT_PROMETHEUS}],
    }
    assert text["targets"] == [{"refId": "A", "datasource": DEFAULT_PROMETHEUS}]
    assert row["panels"] == [{"id": 4, "type": "text"}]


def test_v37_legends_are_objects_with_show_legend() -> None:
    """v37.go `V37`: boolean -> object; displayMode hidden or showLegend false -> list + false; else true."""
    before = {
        "panels": [
            {"options": {"legend": False}},
            {"options": {"legend": {"displayMode": "hidden"}}},
            {"options": {"legend": {"displayMode": "table"}}},
            {"options": {}},
        ]
    }
    assert [p["options"].get("legend") for p in _run(steps.v37, before)["panels"]] == [
        {"displayMode": "list", "showLegend": False},
        {"displayMode": "list", "showLegend": False},
        {"displayMode": "table", "showLegend": True},
        None,
    ]
    in_a_row = {"panels": [{"type": "row", "panels": [{"options": {"legend": {"displayMode": "hidden"}}}]}]}
    assert _run(steps.v37, in_a_row)["panels"][0]["panels"][0]["options"]["legend"] == {
        "displayMode": "list",
        "showLegend": False,
    }


def test_v40_v41_v42() -> None:
    """v40.go `V40` (refresh always a string), v41.go `V41` (time_options removed), v42.go `V42` (hideFrom.viz
    -> tooltip hidden too, rows' panels included)."""
    assert _run(steps.v40, {"refresh": False}) == {"refresh": ""}
    assert _run(steps.v40, {"refresh": "1m"}) == {"refresh": "1m"}
    assert _run(steps.v41, {"timepicker": {"time_options": ["5m"], "hidden": True}}) == {"timepicker": {"hidden": True}}
    prop = {"id": "custom.hideFrom", "value": {"viz": True}}
    before = {"panels": [{"type": "row", "panels": [{"fieldConfig": {"overrides": [{"properties": [prop]}]}}]}]}
    after = _run(steps.v42, before)
    assert after["panels"][0]["panels"][0]["fieldConfig"]["overrides"][0]["properties"][0]["value"] == {
        "viz": True,
        "tooltip": True,
    }


def test_upgrade_runs_every_step_from_the_dashboards_version_and_leaves_the_input_alone() -> None:
    """migrations.go `GetMigrations` / `GetSchemaVersion`: steps run in order up to 42 (a string version counts);
    the steps not ported are named in a note."""
    before = {
        "schemaVersion": "12",
        "sharedCrosshair": True,
        "rows": [{"panels": [{"id": 1, "type": "singlestat", "span": 12, "valueName": "max"}]}],
    }
    frozen = copy.deepcopy(before)
    upgraded = upgrade(before)
    assert before == frozen
    after = upgraded.dashboard
    assert upgraded.from_version == 12 and after["schemaVersion"] == 42
    assert after["graphTooltip"] == 1 and after["refresh"] == ""
    (panel,) = after["panels"]
    assert panel["type"] == "stat" and panel["gridPos"] == {"x": 0, "y": 0, "w": 24, "h": 7}
    assert panel["datasource"] == DEFAULT_PROMETHEUS  # v36: the default
    assert not any("not ported" in n for n in upgraded.notes)
    assert any("singlestat -> stat (v28)" in n for n in upgraded.notes)


def test_a_current_dashboard_is_not_touched_by_upgrade() -> None:
    before = {"schemaVersion": 42, "panels": [{"type": "timeseries", "datasource": None}]}
    upgraded = upgrade(before)
    assert upgraded.dashboard == before and upgraded.notes == ()


def test_a_dashboard_from_a_newer_grafana_is_read_at_the_latest_version_and_said_so() -> None:
    upgraded = upgrade({"schemaVersion": 43, "panels": []})
    assert upgraded.dashboard == {"schemaVersion": 42, "panels": []}
    assert upgraded.from_version == 43
    assert any("schemaVersion 43 is newer than the 42" in n for n in upgraded.notes)


def test_v30_legacy_value_mappings_become_value_range_and_special_mappings() -> None:
    """v30.go `upgradeValueMappings`, from v30_test.go "panel with legacy value mappings gets upgraded": type 1
    value->text maps gather into one `value` mapping first, type 2 becomes `range` with numeric bounds, "null"
    becomes a `special` null match, an override's `mappings` are upgraded too. Colours follow v30.go
    `getColorFromThresholds` (and v30_internal_test.go): only a numeric text takes its threshold step's colour, as
    DashboardMigrator.ts `upgradeValueMappings` does (the stored v30_test.go still expects green for "Up", which
    the stored v30.go does not give)."""
    thresholds = {"mode": "absolute", "steps": [{"color": "green", "value": None}, {"color": "red", "value": 80}]}
    mappings = [
        {"id": 0, "text": "Up", "type": 1, "value": "1"},
        {"id": 1, "text": "Down", "type": 1, "value": "0"},
        {"from": "10", "to": "20", "text": "Medium", "type": 2},
        {"type": 1, "value": "null", "text": "Null Value"},
        {"type": 1, "value": 2, "text": "90"},
        {"type": 1, "value": 3.0, "text": "-5"},
    ]
    override_mappings = [{"id": 0, "text": "Override Up", "type": 1, "value": "1"}]
    before = {
        "panels": [
            {
                "type": "timeseries",
                "fieldConfig": {
                    "defaults": {"thresholds": thresholds, "mappings": mappings},
                    "overrides": [{"matcher": {}, "properties": [{"id": "mappings", "value": override_mappings}]}],
                },
            }
        ]
    }
    field_config = _run(steps.v30, before)["panels"][0]["fieldConfig"]
    assert field_config["defaults"]["thresholds"] == thresholds
    assert field_config["defaults"]["mappings"] == [
        {
            "type": "value",
            "options": {
                "1": {"text": "Up"},
                "0": {"text": "Down"},
                "2": {"text": "90", "color": "red"},
                "3": {"text": "-5", "color": "green"},
            },
        },
        {"type": "range", "options": {"from": 10.0, "to": 20.0, "result": {"text": "Medium"}}},
        {"type": "special", "options": {"match": "null", "result": {"text": "Null Value"}}},
    ]
    assert field_config["overrides"][0]["properties"][0]["value"] == [
        {"type": "value", "options": {"1": {"text": "Override Up"}}}
    ]


def test_v30_new_mappings_stay_and_tooltip_options_are_renamed() -> None:
    """v30.go: a list already in the new form is left as it is (`areAllMappingsNewFormat`); v30_test.go "panel
    with tooltip options gets migrated" and "nested panels in collapsed row": `tooltipOptions` -> `tooltip` for
    timeseries, xychart and xychart2 (rows' panels too), not for other types (`migrateTooltipOptions`)."""
    new = [{"type": "range", "options": {"from": 1, "to": 2, "result": {"text": "x"}}}]
    before = {
        "panels": [
            {"type": "stat", "fieldConfig": {"defaults": {"mappings": copy.deepcopy(new)}}},
            {"type": "xychart", "options": {"tooltipOptions": {"mode": "single"}}},
            {"type": "graph", "options": {"tooltipOptions": {"mode": "single"}}},
            {
                "type": "row",
                "collapsed": True,
                "panels": [
                    {
                        "type": "timeseries",
                        "options": {"tooltipOptions": {"mode": "multi"}},
                        "fieldConfig": {"defaults": {"mappings": [{"id": 0, "text": "On", "type": 1, "value": "1"}]}},
                    }
                ],
            },
        ]
    }
    after = _run(steps.v30, before)["panels"]
    assert after[0]["fieldConfig"]["defaults"]["mappings"] == new
    assert after[1]["options"] == {"tooltip": {"mode": "single"}}
    assert after[2]["options"] == {"tooltipOptions": {"mode": "single"}}
    nested = after[3]["panels"][0]
    assert nested["options"] == {"tooltip": {"mode": "multi"}}
    assert nested["fieldConfig"]["defaults"]["mappings"] == [{"type": "value", "options": {"1": {"text": "On"}}}]


def test_v31_a_merge_follows_every_labels_to_fields() -> None:
    """v31.go `processPanelsV31` (the example of its doc comment, as v31_test.go): a `merge` with empty options
    after each `labelsToFields`, options kept, other transformations untouched, rows' panels included."""
    before = {
        "panels": [
            {
                "transformations": [
                    {"id": "organize", "options": {}},
                    {"id": "labelsToFields", "options": {}},
                    {"id": "calculateField", "options": {}},
                    {"id": "labelsToFields", "options": {"mode": "rows", "keepLabels": ["job", "instance"]}},
                ]
            },
            {"type": "row", "panels": [{"transformations": [{"id": "labelsToFields"}]}]},
            {"transformations": [{"id": "reduce"}]},
        ]
    }
    after = _run(steps.v31, before)["panels"]
    assert [t["id"] for t in after[0]["transformations"]] == [
        "organize",
        "labelsToFields",
        "merge",
        "calculateField",
        "labelsToFields",
        "merge",
    ]
    assert after[0]["transformations"][4]["options"] == {"mode": "rows", "keepLabels": ["job", "instance"]}
    assert after[0]["transformations"][5] == {"id": "merge", "options": {}}
    assert after[1]["panels"][0]["transformations"] == [{"id": "labelsToFields"}, {"id": "merge", "options": {}}]
    assert after[2]["transformations"] == [{"id": "reduce"}]


def test_v32_and_v25_are_no_ops_in_grafana() -> None:
    """v32.go `V32` and v25.go `V25` only set schemaVersion (v32_test.go, v25_test.go): nothing else moves."""
    before = {"title": "My Dashboard", "schemaVersion": 31, "panels": [{"type": "graph", "id": 1}]}
    assert _run(steps.v32, before) == before
    assert _run(steps.v25, before) == before


def test_v35_a_hidden_axis_keeps_the_time_axis() -> None:
    """v35.go `applyXAxisVisibilityOverride` (v35_test.go): a timeseries panel with `axisPlacement: hidden` gets
    an override by type `time` with `custom.axisPlacement: auto`, after its own overrides; a panel without a
    fieldConfig, another placement or another type is left alone; rows' panels included."""
    hidden = {"defaults": {"custom": {"axisPlacement": "hidden"}}, "overrides": [{"matcher": {"id": "byName"}}]}
    before = {
        "panels": [
            {"type": "timeseries", "fieldConfig": copy.deepcopy(hidden)},
            {"type": "timeseries", "fieldConfig": {"defaults": {"custom": {"axisPlacement": "left"}}}},
            {"type": "timeseries"},
            {"type": "barchart", "fieldConfig": copy.deepcopy(hidden)},
            {"type": "row", "panels": [{"type": "timeseries", "fieldConfig": {"defaults": hidden["defaults"]}}]},
        ]
    }
    after = _run(steps.v35, before)["panels"]
    time_axis = {
        "matcher": {"id": "byType", "options": "time"},
        "properties": [{"id": "custom.axisPlacement", "value": "auto"}],
    }
    assert after[0]["fieldConfig"]["overrides"] == [{"matcher": {"id": "byName"}}, time_axis]
    assert after[1:4] == before["panels"][1:4]
    assert after[4]["panels"][0]["fieldConfig"]["overrides"] == [time_axis]


def test_v39_time_series_table_stats_become_per_query_options() -> None:
    """v39.go `processPanelsV39`, from v39_test.go: `refIdToStat` {A: mean} -> {A: {stat: mean}} (an empty one ->
    {}), other options or none are skipped, other transformations untouched, rows' panels included."""
    before = {
        "panels": [
            {
                "transformations": [
                    {"id": "reduce", "options": {"reducers": ["mean"]}},
                    {"id": "timeSeriesTable", "options": {"refIdToStat": {"A": "last", "B": "first"}}},
                ]
            },
            {"transformations": [{"id": "timeSeriesTable", "options": {"refIdToStat": {}}}]},
            {"transformations": [{"id": "timeSeriesTable"}]},
            {"transformations": [{"id": "timeSeriesTable", "options": {"someOtherOption": "value"}}]},
            {
                "type": "row",
                "panels": [
                    {"transformations": [{"id": "timeSeriesTable", "options": {"refIdToStat": {"NestedA": "median"}}}]}
                ],
            },
        ]
    }
    after = _run(steps.v39, before)["panels"]
    assert after[0]["transformations"] == [
        {"id": "reduce", "options": {"reducers": ["mean"]}},
        {"id": "timeSeriesTable", "options": {"A": {"stat": "last"}, "B": {"stat": "first"}}},
    ]
    assert after[1]["transformations"] == [{"id": "timeSeriesTable", "options": {}}]
    assert after[2:4] == before["panels"][2:4]
    assert after[4]["panels"][0]["transformations"][0]["options"] == {"NestedA": {"stat": "median"}}


def _cloudwatch(ref: str, **extra: Any) -> dict[str, Any]:
    base = {"refId": ref, "dimensions": {"InstanceId": "i-123"}, "namespace": "AWS/EC2", "region": "us-east-1"}
    return base | {"metricName": "CPUUtilization"} | extra


def test_v34_cloudwatch_queries_with_several_statistics_are_split() -> None:
    """v34.go `migrateCloudWatchQueriesInPanel`, from v34_test.go "splits CloudWatch query with multiple
    statistics", "converts single statistic array", "does not migrate non-CloudWatch queries", "handles mixed query
    types in same panel" (the copy takes the first free refId, C, after the panel's queries) and "without statistics
    field". The stored v34_test.go and v34.go disagree on an empty or non-string `statistics`; those cases follow
    v34.go (`getValidStatistics`) and are not asserted here."""
    modes = {"metricEditorMode": 0, "metricQueryType": 0}
    prom = {"refId": "B", "expr": "up", "datasource": "prometheus", "statistics": ["Average", "Maximum"]}
    before = {
        "panels": [
            {"targets": [_cloudwatch("A", statistics=["Average", "Maximum", "Minimum"])]},
            {"targets": [_cloudwatch("A", statistics=["Average"]), prom]},
            {"type": "row", "panels": [{"targets": [_cloudwatch("A", statistics=["Average", "Maximum"]), prom]}]},
            {"targets": [_cloudwatch("A")]},
            {"type": "timeseries"},
        ]
    }
    after = _run(steps.v34, before)["panels"]
    assert after[0]["targets"] == [
        _cloudwatch("A", statistic="Average", **modes),
        _cloudwatch("B", statistic="Maximum", **modes),
        _cloudwatch("C", statistic="Minimum", **modes),
    ]
    assert after[1]["targets"] == [_cloudwatch("A", statistic="Average", **modes), prom]
    assert after[2]["panels"][0]["targets"] == [
        _cloudwatch("A", statistic="Average", **modes),
        prom,
        _cloudwatch("C", statistic="Maximum", **modes),
    ]
    assert after[3]["targets"] == [_cloudwatch("A", **modes)]
    assert after[4] == {"type": "timeseries"}


def test_v34_cloudwatch_annotations_with_several_statistics_are_split_and_named() -> None:
    """v34.go `migrateCloudWatchAnnotationQueries`, from v34_test.go "migrates CloudWatch annotation queries with
    multiple statistics" (names suffixed " - <stat>"), "handles annotation with single statistic" and "with null
    statistic" (no `statistic` then); an annotation without `prefixMatching` is not a legacy CloudWatch one."""
    annotation = {"name": "CW", "dimensions": {}, "namespace": "AWS/EC2", "region": "r", "prefixMatching": False}
    other = {"name": "Prom", "dimensions": {}, "namespace": "n", "region": "r", "statistics": ["Sum", "Max"]}
    before = {
        "annotations": {
            "list": [
                annotation | {"statistics": ["Minimum", "Sum"]},
                annotation | {"statistics": ["Average"]},
                annotation | {"statistics": [None]},
                other,
            ]
        }
    }
    after = _run(steps.v34, before)["annotations"]["list"]
    assert after == [
        annotation | {"name": "CW - Minimum", "statistic": "Minimum"},
        annotation | {"statistic": "Average"},
        annotation,
        other,
        annotation | {"name": "CW - Sum", "statistic": "Sum"},
    ]


def test_v15_is_a_no_op_in_grafana() -> None:
    """v15.go `V15` only sets schemaVersion (v15_test.go): nothing else moves."""
    before = {"title": "My Dashboard", "schemaVersion": 14, "panels": [{"type": "graph"}]}
    assert _run(steps.v15, before) == before


def test_v18_gauge_options_move_to_options_with_value_options() -> None:
    """v18.go `migrateGaugePanelOptions` (its doc example, as v18_test.go): unit/stat/decimals/prefix/suffix ->
    `valueOptions`, thresholds reversed, other keys kept, the stray `options` key dropped, `options-gauge` gone;
    only top-level panels."""
    gauge = {
        "unit": "ms",
        "stat": "last",
        "decimals": 2,
        "prefix": "Value: ",
        "suffix": " ms",
        "thresholds": [{"color": "green", "value": 0}, {"color": "red", "value": 100}],
        "maxValue": 200,
        "options": {"bug": True},
    }
    before = {"panels": [{"type": "gauge", "options-gauge": gauge, "options": {"old": 1}}, {"type": "gauge"}]}
    after = _run(steps.v18, before)["panels"]
    assert after[0] == {
        "type": "gauge",
        "options": {
            "valueOptions": {"unit": "ms", "stat": "last", "decimals": 2, "prefix": "Value: ", "suffix": " ms"},
            "thresholds": [{"color": "red", "value": 100}, {"color": "green", "value": 0}],
            "maxValue": 200,
        },
    }
    assert after[1] == {"type": "gauge"}


def test_v19_panel_links_become_urls() -> None:
    """v19.go `upgradePanelLink`, from v19_test.go: dashboard -> dashboard/db/<slug>, dashUri -> dashboard/<uri>,
    keepTime, includeVars and params appended as a query, targetBlank only when true, an existing url kept,
    rows' panels included (`migrates panel links for panels nested in collapsed rows`)."""
    complex_link = {
        "dashboard": "my dashboard",
        "keepTime": True,
        "includeVars": True,
        "params": "customParam=value",
        "title": "Complex Link",
        "targetBlank": True,
    }
    before = {
        "panels": [
            {
                "links": [
                    {"dashboard": "my dashboard", "title": "Dashboard Link"},
                    {"dashUri": "my-dashboard-uid", "title": "DashUri Link"},
                    complex_link,
                    {"url": "http://example.com", "title": "Existing URL Link", "targetBlank": False},
                    "not a link",
                ]
            },
            {"id": 1},
            {"type": "row", "panels": [{"links": [{"url": "http://example.com", "keepTime": True}]}]},
        ]
    }
    after = _run(steps.v19, before)["panels"]
    assert after[0]["links"] == [
        {"url": "dashboard/db/my-dashboard", "title": "Dashboard Link"},
        {"url": "dashboard/my-dashboard-uid", "title": "DashUri Link"},
        {
            "url": "dashboard/db/my-dashboard?$__url_time_range&$__all_variables&customParam=value",
            "title": "Complex Link",
            "targetBlank": True,
        },
        {"url": "http://example.com", "title": "Existing URL Link"},
    ]
    assert after[1] == {"id": 1}
    assert after[2]["panels"][0]["links"] == [{"url": "http://example.com?$__url_time_range", "title": ""}]


def test_v20_v21_data_link_variables_take_the_dotted_syntax() -> None:
    """v20.go `updateVariablesSyntax` (its doc example, as v20_test.go): `$__series_name` -> `${__series.name}`,
    `__value_time` -> `__value.time`, `__field_name` -> `__field.name`, in data links and field option title and
    links; v21.go `migratePanelV21` (as v21_test.go): `__series.labels` -> `__field.labels`, rows' panels too."""
    options = {
        "dataLinks": [{"url": "http://example.com?series=$__series_name&time=__value_time&l=${__series.labels}"}],
        "fieldOptions": {
            "defaults": {"title": "Field: __field_name", "links": [{"url": "http://e.com?field=$__field_name"}]}
        },
    }
    after = _run(steps.v20, {"panels": [{"options": copy.deepcopy(options)}]})["panels"][0]["options"]
    assert (
        after["dataLinks"][0]["url"]
        == "http://example.com?series=${__series.name}&time=__value.time&l=${__series.labels}"
    )
    assert after["fieldOptions"]["defaults"]["title"] == "Field: __field.name"
    assert after["fieldOptions"]["defaults"]["links"][0]["url"] == "http://e.com?field=${__field.name}"
    nested = {"panels": [{"type": "row", "panels": [{"options": after}]}]}
    later = _run(steps.v21, nested)["panels"][0]["panels"][0]["options"]
    assert later["dataLinks"][0]["url"].endswith("&l=${__field.labels}")


def test_v23_current_follows_multi() -> None:
    """v23.go `alignCurrentWithMulti` (its doc example, as v23_test.go): multi -> value and text as lists; not
    multi -> the first item ("" for an empty list); no `multi`, a non-boolean one or an empty current: untouched."""
    before = {
        "templating": {
            "list": [
                {"type": "query", "multi": True, "current": {"value": "A", "text": "A"}},
                {"type": "query", "multi": False, "current": {"value": ["B"], "text": ["B"]}},
                {"type": "query", "multi": False, "current": {"value": [], "text": "x"}},
                {"type": "query", "multi": True, "current": {"value": ["C"], "text": "C"}},
                {"type": "query", "current": {"value": "D"}},
                {"type": "query", "multi": "yes", "current": {"value": "E"}},
                {"type": "query", "multi": True, "current": {}},
            ]
        }
    }
    after = [v["current"] for v in _run(steps.v23, before)["templating"]["list"]]
    assert after == [
        {"value": ["A"], "text": ["A"]},
        {"value": "B", "text": "B"},
        {"value": "", "text": "x"},
        {"value": ["C"], "text": "C"},
        {"value": "D"},
        {"value": "E"},
        {},
    ]


def test_v11_is_a_no_op_and_v12_migrates_refresh_and_hide() -> None:
    """v11.go `V11` only sets schemaVersion (v11_test.go); v12.go `V12` (its doc example, as v12_test.go):
    refresh true -> 1, false (or any non-boolean) -> 0, absent stays absent; hideVariable -> hide 2, taking
    priority over hideLabel -> hide 1."""
    before = {
        "templating": {
            "list": [
                {"type": "query", "name": "var1", "refresh": True, "hideVariable": True, "hideLabel": True},
                {"type": "query", "name": "var2", "refresh": False, "hideLabel": True},
                {"type": "interval", "name": "var3", "refresh": 2},
                {"type": "custom", "name": "var4"},
            ]
        }
    }
    assert _run(steps.v11, before) == before
    after = _run(steps.v12, before)["templating"]["list"]
    assert [(v.get("refresh"), v.get("hide")) for v in after] == [(1, 2), (0, 1), (0, None), (None, None)]


def test_v10_a_table_styles_thresholds_lose_their_unused_base_value() -> None:
    """v10.go `V10` / DashboardMigrator.ts `oldVersion < 10`: three or more thresholds lose the first; fewer stay;
    a table inside a pre-grid row is reached as the frontend's queued panel upgrades reach it."""
    before = {
        "panels": [{"type": "table", "styles": [{"thresholds": ["10", "20", "30"]}, {"thresholds": ["1", "2"]}]}],
        "rows": [{"panels": [{"type": "table", "styles": [{"thresholds": ["0", "5", "9", "12"]}]}]}],
    }
    after = _run(steps.v10, before)
    assert after["panels"][0]["styles"] == [{"thresholds": ["20", "30"]}, {"thresholds": ["1", "2"]}]
    assert after["rows"][0]["panels"][0]["styles"] == [{"thresholds": ["5", "9", "12"]}]
    graph = {"panels": [{"type": "graph", "styles": [{"thresholds": ["1", "2", "3"]}]}]}
    assert _run(steps.v10, graph) == graph


def test_v13_grid_thresholds_become_the_graphs_thresholds_list() -> None:
    """DashboardMigrator.ts `oldVersion < 13`: threshold1/2 become `gt` fills (or lines with `thresholdLine`),
    both `lt` when the first is above the second; the grid keys go; a non-numeric threshold is not carried."""
    fill = {
        "type": "graph",
        "grid": {"threshold1": 5, "threshold1Color": "yellow", "threshold2": 10, "threshold2Color": "red", "x": 1},
    }
    after = _run(steps.v13, {"panels": [fill]})["panels"][0]
    assert after["grid"] == {"x": 1}
    assert after["thresholds"] == [
        {"value": 5, "fill": True, "fillColor": "yellow", "colorMode": "custom", "op": "gt"},
        {"value": 10, "fill": True, "fillColor": "red", "colorMode": "custom", "op": "gt"},
    ]
    line = {
        "type": "graph",
        "grid": {"threshold1": 90, "threshold1Color": "red", "threshold2": 50, "thresholdLine": True},
    }
    after = _run(steps.v13, {"rows": [{"panels": [line]}]})["rows"][0]["panels"][0]
    assert [(t["value"], t["op"], t.get("line"), t.get("lineColor")) for t in after["thresholds"]] == [
        (90, "lt", True, "red"),
        (50, "lt", True, None),
    ]
    only_first = _run(steps.v13, {"panels": [{"type": "graph", "grid": {"threshold1": 3, "threshold2": None}}]})
    assert [t["op"] for t in only_first["panels"][0]["thresholds"]] == ["gt"]
    text = _run(steps.v13, {"panels": [{"type": "graph", "grid": {"threshold1": "3"}}]})
    assert text["panels"][0] == {"type": "graph", "grid": {}, "thresholds": []}
    assert _run(steps.v13, {"panels": [{"type": "graph"}]}) == {"panels": [{"type": "graph"}]}


def test_v22_every_table_style_is_aligned_auto() -> None:
    """v22.go `V22` / `migrateTableStyles`: whatever the style said, rows' tables included."""
    before = {
        "panels": [
            {"type": "table", "styles": [{"pattern": "Time", "align": "left"}, {"pattern": "Value"}]},
            {"type": "row", "panels": [{"type": "table", "styles": [{"align": "right"}]}]},
            {"type": "graph", "styles": [{"align": "left"}]},
        ]
    }
    after = _run(steps.v22, before)
    assert after["panels"][0]["styles"] == [{"pattern": "Time", "align": "auto"}, {"pattern": "Value", "align": "auto"}]
    assert after["panels"][1]["panels"][0]["styles"] == [{"align": "auto"}]
    assert after["panels"][2] == before["panels"][2]


def test_every_step_grafana_has_is_ported() -> None:
    assert steps.NOT_CARRIED == ()
    assert sorted(steps.STEPS) == list(range(steps.MIN_VERSION + 1, steps.LATEST_VERSION + 1))


def test_a_malformed_dashboard_goes_through_every_step_without_a_crash() -> None:
    """Grafana's steps read a list only where they find one; so do these (the import then names what is wrong)."""
    for shape in (1, "x", True, {"a": 1}):  # not a list: left as it is, for the import to name
        for key in ("panels", "templating", "annotations"):
            upgraded = upgrade({"schemaVersion": 17, key: shape}).dashboard
            assert upgraded["schemaVersion"] == 42 and upgraded[key] == shape, (key, shape)
    for shape in ([1, None, "x"], [{"panels": 1, "styles": 1, "targets": True}]):
        for key in ("panels", "rows"):
            assert upgrade({"schemaVersion": 0, key: shape}).dashboard["schemaVersion"] == 42
    table = {"type": "table", "styles": [{"pattern": "/.*/", "thresholds": True, "colors": 1}]}
    defaults = upgrade({"schemaVersion": 20, "panels": [table]}).dashboard["panels"][0]["fieldConfig"]["defaults"]
    assert defaults["thresholds"]["steps"][-1] == {"color": "red", "value": 80}  # no usable levels: the default


def test_v28_a_singlestat_keeps_its_query_options() -> None:
    """v28.go `cleanupAngularProperties` keeps `mustKeepProps`, among them maxDataPoints, interval and
    cacheTimeout: they belong to the panel's query, not to the singlestat plugin."""
    before = {
        "panels": [
            {
                "type": "singlestat",
                "title": "S",
                "maxDataPoints": 100,
                "interval": "1m",
                "cacheTimeout": "60",
                "valueName": "current",
                "targets": [{"refId": "A", "expr": "up"}],
            }
        ]
    }
    after = _run(steps.v28, before)["panels"][0]
    assert after["type"] == "stat"
    assert (after["maxDataPoints"], after["interval"], after["cacheTimeout"]) == (100, "1m", "60")
    assert "valueName" not in after
