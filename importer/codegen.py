"""Canonical panels and variables -> builder calls, each verified against the JSON it must reproduce.

For every panel the importer reads the builder's parameters back out of the JSON, builds the panel, and compares
the canonical result with the input. Equal: a plain builder call. Close (only keys the builder has no parameter
for differ, such as overrides or links): the builder call wrapped in `panels.raw.extend` with those keys. Anything
else: `panels.raw.raw_panel` with the panel's JSON. Each decision is returned as a `Choice` for the report.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson

from compiler.canonical import canonicalise, drop_nulls
from grafana_json.serialise import plain
from importer.pycode import Call, Name, Star, value
from panels import bargauge, datasource_variable, gauge, heatmap, prom, query_variable, stat, table, text, timeseries
from panels.groups import USE_RESOURCES, red, use
from panels.links import runbook_family
from panels.raw import extend, flow, placed_row, raw_panel
from panels.thresholds import steps
from signals import slo

BUILDER, EXTENDED, RAW = "builder", "builder+extend", "raw"
# An overlay larger than this share of the panel's JSON says the builder is the wrong starting point.
MAX_OVERLAY_SHARE = 0.5
SCALES = (1, 100, 1000, 3600, 86400)
NAMED_THRESHOLDS = {name: th for name, th in vars(slo).items() if isinstance(th, slo.Threshold)}


@dataclass(frozen=True)
class Choice:
    """How one panel was imported (for the report)."""

    title: str
    type: str
    path: str  # BUILDER, EXTENDED or RAW
    why: str = ""


def canonical_panel(obj: Any) -> dict[str, Any]:
    """A panel (grafanalib object or dict) as the compiler would emit it, without its id."""
    panel = canonicalise({"panels": [plain(obj)]})["panels"][0]
    panel.pop("id", None)
    return panel


def canonical_variable(obj: Any) -> dict[str, Any]:
    return canonicalise({"templating": {"list": [plain(obj)]}})["templating"]["list"][0]


def same(a: Any, b: Any) -> bool:
    """Equal as JSON text, so 1 and 1.0 (which serialise differently) are not the same."""
    return orjson.dumps(a, option=orjson.OPT_SORT_KEYS) == orjson.dumps(b, option=orjson.OPT_SORT_KEYS)


def diff(target: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """The overlay that turns `base` into `target` (see `panels.raw.overlay_json`)."""
    out: dict[str, Any] = {}
    for key, wanted in target.items():
        have = base.get(key)
        if isinstance(wanted, dict) and isinstance(have, dict):
            sub = diff(wanted, have)
            if sub:
                out[key] = sub
        elif key not in base or not same(wanted, have):
            out[key] = wanted
    for key in base:
        if key not in target:
            out[key] = None
    return out


def _size(node: Any) -> int:
    return len(json.dumps(node))


# --- reading builder parameters back out of the JSON ------------------------------------------------------------


def _steps(th: Any, scale: float = 1) -> list[dict[str, Any]]:
    """The threshold steps a builder writes, with numbers as the compiler writes them (5.0 -> 5)."""
    return drop_nulls({"steps": steps(th, scale=scale)})["steps"]


def _threshold(panel: dict[str, Any]) -> dict[str, Any]:
    found = ((panel.get("fieldConfig") or {}).get("defaults") or {}).get("thresholds") or {}
    wanted = found.get("steps")
    if not wanted or wanted == steps(None):
        return {}
    for scale in SCALES:
        for name, th in NAMED_THRESHOLDS.items():
            if same(_steps(th, scale), wanted):
                return {"threshold": Name(name, "signals.slo", th)} | ({"scale": scale} if scale != 1 else {})
    if len(wanted) == 3:
        levels = [s.get("value") for s in wanted[1:]]
        for rising in (True, False):
            if None in levels:
                break
            warning, critical = (levels[0], levels[1]) if rising else (levels[1], levels[0])
            try:
                th = slo.Threshold(warning=warning, critical=critical, rising=rising)
            except (ValueError, TypeError):
                continue
            if same(_steps(th), wanted):
                return {
                    "threshold": Call(
                        slo.Threshold,
                        "signals.slo",
                        (),
                        {"warning": warning, "critical": critical} | ({} if rising else {"rising": False}),
                    )
                }
    return {}


def _target(target: dict[str, Any], index: int) -> Any:
    fmt = target.get("format", "time_series")
    legend = target.get("legendFormat", "")
    call = Call(
        prom,
        "panels",
        (target.get("expr", ""),) + ((legend,) if legend and legend != "__auto" else ()),
        {
            k: v
            for k, v in (
                ("instant", bool(target.get("instant"))),
                ("table", fmt == "table"),
                ("heatmap", fmt == "heatmap"),
            )
            if v
        },
    )
    probe = {"type": "text", "targets": [plain(call.build())]}
    wanted = {"type": "text", "targets": [target]}
    if same(
        canonicalise({"panels": [probe]})["panels"][0]["targets"][0],
        canonicalise({"panels": [wanted]})["panels"][0]["targets"][0],
    ):
        return call
    return {k: v for k, v in target.items() if k != "refId"}


def _targets(panel: dict[str, Any]) -> list[Any]:
    return [_target(t, i) for i, t in enumerate(panel.get("targets") or [])]


def _defaults(panel: dict[str, Any]) -> dict[str, Any]:
    return (panel.get("fieldConfig") or {}).get("defaults") or {}


def _common(panel: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    pos = panel.get("gridPos") or {}
    return ((panel.get("title", ""),), {"description": panel.get("description", "")}), {
        k: pos.get(k) for k in ("w", "h", "x", "y")
    }


def _optional(kwargs: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if k not in defaults or defaults[k] != v}


def _timeseries(panel: dict[str, Any]) -> Call:
    d = _defaults(panel)
    custom = d.get("custom") or {}
    legend = (panel.get("options") or {}).get("legend") or {}
    kwargs = {
        "unit": d.get("unit", ""),
        **_threshold(panel),
        "stack": (custom.get("stacking") or {}).get("mode") == "normal",
        "fill": custom.get("fillOpacity", 10),
        "min_": d.get("min"),
        "max_": d.get("max"),
        "decimals": d.get("decimals"),
        "legend_calcs": tuple(legend.get("calcs") or ()),
        "bars": custom.get("drawStyle") == "bars",
    }
    defaults = {
        "stack": False,
        "fill": 10,
        "min_": None,
        "max_": None,
        "decimals": None,
        "legend_calcs": (),
        "bars": False,
    }
    return _call(timeseries, panel, _optional(kwargs, defaults))


def _reduce(panel: dict[str, Any]) -> str:
    calcs = (((panel.get("options") or {}).get("reduceOptions") or {}).get("calcs")) or ["lastNotNull"]
    return calcs[0]


def _colours(panel: dict[str, Any]) -> dict[str, Any]:
    """`colours=` for steps no named or reconstructed threshold reproduces (a count, a budget's sign)."""
    if _threshold(panel):
        return {}
    wanted = ((_defaults(panel).get("thresholds") or {}).get("steps")) or []
    if not wanted or wanted == drop_nulls({"steps": steps(None)})["steps"]:
        return {}
    return {"colours": [{"color": s.get("color"), "value": s.get("value")} for s in wanted]}


def _column_units(panel: dict[str, Any]) -> dict[str, Any]:
    """`column_units=` from overrides that each set only the unit of one column by name."""
    units = {}
    for override in (panel.get("fieldConfig") or {}).get("overrides") or []:
        matcher, props = override.get("matcher") or {}, override.get("properties") or []
        if matcher.get("id") != "byName" or len(props) != 1 or props[0].get("id") != "unit":
            return {}
        units[matcher.get("options")] = props[0].get("value")
    return {"column_units": units} if units else {}


def _stat(panel: dict[str, Any]) -> Call:
    d = _defaults(panel)
    options = panel.get("options") or {}
    kwargs = {
        "unit": d.get("unit", ""),
        **_threshold(panel),
        **_colours(panel),
        "reduce": _reduce(panel),
        "graph": options.get("graphMode") != "none",
        "mappings": d.get("mappings") or None,
        "decimals": d.get("decimals"),
        "min_": d.get("min"),
        "max_": d.get("max"),
        "color_background": options.get("colorMode") == "background",
    }
    defaults = {
        "reduce": "lastNotNull",
        "graph": True,
        "mappings": None,
        "decimals": None,
        "min_": None,
        "max_": None,
        "color_background": False,
    }
    return _call(stat, panel, _optional(kwargs, defaults))


def _gauge(panel: dict[str, Any]) -> Call:
    d = _defaults(panel)
    kwargs = {
        "unit": d.get("unit", ""),
        **_threshold(panel),
        "min_": d.get("min"),
        "max_": d.get("max"),
        "reduce": _reduce(panel),
    }
    return _call(gauge, panel, _optional(kwargs, {"min_": 0, "max_": 1, "reduce": "lastNotNull"}))


def _bargauge(panel: dict[str, Any]) -> Call:
    d = _defaults(panel)
    kwargs = {
        "unit": d.get("unit", ""),
        **_threshold(panel),
        "min_": d.get("min"),
        "max_": d.get("max"),
        "reduce": _reduce(panel),
        "horizontal": (panel.get("options") or {}).get("orientation") == "horizontal",
    }
    return _call(
        bargauge, panel, _optional(kwargs, {"min_": 0, "max_": None, "reduce": "lastNotNull", "horizontal": True})
    )


def _table(panel: dict[str, Any]) -> Call:
    d = _defaults(panel)
    organize = next(
        (
            t.get("options") or {}
            for t in panel.get("transformations") or []
            if isinstance(t, dict) and t.get("id") == "organize"
        ),
        {},
    )
    kwargs = {
        "unit": d.get("unit", ""),
        **_threshold(panel),
        "hide_columns": tuple(k for k, v in (organize.get("excludeByName") or {}).items() if v),
        "rename": organize.get("renameByName") or None,
        **_column_units(panel),
    }
    return _call(table, panel, _optional(kwargs, {"hide_columns": ("Time",), "rename": None}))


def _heatmap(panel: dict[str, Any]) -> Call:
    y_axis = (panel.get("options") or {}).get("yAxis") or {}
    targets = _targets(panel)
    args, pos = _common(panel)
    return Call(
        heatmap,
        "panels",
        (*args[0], targets[0] if len(targets) == 1 else targets),
        {"unit": y_axis.get("unit", ""), **args[1], **pos},
    )


def _text(panel: dict[str, Any]) -> Call:
    args, pos = _common(panel)
    content = (panel.get("options") or {}).get("content", "")
    return Call(text, "panels", (*args[0], content), {**args[1], **pos})


def _runbook(builder: Callable[..., Any], panel: dict[str, Any]) -> dict[str, Any]:
    """`runbook=` when the panel's only link is the one `panels.links.runbook_links` makes."""
    family = runbook_family(panel.get("links") or [])
    return {"runbook": family} if family and "runbook" in inspect.signature(builder).parameters else {}


def _call(builder: Callable[..., Any], panel: dict[str, Any], kwargs: dict[str, Any]) -> Call:
    args, pos = _common(panel)
    targets = _targets(panel)
    target_arg = targets[0] if len(targets) == 1 else targets
    kwargs = {"unit": kwargs.pop("unit"), **kwargs, **_runbook(builder, panel), **args[1], **pos}
    return Call(builder, "panels", (*args[0], target_arg), kwargs)


READERS: dict[str, Callable[[dict[str, Any]], Call]] = {
    "timeseries": _timeseries,
    "stat": _stat,
    "gauge": _gauge,
    "bargauge": _bargauge,
    "table": _table,
    "heatmap": _heatmap,
    "text": _text,
}


# --- choosing and verifying ---------------------------------------------------------------------------------------


def _raw(panel: dict[str, Any], why: str) -> tuple[Call, Choice]:
    json_ = {k: v for k, v in panel.items() if k != "id"}
    call = Call(raw_panel, "panels.raw", (json_,), comment=f"RAW: {why}; kept as Grafana JSON")
    return call, Choice(panel.get("title", ""), panel.get("type", ""), RAW, why)


def panel_node(panel: dict[str, Any]) -> tuple[Call, Choice]:
    """The code for one (non-row) canonical panel, and how it was chosen."""
    wanted = {k: v for k, v in panel.items() if k != "id"}
    ptype = panel.get("type", "")
    reader = READERS.get(ptype)
    if reader is None:
        return _raw(panel, f"no builder for panel type {ptype!r}")
    try:
        call = reader(panel)
        got = canonical_panel(call.build())
    except Exception as exc:  # a builder refusing these parameters: keep the panel as it is
        return _raw(panel, f"the {ptype} builder cannot take its settings ({type(exc).__name__})")
    if same(got, wanted):
        return call, Choice(panel.get("title", ""), ptype, BUILDER)
    overlay = diff(wanted, got)
    if _size(overlay) <= MAX_OVERLAY_SHARE * _size(wanted):
        keys = sorted(_paths(overlay))
        extended = Call(
            extend,
            "panels.raw",
            (call, overlay),
            comment=f"EXTENDED: the {ptype} builder has no parameter for {', '.join(keys)}",
        )
        if same(canonical_panel(extended.build()), wanted):
            return extended, Choice(panel.get("title", ""), ptype, EXTENDED, ", ".join(keys))
    return _raw(panel, f"the {ptype} builder does not reproduce it ({', '.join(sorted(_paths(overlay))[:4])})")


def _paths(overlay: dict[str, Any], prefix: str = "", depth: int = 0) -> set[str]:
    out: set[str] = set()
    for key, val in overlay.items():
        path = f"{prefix}{key}"
        if isinstance(val, dict) and val and depth < 2:
            out |= _paths(val, path + ".", depth + 1)
        else:
            out.add(path)
    return out


def row_node(row: dict[str, Any], children: list[Any]) -> Call:
    """`placed_row(...)`; a row Grafana stores with another size (schema step v16 gives a row the height of the
    old row's panels; hand-edited JSON has narrow rows) keeps it through `extend`."""
    kwargs: dict[str, Any] = {"y": (row.get("gridPos") or {}).get("y", 0)}
    if row.get("collapsed"):
        kwargs["collapsed"] = True
    pos = row.get("gridPos") or {}
    odd = {k: pos[k] for k, usual in (("h", 1), ("w", 24), ("x", 0)) if k in pos and pos[k] != usual}
    if not odd:
        if row.get("repeat"):
            kwargs["repeat"] = row["repeat"]
        return Call(placed_row, "panels.raw", (row.get("title", ""), children), kwargs)
    overlay: dict[str, Any] = {"gridPos": odd} | ({"repeat": row["repeat"]} if row.get("repeat") else {})
    base = Call(placed_row, "panels.raw", (row.get("title", ""), children), kwargs)
    shape = ", ".join(f"{k}={v}" for k, v in odd.items())
    return Call(extend, "panels.raw", (base, overlay), comment=f"EXTENDED: a row drawn at {shape}")


_RED_RATE = re.compile(r"rate\(http_requests_total\{(?P<sel>[^}]*)\}\[\$__rate_interval\]\)")
_RED_BY = re.compile(r"^sum by \((?P<by>\w+)\) ")


def _group_candidates(first: dict[str, Any]) -> list[Call]:
    """`red(...)`/`use(...)` calls that could have produced a run of panels starting with `first`."""
    targets = first.get("targets") or []
    if first.get("type") != "timeseries" or not targets:
        return []
    expr = targets[0].get("expr", "")
    pos = first.get("gridPos") or {}
    size = {k: pos.get(k) for k in ("w", "h") if pos.get(k) != 8}
    out: list[Call] = []
    rate, by = _RED_RATE.search(expr), _RED_BY.match(expr)
    if rate and by:
        out.append(
            Call(red, "panels.groups", (rate["sel"],), ({"by": by["by"]} if by["by"] != "handler" else {}) | size)
        )
    for resource, signals in USE_RESOURCES.items():
        prefix = signals.utilisation.split("{sel")[0] + "{"
        if expr.startswith(prefix):
            selector = expr[len(prefix) :].split("}")[0].removesuffix(', device!="lo"')
            out.append(Call(use, "panels.groups", (resource, selector), size))
    return out


def _group_at(panels: list[dict[str, Any]], index: int) -> tuple[Star, int] | None:
    first = panels[index]
    pos = first.get("gridPos") or {}
    for call in _group_candidates(first):
        try:
            placed = flow(call.build(), x=pos.get("x", 0), y=pos.get("y", 0))
        except Exception:  # noqa: S112 - a selector the group cannot take is simply not this group
            continue
        wanted = [{k: v for k, v in p.items() if k != "id"} for p in panels[index : index + len(placed)]]
        if same([canonical_panel(p) for p in placed], wanted):
            kwargs = ({"x": pos["x"]} if pos.get("x") else {}) | {"y": pos.get("y", 0)}
            return Star(Call(flow, "panels.raw", (call,), kwargs)), len(placed)
    return None


def _sequence(panels: list[dict[str, Any]]) -> tuple[list[Any], list[Choice]]:
    """Nodes for consecutive panels, a RED or USE group in one call where one reproduces a run of them."""
    nodes: list[Any] = []
    choices: list[Choice] = []
    index = 0
    while index < len(panels):
        group = _group_at(panels, index)
        if group:
            node, count = group
            nodes.append(node)
            choices += [
                Choice(p.get("title", ""), p.get("type", ""), BUILDER, f"{node.call.args[0].name} group")
                for p in panels[index : index + count]
            ]
            index += count
            continue
        node, choice = panel_node(panels[index])
        nodes.append(node)
        choices.append(choice)
        index += 1
    return nodes, choices


def panels_node(panels: list[dict[str, Any]]) -> tuple[list[Any], list[Choice]]:
    """Top-level items: rows grouping the panels that follow them (or that they hold when collapsed)."""
    segments: list[tuple[dict[str, Any] | None, list[dict[str, Any]]]] = []
    for panel in panels:
        if panel.get("type") == "row":
            segments.append((panel, list(panel.get("panels") or [])))
        elif segments and segments[-1][0] is not None and not segments[-1][0].get("collapsed"):
            segments[-1][1].append(panel)
        elif segments and segments[-1][0] is None:
            segments[-1][1].append(panel)
        else:
            segments.append((None, [panel]))
    items: list[Any] = []
    choices: list[Choice] = []
    for row, members in segments:
        nodes, found = _sequence(members)
        choices += found
        items += nodes if row is None else [row_node(row, nodes)]
    return items, choices


def variable_node(variable: dict[str, Any]) -> Any:
    """`datasource_variable()`, `query_variable(...)` when one reproduces it, else the variable's JSON."""
    candidates: list[Call] = [Call(datasource_variable, "panels")]
    if variable.get("type") == "query":
        include_all = bool(variable.get("includeAll"))
        current = (variable.get("current") or {}).get("value")
        kwargs: dict[str, Any] = {} if include_all else {"include_all": False}
        if not include_all and current is not None:
            kwargs["default"] = current
        candidates.append(
            Call(
                query_variable,
                "panels",
                (variable.get("name", ""), variable.get("query", ""), variable.get("label", "")),
                kwargs,
            )
        )
    for call in candidates:
        try:
            if same(canonical_variable(value(call)), variable):
                return call
        except Exception:  # noqa: S112 - a candidate that cannot be built simply does not match
            continue
    return variable
