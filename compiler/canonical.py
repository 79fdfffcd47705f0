"""grafanalib's JSON -> the JSON Grafana itself exports today (pure functions, no I/O).

grafanalib writes schemaVersion 12, `None` everywhere and legacy keys (`rows`, `sharedCrosshair`, `style`, per-panel
`span`, `height`, per-target `intervalFactor`...). A dashboard saved from Grafana's UI has none of those; this module
removes them, fills the options Grafana always writes for each panel type, turns datasources into `{type, uid}`
references to `${datasource}`, and numbers panels (ids in layout order) and targets (refIds A, B, C...), so that a
dashboard built here and one exported from the UI diff cleanly.

Numbers are written as Grafana 12 and later store them: a whole float is its integer (`5.0` -> `5`), because
Grafana decodes a saved dashboard into Go's map[string]interface{} and writes every number back from a float64
(LegacySaveCommandToUnstructured). So what is compiled here is what a save and a read give back, byte for byte.
"""

from __future__ import annotations

import string
from typing import Any

import orjson

from grafana_json.numbers import go_number
from grafana_json.schema import SCHEMA_VERSION

DATASOURCE_REF = {"type": "prometheus", "uid": "${datasource}"}

# Keys grafanalib writes that Grafana's current schema no longer has.
LEGACY_DASHBOARD_KEYS = frozenset(
    {"rows", "sharedCrosshair", "style", "hideControls", "__inputs", "id", "version", "gnetId"}
)
LEGACY_PANEL_KEYS = frozenset(
    {
        "editable",
        "error",
        "height",
        "span",
        "minSpan",
        "columns",
        "fontSize",
        "mappings",
        "color",
        "cards",
        "dataFormat",
        "heatmap",
        "hideZeroBuckets",
        "highlightCards",
        "legend",
        "reverseYBuckets",
        "tooltip",
        "xAxis",
        "yAxis",
        "yBucketBound",
        "yBucketNumber",
        "yBucketSize",
        "xBucketNumber",
        "xBucketSize",
        "thresholds",
        "nullPointMode",
        "renderer",
        "lines",
        "bars",
        "points",
        "fill",
        "linewidth",
        "stack",
        "percentage",
        "steppedLine",
        "seriesOverrides",
        "aliasColors",
        "dashes",
        "dashLength",
        "spaceLength",
        "decimals",
        "valueName",
        "format",
        "sparkline",
        "gauge",
        "colorBackground",
        "colorValue",
        "colors",
        "prefix",
        "postfix",
    }
)
LEGACY_TARGET_KEYS = frozenset({"query", "target", "metric", "step", "intervalFactor"})
LEGACY_VARIABLE_KEYS = frozenset({"useTags", "tagsQuery", "tagValuesQuery", "tags"})
INTERVAL_VARIABLE_KEYS = frozenset({"auto", "auto_min", "auto_count"})
ROW_KEYS = frozenset({"type", "collapsed", "title", "gridPos", "id", "panels", "repeat"})

# What Grafana writes for a fresh panel of each type (its UI defaults), under the panel's own options.
PANEL_OPTION_DEFAULTS: dict[str, dict[str, Any]] = {
    "timeseries": {
        "legend": {"calcs": [], "displayMode": "list", "placement": "bottom", "showLegend": True},
        "tooltip": {"mode": "single", "sort": "none", "hideZeros": False},
    },
    "stat": {
        "colorMode": "value",
        "graphMode": "area",
        "justifyMode": "auto",
        "orientation": "auto",
        "percentChangeColorMode": "standard",
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "showPercentChange": False,
        "textMode": "auto",
        "wideLayout": True,
    },
    "gauge": {
        "minVizHeight": 75,
        "minVizWidth": 75,
        "orientation": "auto",
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "showThresholdLabels": False,
        "showThresholdMarkers": True,
        "sizing": "auto",
    },
    "bargauge": {
        "displayMode": "gradient",
        "legend": {"calcs": [], "displayMode": "list", "placement": "bottom", "showLegend": False},
        "maxVizHeight": 300,
        "minVizHeight": 16,
        "minVizWidth": 8,
        "namePlacement": "auto",
        "orientation": "auto",
        "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
        "showUnfilled": True,
        "sizing": "auto",
        "valueMode": "color",
    },
    "table": {"cellHeight": "sm", "frameIndex": 0, "showHeader": True},
    "heatmap": {
        "color": {
            "exponent": 0.5,
            "fill": "dark-orange",
            "mode": "scheme",
            "reverse": False,
            "scale": "exponential",
            "scheme": "Oranges",
            "steps": 64,
        },
        "exemplars": {"color": "rgba(255,0,255,0.7)"},
        "legend": {"show": True},
        "showValue": "auto",
        "tooltip": {"mode": "single", "showColorScale": False, "yHistogram": False},
        "yAxis": {"axisPlacement": "left", "reverse": False},
    },
    "text": {
        "code": {"language": "plaintext", "showLineNumbers": False, "showMiniMap": False},
        "content": "",
        "mode": "markdown",
    },
}

# What Grafana writes in `fieldConfig.defaults.custom` for a fresh panel of each type (required by the schema).
CUSTOM_FIELD_DEFAULTS: dict[str, dict[str, Any]] = {
    "table": {"align": "auto", "inspect": False},
}

# The annotation Grafana adds to every dashboard it saves.
BUILTIN_ANNOTATION = {
    "builtIn": 1,
    "datasource": {"type": "grafana", "uid": "-- Grafana --"},
    "enable": True,
    "hide": True,
    "iconColor": "rgba(0, 211, 255, 1)",
    "name": "Annotations & Alerts",
    "type": "dashboard",
}

REF_IDS = string.ascii_uppercase


def ref_id(index: int) -> str:
    """A, B, ... Z, AA, AB, ... (Grafana's own sequence)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = REF_IDS[rem] + letters
    return letters


_SCALARS = frozenset({str, int, float, bool})


def drop_nulls(node: Any) -> Any:
    """Remove `None` values recursively; threshold steps keep `"value": null` (Grafana's -Infinity base step).
    Whole floats become integers on the way (`go_number`).

        Written for speed (it visits every node of every dashboard): scalars are returned without a call.
    """
    if type(node) is dict:
        out = {}
        for k, v in node.items():
            if v is None:
                continue
            if type(v) is float:
                out[k] = go_number(v)
            elif type(v) in _SCALARS:
                out[k] = v
            elif k == "steps" and type(v) is list:
                out[k] = [
                    {
                        sk: go_number(sv) if type(sv) is float else sv
                        for sk, sv in step.items()
                        if sv is not None or sk == "value"
                    }
                    if type(step) is dict
                    else step
                    for step in v
                ]
            else:
                out[k] = drop_nulls(v)
        return out
    if type(node) is list:
        return [
            go_number(v) if type(v) is float else v if type(v) in _SCALARS else drop_nulls(v)
            for v in node
            if v is not None
        ]
    return go_number(node) if type(node) is float else node


def _copy(node: Any) -> Any:
    """A deep copy of plain JSON data, in C (much cheaper than `copy.deepcopy`)."""
    return orjson.loads(orjson.dumps(node))


def deep_merge(defaults: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    """`own` over a copy of `defaults`, recursing into dicts (lists and scalars from `own` win whole)."""
    out = _copy(defaults)
    for key, value in own.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _datasource(value: Any) -> Any:
    if value is None or value in ("${datasource}", "$datasource", "Prometheus"):
        return dict(DATASOURCE_REF)
    return value


def _target(target: dict[str, Any], index: int) -> dict[str, Any]:
    out = {k: v for k, v in target.items() if k not in LEGACY_TARGET_KEYS}
    out["refId"] = ref_id(index)
    out["datasource"] = _datasource(out.get("datasource"))
    for key in ("interval", "legendFormat"):
        if out.get(key) == "":
            del out[key]
    if out.get("hide") is False:
        del out["hide"]
    if out.get("instant"):
        out["range"] = False
    return out


def _panel(panel: dict[str, Any], next_id: list[int]) -> dict[str, Any]:
    """One panel (or row, with the panels it nests) in canonical form; ids follow layout order from 1."""
    panel_id = next_id[0]
    next_id[0] += 1
    if panel.get("type") == "row":
        row = {k: v for k, v in panel.items() if k in ROW_KEYS}
        row["id"] = panel_id
        row["collapsed"] = bool(row.get("collapsed"))
        row["panels"] = [_panel(child, next_id) for child in row.get("panels") or []]
        return row
    out = {k: v for k, v in panel.items() if k not in LEGACY_PANEL_KEYS}
    out["id"] = panel_id
    ptype = out.get("type", "")
    _queries(out)
    if ptype in PANEL_OPTION_DEFAULTS:
        options = out.get("options") if isinstance(out.get("options"), dict) else {}
        out["options"] = deep_merge(PANEL_OPTION_DEFAULTS[ptype], options)
    if isinstance(out.get("fieldConfig"), dict):
        _field_config(out["fieldConfig"], ptype)
    _drop_export_defaults(out)
    return out


def _queries(panel: dict[str, Any]) -> None:
    """Targets with refIds and a panel datasource reference; a panel without queries carries neither."""
    if panel.get("targets"):
        panel["datasource"] = _datasource(panel.get("datasource"))
        panel["targets"] = [_target(t, i) for i, t in enumerate(panel["targets"])]
    else:
        panel.pop("targets", None)
        panel.pop("datasource", None)


def _field_config(field_config: dict[str, Any], ptype: str) -> None:
    """defaults and overrides always present (as Grafana saves them); the panel type's custom defaults merged in;
    an empty unit, custom block or threshold list dropped."""
    field_config.setdefault("defaults", {})
    field_config.setdefault("overrides", [])
    defaults = field_config["defaults"]
    if ptype in CUSTOM_FIELD_DEFAULTS:
        custom = defaults.get("custom") if isinstance(defaults.get("custom"), dict) else {}
        custom = {k: v for k, v in custom.items() if k not in ("displayMode", "filterable")} | (
            {"filterable": True} if custom.get("filterable") else {}
        )
        defaults["custom"] = deep_merge(CUSTOM_FIELD_DEFAULTS[ptype], custom)
    if defaults.get("unit") == "":
        del defaults["unit"]
    if defaults.get("custom") == {}:
        del defaults["custom"]
    if isinstance(defaults.get("thresholds"), dict) and not defaults["thresholds"].get("steps"):
        del defaults["thresholds"]


def _drop_export_defaults(panel: dict[str, Any]) -> None:
    """Keys Grafana's export leaves out when they hold their default."""
    for key in ("links", "transformations"):
        if panel.get(key) == []:
            del panel[key]
    for key, default in (("transparent", False), ("hideTimeOverride", False), ("repeatDirection", None)):
        if panel.get(key) == default:
            panel.pop(key, None)
    if "repeat" not in panel:
        panel.pop("maxPerRow", None)


def _query_text(query: Any) -> str:
    """A query variable's query as the text its editor shows: the string, or the `query` of an editor's object
    (Prometheus writes `{qryType, query, refId}`); "" for an object without one (Loki's `{label, stream}`)."""
    if isinstance(query, dict):
        query = query.get("query")
    return query if isinstance(query, str) else ""


def _variable(variable: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in variable.items() if k not in LEGACY_VARIABLE_KEYS}
    if out.get("type") != "interval":
        out = {k: v for k, v in out.items() if k not in INTERVAL_VARIABLE_KEYS}
    if out.get("type") == "query":
        out["datasource"] = _datasource(out.get("datasource"))
        out.setdefault("definition", _query_text(out.get("query", "")))
    current = out.get("current")
    if current:
        current = {k: v for k, v in current.items() if k in ("selected", "text", "value")}
        if current.get("value") == "$__all":
            current.update(text="All", value=["$__all"] if out.get("multi") else "$__all")
        out["current"] = current
    else:
        out.pop("current", None)
    if not out.get("regex"):
        out.pop("regex", None)
    return out


def canonicalise(raw: dict[str, Any], *, schema_version: int = SCHEMA_VERSION) -> dict[str, Any]:
    """The canonical form of a grafanalib dashboard dict (already passed through `json` encoding)."""
    clean = drop_nulls(raw)
    out = {k: v for k, v in clean.items() if k not in LEGACY_DASHBOARD_KEYS}
    out["schemaVersion"] = schema_version
    next_id = [1]
    out["panels"] = [_panel(p, next_id) for p in out.get("panels", [])]
    templating = out.get("templating") or {}
    out["templating"] = {"list": [_variable(v) for v in templating.get("list", [])]}
    annotations = (out.get("annotations") or {}).get("list", [])
    if not any(a.get("builtIn") == 1 for a in annotations):
        annotations = [dict(BUILTIN_ANNOTATION), *annotations]
    out["annotations"] = {"list": annotations}
    timepicker = out.get("timepicker")
    if isinstance(timepicker, dict):
        out["timepicker"] = {k: v for k, v in timepicker.items() if k in ("hidden", "refresh_intervals", "nowDelay")}
    if out.get("description") == "":
        del out["description"]
    return out
