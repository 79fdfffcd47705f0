"""Grafana's dashboard schema migrations, one step per schemaVersion, as its backend applies them on load.

Grafana opens a classic dashboard of any age by running one migration per schemaVersion up to the latest
(apps/dashboard/pkg/migration/schemaversion/migrations.go `GetMigrations`, v10.go ... v42.go; the frontend's
DashboardMigrator.ts does the same). The importer runs the same steps first, so that what it turns into code is
what Grafana would hold, not the file's historical form. Each step below names the Go file and function it
follows; each has a before/after test (tests/importer/test_schema_steps.py).

Steps that only touch things a Prometheus dashboard in this project cannot hold (CloudWatch queries, the
Angular gauge's `options-gauge`, Elasticsearch...) are recorded as `NOT_CARRIED`, not silently skipped: the
upgrade reports them when a dashboard crosses them.

Datasource names are resolved against `DatasourceIndex`: what the instance the dashboard lands in would know.
Here that is the project's Grafana: one default Prometheus (reached through the `${datasource}` variable) and
Grafana's built-in pseudo datasources. An unknown name stays a uid-only reference, exactly as Grafana leaves it
(datasource_utils.go `MigrateDatasourceNameToRef`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

LATEST_VERSION = 42  # migrations.go LATEST_VERSION
# The oldest schemaVersion whose shape the steps below understand; Grafana's own MIN_VERSION (migrations.go).
MIN_VERSION = 9
GRID_COLUMNS = 24

Step = Callable[[dict[str, Any]], list[str]]

DEFAULT_PROMETHEUS = {"type": "prometheus", "uid": "${datasource}"}
GRAFANA_BUILTIN = {"type": "grafana", "uid": "-- Grafana --"}


@dataclass(frozen=True)
class DatasourceIndex:
    """Datasources by name or uid, and the default: what `MigrateDatasourceNameToRef` looks names up in."""

    by_name: dict[str, dict[str, str]] = field(
        default_factory=lambda: {
            "Prometheus": DEFAULT_PROMETHEUS,
            "prometheus": DEFAULT_PROMETHEUS,
            "-- Grafana --": GRAFANA_BUILTIN,
            "-- Mixed --": {"type": "datasource", "uid": "-- Mixed --"},
            "-- Dashboard --": {"type": "datasource", "uid": "-- Dashboard --"},
        }
    )
    default: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PROMETHEUS))

    def lookup(self, name: str) -> dict[str, str] | None:
        found = self.by_name.get(name)
        return dict(found) if found else None


INDEX = DatasourceIndex()


def _is_ref(value: Any) -> bool:
    """datasource_utils.go `isDataSourceRef`: an object with a non-empty uid or type."""
    return isinstance(value, dict) and bool(value.get("uid") or value.get("type"))


def name_to_ref(value: Any, *, default_as_null: bool, index: DatasourceIndex = INDEX) -> dict[str, Any] | None:
    """datasource_utils.go `MigrateDatasourceNameToRef`: a name (or ref) -> a `{type, uid}` reference."""
    if default_as_null and (value is None or value == "default"):
        return None
    if _is_ref(value):
        return value
    if value is None:
        return dict(index.default)
    if not isinstance(value, str):
        return None
    if value == "":
        return {}
    if value == "default":
        return dict(index.default)
    return index.lookup(value) or {"uid": value}


def _panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in dashboard.get("panels") or [] if isinstance(p, dict)]


def _all_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    """Top-level panels and the panels inside (collapsed) rows."""
    out = []
    for panel in _panels(dashboard):
        out.append(panel)
        out.extend(p for p in panel.get("panels") or [] if isinstance(p, dict))
    return out


def _variables(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    templating = dashboard.get("templating")
    items = templating.get("list") if isinstance(templating, dict) else None
    return [v for v in items or [] if isinstance(v, dict)]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


# --- v14 ----------------------------------------------------------------------------------------------------------


def v14(dashboard: dict[str, Any]) -> list[str]:
    """v14.go `V14`: the boolean `sharedCrosshair` becomes `graphTooltip` 1 or 0."""
    dashboard["graphTooltip"] = 1 if dashboard.pop("sharedCrosshair", False) is True else 0
    return []


# --- v16: rows -> grid --------------------------------------------------------------------------------------------

_ROW_HEIGHT = 250.0  # v16.go defaultRowHeight (pixels)
_CELL_HEIGHT, _CELL_MARGIN = 30.0, 8.0  # v16.go gridCellHeight, gridCellVMargin
_DEFAULT_SPAN = 4.0  # v16.go defaultPanelSpan (of 12)


def _grid_height(pixels: float) -> int:
    """v16.go `getGridHeight`: pixels -> grid rows (at least three cells)."""
    return int(math.ceil(max(pixels, _CELL_HEIGHT * 3) / (_CELL_HEIGHT + _CELL_MARGIN)))


class _RowArea:
    """v16.go `rowArea`: the heights filled in each column of one old row, to place panels left to right."""

    def __init__(self, height: int, y: int) -> None:
        self.area = [0] * GRID_COLUMNS
        self.y = y
        self.height = height

    def add(self, pos: dict[str, int]) -> None:
        for i in range(pos["x"], min(pos["x"] + pos["w"], GRID_COLUMNS)):
            self.area[i] = max(self.area[i], pos["y"] + pos["h"] - self.y)

    def place(self, width: int) -> tuple[int, int]:
        """v16.go `getPanelPosition`: the free run of columns at the right end, else wrap to a new line."""
        while True:
            start = end = 0
            found = False
            for i in range(GRID_COLUMNS - 1, -1, -1):
                if self.height - self.area[i] <= 0:
                    break
                if not found:
                    end, found = i, True
                elif i < GRID_COLUMNS - 1 and self.area[i] <= self.area[i + 1]:
                    start = i
                else:
                    break
            if found and end - start >= width - 1:
                return start, max(self.area[start : end + 1])
            self.y += self.height
            self.area = [0] * GRID_COLUMNS


def v16(dashboard: dict[str, Any]) -> list[str]:
    """v16.go `V16`/`upgradeToGridLayout`: the old `rows` (spans of 12, pixel heights) become grid positions.

    Row panels are written only when one row is collapsed, repeated or shows its title (`shouldShowRows`);
    a collapsed row keeps its panels inside it; repeated copies (`repeatIteration`) are dropped."""
    rows = dashboard.pop("rows", None)
    if not isinstance(rows, list) or not rows:
        return []
    rows = [r for r in rows if isinstance(r, dict)]
    show_rows = any(r.get("collapse") is True or r.get("showTitle") is True or r.get("repeat") for r in rows)
    max_id = max(
        (int(p["id"]) for r in rows for p in r.get("panels") or [] if isinstance(p, dict) and _number(p.get("id"))),
        default=0,
    )
    next_id = max_id + 1
    panels = list(dashboard.get("panels") or [])
    y = 0
    for row in rows:
        if row.get("repeatIteration") is not None:
            continue
        height = _number(row.get("height"))
        row_height = _grid_height(height if height is not None else _ROW_HEIGHT)
        collapsed = row.get("collapse") is True
        members = [p for p in row.get("panels") or [] if isinstance(p, dict)]
        for panel in members:
            if "id" not in panel:
                panel["id"] = next_id
                next_id += 1
        row_panel = None
        if show_rows:
            row_panel = {
                "id": next_id,
                "type": "row",
                "title": row.get("title") if isinstance(row.get("title"), str) else "",
                "repeat": row.get("repeat") if isinstance(row.get("repeat"), str) else "",
                "panels": [],
                "gridPos": {"x": 0, "y": y, "w": GRID_COLUMNS, "h": row_height},
            }
            if "collapse" in row:
                row_panel["collapsed"] = collapsed
            next_id += 1
            y += 1
        area = _RowArea(row_height, y)
        for panel in members:
            span = _number(panel.get("span"))
            span = _DEFAULT_SPAN if span is None else span
            min_span = _number(panel.get("minSpan"))
            if min_span and min_span > 0:
                panel["minSpan"] = int(min(GRID_COLUMNS, GRID_COLUMNS / 12 * min_span))
            width = int(math.floor(span * GRID_COLUMNS / 12))
            own = _number(panel.get("height"))
            panel_height = _grid_height(own) if own is not None else row_height
            x, dy = area.place(width)
            y = area.y
            panel["gridPos"] = {"x": x, "y": y + dy, "w": width, "h": panel_height}
            area.add(panel["gridPos"])
            panel.pop("span", None)
            if row_panel is not None and collapsed:
                row_panel["panels"].append(panel)
            else:
                panels.append(panel)
        if row_panel is not None:
            panels.append(row_panel)
        if row_panel is None or not collapsed:
            y += row_height
    dashboard["panels"] = panels
    return []


# --- v17 ----------------------------------------------------------------------------------------------------------


def v17(dashboard: dict[str, Any]) -> list[str]:
    """v17.go `migrateMinSpanToMaxPerRow`: `minSpan` -> the largest factor of 24 not above 24 / minSpan."""
    factors = [f for f in range(1, GRID_COLUMNS + 1) if GRID_COLUMNS % f == 0]
    for panel in _panels(dashboard):
        if "minSpan" not in panel:
            continue
        min_span = _number(panel.pop("minSpan"))
        if isinstance(min_span, float) and min_span > 0:
            most = GRID_COLUMNS / min_span
            bigger = [i for i, f in enumerate(factors) if f > most]
            panel["maxPerRow"] = factors[bigger[0] - 1] if bigger and bigger[0] > 0 else 1 if bigger else factors[-1]
    return []


# --- v24: the Angular table -> table ------------------------------------------------------------------------------

_TABLE_TRANSFORMS = {
    "timeseries_to_rows": "seriesToRows",
    "timeseries_to_columns": "seriesToColumns",
    "timeseries_aggregations": "reduce",
    "table": "merge",
}  # v24.go transformsMap
_TABLE_COLUMNS = {"avg": "mean", "min": "min", "max": "max", "total": "sum", "current": "lastNotNull", "count": "count"}
_TABLE_COLOR_MODES = {"cell": "color-background", "row": "color-background", "value": "color-text"}


def _table_steps(thresholds: list[Any], colors: list[Any]) -> list[dict[str, Any]]:
    """v24.go `generateThresholds`: a red base step, then one step per threshold with the colour at its index."""
    out: list[dict[str, Any]] = [{"color": "red", "value": None}]
    for i, level in enumerate(thresholds):
        color = colors[i] if i < len(colors) and colors[i] is not None else "red"
        number = _number(level)
        out.append({"color": color, "value": number if number is not None else 0.0})
    return out


def _table_defaults(style: dict[str, Any] | None) -> dict[str, Any]:
    """v24.go `migrateDefaults`: the `/.*/` style -> field defaults."""
    defaults: dict[str, Any] = {"custom": {}}
    if not style:
        return defaults
    if isinstance(style.get("unit"), str) and style["unit"]:
        defaults["unit"] = style["unit"]
    if isinstance(style.get("decimals"), int | float) and not isinstance(style.get("decimals"), bool):
        defaults["decimals"] = int(style["decimals"])
    if isinstance(style.get("alias"), str) and style["alias"]:
        defaults["displayName"] = style["alias"]
    if isinstance(style.get("align"), str) and style["align"]:
        defaults["custom"]["align"] = "" if style["align"] == "auto" else style["align"]
    if style.get("thresholds") and style.get("colors"):
        defaults["thresholds"] = {"mode": "absolute", "steps": _table_steps(style["thresholds"], style["colors"])}
    if style.get("colorMode") in _TABLE_COLOR_MODES:
        defaults["custom"]["cellOptions"] = {"type": _TABLE_COLOR_MODES[style["colorMode"]]}
    return defaults


def _table_override(style: dict[str, Any]) -> dict[str, Any]:
    """v24.go `migrateTableStyleToOverride`: a style with its own pattern -> a field override."""
    pattern = style.get("pattern") if isinstance(style.get("pattern"), str) else ""
    regexp = len(pattern) >= 2 and pattern.startswith("/") and pattern.endswith("/")
    props: list[dict[str, Any]] = []
    if isinstance(style.get("alias"), str) and style["alias"]:
        props.append({"id": "displayName", "value": style["alias"]})
    if isinstance(style.get("unit"), str) and style["unit"]:
        props.append({"id": "unit", "value": style["unit"]})
    if isinstance(style.get("decimals"), int | float) and not isinstance(style.get("decimals"), bool):
        props.append({"id": "decimals", "value": int(style["decimals"])})
    if style.get("type") == "date" and isinstance(style.get("dateFormat"), str):
        props.append({"id": "unit", "value": "time: " + style["dateFormat"]})
    if style.get("type") == "hidden":
        props.append({"id": "custom.hidden", "value": True})
    if style.get("link") is True:
        link = {
            "title": style.get("linkTooltip") if isinstance(style.get("linkTooltip"), str) else "",
            "url": style.get("linkUrl") if isinstance(style.get("linkUrl"), str) else "",
            "targetBlank": style.get("linkTargetBlank") is True,
        }
        props.append({"id": "links", "value": [link]})
    if style.get("colorMode") in _TABLE_COLOR_MODES:
        props.append({"id": "custom.cellOptions", "value": {"type": _TABLE_COLOR_MODES[style["colorMode"]]}})
    if isinstance(style.get("align"), str) and style["align"]:
        props.append({"id": "custom.align", "value": "" if style["align"] == "auto" else style["align"]})
    if style.get("thresholds") and style.get("colors"):
        steps = _table_steps(style["thresholds"], style["colors"])
        props.append({"id": "thresholds", "value": {"mode": "absolute", "steps": steps}})
    return {"matcher": {"id": "byRegexp" if regexp else "byName", "options": pattern}, "properties": props}


def angular_table(panel: dict[str, Any]) -> None:
    """v24.go `tablePanelChangedHandler`: styles -> field defaults and overrides, `transform` -> a transformation."""
    styles = [s for s in panel.get("styles") or [] if isinstance(s, dict)]
    transformations = list(panel.get("transformations") or [])
    transform = panel.get("transform")
    if isinstance(transform, str) and transform in _TABLE_TRANSFORMS:
        options: dict[str, Any] = {"reducers": []}
        if transform == "timeseries_aggregations":
            options["includeTimeField"] = False
            options["reducers"] = [
                _TABLE_COLUMNS[c["value"]]
                for c in panel.get("columns") or []
                if isinstance(c, dict) and c.get("value") in _TABLE_COLUMNS
            ]
        transformations.append({"id": _TABLE_TRANSFORMS[transform], "options": options})
    default = next((s for s in styles if s.get("pattern") == "/.*/"), None)
    overrides = [_table_override(s) for s in styles if isinstance(s.get("pattern"), str) and s["pattern"] != "/.*/"]
    panel["transformations"] = transformations
    panel["fieldConfig"] = {"defaults": _table_defaults(default), "overrides": overrides}
    panel.pop("styles", None)


# angular_migration.go mustKeepProperties: what a panel keeps when its plugin changes (PanelModel.ts
# `clearPropertiesBeforePluginChange`); everything else was the old plugin's options.
MUST_KEEP = frozenset(
    {
        "id",
        "gridPos",
        "type",
        "title",
        "scopedVars",
        "repeat",
        "repeatPanelId",
        "repeatDirection",
        "repeatedByRow",
        "minSpan",
        "collapsed",
        "panels",
        "targets",
        "datasource",
        "timeFrom",
        "timeShift",
        "hideTimeOverride",
        "description",
        "links",
        "cacheTimeout",
        "queryCachingTTL",
        "transparent",
        "pluginVersion",
        "transformations",
        "fieldConfig",
        "maxDataPoints",
        "interval",
        "libraryPanel",
        "maxPerRow",
        "options",
    }
)


def clear_before_plugin_change(panel: dict[str, Any]) -> None:
    """PanelModel.ts `clearPropertiesBeforePluginChange`: drop the old plugin's own keys."""
    for key in [k for k in panel if k not in MUST_KEEP]:
        del panel[key]


def v24(dashboard: dict[str, Any]) -> list[str]:
    """v24.go `V24`: a top-level `table` panel with Angular `styles` becomes the React table."""
    notes = []
    for panel in _panels(dashboard):
        if panel.get("type") == "table" and panel.get("styles") is not None and panel.get("table") != "table2":
            angular_table(panel)
            clear_before_plugin_change(panel)
            notes.append(f"panel {panel.get('title', '')!r}: Angular table styles -> field config (v24)")
    return notes


# --- v26 ----------------------------------------------------------------------------------------------------------


def v26(dashboard: dict[str, Any]) -> list[str]:
    """v26.go `migrateText2Panel`: a `text2` panel (top level or in a row) is `text`, without `options.angular`."""
    for panel in _all_panels(dashboard):
        if panel.get("type") == "text2":
            panel["type"] = "text"
            if isinstance(panel.get("options"), dict):
                panel["options"].pop("angular", None)
    return []


# --- v27 ----------------------------------------------------------------------------------------------------------


def v27(dashboard: dict[str, Any]) -> list[str]:
    """v27.go `V27`: repeated copies of panels are dropped; a constant variable gets its current value, and
    becomes a textbox when it is shown (hide 0 or 1)."""
    kept = []
    for panel in dashboard.get("panels") or []:
        if not isinstance(panel, dict) or "repeatPanelId" in panel or "repeatByRow" in panel:
            continue
        if panel.get("type") == "row" and isinstance(panel.get("panels"), list):
            panel["panels"] = [p for p in panel["panels"] if isinstance(p, dict) and "repeatPanelId" not in p]
        kept.append(panel)
    if "panels" in dashboard:
        dashboard["panels"] = kept
    for variable in _variables(dashboard):
        if variable.get("type") != "constant":
            continue
        query = variable.get("query") if isinstance(variable.get("query"), str) else ""
        variable["query"] = query
        current = {"selected": True, "text": query, "value": query}
        variable["current"] = current
        variable["options"] = [dict(current)]
        if variable.get("hide") in (0, 1):
            variable["type"] = "textbox"
    return []


# --- v28: singlestat -> stat --------------------------------------------------------------------------------------

_VALUE_NAME_REDUCERS = {
    "min": "min",
    "max": "max",
    "avg": "mean",
    "mean": "mean",
    "median": "median",
    "sum": "sum",
    "count": "count",
    "first": "firstNotNull",
    "last": "lastNotNull",
    "name": "lastNotNull",
    "current": "lastNotNull",
    "total": "sum",
}  # v28.go getReducerForValueName
_SINGLESTAT_KEYS = ("valueName", "format", "decimals", "thresholds", "colors", "gauge", "sparkline")
# v28.go cleanupAngularProperties / PanelModel.clearPropertiesBeforePluginChange: what a stat panel drops.
_SINGLESTAT_DROPPED = (
    "valueName",
    "format",
    "decimals",
    "thresholds",
    "colors",
    "gauge",
    "sparkline",
    "colorBackground",
    "colorValue",
    "valueMaps",
    "rangeMaps",
    "mappingType",
    "mappingTypes",
    "nullPointMode",
    "nullText",
    "prefix",
    "postfix",
    "prefixFontSize",
    "postfixFontSize",
    "valueFontSize",
    "tableColumn",
    "colorPrefix",
    "colorPostfix",
    "autoMigrateFrom",
    "angular",
    "maxDataPoints",
    "interval",
    "cacheTimeout",
    "height",
    "error",
    "span",
)


def _singlestat_mappings(value_maps: list[Any]) -> list[dict[str, Any]]:
    """v28.go `migrateValueMappings`: Angular value/range maps -> field-config mappings."""
    out = []
    for m in value_maps:
        if not isinstance(m, dict):
            continue
        mapping: dict[str, Any] = {"type": m.get("type")}
        if m.get("type") == 1:
            mapping["options"] = {"mappings": [{"value": m.get("value"), "text": m.get("text")}]}
        elif m.get("type") == 2:
            mapping["options"] = {"from": m.get("from"), "to": m.get("to"), "result": {"text": m.get("text")}}
        out.append(mapping)
    return out


def singlestat(panel: dict[str, Any]) -> None:
    """v28.go `migrateSinglestatPanel` (angular singlestat): the panel becomes a `stat` with its unit, decimals,
    thresholds and colours, sparkline, colour mode and reducer carried over."""
    options: dict[str, Any] = {"reduceOptions": {"calcs": ["mean"]}, "orientation": "horizontal"}
    field_config = panel.get("fieldConfig") if isinstance(panel.get("fieldConfig"), dict) else {}
    field_config.setdefault("defaults", {})
    field_config.setdefault("overrides", [])
    defaults = field_config["defaults"]
    if any(k in panel for k in _SINGLESTAT_KEYS):
        if isinstance(panel.get("valueName"), str):
            options["reduceOptions"]["calcs"] = [_VALUE_NAME_REDUCERS.get(panel["valueName"], "mean")]
        if isinstance(panel.get("tableColumn"), str):
            options["reduceOptions"]["fields"] = f"/^{panel['tableColumn']}$/"
        if isinstance(panel.get("format"), str):
            defaults["unit"] = panel["format"]
        if "decimals" in panel:
            defaults["decimals"] = panel["decimals"]
        if "nullPointMode" in panel:
            defaults["nullValueMode"] = panel["nullPointMode"]
        if isinstance(panel.get("nullText"), str):
            defaults["noValue"] = panel["nullText"]
        if isinstance(panel.get("thresholds"), str) and isinstance(panel.get("colors"), list):
            levels = panel["thresholds"].split(",")
            steps = []
            for i, color in enumerate(panel["colors"]):
                step: dict[str, Any] = {"color": color}
                if i == 0:
                    step["value"] = None
                elif i - 1 < len(levels) and _number(levels[i - 1].strip()) is not None:
                    step["value"] = _number(levels[i - 1].strip())
                steps.append(step)
            defaults["thresholds"] = {"mode": "absolute", "steps": steps}
        if isinstance(panel.get("valueMappings"), list):
            mappings = _singlestat_mappings(panel["valueMappings"])
            if mappings:
                defaults["mappings"] = mappings
        sparkline = panel.get("sparkline")
        if isinstance(sparkline, dict) and sparkline.get("show") is True:
            options["graphMode"] = "area"
            if isinstance(sparkline.get("lineColor"), str):
                defaults["color"] = {"mode": "fixed", "fixedColor": sparkline["lineColor"]}
        else:
            options["graphMode"] = "none"
        if panel.get("colorBackground") is True:
            options["colorMode"] = "background"
        elif panel.get("colorValue") is True:
            options["colorMode"] = "value"
        else:
            options["colorMode"] = "none"
        if panel.get("valueName") == "name":
            options["textMode"] = "name"
        panel["options"] = options
    unit = defaults.get("unit")
    if unit == "percent":
        defaults.setdefault("min", 0)
        defaults.setdefault("max", 100)
    elif unit == "percentunit":
        defaults.setdefault("min", 0)
        defaults.setdefault("max", 1)
    panel["fieldConfig"] = field_config
    panel["type"] = "stat"
    for key in _SINGLESTAT_DROPPED:
        panel.pop(key, None)


def _stat_lost(panel: dict[str, Any]) -> list[str]:
    lost = [k for k in ("prefix", "postfix") if panel.get(k)]
    lost += ["gauge"] if isinstance(panel.get("gauge"), dict) and panel["gauge"].get("show") is True else []
    lost += ["valueMaps"] if panel.get("valueMaps") and not panel.get("valueMappings") else []
    return lost


def v28(dashboard: dict[str, Any]) -> list[str]:
    """v28.go `V28`: singlestat panels (top level and in rows) become stat panels; variables lose `tags`,
    `tagsQuery`, `tagValuesQuery` and `useTags` (removeDeprecatedVariableProperties)."""
    notes = []
    for panel in _all_panels(dashboard):
        if panel.get("type") == "singlestat":
            lost = _stat_lost(panel)
            singlestat(panel)
            notes.append(
                f"panel {panel.get('title', '')!r}: migrated singlestat -> stat (v28)"
                + (f" (not carried over: {', '.join(lost)})" if lost else "")
            )
    for variable in _variables(dashboard):
        for key in ("tags", "tagsQuery", "tagValuesQuery", "useTags"):
            variable.pop(key, None)
    return notes


# --- v29 ----------------------------------------------------------------------------------------------------------


def v29(dashboard: dict[str, Any]) -> list[str]:
    """v29.go `V29`: a query variable refreshes on load (1) unless it refreshes on time change (2); its stored
    options are cleared (Grafana fetches them)."""
    for variable in _variables(dashboard):
        if variable.get("type") != "query":
            continue
        if variable.get("refresh") not in (1, 2):
            variable["refresh"] = 1
        if isinstance(variable.get("options"), list) and variable["options"]:
            variable["options"] = []
    return []


# --- v33 and v36: datasource names -> references ------------------------------------------------------------------


def v33(dashboard: dict[str, Any]) -> list[str]:
    """v33.go `migratePanelDatasourcesV33`: panel and target datasource names become references; "default" and
    null become null on panels and stay as they are on targets."""
    for panel in _all_panels(dashboard):
        panel["datasource"] = name_to_ref(panel.get("datasource"), default_as_null=True)
        for target in panel.get("targets") or []:
            if isinstance(target, dict) and "datasource" in target:
                ref = name_to_ref(target["datasource"], default_as_null=True)
                if ref is not None:
                    target["datasource"] = ref
    return []


def _panel_datasources_v36(panel: dict[str, Any], nested: bool) -> None:
    """v36.go `migratePanelDatasourcesInternal`."""
    targets = panel.get("targets")
    if not isinstance(targets, list) or not targets:
        if nested:
            return
        targets = [{"refId": "A"}]
        panel["targets"] = targets
    was_default = False
    ds = panel.get("datasource")
    if ds is None:
        panel["datasource"] = dict(INDEX.default)
        was_default = True
    elif not (isinstance(ds, dict) and not ds):
        panel["datasource"] = name_to_ref(ds, default_as_null=False)
    for target in targets:
        if not isinstance(target, dict):
            continue
        tds = target.get("datasource")
        if tds is None or (isinstance(tds, dict) and tds.get("uid") is None):
            pds = panel.get("datasource")
            if isinstance(pds, dict):
                if pds.get("uid") != "-- Mixed --":
                    target["datasource"] = dict(pds)
                else:
                    target["datasource"] = name_to_ref(tds, default_as_null=False)
        else:
            target["datasource"] = name_to_ref(tds, default_as_null=False)
        if was_default and isinstance(target.get("datasource"), dict):
            uid = target["datasource"].get("uid")
            if uid and uid != "__expr__":
                panel["datasource"] = target["datasource"]


def v36(dashboard: dict[str, Any]) -> list[str]:
    """v36.go `V36`: every annotation gets a reference (null -> the default); a query variable with a null
    datasource gets the default; panels (and panels inside rows that have targets) get references, null ones
    the default, and targets without one inherit the panel's (unless the panel is Mixed)."""
    annotations = dashboard.get("annotations")
    for query in (annotations.get("list") if isinstance(annotations, dict) else None) or []:
        if isinstance(query, dict):
            query["datasource"] = name_to_ref(query.get("datasource"), default_as_null=False)
    for variable in _variables(dashboard):
        if variable.get("type") == "query" and "datasource" in variable and variable["datasource"] is None:
            variable["datasource"] = dict(INDEX.default)
    for panel in _panels(dashboard):
        _panel_datasources_v36(panel, nested=False)
        for child in panel.get("panels") or []:
            if isinstance(child, dict):
                _panel_datasources_v36(child, nested=True)
    return []


# --- v37 .. v42 ---------------------------------------------------------------------------------------------------


def v37(dashboard: dict[str, Any]) -> list[str]:
    """v37.go `V37`: a boolean legend becomes an object; a hidden legend is `list` with showLegend false; a
    visible one says showLegend true."""
    for panel in _panels(dashboard):
        options = panel.get("options")
        if not isinstance(options, dict) or options.get("legend") is None:
            continue
        legend = options["legend"]
        if isinstance(legend, bool):
            options["legend"] = {"displayMode": "list", "showLegend": legend}
        elif isinstance(legend, dict):
            if legend.get("displayMode") == "hidden" or legend.get("showLegend") is False:
                legend["displayMode"] = "list"
                legend["showLegend"] = False
            else:
                legend["showLegend"] = True
    return []


def _cell_options(display_mode: str) -> dict[str, str]:
    """v38.go `migrateTableDisplayModeToCellOptions`."""
    if display_mode in ("basic", "gradient-gauge", "lcd-gauge"):
        return {"type": "gauge", "mode": {"gradient-gauge": "gradient", "lcd-gauge": "lcd"}.get(display_mode, "basic")}
    if display_mode in ("color-background", "color-background-solid"):
        return {"type": "color-background", "mode": "gradient" if display_mode == "color-background" else "basic"}
    return {"type": display_mode}


def _table_panels(panels: list[Any]) -> list[dict[str, Any]]:
    out = []
    for panel in panels:
        if isinstance(panel, dict) and panel.get("type") == "row":
            out += _table_panels(panel.get("panels") or [])
        elif isinstance(panel, dict) and panel.get("type") == "table":
            out.append(panel)
    return out


def v38(dashboard: dict[str, Any]) -> list[str]:
    """v38.go `processPanels`: a table's `custom.displayMode` becomes `custom.cellOptions` (defaults and
    overrides), rows' tables included."""
    for panel in _table_panels(dashboard.get("panels") or []):
        field_config = panel.get("fieldConfig")
        defaults = field_config.get("defaults") if isinstance(field_config, dict) else None
        custom = defaults.get("custom") if isinstance(defaults, dict) else None
        if not isinstance(custom, dict):
            continue
        if "displayMode" in custom:
            mode = custom.pop("displayMode")
            if isinstance(mode, str):
                custom["cellOptions"] = _cell_options(mode)
        for override in field_config.get("overrides") or []:
            for prop in (override.get("properties") if isinstance(override, dict) else None) or []:
                if isinstance(prop, dict) and prop.get("id") == "custom.displayMode":
                    prop["id"] = "custom.cellOptions"
                    if isinstance(prop.get("value"), str):
                        prop["value"] = _cell_options(prop["value"])
    return []


def v40(dashboard: dict[str, Any]) -> list[str]:
    """v40.go `V40`: `refresh` is always a string ("" when it was anything else)."""
    dashboard["refresh"] = dashboard["refresh"] if isinstance(dashboard.get("refresh"), str) else ""
    return []


def v41(dashboard: dict[str, Any]) -> list[str]:
    """v41.go `V41`: the time picker's unused `time_options` is removed."""
    if isinstance(dashboard.get("timepicker"), dict):
        dashboard["timepicker"].pop("time_options", None)
    return []


def v42(dashboard: dict[str, Any]) -> list[str]:
    """v42.go `V42`: a field hidden from the visualisation (`custom.hideFrom.viz`) is hidden from tooltips too."""
    for panel in _all_panels(dashboard):
        field_config = panel.get("fieldConfig")
        overrides = field_config.get("overrides") if isinstance(field_config, dict) else None
        for override in overrides or []:
            for prop in (override.get("properties") if isinstance(override, dict) else None) or []:
                if (
                    isinstance(prop, dict)
                    and prop.get("id") == "custom.hideFrom"
                    and isinstance(prop.get("value"), dict)
                ):
                    if prop["value"].get("viz") is True:
                        prop["value"]["tooltip"] = True
    return []


STEPS: dict[int, Step] = {
    14: v14,
    16: v16,
    17: v17,
    24: v24,
    26: v26,
    27: v27,
    28: v28,
    29: v29,
    33: v33,
    36: v36,
    37: v37,
    38: v38,
    40: v40,
    41: v41,
    42: v42,
}

# Grafana's steps (migrations.go GetMigrations, 10..42) not ported here: a dashboard crossing one is told so.
NOT_CARRIED = tuple(v for v in range(MIN_VERSION + 1, LATEST_VERSION + 1) if v not in STEPS)


@dataclass(frozen=True)
class Upgraded:
    """A dashboard at LATEST_VERSION, the version it came from, and what the steps reported."""

    dashboard: dict[str, Any]
    from_version: int
    notes: tuple[str, ...]


def schema_version(dashboard: dict[str, Any]) -> int:
    """migrations.go `GetSchemaVersion`: an int, a float or a numeric string; anything else is 0."""
    value = dashboard.get("schemaVersion")
    if isinstance(value, bool):
        return 0
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return 0


def upgrade(dashboard: dict[str, Any]) -> Upgraded:
    """A copy of `dashboard` taken step by step from its schemaVersion to LATEST_VERSION (the input is untouched)."""
    out = orjson.loads(orjson.dumps(dashboard))
    start = schema_version(out)
    notes: list[str] = []
    uncarried = []
    for version in range(max(start, MIN_VERSION) + 1, LATEST_VERSION + 1):
        step = STEPS.get(version)
        if step:
            notes += step(out)
        else:
            uncarried.append(version)
        out["schemaVersion"] = version
    if uncarried:
        notes.append(
            f"schemaVersion {start} -> {LATEST_VERSION}; Grafana's steps not ported (importer/schema_steps.py "
            f"NOT_CARRIED): v{', v'.join(str(v) for v in uncarried)}"
        )
    return Upgraded(out, start, tuple(notes))
