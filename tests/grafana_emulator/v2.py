"""The v2 dashboard schema (dashboard.grafana.app/v2beta1, and v2alpha1's older names), down-converted to the
classic JSON the way Grafana 13's legacy endpoint answers for a v2-stored dashboard: with loss.

Only the shapes a dashboards client meets are read: `spec.elements` (panels by name), `spec.layout` (grid,
rows, tabs, auto grid) and each panel's queries and visualisation. What the classic JSON cannot hold is
dropped, as Grafana's down-conversion drops it: tabs become rows, an auto grid becomes fixed positions, and
element names, conditional rendering and layout kinds are gone. This is exactly why dashsync keeps a v2
dashboard as its native resource instead of this form.
"""

from __future__ import annotations

import copy
from typing import Any

AUTO_GRID_WIDTH, AUTO_GRID_HEIGHT = 8, 8


def _panel(element: dict[str, Any], grid: dict[str, int], panel_id: int) -> dict[str, Any]:
    spec = element.get("spec") if isinstance(element.get("spec"), dict) else {}
    viz = spec.get("vizConfig") if isinstance(spec.get("vizConfig"), dict) else {}
    viz_spec = viz.get("spec") if isinstance(viz.get("spec"), dict) else {}
    panel_type = viz.get("group") or viz.get("kind") or "timeseries"  # v2beta1: group; v2alpha1: kind
    data = spec.get("data", {}).get("spec", {}) if isinstance(spec.get("data"), dict) else {}
    targets = []
    for query in data.get("queries") or []:
        q_spec = query.get("spec", {}) if isinstance(query, dict) else {}
        inner = q_spec.get("query", {}) if isinstance(q_spec.get("query"), dict) else {}
        target = copy.deepcopy(inner.get("spec") or {})
        target["refId"] = q_spec.get("refId", "A")
        group = inner.get("group") or inner.get("kind")
        datasource = inner.get("datasource") or q_spec.get("datasource")
        if isinstance(datasource, dict):
            uid = datasource.get("name") or datasource.get("uid")
            target["datasource"] = {"type": group or datasource.get("type"), "uid": uid}
        if q_spec.get("hidden"):
            target["hide"] = True
        targets.append(target)
    panel: dict[str, Any] = {
        "id": spec.get("id", panel_id),
        "type": panel_type,
        "title": spec.get("title", ""),
        "gridPos": grid,
        "targets": targets,
        "fieldConfig": copy.deepcopy(viz_spec.get("fieldConfig") or {"defaults": {}, "overrides": []}),
        "options": copy.deepcopy(viz_spec.get("options") or {}),
    }
    if spec.get("description"):
        panel["description"] = spec["description"]
    if data.get("transformations"):
        panel["transformations"] = copy.deepcopy(data["transformations"])
    return panel


def _items(layout: dict[str, Any], top: int) -> list[tuple[str, dict[str, int]]]:
    """(element name, gridPos) of a grid or auto grid, shifted down to start at row `top`."""
    kind, spec = layout.get("kind"), layout.get("spec") or {}
    out = []
    for n, item in enumerate(spec.get("items") or []):
        item_spec = item.get("spec", {})
        name = item_spec.get("element", {}).get("name", "")
        if kind == "AutoGridLayout":
            columns = int(spec.get("maxColumnCount") or 3)
            grid = {
                "x": (n % columns) * AUTO_GRID_WIDTH,
                "y": top + (n // columns) * AUTO_GRID_HEIGHT,
                "w": AUTO_GRID_WIDTH,
                "h": AUTO_GRID_HEIGHT,
            }
        else:
            grid = {
                "x": int(item_spec.get("x", 0)),
                "y": top + int(item_spec.get("y", 0)),
                "w": int(item_spec.get("width", 12)),
                "h": int(item_spec.get("height", 8)),
            }
        out.append((name, grid))
    return out


def _bottom(placed: list[tuple[str, dict[str, int]]], top: int) -> int:
    return max((g["y"] + g["h"] for _, g in placed), default=top)


def v2_to_classic(spec: dict[str, Any]) -> dict[str, Any]:
    """A v2 spec as classic JSON, with the losses named in this module's docstring."""
    elements = spec.get("elements") if isinstance(spec.get("elements"), dict) else {}
    layout = spec.get("layout") if isinstance(spec.get("layout"), dict) else {}
    panels: list[dict[str, Any]] = []
    next_id = [1]

    def place(inner: dict[str, Any], top: int, into: list[dict[str, Any]]) -> int:
        placed = _items(inner, top)
        for name, grid in placed:
            if name in elements:
                into.append(_panel(elements[name], grid, next_id[0]))
                next_id[0] += 1
        return _bottom(placed, top)

    kind = layout.get("kind")
    if kind in ("RowsLayout", "TabsLayout"):
        key, item_key = ("rows", "title") if kind == "RowsLayout" else ("tabs", "title")
        top = 0
        for section in (layout.get("spec") or {}).get(key) or []:
            section_spec = section.get("spec", {})
            row: dict[str, Any] = {
                "id": next_id[0],
                "type": "row",
                "title": section_spec.get(item_key, ""),
                "gridPos": {"x": 0, "y": top, "w": 24, "h": 1},
                "collapsed": bool(section_spec.get("collapse")),
                "panels": [],
            }
            next_id[0] += 1
            panels.append(row)
            inner_panels: list[dict[str, Any]] = []
            top = place(section_spec.get("layout") or {}, top + 1, inner_panels)
            if row["collapsed"]:
                row["panels"] = inner_panels
            else:
                panels.extend(inner_panels)
    else:
        place(layout, 0, panels)
    time = spec.get("timeSettings") if isinstance(spec.get("timeSettings"), dict) else {}
    classic: dict[str, Any] = {
        "title": spec.get("title", ""),
        "tags": list(spec.get("tags") or []),
        "editable": spec.get("editable", True),
        "panels": panels,
        "schemaVersion": 41,
        "time": {"from": time.get("from", "now-6h"), "to": time.get("to", "now")},
        "templating": {"list": []},
        "annotations": {"list": []},
    }
    if spec.get("description"):
        classic["description"] = spec["description"]
    if time.get("autoRefresh"):
        classic["refresh"] = time["autoRefresh"]
    return classic


def sample_v2_spec(title: str) -> dict[str, Any]:
    """A small v2beta1 spec as Grafana 13's UI saves one: tabs, an auto grid, two panels (tests use it)."""

    def panel(n: int, viz: str, expr: str) -> dict[str, Any]:
        return {
            "kind": "Panel",
            "spec": {
                "id": n,
                "title": f"Panel {n}",
                "description": "",
                "links": [],
                "data": {
                    "kind": "QueryGroup",
                    "spec": {
                        "queries": [
                            {
                                "kind": "PanelQuery",
                                "spec": {
                                    "refId": "A",
                                    "hidden": False,
                                    "query": {
                                        "kind": "DataQuery",
                                        "group": "prometheus",
                                        "version": "v0",
                                        "datasource": {"name": "prometheus"},
                                        "spec": {"expr": expr},
                                    },
                                },
                            }
                        ],
                        "transformations": [],
                        "queryOptions": {},
                    },
                },
                "vizConfig": {
                    "kind": "VizConfig",
                    "group": viz,
                    "version": "13.0.1",
                    "spec": {"options": {}, "fieldConfig": {"defaults": {"unit": "reqps"}, "overrides": []}},
                },
            },
        }

    return {
        "title": title,
        "description": "made in Grafana 13's UI",
        "tags": ["ui"],
        "editable": True,
        "cursorSync": "Off",
        "liveNow": False,
        "preload": False,
        "links": [],
        "annotations": [],
        "variables": [],
        "timeSettings": {
            "from": "now-1h",
            "to": "now",
            "autoRefresh": "30s",
            "timezone": "browser",
            "fiscalYearStartMonth": 0,
            "hideTimepicker": False,
            "weekStart": "",
        },
        "elements": {
            "panel-1": panel(1, "timeseries", "sum(rate(http_requests_total[5m]))"),
            "panel-2": panel(2, "stat", "up"),
        },
        "layout": {
            "kind": "TabsLayout",
            "spec": {
                "tabs": [
                    {
                        "kind": "TabsLayoutTab",
                        "spec": {
                            "title": "Traffic",
                            "layout": {
                                "kind": "AutoGridLayout",
                                "spec": {
                                    "maxColumnCount": 3,
                                    "columnWidthMode": "standard",
                                    "rowHeightMode": "standard",
                                    "items": [
                                        {
                                            "kind": "AutoGridLayoutItem",
                                            "spec": {"element": {"kind": "ElementReference", "name": "panel-1"}},
                                        }
                                    ],
                                },
                            },
                        },
                    },
                    {
                        "kind": "TabsLayoutTab",
                        "spec": {
                            "title": "Health",
                            "layout": {
                                "kind": "GridLayout",
                                "spec": {
                                    "items": [
                                        {
                                            "kind": "GridLayoutItem",
                                            "spec": {
                                                "x": 0,
                                                "y": 0,
                                                "width": 6,
                                                "height": 4,
                                                "element": {"kind": "ElementReference", "name": "panel-2"},
                                            },
                                        }
                                    ]
                                },
                            },
                        },
                    },
                ]
            },
        },
    }
