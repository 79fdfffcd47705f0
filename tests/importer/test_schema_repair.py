"""The schema repair brings what Grafana opens but its schema refuses inside the schema, and says what it did."""

from __future__ import annotations

from importer.schema_repair import repair


def _dashboard(*panels: dict) -> dict:
    return {"schemaVersion": 42, "templating": {"list": []}, "annotations": {"list": []}, "panels": list(panels)}


def _timeseries(custom: dict, mappings: list | None = None) -> dict:
    defaults = {"custom": custom} | ({"mappings": mappings} if mappings is not None else {})
    return {"type": "timeseries", "title": "T", "fieldConfig": {"defaults": defaults, "overrides": []}}


def test_a_mode_grafana_does_not_know_becomes_the_default_it_draws_or_goes() -> None:
    """`thresholdsStyle.mode: ""` draws no thresholds (UPlotThresholds.ts): off; `axisColorMode: "thresholds"`
    is drawn as the text colour and has no schema default: the key goes; table `align: ""` is the schema's
    default "auto". Each is reported with the value it had."""
    table = {
        "type": "table",
        "title": "Tab",
        "fieldConfig": {"defaults": {"custom": {"align": "", "inspect": False}}, "overrides": []},
    }
    out = repair(_dashboard(_timeseries({"thresholdsStyle": {"mode": ""}, "axisColorMode": "thresholds"}), table))
    custom = out.dashboard["panels"][0]["fieldConfig"]["defaults"]["custom"]
    assert custom["thresholdsStyle"] == {"mode": "off"}
    assert "axisColorMode" not in custom
    assert out.dashboard["panels"][1]["fieldConfig"]["defaults"]["custom"]["align"] == "auto"
    assert sorted(out.defaulted) == [
        "panel 'T'.fieldConfig.defaults.custom.axisColorMode (was 'thresholds')",
        "panel 'T'.fieldConfig.defaults.custom.thresholdsStyle.mode (was '')",
        "panel 'Tab'.fieldConfig.defaults.custom.align (was '')",
    ]


def test_a_known_mode_is_left_alone() -> None:
    out = repair(_dashboard(_timeseries({"thresholdsStyle": {"mode": "dashed"}, "axisColorMode": "series"})))
    assert out.dashboard["panels"][0]["fieldConfig"]["defaults"]["custom"] == {
        "thresholdsStyle": {"mode": "dashed"},
        "axisColorMode": "series",
    }
    assert out.defaulted == ()


def test_a_value_mapping_of_no_kind_grafana_applies_is_dropped_and_the_others_kept() -> None:
    """valueMappings.ts `getValueMappingResult` applies value, range, regex and special mappings only."""
    kept = {"type": "special", "options": {"match": "null", "result": {"text": "N/A"}}}
    angular = {"id": 0, "op": "=", "text": "N/A", "type": 1, "value": "null"}
    out = repair(_dashboard(_timeseries({}, mappings=[angular, kept])))
    assert out.dashboard["panels"][0]["fieldConfig"]["defaults"]["mappings"] == [kept]
    assert out.dropped == ("panel 'T'.fieldConfig.defaults.mappings[0]",)


def test_a_flag_written_as_text_is_read_as_javascript_reads_it_and_a_bound_broken_takes_the_default() -> None:
    """opnsense2otel's annotations say `useValueForTime: "on"`; opnsense-exporter's interval variable
    `auto_count: 0` where the schema wants more than 0 and Grafana's own default is 30."""
    board = _dashboard()
    board["annotations"] = {"list": [{"name": "a", "enable": True, "iconColor": "red", "useValueForTime": "on"}]}
    board["templating"] = {"list": [{"name": "i", "type": "interval", "auto_count": 0, "query": "1m"}]}
    out = repair(board)
    assert out.dashboard["annotations"]["list"][0]["useValueForTime"] is True
    assert out.dashboard["templating"]["list"][0]["auto_count"] == 30
    assert "dashboard.annotations.list[0].useValueForTime (was 'on')" in out.coerced
    assert "dashboard.templating.list[0].auto_count (was 0)" in out.defaulted


def test_an_absent_required_options_object_is_the_plugins_defaults() -> None:
    """A piechart legend without showLegend/displayMode/placement: PieChartPanel.tsx shows it, as a list on
    the right (`defaultLegendOptions`); an empty `orientation`, which the piechart never reads, is "auto"."""
    piechart = {
        "type": "piechart",
        "title": "P",
        "options": {"legend": {"values": []}, "orientation": "", "pieType": "pie"},
        "fieldConfig": {"defaults": {}, "overrides": []},
    }
    out = repair(_dashboard(piechart)).dashboard["panels"][0]["options"]
    assert out["legend"] == {"values": [], "showLegend": True, "displayMode": "list", "placement": "right", "calcs": []}
    assert out["orientation"] == "auto"


def test_a_piechart_tooltip_without_a_mode_shows_one_slice() -> None:
    """PieChart.tsx: shown unless mode is 'none', every slice only for 'multi': an empty mode is 'single'."""
    piechart = {
        "type": "piechart",
        "title": "P",
        "options": {"tooltip": {"mode": "", "sort": ""}},
        "fieldConfig": {"defaults": {}, "overrides": []},
    }
    out = repair(_dashboard(piechart)).dashboard["panels"][0]["options"]
    assert out["tooltip"] == {"mode": "single", "sort": "none"}
