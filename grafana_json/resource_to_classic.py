"""Dashboard resources (Grafana 12/13 exports) -> the classic dashboard JSON: what the importer and the linter read.

Since Grafana 12 a dashboard is a Kubernetes-style resource: `apiVersion: dashboard.grafana.app/<version>`,
`kind: Dashboard`, `metadata.name` (the uid) and a `spec`. Two shapes:

- v0alpha1/v1alpha1/v1beta1: `spec` *is* the classic JSON (apps/dashboard/pkg/apis/dashboard/v1beta1, an
  unstructured object); it is taken as it is, its uid from `metadata.name` when the spec has none.
- v2alpha1/v2beta1: `spec.elements` (panels by name) placed by `spec.layout` (GridLayout, RowsLayout,
  TabsLayout, AutoGridLayout), with variables and annotations as typed kinds. It is converted to classic JSON
  the way Grafana's backend converts it (apps/dashboard/pkg/migration/conversion/v2beta1_to_v2alpha1.go, then
  v2alpha1_to_v1beta1.go `convertDashboardSpec_V2alpha1_to_V1beta1`, whose panel, variable and annotation
  functions now live in v2alpha1_to_v1.go under the same names): grid items keep their positions, rows
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
        try:
            dashboard, left_out = v2_to_classic(spec, beta=version != "v2alpha1")
        except (AttributeError, TypeError, KeyError, ValueError) as exc:
            # A value of a type the v2 schema does not allow (a list where a kind's spec goes...): Grafana's
            # conversion, decoding into typed structs, refuses such a resource too. One line, not a traceback.
            raise ResourceProblem(
                f"a {version} dashboard resource of a shape the v2 schema does not allow ({type(exc).__name__}: {exc})"
            ) from None
        notes = (f"converted a {version} dashboard resource (elements + layout) to classic JSON", *left_out)
    else:
        raise ResourceProblem(f"dashboard resource version {version!r} is not one the importer reads")
    if isinstance(name, str) and name and not dashboard.get("uid"):
        dashboard["uid"] = name
    return dashboard, notes


# --- v2 -> classic -------------------------------------------------------------------------------------------------


SHARED_DASHBOARD = "-- Dashboard --"  # getPanelDatasource `sharedDashboardQuery`
MIXED = {"type": "mixed", "uid": "-- Mixed --"}


def _data_query(query: Any, parent_datasource: Any, beta: bool) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
    """(kind, spec, datasource reference as v2alpha1 holds it: `{uid?, type?}`) of a data query.

    v2alpha1: the query's `kind` is the datasource type and the reference sits on the enclosing spec
    (PanelQuerySpec, QueryVariableSpec, AnnotationQuerySpec `datasource`). v2beta1
    (v2beta1_to_v2alpha1.go `convertDataQuery_V2beta1_to_V2alpha1`): the type is the query's `group`, and a
    `datasource.name` on the query becomes `{uid: name, type: group}`."""
    query = query if isinstance(query, dict) else {}
    spec = query.get("spec") if isinstance(query.get("spec"), dict) else {}
    if beta:
        kind = query.get("group") if isinstance(query.get("group"), str) else ""
        ds = query.get("datasource")
        if isinstance(ds, dict) and ds.get("name") is not None:
            return kind, spec, {"uid": ds["name"], "type": kind}
        return kind, spec, None
    kind = query.get("kind") if isinstance(query.get("kind"), str) else ""
    return kind, spec, parent_datasource if isinstance(parent_datasource, dict) else None


def _datasource_for_query(ds: dict[str, Any] | None, query_kind: str) -> dict[str, Any] | None:
    """v2alpha1_to_v1.go `getDataSourceForQuery`: `{uid, type}` when the reference has a uid (its type, else the
    query kind), `{type}` from the query kind when it has none, nothing when neither is known."""
    uid = (ds or {}).get("uid")
    if isinstance(uid, str) and uid:
        ref: dict[str, Any] = {"uid": uid}
        if (ds or {}).get("type") is not None:
            ref["type"] = (ds or {})["type"]
        elif query_kind:
            ref["type"] = query_kind
        return ref
    return {"type": query_kind} if query_kind else None


def _panel_datasource(queries: list[tuple[str, dict[str, Any], dict[str, Any] | None]]) -> dict[str, Any] | None:
    """v2alpha1_to_v1.go `getPanelDatasource`: the panel's own datasource, which the frontend's PanelQueryRunner
    reads (left unset it falls back to the default datasource). More than one `-- Dashboard --` query, or queries
    on different (uid, type) pairs: mixed; one `-- Dashboard --` query: the dashboard datasource; else the one
    pair all queries share, its empty parts left out."""
    if not queries:
        return None
    if sum(1 for _, _, ds in queries if ds and ds.get("uid") == SHARED_DASHBOARD) > 1:
        return dict(MIXED)
    pairs = []
    for kind, _, ds in queries:
        uid = (ds or {}).get("uid")
        if isinstance(uid, str) and uid:
            pairs.append((uid, ds["type"] if (ds or {}).get("type") is not None else kind))
        else:
            pairs.append(("", kind))
    if any(pair != pairs[0] for pair in pairs):
        return dict(MIXED)
    uid, kind = pairs[0]
    if uid == SHARED_DASHBOARD:
        return {"type": "datasource", "uid": SHARED_DASHBOARD}
    ref = {key: value for key, value in (("type", kind), ("uid", uid)) if value}
    return ref or None


def _target(kind: str, spec: dict[str, Any], ds: dict[str, Any] | None, panel_query: dict[str, Any]) -> dict[str, Any]:
    """v2alpha1_to_v1.go `convertPanelQueryToV1`."""
    qspec = panel_query.get("spec") or {}
    target = {k: v for k, v in spec.items() if k != LEGACY_STRING_VALUE_KEY}
    if isinstance(spec.get(LEGACY_STRING_VALUE_KEY), str):
        target["query"] = spec[LEGACY_STRING_VALUE_KEY]
    target["refId"] = qspec.get("refId", "")
    if qspec.get("hidden") is True:
        target["hide"] = True
    ref = _datasource_for_query(ds, kind)
    if ref:
        target["datasource"] = ref
    return target


def _matcher(config: dict[str, Any]) -> dict[str, Any]:
    """v2alpha1_to_v1.go `matcherConfigToMap`."""
    out = {"id": config.get("id", ""), "options": config.get("options")}
    if config.get("scope") is not None:
        out["scope"] = config["scope"]
    return out


def _transformation(spec: dict[str, Any]) -> dict[str, Any]:
    """v2alpha1_to_v1.go `convertPanelKindToV1` (transformations): id and options, `disabled` when set, `filter`
    in the matcher shape when set."""
    out: dict[str, Any] = {"id": spec.get("id", ""), "options": spec.get("options")}
    if spec.get("disabled") is not None:
        out["disabled"] = spec["disabled"]
    if isinstance(spec.get("filter"), dict):
        out["filter"] = _matcher(spec["filter"])
    return out


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
    # convertPanelKindToV1 writes `pluginVersion` (v2beta1: the VizConfig's `version`,
    # convertVizConfig_V2beta1_to_V2alpha1): without it the frontend takes the panel for an older plugin's and
    # runs its migrations again. An empty one says nothing, so it is left out.
    version = viz.get("version") if beta else viz_spec.get("pluginVersion")
    if isinstance(version, str) and version:
        panel["pluginVersion"] = version
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
    panel_queries = [q for q in data.get("queries") or [] if isinstance(q, dict)]
    queries = [
        _data_query((q.get("spec") or {}).get("query"), (q.get("spec") or {}).get("datasource"), beta)
        for q in panel_queries
    ]
    panel["targets"] = [_target(*query, q) for query, q in zip(queries, panel_queries, strict=True)]
    panel_ds = _panel_datasource(queries)
    if panel_ds:
        panel["datasource"] = panel_ds
    transformations = [t.get("spec") or {} for t in data.get("transformations") or [] if isinstance(t, dict)]
    if transformations:
        panel["transformations"] = [_transformation(t) for t in transformations]
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
        """`processTabItem`: each tab is an expanded row (repeated as the tab is), its content after it."""
        out: list[dict[str, Any]] = []
        for tab in (layout.get("spec") or {}).get("tabs") or []:
            spec = tab.get("spec") or {}
            row = _row_panel(spec.get("title"), y, collapsed=False)
            if isinstance(spec.get("repeat"), dict) and spec["repeat"].get("value"):
                row["repeat"] = spec["repeat"]["value"]  # v1 has no repeat mode: the value alone
            out.append(row)
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


def _text_or_values(value: Any) -> Any:
    """v2alpha1_to_v1.go `convertStringOrArrayOfStringToV1`: a string as it is, a non-empty list as it is, else ""."""
    if isinstance(value, str) or (isinstance(value, list) and value):
        return value
    return ""


def _current(value: Any) -> dict[str, Any]:
    current = value if isinstance(value, dict) else {}
    return {"text": _text_or_values(current.get("text")), "value": _text_or_values(current.get("value"))}


def _options(options: Any) -> list[dict[str, Any]]:
    """v2alpha1_to_v1.go `convertVariableOptionsToV1`: text and value, `selected` when set."""
    out = []
    for option in options if isinstance(options, list) else []:
        if isinstance(option, dict):
            out.append(
                _current(option) | ({"selected": option["selected"]} if option.get("selected") is not None else {})
            )
    return out


def _carry(out: dict[str, Any], spec: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Copy each of `keys` that `spec` sets (Go: `if spec.X != nil { varMap[x] = *spec.X }`)."""
    for key in keys:
        if spec.get(key) is not None:
            out[key] = spec[key]
    return out


def _query_variable(variable: dict[str, Any], spec: dict[str, Any], common: dict[str, Any], beta: bool) -> dict:
    """`convertQueryVariableToV1`."""
    kind, qspec, ds = _data_query(spec.get("query"), spec.get("datasource"), beta)
    legacy = qspec.get(LEGACY_STRING_VALUE_KEY)
    out = common | {
        "type": "query",
        "multi": bool(spec.get("multi")),
        "includeAll": bool(spec.get("includeAll")),
        "refresh": REFRESH.get(spec.get("refresh"), 0),
        "sort": SORT.get(spec.get("sort"), 0),
        "regex": spec.get("regex", ""),
        "current": _current(spec.get("current")),
        "options": _options(spec.get("options")),
        "query": legacy if isinstance(legacy, str) else dict(qspec),
    }
    _carry(out, spec, "allValue", "definition", "regexApplyTo", "allowCustomValue")
    if spec.get("staticOptions"):
        out["staticOptions"] = _options(spec["staticOptions"])
    _carry(out, spec, "staticOptionsOrder")
    ref = _datasource_for_query(ds, kind)
    if ref:
        out["datasource"] = ref
    return out


def _datasource_variable(variable: dict[str, Any], spec: dict[str, Any], common: dict[str, Any], beta: bool) -> dict:
    """`convertDatasourceVariableToV1`."""
    out = common | {
        "type": "datasource",
        "multi": bool(spec.get("multi")),
        "includeAll": bool(spec.get("includeAll")),
        "refresh": REFRESH.get(spec.get("refresh"), 0),
        "regex": spec.get("regex", ""),
        "query": spec.get("pluginId", ""),
        "current": _current(spec.get("current")),
        "options": _options(spec.get("options")),
    }
    return _carry(out, spec, "allValue", "allowCustomValue")


def _custom_variable(variable: dict[str, Any], spec: dict[str, Any], common: dict[str, Any], beta: bool) -> dict:
    """`convertCustomVariableToV1`. `valuesFormat` (csv or json: how the query is read) is carried from v2beta1 too,
    though v2beta1_to_v2alpha1.go `convertVariable_V2beta1_to_V2alpha1` does not copy it yet: the frontend reading
    the v2beta1 dashboard does (transformSaveModelSchemaV2ToScene, `valuesFormat: variable.spec.valuesFormat`),
    so that is what its viewers see."""
    out = common | {
        "type": "custom",
        "multi": bool(spec.get("multi")),
        "includeAll": bool(spec.get("includeAll")),
        "query": spec.get("query", ""),
        "current": _current(spec.get("current")),
        "options": _options(spec.get("options")),
    }
    return _carry(out, spec, "allowCustomValue", "allValue", "valuesFormat")


def _constant_variable(variable: dict[str, Any], spec: dict[str, Any], common: dict[str, Any], beta: bool) -> dict:
    """`convertConstantVariableToV1`: always hidden, else DashboardMigrator turns it into a textbox."""
    return common | {
        "type": "constant",
        "hide": 2,
        "query": spec.get("query", ""),
        "current": _current(spec.get("current")),
    }


def _interval_variable(variable: dict[str, Any], spec: dict[str, Any], common: dict[str, Any], beta: bool) -> dict:
    """`convertIntervalVariableToV1`."""
    return common | {
        "type": "interval",
        "query": spec.get("query", ""),
        "auto": bool(spec.get("auto")),
        "auto_min": spec.get("auto_min", ""),
        "auto_count": spec.get("auto_count", 0),
        "current": _current(spec.get("current")),
        "options": _options(spec.get("options")),
    }


def _text_variable(variable: dict[str, Any], spec: dict[str, Any], common: dict[str, Any], beta: bool) -> dict:
    """`convertTextVariableToV1`."""
    return common | {"type": "textbox", "query": spec.get("query", ""), "current": _current(spec.get("current"))}


def _kind_datasource(variable: dict[str, Any], spec: dict[str, Any], beta: bool) -> dict[str, Any] | None:
    """The datasource of a GroupBy or Adhoc variable as v2alpha1 holds it. v2beta1 keeps it on the variable kind
    (v2beta1_to_v2alpha1.go `convertVariable_V2beta1_to_V2alpha1`): `group` is the type, `datasource.name` the uid."""
    if not beta:
        return spec.get("datasource") if isinstance(spec.get("datasource"), dict) else None
    ds = variable.get("datasource")
    uid = ds.get("name") if isinstance(ds, dict) else None
    group = variable.get("group") if isinstance(variable.get("group"), str) and variable.get("group") else None
    if uid is None and group is None:
        return None
    return {key: value for key, value in (("type", group), ("uid", uid)) if value is not None}


def _groupby_variable(variable: dict[str, Any], spec: dict[str, Any], common: dict[str, Any], beta: bool) -> dict:
    """`convertGroupByVariableToV1`: the datasource only with a uid (`getDataSourceForQuery(ds, "")`)."""
    out = common | {
        "type": "groupby",
        "multi": bool(spec.get("multi")),
        "current": _current(spec.get("current")),
        "options": _options(spec.get("options")),
    }
    ref = _datasource_for_query(_kind_datasource(variable, spec, beta), "")
    if ref:
        out["datasource"] = ref
    if isinstance(spec.get("defaultValue"), dict):
        out["defaultValue"] = _current(spec["defaultValue"])
    return out


def _adhoc_filter(spec: dict[str, Any]) -> dict[str, Any]:
    """`convertAdhocVariableToV1` (one of `filters` / `baseFilters`)."""
    out = {"key": spec.get("key", ""), "operator": spec.get("operator", ""), "value": spec.get("value", "")}
    _carry(out, spec, "keyLabel", "condition")
    for key in ("values", "valueLabels"):
        if spec.get(key):
            out[key] = spec[key]
    return _carry(out, spec, "origin")


def _default_key(spec: dict[str, Any]) -> dict[str, Any]:
    """`convertAdhocVariableToV1` (one of `defaultKeys`): text, and value, group, expandable when set."""
    out = {"text": spec.get("text", "")}
    if isinstance(spec.get("value"), (str, int, float)) and not isinstance(spec.get("value"), bool):
        out["value"] = spec["value"]
    return _carry(out, spec, "group", "expandable")


def _adhoc_variable(variable: dict[str, Any], spec: dict[str, Any], common: dict[str, Any], beta: bool) -> dict:
    """`convertAdhocVariableToV1`: `allowCustomValue` always (absent, the spec's default: true, per
    NewDashboardAdhocVariableSpec); the datasource only with a uid (`getDataSourceForQuery(ds, "")`)."""
    out = common | {"type": "adhoc", "allowCustomValue": spec.get("allowCustomValue", True)}
    _carry(out, spec, "enableGroupBy")
    ref = _datasource_for_query(_kind_datasource(variable, spec, beta), "")
    if ref:
        out["datasource"] = ref
    for key in ("filters", "baseFilters"):
        if isinstance(spec.get(key), list) and spec[key]:
            out[key] = [_adhoc_filter(f) for f in spec[key] if isinstance(f, dict)]
    if isinstance(spec.get("defaultKeys"), list) and spec["defaultKeys"]:
        out["defaultKeys"] = [_default_key(k) for k in spec["defaultKeys"] if isinstance(k, dict)]
    return out


def _switch_variable(variable: dict[str, Any], spec: dict[str, Any], common: dict[str, Any], beta: bool) -> dict:
    """`convertSwitchVariableToV1`: an empty query, the current value as text and value, and the two options
    (enabled, then disabled), each selected when it is the current value."""
    current = spec.get("current", "")
    options = [spec.get("enabledValue", ""), spec.get("disabledValue", "")]
    return common | {
        "type": "switch",
        "query": "",
        "current": {"text": current, "value": current},
        "options": [{"text": value, "value": value, "selected": current == value} for value in options],
    }


VARIABLES = {
    "QueryVariable": _query_variable,
    "DatasourceVariable": _datasource_variable,
    "CustomVariable": _custom_variable,
    "ConstantVariable": _constant_variable,
    "IntervalVariable": _interval_variable,
    "TextVariable": _text_variable,
    "GroupByVariable": _groupby_variable,
    "AdhocVariable": _adhoc_variable,
    "SwitchVariable": _switch_variable,
}  # convertVariablesToV1: a kind it does not know is left out


def _variable(variable: dict[str, Any], beta: bool) -> dict[str, Any] | None:
    """v2alpha1_to_v1.go `convertVariablesToV1`, given the whole variable kind (a v2beta1 GroupBy or Adhoc
    variable keeps its datasource beside its spec)."""
    convert = VARIABLES.get(variable.get("kind", ""))
    if convert is None:
        return None
    spec = variable.get("spec") if isinstance(variable.get("spec"), dict) else {}
    common: dict[str, Any] = {
        "name": spec.get("name", ""),
        "hide": HIDE.get(spec.get("hide"), 0),
        "skipUrlSync": bool(spec.get("skipUrlSync")),
    }
    _carry(common, spec, "label", "description")
    return convert(variable, spec, common, beta)


def _annotation_mappings(mappings: dict[str, Any]) -> dict[str, Any]:
    """v2alpha1_to_v1.go `convertAnnotationMappings_V2alpha1_to_V1`: each mapping in the structured form (source,
    "field" when unset; value and regex when not empty), kept when its source is "skip" or it has a value."""
    out = {}
    for key, mapping in mappings.items():
        if not isinstance(mapping, dict):
            continue
        source = mapping["source"] if mapping.get("source") is not None else "field"
        converted: dict[str, Any] = {"source": source}
        for part in ("value", "regex"):
            if mapping.get(part):
                converted[part] = mapping[part]
        if source == "skip" or mapping.get("value"):
            out[key] = converted
    return out


def _annotation(spec: dict[str, Any], beta: bool) -> dict[str, Any]:
    """v2alpha1_to_v1.go `convertAnnotationsToV1`. The datasource is `getDataSourceForQuery(datasource,
    query.kind)`; a v2beta1 query with an empty spec and no datasource is no query at all
    (`convertDataQuery_V2beta1_to_V2alpha1`)."""
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
    kind, qspec, ds = _data_query(query, spec.get("datasource"), beta)
    if beta and not qspec and ds is None:
        query = None
    ref = _datasource_for_query(ds, kind if query is not None else "")
    if ref:
        out["datasource"] = ref
    if query is not None and qspec:
        out["target"] = dict(qspec)
    panel_filter = spec.get("filter")
    if isinstance(panel_filter, dict):
        converted = _carry({}, panel_filter, "exclude")
        if panel_filter.get("ids"):
            converted["ids"] = list(panel_filter["ids"])
        if converted:
            out["filter"] = converted
    if isinstance(spec.get("mappings"), dict) and spec["mappings"]:
        mappings = _annotation_mappings(spec["mappings"])
        if mappings:
            out["mappings"] = mappings
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
    if time.get("quickRanges"):
        timepicker["quick_ranges"] = [
            {"display": r.get("display", ""), "from": r.get("from", ""), "to": r.get("to", "")}
            for r in time["quickRanges"]
            if isinstance(r, dict)
        ]
    if timepicker:
        dashboard["timepicker"] = timepicker
    if spec.get("links"):
        dashboard["links"] = spec["links"]
    walk = _Layout(elements, beta)
    dashboard["panels"] = walk.any(spec.get("layout") or {}, 0)
    unplaced = sorted(set(elements) - walk.used)
    notes = (f"left out elements no layout item places (Grafana does not draw them): {', '.join(unplaced)}",)
    variables = [_variable(v, beta) for v in spec.get("variables") or [] if isinstance(v, dict)]
    dashboard["templating"] = {"list": [v for v in variables if v is not None]}
    dashboard["annotations"] = {
        "list": [_annotation(a.get("spec") or {}, beta) for a in spec.get("annotations") or [] if isinstance(a, dict)]
    }
    return dashboard, notes if unplaced else ()
