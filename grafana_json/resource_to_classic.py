"""Dashboard resources (Grafana 12/13 exports) -> the classic dashboard JSON: what the importer and the linter read.

Since Grafana 12 a dashboard is a Kubernetes-style resource: `apiVersion: dashboard.grafana.app/<version>`,
`kind: Dashboard`, `metadata.name` (the uid) and a `spec`. Two shapes:

- v0alpha1/v1alpha1/v1beta1: `spec` *is* the classic JSON (apps/dashboard/pkg/apis/dashboard/v1beta1, an
  unstructured object); it is taken as it is, its uid from `metadata.name` when the spec has none.
- v2alpha1/v2beta1: `spec.elements` (panels by name) placed by `spec.layout` (GridLayout, RowsLayout,
  TabsLayout, AutoGridLayout), with variables and annotations as typed kinds. It is converted to classic JSON
  the way Grafana's backend converts it (apps/dashboard/pkg/migration/conversion/v2beta1_to_v2alpha1.go, then
  v2alpha1_to_v1beta1.go `convertDashboardSpec_V2alpha1_to_V1beta1`): grid items keep their positions, rows
  become row panels (collapsed rows hold their panels), tabs become expanded rows, an auto grid is laid out
  left to right at 24 / maxColumnCount columns and the mode's height.

Pure functions: a parsed object in, a classic dashboard (or a `ResourceProblem`) out. It lives in grafana_json
(facts of Grafana's JSON) so that the importer and the linter read a resource the same way.
"""

from __future__ import annotations

from typing import Any

API_GROUP = "dashboard.grafana.app/"
CLASSIC_VERSIONS = ("v0alpha1", "v1alpha1", "v1beta1", "v1")
V2_VERSIONS = ("v2alpha1", "v2beta1", "v2")
LEGACY_STRING_VALUE_KEY = "__legacyStringValue"  # v1beta1_to_v2alpha1.go: a v1 query that was a plain string
GRID_COLUMNS = 24
ROW_HEIGHT_MODES = {"short": 5, "standard": 9, "tall": 14}  # convertAutoGridLayoutToPanels
CURSOR_SYNC = {"Off": 0, "Crosshair": 1, "Tooltip": 2}  # transformCursorSyncFromEnum
HIDE = {"dontHide": 0, "hideLabel": 1, "hideVariable": 2}  # transformVariableHideFromEnum
REFRESH = {"never": 0, "onDashboardLoad": 1, "onTimeRangeChanged": 2}  # transformVariableRefreshFromEnum
SORT = {
    "disabled": 0,
    "alphabeticalAsc": 1,
    "alphabeticalDesc": 2,
    "numericalAsc": 3,
    "numericalDesc": 4,
    "alphabeticalCaseInsensitiveAsc": 5,
    "alphabeticalCaseInsensitiveDesc": 6,
    "naturalAsc": 7,
    "naturalDesc": 8,
}  # transformVariableSortFromEnum


class ResourceProblem(ValueError):
    """The resource cannot become a classic dashboard; the message says why, in words."""


def api_version(data: dict[str, Any]) -> str | None:
    """`v2beta1` for `dashboard.grafana.app/v2beta1`, None when `data` is not a dashboard resource."""
    value = data.get("apiVersion")
    if isinstance(value, str) and value.startswith(API_GROUP) and data.get("kind") == "Dashboard":
        return value[len(API_GROUP) :]
    return None


def classic_from_resource(data: dict[str, Any]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The classic JSON of a dashboard resource, and notes: which resource it was, what its conversion left out."""
    version = api_version(data) or ""
    spec = data.get("spec")
    if not isinstance(spec, dict):
        raise ResourceProblem(f"a {version} dashboard resource without a spec object")
    name = (data.get("metadata") or {}).get("name") if isinstance(data.get("metadata"), dict) else None
    if version in CLASSIC_VERSIONS or (version not in V2_VERSIONS and "elements" not in spec):
        dashboard = dict(spec)
        notes: tuple[str, ...] = (f"read a {version} dashboard resource (its spec is classic JSON)",)
    elif version in V2_VERSIONS or "elements" in spec:
        dashboard, left_out = v2_to_classic(spec, beta=version != "v2alpha1")
        notes = (f"converted a {version} dashboard resource (elements + layout) to classic JSON", *left_out)
    else:
        raise ResourceProblem(f"dashboard resource version {version!r} is not one the importer reads")
    if isinstance(name, str) and name and not dashboard.get("uid"):
        dashboard["uid"] = name
    return dashboard, notes


# --- v2 -> classic -------------------------------------------------------------------------------------------------


def _query_ref(query: dict[str, Any], beta: bool) -> tuple[dict[str, Any], dict[str, Any] | None, str]:
    """(the query's own spec, its datasource reference, its datasource type) for a v2beta1 DataQuery or a
    v2alpha1 query kind (v2beta1_to_v2alpha1.go `convertDataQuery_V2beta1_to_V2alpha1`, then
    v2alpha1_to_v1beta1.go `getDataSourceForQuery`)."""
    spec = query.get("spec") if isinstance(query.get("spec"), dict) else {}
    kind = (query.get("group") if beta else query.get("kind")) or ""
    ds = query.get("datasource") if isinstance(query.get("datasource"), dict) else None
    uid = (ds or {}).get("name") if beta else (ds or {}).get("uid")
    if uid:
        kind_of_ds = (ds or {}).get("type") or kind
        return spec, {"uid": uid} | ({"type": kind_of_ds} if kind_of_ds else {}), kind
    return spec, ({"type": kind} if kind else None), kind


def _target(panel_query: dict[str, Any], beta: bool) -> dict[str, Any]:
    """v2alpha1_to_v1beta1.go `convertPanelQueryToV1`."""
    qspec = panel_query.get("spec") or {}
    query = qspec.get("query") if isinstance(qspec.get("query"), dict) else {}
    spec, ref, _ = _query_ref(query, beta)
    if not beta and isinstance(qspec.get("datasource"), dict) and qspec["datasource"].get("uid"):
        ref = {"uid": qspec["datasource"]["uid"], "type": qspec["datasource"].get("type") or query.get("kind")}
    target = {k: v for k, v in spec.items() if k != LEGACY_STRING_VALUE_KEY}
    if isinstance(spec.get(LEGACY_STRING_VALUE_KEY), str):
        target["query"] = spec[LEGACY_STRING_VALUE_KEY]
    target["refId"] = qspec.get("refId", "")
    if qspec.get("hidden") is True:
        target["hide"] = True
    if ref:
        target["datasource"] = ref
    return target


def _panel(element: dict[str, Any], item: dict[str, Any], beta: bool) -> dict[str, Any]:
    """v2alpha1_to_v1beta1.go `convertPanelFromElement` / `convertPanelKindToV1`."""
    spec = element.get("spec") or {}
    panel: dict[str, Any] = {
        "gridPos": {"x": item.get("x", 0), "y": item.get("y", 0), "w": item.get("width", 0), "h": item.get("height", 0)}
    }
    repeat = item.get("repeat")
    if isinstance(repeat, dict) and repeat.get("value"):
        panel["repeat"] = repeat["value"]
        if repeat.get("direction") in ("h", "v"):
            panel["repeatDirection"] = repeat["direction"]
        if repeat.get("maxPerRow") is not None:
            panel["maxPerRow"] = repeat["maxPerRow"]
    if element.get("kind") == "LibraryPanel":
        panel.update(id=spec.get("id"), title=spec.get("title", ""), type="library-panel-ref")
        panel["libraryPanel"] = dict(spec.get("libraryPanel") or {})
        return panel
    viz = spec.get("vizConfig") or {}
    viz_spec = viz.get("spec") or {}
    panel["id"] = spec.get("id")
    panel["title"] = spec.get("title", "")
    if spec.get("description"):
        panel["description"] = spec["description"]
    panel["type"] = viz.get("group") if beta else viz.get("kind")
    if viz_spec.get("options") is not None:
        panel["options"] = viz_spec["options"]
    if viz_spec.get("fieldConfig"):
        panel["fieldConfig"] = viz_spec["fieldConfig"]
    if spec.get("links"):
        panel["links"] = spec["links"]
    data = (spec.get("data") or {}).get("spec") or {}
    queries = [q for q in data.get("queries") or [] if isinstance(q, dict)]
    panel["targets"] = [_target(q, beta) for q in queries]
    refs = {
        (str((t.get("datasource") or {}).get("uid", "")), str((t.get("datasource") or {}).get("type", "")))
        for t in panel["targets"]
    }
    if len(refs) > 1:  # detectMixedDatasource
        panel["datasource"] = {"type": "mixed", "uid": "-- Mixed --"}
    transformations = [t.get("spec") or {} for t in data.get("transformations") or [] if isinstance(t, dict)]
    if transformations:
        panel["transformations"] = [{"id": t.get("id"), "options": t.get("options")} for t in transformations]
    options = data.get("queryOptions") or {}
    for key in (
        "cacheTimeout",
        "maxDataPoints",
        "interval",
        "hideTimeOverride",
        "queryCachingTTL",
        "timeFrom",
        "timeShift",
    ):
        if options.get(key) is not None:
            panel[key] = options[key]
    if spec.get("transparent") is not None:
        panel["transparent"] = spec["transparent"]
    return panel


class _Layout:
    """The v2 layout walk (v2alpha1_to_v1beta1.go `convertPanelsFromElementsAndLayout` and its helpers)."""

    def __init__(self, elements: dict[str, Any], beta: bool) -> None:
        self.elements = elements
        self.beta = beta
        self.used: set[str] = set()

    def _element(self, item: dict[str, Any]) -> dict[str, Any]:
        name = ((item.get("element") or {}).get("name")) or ""
        if name not in self.elements:
            raise ResourceProblem(f"layout item refers to element {name!r}, which spec.elements does not have")
        self.used.add(name)
        return self.elements[name]

    def grid(self, layout: dict[str, Any], y_offset: int = 0) -> list[dict[str, Any]]:
        out = []
        for item in (layout.get("spec") or {}).get("items") or []:
            ispec = dict(item.get("spec") or {})
            ispec["y"] = ispec.get("y", 0) + y_offset
            out.append(_panel(self._element(ispec), ispec, self.beta))
        return out

    def auto_grid(self, layout: dict[str, Any], y_offset: int = 0) -> list[dict[str, Any]]:
        """`convertAutoGridLayoutToPanelsWithOffset`: width 24 / maxColumnCount, height by row height mode."""
        spec = layout.get("spec") or {}
        columns = spec.get("maxColumnCount") if (spec.get("maxColumnCount") or 0) > 0 else 3
        width = int(GRID_COLUMNS / columns)
        mode = spec.get("rowHeightMode")
        height = ROW_HEIGHT_MODES.get(mode, 9)
        if mode == "custom" and (spec.get("rowHeight") or 0) > 0:
            height = int((spec["rowHeight"] + 38 - 1) // 38)
        x, y, out = 0, y_offset, []
        for item in spec.get("items") or []:
            ispec = item.get("spec") or {}
            grid_item = {"element": ispec.get("element"), "x": x, "y": y, "width": width, "height": height}
            if isinstance(ispec.get("repeat"), dict):
                grid_item["repeat"] = {**ispec["repeat"], "direction": "h", "maxPerRow": int(columns)}
            out.append(_panel(self._element(grid_item), grid_item, self.beta))
            x += width
            if x >= GRID_COLUMNS:
                x, y = 0, y + height
        return out

    def any(self, layout: dict[str, Any], y: int = 0) -> list[dict[str, Any]]:
        kind = layout.get("kind")
        if kind == "GridLayout":
            return self.grid(layout, y)
        if kind == "AutoGridLayout":
            return self.auto_grid(layout, y)
        if kind == "RowsLayout":
            return self.rows(layout, y)
        if kind == "TabsLayout":
            return self.tabs(layout, y)
        if layout:
            raise ResourceProblem(f"layout kind {kind!r} is not GridLayout, RowsLayout, TabsLayout or AutoGridLayout")
        return []

    def rows(self, layout: dict[str, Any], y: int = 0) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for row in (layout.get("spec") or {}).get("rows") or []:
            panels, y = self._row(row.get("spec") or {}, y)
            out += panels
        return out

    def tabs(self, layout: dict[str, Any], y: int = 0) -> list[dict[str, Any]]:
        """`processTabItem`: each tab is an expanded row, its content after it."""
        out: list[dict[str, Any]] = []
        for tab in (layout.get("spec") or {}).get("tabs") or []:
            spec = tab.get("spec") or {}
            out.append(_row_panel(spec.get("title"), y, collapsed=False))
            y += 1
            content = self.any(spec.get("layout") or {}, y)
            out += content
            y = _max_y(content, y)
        return out

    def _row(self, spec: dict[str, Any], y: int) -> tuple[list[dict[str, Any]], int]:
        """`processRowItem`: a row panel (unless its header is hidden), its panels after it or inside it."""
        hidden = spec.get("hideHeader") is True
        inner = spec.get("layout") or {}
        out: list[dict[str, Any]] = []
        if inner.get("kind") in ("RowsLayout", "TabsLayout"):
            if not hidden:
                out.append(_row_panel(spec.get("title"), y, collapsed=False))
                y += 1
            nested = self.any(inner, y)
            return out + nested, _max_y(nested, y)
        collapsed = spec.get("collapse") is True
        start = y
        if not hidden:
            row = _row_panel(spec.get("title"), y, collapsed=collapsed)
            if isinstance(spec.get("repeat"), dict) and spec["repeat"].get("value"):
                row["repeat"] = spec["repeat"]["value"]
            if collapsed:
                row["panels"] = self.any(inner, y + 1)
            out.append(row)
            y += 1
        if not collapsed or hidden:
            offset = start if hidden else y - 1
            if inner.get("kind") == "GridLayout":
                panels = self.grid(inner, 0 if hidden else offset)
                out += panels
                y = max((p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels), default=start)
            elif inner.get("kind") == "AutoGridLayout":
                panels = self.auto_grid(inner, offset)
                out += panels
                y = _max_y(panels, offset)
        return out, y


def _row_panel(title: Any, y: int, *, collapsed: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"type": "row", "collapsed": collapsed, "panels": []}
    if isinstance(title, str):
        row["title"] = title
    row["gridPos"] = {"x": 0, "y": y, "w": GRID_COLUMNS, "h": 1}
    return row


def _max_y(panels: list[dict[str, Any]], y: int) -> int:
    """`getMaxYFromPanels`."""
    return max([y] + [p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels if isinstance(p.get("gridPos"), dict)])


def _current(value: Any) -> dict[str, Any]:
    current = value if isinstance(value, dict) else {}
    return {"text": current.get("text", ""), "value": current.get("value", "")}


def _variable(kind: str, spec: dict[str, Any], beta: bool) -> dict[str, Any] | None:
    """v2alpha1_to_v1beta1.go `convertVariablesToV1` (query, datasource, custom, constant, interval, textbox,
    groupby, adhoc)."""
    common: dict[str, Any] = {
        "name": spec.get("name", ""),
        "hide": HIDE.get(spec.get("hide"), 0),
        "skipUrlSync": bool(spec.get("skipUrlSync")),
    }
    for key in ("label", "description"):
        if spec.get(key) is not None:
            common[key] = spec[key]
    if kind == "QueryVariable":
        query = spec.get("query") if isinstance(spec.get("query"), dict) else {}
        qspec, ref, _ = _query_ref(query, beta)
        if not beta and isinstance(spec.get("datasource"), dict) and spec["datasource"].get("uid"):
            ref = {"uid": spec["datasource"]["uid"], "type": spec["datasource"].get("type") or query.get("kind")}
        out = common | {
            "type": "query",
            "multi": bool(spec.get("multi")),
            "includeAll": bool(spec.get("includeAll")),
            "refresh": REFRESH.get(spec.get("refresh"), 0),
            "sort": SORT.get(spec.get("sort"), 0),
            "regex": spec.get("regex", ""),
            "current": _current(spec.get("current")),
            "options": list(spec.get("options") or []),
            "query": qspec.get(LEGACY_STRING_VALUE_KEY)
            if isinstance(qspec.get(LEGACY_STRING_VALUE_KEY), str)
            else dict(qspec),
        }
        for key in ("allValue", "definition"):
            if spec.get(key) is not None:
                out[key] = spec[key]
        if ref:
            out["datasource"] = ref
        return out
    if kind == "DatasourceVariable":
        return common | {
            "type": "datasource",
            "multi": bool(spec.get("multi")),
            "includeAll": bool(spec.get("includeAll")),
            "refresh": REFRESH.get(spec.get("refresh"), 0),
            "regex": spec.get("regex", ""),
            "query": spec.get("pluginId", ""),
            "current": _current(spec.get("current")),
            "options": list(spec.get("options") or []),
        }
    if kind == "CustomVariable":
        return (
            common
            | {
                "type": "custom",
                "multi": bool(spec.get("multi")),
                "includeAll": bool(spec.get("includeAll")),
                "query": spec.get("query", ""),
                "current": _current(spec.get("current")),
                "options": list(spec.get("options") or []),
            }
            | ({"allValue": spec["allValue"]} if spec.get("allValue") is not None else {})
        )
    if kind == "ConstantVariable":
        return common | {
            "type": "constant",
            "hide": 2,
            "query": spec.get("query", ""),
            "current": _current(spec.get("current")),
        }
    if kind == "IntervalVariable":
        return common | {
            "type": "interval",
            "query": spec.get("query", ""),
            "auto": bool(spec.get("auto")),
            "auto_min": spec.get("auto_min", ""),
            "auto_count": spec.get("auto_count", 0),
            "current": _current(spec.get("current")),
            "options": list(spec.get("options") or []),
        }
    if kind == "TextVariable":
        return common | {"type": "textbox", "query": spec.get("query", ""), "current": _current(spec.get("current"))}
    if kind in ("GroupByVariable", "AdhocVariable"):
        out = common | {"type": "groupby" if kind == "GroupByVariable" else "adhoc"}
        ds = spec.get("datasource")
        if isinstance(ds, dict) and (ds.get("uid") or ds.get("type")):
            out["datasource"] = {k: ds[k] for k in ("uid", "type") if ds.get(k)}
        if kind == "AdhocVariable" and spec.get("filters"):
            out["filters"] = spec["filters"]
        return out
    return None


def _annotation(spec: dict[str, Any], beta: bool) -> dict[str, Any]:
    """v2alpha1_to_v1beta1.go `convertAnnotationsToV1`."""
    out: dict[str, Any] = {
        "name": spec.get("name", ""),
        "enable": bool(spec.get("enable")),
        "hide": bool(spec.get("hide")),
        "iconColor": spec.get("iconColor", ""),
    }
    if spec.get("builtIn") is True:
        out["builtIn"] = 1
        out["type"] = "dashboard"
    query = spec.get("query") if isinstance(spec.get("query"), dict) else None
    if query is not None:
        qspec, ref, _ = _query_ref(query, beta)
        if ref:
            out["datasource"] = ref
        if qspec:
            out["target"] = dict(qspec)
    elif isinstance(spec.get("datasource"), dict):
        out["datasource"] = spec["datasource"]
    if isinstance(spec.get("filter"), dict) and spec["filter"]:
        out["filter"] = spec["filter"]
    for key, value in (spec.get("legacyOptions") or {}).items():
        if key not in (
            "name",
            "enable",
            "hide",
            "iconColor",
            "datasource",
            "target",
            "filter",
            "builtIn",
            "placement",
            "mappings",
        ):
            out[key] = value
    return out


def v2_to_classic(spec: dict[str, Any], *, beta: bool = True) -> tuple[dict[str, Any], tuple[str, ...]]:
    """`convertDashboardSpec_V2alpha1_to_V1beta1` (after the v2beta1 -> v2alpha1 step when `beta`), and what
    the conversion left behind, in words.

    An element the layout does not place is left out, as Grafana leaves it: `convertPanelsFromElementsAndLayout`
    walks the layout and looks elements up, so an element no layout item names is never converted (nor drawn)."""
    elements = spec.get("elements")
    if not isinstance(elements, dict):
        raise ResourceProblem("a v2 dashboard resource whose spec.elements is not an object")
    dashboard: dict[str, Any] = {"title": spec.get("title", "")}
    if spec.get("description") is not None:
        dashboard["description"] = spec["description"]
    if spec.get("tags"):
        dashboard["tags"] = spec["tags"]
    dashboard["graphTooltip"] = CURSOR_SYNC.get(spec.get("cursorSync"), 0)
    dashboard["schemaVersion"] = 42  # migrations.go LATEST_VERSION: a converted dashboard needs no migration
    dashboard["editable"] = spec.get("editable", True)
    for key in ("liveNow", "preload", "revision"):
        if spec.get(key) is not None:
            dashboard[key] = spec[key]
    time = spec.get("timeSettings") or {}
    dashboard["time"] = {"from": time.get("from") or "now-6h", "to": time.get("to") or "now"}
    if time.get("timezone") is not None:
        dashboard["timezone"] = time["timezone"]
    dashboard["refresh"] = time.get("autoRefresh", "")
    dashboard["fiscalYearStartMonth"] = time.get("fiscalYearStartMonth", 0)
    if time.get("weekStart") is not None:
        dashboard["weekStart"] = time["weekStart"]
    timepicker: dict[str, Any] = {}
    if time.get("autoRefreshIntervals"):
        timepicker["refresh_intervals"] = time["autoRefreshIntervals"]
    if time.get("hideTimepicker"):
        timepicker["hidden"] = True
    if time.get("nowDelay") is not None:
        timepicker["nowDelay"] = time["nowDelay"]
    if timepicker:
        dashboard["timepicker"] = timepicker
    if spec.get("links"):
        dashboard["links"] = spec["links"]
    walk = _Layout(elements, beta)
    dashboard["panels"] = walk.any(spec.get("layout") or {}, 0)
    unplaced = sorted(set(elements) - walk.used)
    notes = (f"left out elements no layout item places (Grafana does not draw them): {', '.join(unplaced)}",)
    variables = [
        _variable(v.get("kind", ""), v.get("spec") or {}, beta)
        for v in spec.get("variables") or []
        if isinstance(v, dict)
    ]
    dashboard["templating"] = {"list": [v for v in variables if v is not None]}
    dashboard["annotations"] = {
        "list": [_annotation(a.get("spec") or {}, beta) for a in spec.get("annotations") or [] if isinstance(a, dict)]
    }
    return dashboard, notes if unplaced else ()
