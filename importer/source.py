"""Read a Grafana dashboard JSON and bring it to the canonical form our compiler emits (pure except `load`).

What changes on the way in, and why:
- datasource references to Prometheus (a concrete uid, `${DS_PROMETHEUS}` from an export, or another datasource
  variable) become the `${datasource}` variable, and the datasource variable is added when missing: a dashboard
  in code must work against whichever Prometheus the viewer picks;
- instance state is dropped: dashboard `id`, `version`, `iteration`, `gnetId`, the export's `__inputs`,
  `__requires`, `__elements`, panel `pluginVersion`, query-editor mode;
- targets get Grafana's defaults written out (`format`, `instant`, `legendFormat: __auto`), so equal queries
  look equal;
- the old `graph` and `singlestat` panels are migrated to `timeseries` and `stat` (reported per panel).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compiler.canonical import DATASOURCE_REF, canonicalise
from grafana_json.serialise import plain
from importer.migrate import MIGRATIONS
from panels import datasource_variable

DROPPED_DASHBOARD_KEYS = ("id", "version", "iteration", "gnetId", "__inputs", "__requires", "__elements")
DROPPED_PANEL_KEYS = ("pluginVersion",)

# Core Grafana panel types: the builders cover some, `panels.raw` keeps the others exactly. Anything else is a
# plugin the project does not provision, so importing it would give a dashboard with a broken panel.
BUILDER_TYPES = frozenset({"timeseries", "stat", "gauge", "bargauge", "table", "heatmap", "text", "row"})
RAW_TYPES = frozenset(
    {
        "piechart",
        "barchart",
        "state-timeline",
        "status-history",
        "histogram",
        "logs",
        "news",
        "dashlist",
        "alertlist",
        "annolist",
        "nodeGraph",
        "geomap",
        "canvas",
        "xychart",
        "trend",
        "flamegraph",
        "traces",
        "candlestick",
        "datagrid",
        "welcome",
        "gettingstarted",
    }
)
KNOWN_TYPES = BUILDER_TYPES | RAW_TYPES | frozenset(MIGRATIONS)

_DS_VARIABLE = re.compile(r"^\$\{?(?P<name>[A-Za-z0-9_]+)\}?$")


class ImportFailure(Exception):
    """The input cannot be imported; the message is one line naming the file and the reason."""


@dataclass(frozen=True)
class Source:
    """A dashboard ready for code generation: canonical JSON, plus what was changed on the way (for the report)."""

    dashboard: dict[str, Any]
    notes: tuple[str, ...]


def load(path: Path) -> dict[str, Any]:
    """The dashboard object from a file (a bare dashboard, or the API's `{"dashboard": ..., "meta": ...}`)."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # as the linter reads it: exports may start with a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailure(f"{path}: cannot read: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailure(f"{path}: not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("dashboard"), dict):
        data = data["dashboard"]
    if not isinstance(data, dict) or not isinstance(data.get("panels"), list) or not data.get("title"):
        raise ImportFailure(f"{path}: not a Grafana dashboard (expected an object with a title and a panels list)")
    return data


def _datasource_variables(dashboard: dict[str, Any]) -> set[str]:
    variables = (dashboard.get("templating") or {}).get("list") or []
    names = {v.get("name") for v in variables if isinstance(v, dict) and v.get("type") == "datasource"}
    inputs = {i.get("name") for i in dashboard.get("__inputs") or [] if isinstance(i, dict)}
    return {n for n in names | inputs if n}


def _is_prometheus_ref(value: Any, ds_vars: set[str]) -> bool:
    if isinstance(value, str):
        match = _DS_VARIABLE.match(value)
        return bool(match and (match["name"] in ds_vars or match["name"] == "datasource"))
    if isinstance(value, dict):
        uid = value.get("uid")
        if value.get("type") == "prometheus":
            return True
        return isinstance(uid, str) and value.get("type") in (None, "") and _is_prometheus_ref(uid, ds_vars)
    return False


def _target(target: dict[str, Any], ds_vars: set[str]) -> dict[str, Any]:
    out = {k: v for k, v in target.items() if k not in ("editorMode", "exemplar") or v}
    out.pop("editorMode", None)
    if _is_prometheus_ref(out.get("datasource"), ds_vars):
        out["datasource"] = dict(DATASOURCE_REF)
    if "expr" in out:
        out.setdefault("format", "time_series")
        out.setdefault("instant", False)
        if out.get("range") is True and not out["instant"]:
            del out["range"]
        if not out.get("legendFormat"):
            out["legendFormat"] = "__auto"
    return out


def _panel(panel: Any, ds_vars: set[str], notes: list[str], where: str) -> dict[str, Any]:
    if not isinstance(panel, dict):
        raise ImportFailure(f"{where}: a panel is not a JSON object")
    ptype = panel.get("type")
    title = panel.get("title", "")
    if "libraryPanel" in panel:
        raise ImportFailure(
            f"{where}: panel {title!r} is a library panel; unlink it in Grafana (or export with "
            "library panels inlined) before importing"
        )
    if ptype not in KNOWN_TYPES:
        raise ImportFailure(
            f"{where}: panel {title!r} has unknown panel type {ptype!r} (not a core Grafana panel "
            "type; plugin panels cannot be imported)"
        )
    out = {k: v for k, v in panel.items() if k not in DROPPED_PANEL_KEYS}
    if _is_prometheus_ref(out.get("datasource"), ds_vars):
        out["datasource"] = dict(DATASOURCE_REF)
    if isinstance(out.get("targets"), list):
        out["targets"] = [_target(t, ds_vars) if isinstance(t, dict) else t for t in out["targets"]]
    if ptype in MIGRATIONS:
        out, lost = MIGRATIONS[ptype](out)
        notes.append(
            f"panel {title!r}: migrated {ptype} -> {out['type']}"
            + (f" (not carried over: {', '.join(lost)})" if lost else "")
        )
    if ptype == "row":
        out["panels"] = [_panel(p, ds_vars, notes, where) for p in out.get("panels") or []]
    return out


def _variable(variable: Any, ds_vars: set[str]) -> Any:
    if not isinstance(variable, dict):
        return variable
    out = dict(variable)
    if out.get("type") == "datasource" and out.get("query") == "prometheus":
        # its current value is a uid of the exporting instance: use the project's variable (default: Prometheus)
        return plain(datasource_variable())
    elif _is_prometheus_ref(out.get("datasource"), ds_vars):
        out["datasource"] = dict(DATASOURCE_REF)
        query = out.get("query")
        if isinstance(query, dict) and isinstance(query.get("query"), str):
            out["query"] = query["query"]  # the Prometheus editor's object form; the string form means the same
    return out


def normalise(raw: dict[str, Any], *, where: str = "input") -> Source:
    """Instance state out, datasources on the variable, old panels migrated, then our canonical form."""
    ds_vars = _datasource_variables(raw)
    notes: list[str] = []
    out = {k: v for k, v in raw.items() if k not in DROPPED_DASHBOARD_KEYS}
    out["panels"] = [_panel(p, ds_vars, notes, where) for p in raw["panels"]]
    variables = [_variable(v, ds_vars) for v in (raw.get("templating") or {}).get("list") or []]
    prometheus_sources = [
        v for v in variables if isinstance(v, dict) and v.get("type") == "datasource" and v.get("query") == "prometheus"
    ]
    if not prometheus_sources:
        variables.insert(0, plain(datasource_variable()))
        notes.append("added the ${datasource} variable (the input had none)")
    out["templating"] = {"list": variables}
    annotations = (raw.get("annotations") or {}).get("list")
    if isinstance(annotations, list):
        out["annotations"] = {
            "list": [
                {**a, "datasource": dict(DATASOURCE_REF)}
                if isinstance(a, dict) and _is_prometheus_ref(a.get("datasource"), ds_vars)
                else a
                for a in annotations
            ]
        }
    if not out.get("uid"):
        raise ImportFailure(f"{where}: the dashboard has no uid; give it one in Grafana (Settings > JSON model)")
    return Source(canonicalise(out), tuple(notes))
