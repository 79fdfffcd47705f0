"""Grafana's dashboard schema migrations, one step per schemaVersion, as its backend applies them on load.

Grafana opens a classic dashboard of any age by running one migration per schemaVersion up to the latest
(apps/dashboard/pkg/migration/schemaversion/migrations.go `GetMigrations`, v10.go ... v42.go; the frontend's
DashboardMigrator.ts does the same). The importer runs the same steps first, so that what it turns into code is
what Grafana would hold, not the file's historical form. Each step below names the Go file and function it
follows; each has a before/after test (tests/importer/test_schema_steps.py).

Steps are ported faithfully even where they touch things a Prometheus dashboard rarely holds (v34's CloudWatch
queries, v18's Angular gauge `options-gauge`), and Grafana's no-op steps (v11, v15, v25, v32) are ported as the
no-ops they are. The steps not ported are recorded as `NOT_CARRIED`, not silently skipped: the upgrade reports
them when a dashboard crosses them.

Datasource names are resolved against `DatasourceIndex`: what the instance the dashboard lands in would know.
Here that is the project's Grafana: one default Prometheus (reached through the `${datasource}` variable) and
Grafana's built-in pseudo datasources. An unknown name stays a uid-only reference, exactly as Grafana leaves it
(datasource_utils.go `MigrateDatasourceNameToRef`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
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


def _list(value: Any) -> list[Any]:
    """`value` when it is a list, else empty: Grafana's steps read a list only where they find one
    (`panel["styles"].([]interface{})`), and a malformed dashboard must not stop the import with a crash."""
    return value if isinstance(value, list) else []


def _panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    panels = dashboard.get("panels")
    return [p for p in panels if isinstance(p, dict)] if isinstance(panels, list) else []


def _all_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    """Top-level panels and the panels inside (collapsed) rows."""
    out = []
    for panel in _panels(dashboard):
        out.append(panel)
        children = panel.get("panels")
        if isinstance(children, list):
            out.extend(p for p in children if isinstance(p, dict))
    return out


def _variables(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    templating = dashboard.get("templating")
    items = templating.get("list") if isinstance(templating, dict) else None
    return [v for v in items if isinstance(v, dict)] if isinstance(items, list) else []


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


def _pre_grid_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    """Every panel of a dashboard from before v16's grid: top-level `panels` and those in `rows[].panels`.

    The frontend's DashboardMigrator.ts queues its per-panel upgrades (`panelUpgrades`) and runs them after
    `upgradeToGridLayout`, on every panel the rows held; running a pre-grid step here on the rows' panels is the
    same thing done in order."""
    out = _all_panels(dashboard)
    rows = dashboard.get("rows")
    for row in rows if isinstance(rows, list) else []:
        children = row.get("panels") if isinstance(row, dict) else None
        if isinstance(children, list):
            out.extend(p for p in children if isinstance(p, dict))
    return out


# --- v10 ----------------------------------------------------------------------------------------------------------


def v10(dashboard: dict[str, Any]) -> list[str]:
    """v10.go `V10` (DashboardMigrator.ts `oldVersion < 10`): a table style's thresholds list of three or more
    loses its first value, the unused base of the old form."""
    for panel in _pre_grid_panels(dashboard):
        if panel.get("type") != "table" or not isinstance(panel.get("styles"), list):
            continue
        for style in panel["styles"]:
            if isinstance(style, dict) and isinstance(style.get("thresholds"), list) and len(style["thresholds"]) >= 3:
                style["thresholds"] = style["thresholds"][1:]
    return []


# --- v11, v12 -----------------------------------------------------------------------------------------------------


def v11(dashboard: dict[str, Any]) -> list[str]:
    """v11.go `V11`: a no-op in Grafana (the frontend has no step 11); only the schemaVersion moves."""
    return []


def v12(dashboard: dict[str, Any]) -> list[str]:
    """v12.go `V12`: a variable's `refresh` becomes 1 when it is `true` and 0 otherwise (any non-boolean too, as
    `GetBoolValue` reads it); `hideVariable` true gives hide 2, else `hideLabel` true gives hide 1."""
    for variable in _variables(dashboard):
        if "refresh" in variable:
            variable["refresh"] = 1 if variable["refresh"] is True else 0
        if variable.get("hideVariable") is True:
            variable["hide"] = 2
        elif variable.get("hideLabel") is True:
            variable["hide"] = 1
    return []


# --- v13 ----------------------------------------------------------------------------------------------------------


def _grid_threshold(grid: dict[str, Any], n: int) -> dict[str, Any]:
    """One of a graph's two grid thresholds as a threshold object: a line when `thresholdLine`, else a fill."""
    value = grid.get(f"threshold{n}")
    if value is None:
        return {}
    style = "line" if grid.get("thresholdLine") else "fill"
    return {"value": value, style: True, f"{style}Color": grid.get(f"threshold{n}Color"), "colorMode": "custom"}


def v13(dashboard: dict[str, Any]) -> list[str]:
    """DashboardMigrator.ts `oldVersion < 13`: a graph's `grid.threshold1` / `threshold2` become its
    `thresholds` list (both `lt` when the first is above the second, else `gt`), and the grid keys go.

    Grafana's backend v13.go `V13` instead converts each top-level graph to a timeseries right there. The
    importer converts every graph, of any schemaVersion, when it migrates Angular panels (importer/migrate.py,
    as PanelModel.ts `autoMigrateAngular` does on load), and that conversion reads the `thresholds` list; so
    this step takes the frontend's form, which keeps the grid thresholds for that conversion, and the graph is
    converted once."""
    for panel in _pre_grid_panels(dashboard):
        grid = panel.get("grid")
        if panel.get("type") != "graph" or not isinstance(grid, dict):  # `!panel.grid`: {} is truthy in JS
            continue
        if not isinstance(panel.get("thresholds"), list):
            panel["thresholds"] = []
        first, second = _grid_threshold(grid, 1), _grid_threshold(grid, 2)
        if _number_only(first.get("value")) is not None:
            if _number_only(second.get("value")) is not None:
                op = "lt" if first["value"] > second["value"] else "gt"
                panel["thresholds"] += [first | {"op": op}, second | {"op": op}]
            else:
                panel["thresholds"].append(first | {"op": "gt"})
        for key in ("threshold1", "threshold1Color", "threshold2", "threshold2Color", "thresholdLine"):
            grid.pop(key, None)
    return []


def _number_only(value: Any) -> float | None:
    """lodash `isNumber`: a JSON number (not a numeric string, not a boolean)."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


# --- v14 ----------------------------------------------------------------------------------------------------------


def v14(dashboard: dict[str, Any]) -> list[str]:
    """v14.go `V14`: the boolean `sharedCrosshair` becomes `graphTooltip` 1 or 0."""
    dashboard["graphTooltip"] = 1 if dashboard.pop("sharedCrosshair", False) is True else 0
    return []


def v15(dashboard: dict[str, Any]) -> list[str]:
    """v15.go `V15`: a no-op in Grafana's backend, kept so its history follows the frontend's migrator; only the
    schemaVersion moves."""
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
        (int(p["id"]) for r in rows for p in _list(r.get("panels")) if isinstance(p, dict) and _number(p.get("id"))),
        default=0,
    )
    next_id = max_id + 1
    panels = list(_list(dashboard.get("panels")))
    y = 0
    for row in rows:
        if row.get("repeatIteration") is not None:
            continue
        height = _number(row.get("height"))
        row_height = _grid_height(height if height is not None else _ROW_HEIGHT)
        collapsed = row.get("collapse") is True
        members = [p for p in _list(row.get("panels")) if isinstance(p, dict)]
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


# --- v18 .. v23 ---------------------------------------------------------------------------------------------------

_GAUGE_VALUE_OPTIONS = ("unit", "stat", "decimals", "prefix", "suffix")  # v18.go migrateGaugePanelOptions


def v18(dashboard: dict[str, Any]) -> list[str]:
    """v18.go `migrateGaugePanelOptions`: a top-level panel's `options-gauge` becomes its `options`: unit, stat,
    decimals, prefix and suffix under `valueOptions`, the thresholds in reverse order, the other keys as they are
    (not the stray `options`, a bug of that era)."""
    for panel in _panels(dashboard):
        gauge = panel.get("options-gauge")
        if not isinstance(gauge, dict):
            continue
        options: dict[str, Any] = {"valueOptions": {k: gauge[k] for k in _GAUGE_VALUE_OPTIONS if k in gauge}}
        if isinstance(gauge.get("thresholds"), list) and gauge["thresholds"]:
            options["thresholds"] = list(reversed(gauge["thresholds"]))
        skipped = {"options", "thresholds", *_GAUGE_VALUE_OPTIONS}
        options |= {k: v for k, v in gauge.items() if k not in skipped}
        panel["options"] = options
        del panel["options-gauge"]
    return []


def _slug(name: str) -> str:
    """v19.go `slugifyForURL`: lower case, only [a-z0-9_ ] kept, runs of spaces -> "-"."""
    return re.sub(" +", "-", re.sub("[^a-z0-9_ ]+", "", name.lower()))


def _string(value: Any) -> str:
    """migration_utils.go `GetStringValue`: the string, or "" for anything else."""
    return value if isinstance(value, str) else ""


def _panel_link(link: dict[str, Any]) -> dict[str, Any]:
    """v19.go `upgradePanelLink` / `buildPanelLinkURL`: url (else dashboard/db/<slug of dashboard>, else
    dashboard/<dashUri>, else "/") with keepTime, includeVars and params appended as a query; title; targetBlank
    only when true."""
    if _string(link.get("url")):
        url = link["url"]
    elif _string(link.get("dashboard")):
        url = "dashboard/db/" + _slug(link["dashboard"])
    elif _string(link.get("dashUri")):
        url = "dashboard/" + link["dashUri"]
    else:
        url = "/"
    params = ["$__url_time_range"] if link.get("keepTime") is True else []
    params += ["$__all_variables"] if link.get("includeVars") is True else []
    params += [link["params"]] if _string(link.get("params")) else []
    if params:
        url += "?" + "&".join(params)
    out: dict[str, Any] = {"url": url, "title": _string(link.get("title"))}
    if link.get("targetBlank") is True:
        out["targetBlank"] = True
    return out


def v19(dashboard: dict[str, Any]) -> list[str]:
    """v19.go `upgradePanelLinksInPanel`: each panel link (rows' panels too) is rebuilt as url, title and
    targetBlank (`upgradePanelLink`); entries that are not objects are dropped."""
    for panel in _all_panels(dashboard):
        links = panel.get("links")
        if isinstance(links, list) and links:
            panel["links"] = [_panel_link(link) for link in links if isinstance(link, dict)]
    return []


_LEGACY_VARIABLES = {
    "__series_name": "__series.name",
    "$__series_name": "${__series.name}",
    "__value_time": "__value.time",
    "__field_name": "__field.name",
    "$__field_name": "${__field.name}",
}  # v20.go updateVariablesSyntax
_LEGACY_VARIABLE_RE = re.compile(r"(__series_name)|(\$__series_name)|(__value_time)|(__field_name)|(\$__field_name)")


def _rewrite_urls(links: Any, rewrite: Callable[[str], str]) -> None:
    for link in links if isinstance(links, list) else []:
        if isinstance(link, dict) and isinstance(link.get("url"), str):
            link["url"] = rewrite(link["url"])


def _field_option_defaults(options: dict[str, Any]) -> dict[str, Any] | None:
    field_options = options.get("fieldOptions")
    defaults = field_options.get("defaults") if isinstance(field_options, dict) else None
    return defaults if isinstance(defaults, dict) else None


def _new_variable_syntax(text: str) -> str:
    """v20.go `updateVariablesSyntax`: the old underscore data-link variables -> the dotted ones."""
    return _LEGACY_VARIABLE_RE.sub(lambda m: _LEGACY_VARIABLES[m.group(0)], text)


def v20(dashboard: dict[str, Any]) -> list[str]:
    """v20.go `V20`: top-level panels' data links (`options.dataLinks`) and field option title and links
    (`options.fieldOptions.defaults`) use the dotted variables (`${__series.name}`, `__value.time`...)."""
    for panel in _panels(dashboard):
        options = panel.get("options")
        if not isinstance(options, dict):
            continue
        _rewrite_urls(options.get("dataLinks"), _new_variable_syntax)
        defaults = _field_option_defaults(options)
        if defaults is not None:
            if isinstance(defaults.get("title"), str):
                defaults["title"] = _new_variable_syntax(defaults["title"])
            _rewrite_urls(defaults.get("links"), _new_variable_syntax)
    return []


def v21(dashboard: dict[str, Any]) -> list[str]:
    """v21.go `migratePanelV21`: `__series.labels` -> `__field.labels` in data links and field option links,
    rows' panels included."""

    def rewrite(url: str) -> str:
        return url.replace("__series.labels", "__field.labels")

    for panel in _all_panels(dashboard):
        options = panel.get("options")
        if not isinstance(options, dict):
            continue
        _rewrite_urls(options.get("dataLinks"), rewrite)
        defaults = _field_option_defaults(options)
        if defaults is not None:
            _rewrite_urls(defaults.get("links"), rewrite)
    return []


def v22(dashboard: dict[str, Any]) -> list[str]:
    """v22.go `V22` / `migrateTableStyles`: every style of a table panel, rows' panels included, is aligned
    "auto" (v24 then writes it as Grafana's table reads "auto": `custom.align: ""`, which the schema repair
    names as the default it means)."""
    for panel in _all_panels(dashboard):
        if panel.get("type") == "table" and isinstance(panel.get("styles"), list):
            for style in panel["styles"]:
                if isinstance(style, dict):
                    style["align"] = "auto"
    return []


def _single(value: Any) -> Any:
    """v23.go `convertArrayToSingle`: a list -> its first item, or "" when empty."""
    return (value[0] if value else "") if isinstance(value, list) else value


def v23(dashboard: dict[str, Any]) -> list[str]:
    """v23.go `V23` / `alignCurrentWithMulti`: a variable with a boolean `multi` and a non-empty `current` gets
    its current value (and text) as lists when multi, as single values when not."""
    for variable in _variables(dashboard):
        current = variable.get("current")
        if not isinstance(current, dict) or not current or not isinstance(variable.get("multi"), bool):
            continue
        current = dict(current)
        if variable["multi"]:
            if "value" in current and not isinstance(current["value"], list):
                current["value"] = [current["value"]]
                if "text" in current and not isinstance(current["text"], list):
                    current["text"] = [current["text"]]
        else:
            for key in ("value", "text"):
                if key in current:
                    current[key] = _single(current[key])
        variable["current"] = current
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
    """v24.go `generateThresholds`: the base step takes the first colour (red without one), threshold i the
    colour after it, `colors[i + 1]` (red when there is none); a level that is not a number is 0."""
    base = colors[0] if colors and colors[0] is not None else "red"
    out: list[dict[str, Any]] = [{"color": base, "value": None}]
    for i, level in enumerate(thresholds):
        color = colors[i + 1] if i + 1 < len(colors) and colors[i + 1] is not None else "red"
        number = _number(level)
        out.append({"color": color, "value": number if number is not None else 0.0})
    return out


# v24.go `migrateDefaults`: what every migrated table's field defaults start from, and the table panel's default
# thresholds when the `/.*/` style brings none.
_TABLE_DEFAULT_CUSTOM = {"align": "auto", "cellOptions": {"type": "auto"}, "inspect": False, "footer": {"reducer": []}}
_TABLE_DEFAULT_THRESHOLDS = {"mode": "absolute", "steps": [{"color": "green"}, {"color": "red", "value": 80}]}
# v24.go `tablePanelChangedHandler`: the table panel's default options, which the migrated panel takes.
_TABLE_OPTIONS = {
    "cellHeight": "sm",
    "footer": {"countRows": False, "fields": "", "reducer": ["sum"], "show": False},
    "showHeader": True,
}


def _table_defaults(style: dict[str, Any] | None) -> dict[str, Any]:
    """v24.go `migrateDefaults`: the table's defaults, then the `/.*/` style over them."""
    defaults: dict[str, Any] = {"custom": orjson.loads(orjson.dumps(_TABLE_DEFAULT_CUSTOM)), "mappings": []}
    if not (style and _list(style.get("thresholds"))):
        defaults["thresholds"] = orjson.loads(orjson.dumps(_TABLE_DEFAULT_THRESHOLDS))
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
    if _list(style.get("thresholds")) and _list(style.get("colors")):
        defaults["thresholds"] = {"mode": "absolute", "steps": _table_steps(style["thresholds"], style["colors"])}
    if isinstance(style.get("colorMode"), str) and style["colorMode"] in _TABLE_COLOR_MODES:
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
        props.append({"id": "custom.hideFrom.viz", "value": True})
    if style.get("link") is True:
        link = {
            "title": style.get("linkTooltip") if isinstance(style.get("linkTooltip"), str) else "",
            "url": style.get("linkUrl") if isinstance(style.get("linkUrl"), str) else "",
            "targetBlank": style.get("linkTargetBlank") is True,
        }
        props.append({"id": "links", "value": [link]})
    if isinstance(style.get("colorMode"), str) and style["colorMode"] in _TABLE_COLOR_MODES:
        props.append({"id": "custom.cellOptions", "value": {"type": _TABLE_COLOR_MODES[style["colorMode"]]}})
    if isinstance(style.get("align"), str) and style["align"]:
        props.append({"id": "custom.align", "value": "" if style["align"] == "auto" else style["align"]})
    if _list(style.get("thresholds")) and _list(style.get("colors")):
        steps = _table_steps(style["thresholds"], style["colors"])
        props.append({"id": "thresholds", "value": {"mode": "absolute", "steps": steps}})
    return {"matcher": {"id": "byRegexp" if regexp else "byName", "options": pattern}, "properties": props}


def angular_table(panel: dict[str, Any]) -> None:
    """v24.go `tablePanelChangedHandler`: styles -> field defaults and overrides, `transform` -> a transformation,
    the table panel's default options."""
    styles = [s for s in _list(panel.get("styles")) if isinstance(s, dict)]
    transformations = list(_list(panel.get("transformations")))
    transform = panel.get("transform")
    if isinstance(transform, str) and transform in _TABLE_TRANSFORMS:
        options: dict[str, Any] = {"reducers": []}
        if transform == "timeseries_aggregations":
            options["includeTimeField"] = False
            options["reducers"] = [
                _TABLE_COLUMNS[c["value"]]
                for c in _list(panel.get("columns"))
                if isinstance(c, dict) and c.get("value") in _TABLE_COLUMNS
            ]
        transformations.append({"id": _TABLE_TRANSFORMS[transform], "options": options})
    default = next((s for s in styles if s.get("pattern") == "/.*/"), None)
    overrides = [_table_override(s) for s in styles if isinstance(s.get("pattern"), str) and s["pattern"] != "/.*/"]
    panel["transformations"] = transformations
    panel["fieldConfig"] = {"defaults": _table_defaults(default), "overrides": overrides}
    # The footer migration that follows in Go (`migrateFooterV2`) acts only on a footer shown, and these
    # options, which replace the panel's, never show one.
    panel["options"] = orjson.loads(orjson.dumps(_TABLE_OPTIONS))
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


# --- v25 ----------------------------------------------------------------------------------------------------------


def v25(dashboard: dict[str, Any]) -> list[str]:
    """v25.go `V25`: a no-op in Grafana's backend, kept so its history follows the frontend's migrator; only the
    schemaVersion moves."""
    return []


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
    for panel in _panels(dashboard):
        if "repeatPanelId" in panel or "repeatByRow" in panel:
            continue
        if panel.get("type") == "row" and isinstance(panel.get("panels"), list):
            panel["panels"] = [p for p in panel["panels"] if isinstance(p, dict) and "repeatPanelId" not in p]
        kept.append(panel)
    if isinstance(dashboard.get("panels"), list):
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
# v28.go cleanupAngularProperties / PanelModel.clearPropertiesBeforePluginChange: what a stat panel drops (its
# query options, maxDataPoints, interval and cacheTimeout, are the panel's and stay: `mustKeepProps`).
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


# --- v30: value mappings and tooltip options ----------------------------------------------------------------------


def _go_float(value: Any) -> float | None:
    """Go's `strconv.ParseFloat` on a string: no surrounding space, no digit separators (Python's float allows
    both); None where Go returns an error."""
    if not isinstance(value, str) or value != value.strip() or "_" in value:
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _go_string(value: Any) -> str:
    """v30.go `stringifyValue`: a JSON value as Go's `FormatFloat(v, 'f', -1, 64)` / `FormatBool` writes it; any
    other type is ""."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        text = format(Decimal(repr(float(value))), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return ""


def _threshold_colour(text: Any, thresholds: dict[str, Any] | None) -> Any:
    """v30.go `getColorFromThresholds` / `getActiveThresholdColor`: the colour of the step a numeric mapping text
    falls in (a null step is the base); none for a text that is not a number (as DashboardMigrator.ts)."""
    numeric = _go_float(text)
    if thresholds is None or numeric is None or not isinstance(thresholds.get("steps"), list):
        return None
    active = None
    for step in thresholds["steps"]:
        if not isinstance(step, dict) or "value" not in step:
            continue
        level = step["value"]
        if level is None:
            active = step
        elif isinstance(level, int | float) and not isinstance(level, bool):
            if numeric >= level:
                active = step
            else:
                break
    return active.get("color") if active is not None else None


def _new_style_mapping(mapping: dict[str, Any]) -> bool:
    """v30.go `isNewFormatMapping`: a mapping whose `type` is a non-empty string (value, range, special...)."""
    return isinstance(mapping.get("type"), str) and mapping["type"] != ""


def upgrade_value_mappings(mappings: list[Any], thresholds: dict[str, Any] | None) -> list[Any]:
    """v30.go `upgradeValueMappings`: Angular-era mappings (`type` 1 value->text, 2 range->text) become the new
    kinds; all value->text ones (old and new) are gathered into one `value` mapping placed first; "null" becomes a
    `special` null match; the text's threshold colour is kept. A list already all new is returned as it is."""
    if not mappings or all(_new_style_mapping(m) for m in mappings if isinstance(m, dict)):
        return mappings
    values: dict[str, Any] = {}
    has_values = False
    out: list[Any] = []
    for mapping in mappings:
        if not isinstance(mapping, dict):
            continue
        if _new_style_mapping(mapping):
            if mapping["type"] != "value":
                out.append(mapping)
            elif isinstance(mapping.get("options"), dict):
                values.update(mapping["options"])
                has_values = True
            continue
        kind = mapping.get("type")
        if isinstance(kind, bool) or not isinstance(kind, int | float) or int(kind) not in (1, 2):
            continue
        result: dict[str, Any] = {"text": mapping.get("text")}
        colour = _threshold_colour(mapping.get("text"), thresholds)
        if colour is not None:
            result["color"] = colour
        if int(kind) == 2:
            bounds = {k: _go_float(_go_string(mapping.get(k))) for k in ("from", "to")}
            bounds = {k: v if v is not None else 0.0 for k, v in bounds.items()}
            out.append({"type": "range", "options": {**bounds, "result": result}})
        elif "value" not in mapping:
            continue
        elif mapping["value"] == "null":
            out.append({"type": "special", "options": {"match": "null", "result": result}})
        else:
            values[_go_string(mapping["value"])] = result
            has_values = True
    return [{"type": "value", "options": values}, *out] if has_values else out


def _panel_value_mappings(panel: dict[str, Any]) -> None:
    """v30.go `upgradeValueMappingsForPanel`: the defaults' mappings (with the defaults' thresholds) and every
    override's `mappings` property (without thresholds)."""
    field_config = panel.get("fieldConfig")
    if not isinstance(field_config, dict):
        return
    defaults = field_config.get("defaults")
    if isinstance(defaults, dict) and isinstance(defaults.get("mappings"), list):
        thresholds = defaults.get("thresholds") if isinstance(defaults.get("thresholds"), dict) else None
        defaults["mappings"] = upgrade_value_mappings(defaults["mappings"], thresholds)
    overrides = field_config.get("overrides")
    for override in overrides if isinstance(overrides, list) else []:
        properties = override.get("properties") if isinstance(override, dict) else None
        for prop in properties if isinstance(properties, list) else []:
            if isinstance(prop, dict) and prop.get("id") == "mappings" and isinstance(prop.get("value"), list):
                prop["value"] = upgrade_value_mappings(prop["value"], None)


def v30(dashboard: dict[str, Any]) -> list[str]:
    """v30.go `V30`: value mappings are upgraded (`upgradeValueMappingsForPanel`), and a timeseries or xychart
    panel's `options.tooltipOptions` is renamed `tooltip` (`migrateTooltipOptions`); rows' panels included."""
    for panel in _all_panels(dashboard):
        _panel_value_mappings(panel)
        options = panel.get("options")
        if panel.get("type") in ("timeseries", "xychart", "xychart2") and isinstance(options, dict):
            if "tooltipOptions" in options:
                options["tooltip"] = options.pop("tooltipOptions")
    return []


# --- v31, v32 -----------------------------------------------------------------------------------------------------


def _row_aware_panels(panels: Any) -> list[dict[str, Any]]:
    """The non-row panels, descending into row panels' `panels` (v31.go `processPanelsV31`, v39.go
    `processPanelsV39`): a row panel itself is not visited."""
    out: list[dict[str, Any]] = []
    for panel in panels if isinstance(panels, list) else []:
        if not isinstance(panel, dict):
            continue
        if panel.get("type") == "row":
            out += _row_aware_panels(panel.get("panels"))
        else:
            out.append(panel)
    return out


def v31(dashboard: dict[str, Any]) -> list[str]:
    """v31.go `V31`: a `merge` transformation (empty options) follows every `labelsToFields` one."""
    for panel in _row_aware_panels(dashboard.get("panels")):
        transformations = panel.get("transformations")
        if not isinstance(transformations, list):
            continue
        if not any(isinstance(t, dict) and t.get("id") == "labelsToFields" for t in transformations):
            continue
        out = []
        for transformation in transformations:
            out.append(transformation)
            if isinstance(transformation, dict) and transformation.get("id") == "labelsToFields":
                out.append({"id": "merge", "options": {}})
        panel["transformations"] = out
    return []


def v32(dashboard: dict[str, Any]) -> list[str]:
    """v32.go `V32`: a no-op in Grafana (the version was reserved, its changes made elsewhere); only the
    schemaVersion moves."""
    return []


# --- v33 and v36: datasource names -> references ------------------------------------------------------------------


def v33(dashboard: dict[str, Any]) -> list[str]:
    """v33.go `migratePanelDatasourcesV33`: panel and target datasource names become references; "default" and
    null become null on panels and stay as they are on targets."""
    for panel in _all_panels(dashboard):
        panel["datasource"] = name_to_ref(panel.get("datasource"), default_as_null=True)
        for target in _list(panel.get("targets")):
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


# --- v34: CloudWatch statistics -----------------------------------------------------------------------------------

_CLOUDWATCH_QUERY_KEYS = ("dimensions", "namespace", "region", "metricName")  # v34.go isCloudWatchQuery
# v34.go isLegacyCloudWatchAnnotationQuery
_CLOUDWATCH_ANNOTATION_KEYS = ("dimensions", "namespace", "region", "prefixMatching", "statistics")


def _statistics(value: Any) -> tuple[list[Any], bool]:
    """v34.go `getValidStatistics`: the null and string entries of a `statistics` list, and whether the list is
    empty (an empty list is kept as it is); not a list: nothing."""
    if not isinstance(value, list):
        return [], False
    if not value:
        return [], True
    return [s for s in value if s is None or isinstance(s, str)], False


def _next_ref_id(targets: list[Any]) -> str:
    """v34.go `generateNextRefId`: the first of A..Z, then AA..ZZ, that no target uses."""
    used = {t["refId"] for t in targets if isinstance(t, dict) and isinstance(t.get("refId"), str) and t["refId"]}
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    return next((c for c in letters + [a + b for a in letters for b in letters] if c not in used), "X0")


def _cloudwatch_targets(panel: dict[str, Any]) -> None:
    """v34.go `migrateCloudWatchQueriesInPanel`: a CloudWatch query gets `metricEditorMode` and `metricQueryType`
    0 when missing; its `statistics` list becomes one `statistic`, and each further statistic a copy of the query
    with a new refId, appended after the panel's queries."""
    targets = panel.get("targets")
    if not isinstance(targets, list) or not targets:
        # Go writes a nil slice (JSON null) back for an empty list; [] is kept here, which v36 treats alike.
        return
    kept: list[Any] = []
    added: list[Any] = []
    for target in targets:
        if not isinstance(target, dict) or not all(k in target for k in _CLOUDWATCH_QUERY_KEYS):
            kept.append(target)
            continue
        target.setdefault("metricEditorMode", 0)
        target.setdefault("metricQueryType", 0)
        stats, empty = _statistics(target.get("statistics"))
        if empty:
            kept.append(target)
            continue
        target.pop("statistics", None)
        if len(stats) <= 1:
            if stats and isinstance(stats[0], str):
                target["statistic"] = stats[0]
            kept.append(target)
            continue
        for i, stat in enumerate(stats):
            query = dict(target)
            if isinstance(stat, str):
                query["statistic"] = stat
            if i == 0:
                kept.append(query)
            else:
                query["refId"] = _next_ref_id(targets + added)
                added.append(query)
    panel["targets"] = kept + added


def _cloudwatch_annotations(dashboard: dict[str, Any]) -> None:
    """v34.go `migrateCloudWatchAnnotationQueries`: a legacy CloudWatch annotation's `statistics` becomes one
    `statistic`; each further statistic is a copy named "<name> - <statistic>" appended to the list (the first
    copy takes the suffix too when there are several)."""
    annotations = dashboard.get("annotations")
    items = annotations.get("list") if isinstance(annotations, dict) else None
    if not isinstance(items, list):
        return
    added: list[Any] = []
    for i, annotation in enumerate(list(items)):
        if not isinstance(annotation, dict) or not all(k in annotation for k in _CLOUDWATCH_ANNOTATION_KEYS):
            continue
        name = annotation.get("name") if isinstance(annotation.get("name"), str) else ""
        stats, empty = _statistics(annotation["statistics"])
        if empty:
            continue
        del annotation["statistics"]
        if len(stats) <= 1:
            if stats and isinstance(stats[0], str):
                annotation["statistic"] = stats[0]
            continue
        for j, stat in enumerate(stats):
            copied = dict(annotation)
            if isinstance(stat, str):
                copied["statistic"] = stat
            if name:
                copied["name"] = f"{name} - {'null' if stat is None else stat}"  # v34.go getSuffixForStat
            if j == 0:
                items[i] = copied
            else:
                added.append(copied)
    if added:
        annotations["list"] = items + added


def v34(dashboard: dict[str, Any]) -> list[str]:
    """v34.go `V34`: CloudWatch queries (panels and rows' panels) and annotations with several statistics are
    split, one statistic each. A Prometheus dashboard has none; ported so a mixed one is read as Grafana does."""
    for panel in _all_panels(dashboard):
        _cloudwatch_targets(panel)
    _cloudwatch_annotations(dashboard)
    return []


def v35(dashboard: dict[str, Any]) -> list[str]:
    """v35.go `V35` / `applyXAxisVisibilityOverride`: a timeseries panel whose default axis placement is
    `hidden` gets an override keeping the time (x) axis at `auto`; only panels that have a fieldConfig; rows'
    panels included."""
    for panel in _all_panels(dashboard):
        field_config = panel.get("fieldConfig")
        if panel.get("type") != "timeseries" or not isinstance(field_config, dict):
            continue
        defaults = field_config.get("defaults")
        custom = defaults.get("custom") if isinstance(defaults, dict) else None
        if not isinstance(custom, dict) or custom.get("axisPlacement") != "hidden":
            continue
        overrides = field_config.get("overrides") if isinstance(field_config.get("overrides"), list) else []
        field_config["overrides"] = [
            *overrides,
            {
                "matcher": {"id": "byType", "options": "time"},
                "properties": [{"id": "custom.axisPlacement", "value": "auto"}],
            },
        ]
    return []


def v36(dashboard: dict[str, Any]) -> list[str]:
    """v36.go `V36`: every annotation gets a reference (null -> the default); a query variable with a null
    datasource gets the default; panels (and panels inside rows that have targets) get references, null ones
    the default, and targets without one inherit the panel's (unless the panel is Mixed)."""
    annotations = dashboard.get("annotations")
    for query in _list(annotations.get("list") if isinstance(annotations, dict) else None):
        if isinstance(query, dict):
            query["datasource"] = name_to_ref(query.get("datasource"), default_as_null=False)
    for variable in _variables(dashboard):
        if variable.get("type") == "query" and "datasource" in variable and variable["datasource"] is None:
            variable["datasource"] = dict(INDEX.default)
    for panel in _panels(dashboard):
        _panel_datasources_v36(panel, nested=False)
        for child in _list(panel.get("panels")):
            if isinstance(child, dict):
                _panel_datasources_v36(child, nested=True)
    return []


# --- v37 .. v42 ---------------------------------------------------------------------------------------------------


def v37(dashboard: dict[str, Any]) -> list[str]:
    """v37.go `V37`: a boolean legend becomes an object; a hidden legend is `list` with showLegend false; a
    visible one says showLegend true. The panels of collapsed rows too, as the frontend's migrator (its
    `panelUpgrades` reach them) and the later v37.go (`processPanelsV37`) both do."""
    for panel in _all_panels(dashboard):
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


def _table_panels(panels: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for panel in panels if isinstance(panels, list) else []:
        if isinstance(panel, dict) and panel.get("type") == "row":
            out += _table_panels(panel.get("panels"))
        elif isinstance(panel, dict) and panel.get("type") == "table":
            out.append(panel)
    return out


def v38(dashboard: dict[str, Any]) -> list[str]:
    """v38.go `processPanels`: a table's `custom.displayMode` becomes `custom.cellOptions` (defaults and
    overrides), rows' tables included."""
    for panel in _table_panels(dashboard.get("panels")):
        field_config = panel.get("fieldConfig")
        defaults = field_config.get("defaults") if isinstance(field_config, dict) else None
        custom = defaults.get("custom") if isinstance(defaults, dict) else None
        if not isinstance(custom, dict):
            continue
        if "displayMode" in custom:
            mode = custom.pop("displayMode")
            if isinstance(mode, str):
                custom["cellOptions"] = _cell_options(mode)
        for override in _list(field_config.get("overrides")):
            for prop in _list(override.get("properties") if isinstance(override, dict) else None):
                if isinstance(prop, dict) and prop.get("id") == "custom.displayMode":
                    prop["id"] = "custom.cellOptions"
                    if isinstance(prop.get("value"), str):
                        prop["value"] = _cell_options(prop["value"])
    return []


def v39(dashboard: dict[str, Any]) -> list[str]:
    """v39.go `V39`: a `timeSeriesTable` transformation's `refIdToStat` ({refId: stat}) becomes per-query options
    ({refId: {stat}}), which replace the old options; rows' panels included."""
    for panel in _row_aware_panels(dashboard.get("panels")):
        transformations = panel.get("transformations")
        for transformation in transformations if isinstance(transformations, list) else []:
            if not isinstance(transformation, dict) or transformation.get("id") != "timeSeriesTable":
                continue
            options = transformation.get("options")
            stats = options.get("refIdToStat") if isinstance(options, dict) else None
            if isinstance(stats, dict):
                transformation["options"] = {ref: {"stat": stat} for ref, stat in stats.items()}
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
        for override in _list(overrides):
            for prop in _list(override.get("properties") if isinstance(override, dict) else None):
                if (
                    isinstance(prop, dict)
                    and prop.get("id") == "custom.hideFrom"
                    and isinstance(prop.get("value"), dict)
                ):
                    if prop["value"].get("viz") is True:
                        prop["value"]["tooltip"] = True
    return []


STEPS: dict[int, Step] = {
    10: v10,
    11: v11,
    12: v12,
    13: v13,
    14: v14,
    15: v15,
    16: v16,
    17: v17,
    18: v18,
    19: v19,
    20: v20,
    21: v21,
    22: v22,
    23: v23,
    24: v24,
    25: v25,
    26: v26,
    27: v27,
    28: v28,
    29: v29,
    30: v30,
    31: v31,
    32: v32,
    33: v33,
    34: v34,
    35: v35,
    36: v36,
    37: v37,
    38: v38,
    39: v39,
    40: v40,
    41: v41,
    42: v42,
}

# Grafana's steps (migrations.go GetMigrations, 10..42) not ported here: a dashboard crossing one is told so.
# Every step is ported; the tuple stays so that a step Grafana adds is reported, not skipped, until it is.
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
    if start > LATEST_VERSION:
        notes.append(
            f"schemaVersion {start} is newer than the {LATEST_VERSION} this importer migrates to: read as "
            f"{LATEST_VERSION}; a change a newer Grafana made to the model is not known here (check the result)"
        )
        out["schemaVersion"] = LATEST_VERSION
    if uncarried:
        notes.append(
            f"schemaVersion {start} -> {LATEST_VERSION}; Grafana's steps not ported (importer/schema_steps.py "
            f"NOT_CARRIED): v{', v'.join(str(v) for v in uncarried)}"
        )
    return Upgraded(out, start, tuple(notes))
