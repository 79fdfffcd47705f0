"""Read a Grafana dashboard JSON and bring it to the canonical form our compiler emits (pure except `read`).

What is read: classic JSON of any schemaVersion (bare, or the API's `{"dashboard": ..., "meta": ...}`), and the
dashboard resources of Grafana 12/13, as JSON or YAML (`grafana_json.resource_to_classic`: v1 wraps classic JSON
in `spec`, v2 has elements and a layout). What is refused, in one line: a library panel, a snapshot, a
provisioning YAML, anything that is not a dashboard, and a dashboard with no Prometheus query (Loki-only, say).
Every problem of a dashboard is found before the one line is written, so a user fixes them all in one go.

What changes on the way in, and why:
- Grafana's own schema migrations run first, step by step up to schemaVersion 42 (`importer.schema_steps`):
  the code should hold what Grafana holds after opening the file, not the file's historical form;
- datasource references to Prometheus (a concrete uid, `${DS_PROMETHEUS}` from an export, or another datasource
  variable) become the `${datasource}` variable, and the datasource variable is added when missing: a dashboard
  in code must work against whichever Prometheus the viewer picks;
- instance state is dropped: dashboard `id`, `version`, `iteration`, `gnetId`, the export's `__inputs`,
  `__requires`, `__elements`, panel `pluginVersion`, query-editor mode;
- targets get Grafana's defaults written out (`format`, `instant`, `legendFormat: __auto`), so equal queries
  look equal;
- the old Angular panels are migrated the way Grafana's frontend does on load (`importer.migrate`, reported per
  panel);
- a dashboard without a uid takes the one given (`--uid`), else one derived from its title (reported).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compiler.canonical import DATASOURCE_REF, canonicalise
from grafana_json import schema
from grafana_json.resource_to_classic import ResourceProblem, api_version, classic_from_resource
from grafana_json.serialise import plain
from grafana_json.walk import dashboard_panels
from importer.migrate import MIGRATIONS
from importer.schema_repair import repair
from importer.schema_steps import upgrade
from panels import datasource_variable

DROPPED_DASHBOARD_KEYS = ("id", "version", "iteration", "gnetId", "__inputs", "__requires", "__elements")
DROPPED_PANEL_KEYS = ("pluginVersion", "autoMigrateFrom")
# Old annotation keys the current schema does not have: `showIn` (Grafana 4's "show in panel") and the empty
# `tags` list of a non-tag annotation. Grafana's migrations keep them but nothing reads them any more.
DROPPED_ANNOTATION_KEYS = ("showIn",)
# A target holding only these is the placeholder Grafana's v36 step adds to a panel without queries.
EMPTY_TARGET_KEYS = frozenset({"refId", "datasource", "hide"})
UID_MAX = 40  # Grafana's uid limit (util.IsValidShortUID / MaxUIDLength)

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


def _problem_of_object(data: Any) -> str | None:
    """Why `data` (parsed JSON or YAML) is not a dashboard the importer reads, or None."""
    if not isinstance(data, dict):
        return "not a Grafana dashboard (the file is not a JSON object)"
    if isinstance(data.get("providers"), list) or isinstance(data.get("datasources"), list):
        return "not a Grafana dashboard: a Grafana provisioning file (providers/datasources)"
    if "model" in data and data.get("kind") == 1 or data.get("kind") == "LibraryPanel":
        return "not a Grafana dashboard: a library panel (import a dashboard that uses it, the panel inlined)"
    dashboard = data.get("dashboard") if isinstance(data.get("dashboard"), dict) else data
    if isinstance(dashboard.get("snapshot"), dict) or any(
        isinstance(p, dict) and "snapshotData" in p for p in dashboard.get("panels") or []
    ):
        return "not a Grafana dashboard to import: a snapshot (data frozen in, queries gone); export the live one"
    return None


def read(path: Path) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The classic dashboard object from a file, and what reading it took (a resource converted...)."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # as the linter reads it: exports may start with a BOM
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportFailure(f"{path}: cannot read: {exc}") from None
    notes: list[str] = []
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        data = _yaml_object(text)
        if data is None:
            raise ImportFailure(f"{path}: not valid JSON: {exc}") from None
        # Grafana 12/13 export a dashboard resource as JSON or YAML (the export drawer's two formats); any
        # other YAML (a provisioning file, a classic dashboard someone converted) is not an export.
        if api_version(data) is None:
            problem = _problem_of_object(data) or "not a Grafana dashboard (YAML, not a dashboard JSON export)"
            raise ImportFailure(f"{path}: {problem}") from None
        notes.append("read as YAML: a dashboard resource")
    problem = _problem_of_object(data)
    if problem:
        raise ImportFailure(f"{path}: {problem}")
    if api_version(data) is not None:
        try:
            data, resource_notes = classic_from_resource(data)
        except ResourceProblem as exc:
            raise ImportFailure(f"{path}: {exc}") from None
        notes += resource_notes
    elif isinstance(data.get("dashboard"), dict):
        data = data["dashboard"]
    if data.get("rows") and not isinstance(data.get("panels"), list):
        data = {**data, "panels": []}  # schemaVersion < 16: the panels are in `rows` (the v16 step moves them)
    if not isinstance(data.get("panels"), list) or not data.get("title"):
        raise ImportFailure(f"{path}: not a Grafana dashboard (expected an object with a title and a panels list)")
    return data, tuple(notes)


def load(path: Path) -> dict[str, Any]:
    """The dashboard object from a file (see `read`)."""
    return read(path)[0]


def _yaml_object(text: str) -> Any:
    """The YAML document in `text` when it is one (provisioning files are YAML), else None."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return data if isinstance(data, dict) else None


def derived_uid(title: str) -> str:
    """A uid from a title: lower-case ASCII words joined by '-', within Grafana's 40 characters."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:UID_MAX].strip("-") or "imported"


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
    if out.get("format") == "":
        del out["format"]  # the Prometheus query editor's unset format: time_series
    if "expr" in out:
        out.setdefault("format", "time_series")
        out.setdefault("instant", False)
        if out.get("range") is True and not out["instant"]:
            del out["range"]
        if not out.get("legendFormat"):
            out["legendFormat"] = "__auto"
    return out


def _repair_field_defaults(panel: dict[str, Any], title: str, notes: list[str]) -> None:
    """What Grafana's singlestat step leaves that its own schema refuses: `nullValueMode` in the field defaults
    (v28.go copies `nullPointMode` there; no current panel reads it) and threshold steps with no value (a
    colour without a level, from thresholds like "" or "80,"); both are dropped and reported."""
    defaults = (panel.get("fieldConfig") or {}).get("defaults") if isinstance(panel.get("fieldConfig"), dict) else None
    if not isinstance(defaults, dict):
        return
    if defaults.pop("nullValueMode", None) is not None:
        notes.append(f"panel {title!r}: dropped fieldConfig.defaults.nullValueMode (not in Grafana's schema)")
    custom = defaults.get("custom")
    if isinstance(custom, dict) and custom.get("cellOptions") == {}:
        # No cell type: the table draws its default, TableAutoCellOptions (table panelcfg, type "auto"), which is
        # what an absent cellOptions means too; the schema requires a `type`, so the empty object goes.
        del custom["cellOptions"]
        notes.append(f"panel {title!r}: dropped an empty cellOptions (the table's default, auto)")
    thresholds = defaults.get("thresholds")
    steps = thresholds.get("steps") if isinstance(thresholds, dict) else None
    if isinstance(steps, list):
        kept = [step for i, step in enumerate(steps) if i == 0 or (isinstance(step, dict) and "value" in step)]
        if len(kept) != len(steps):
            notes.append(f"panel {title!r}: dropped {len(steps) - len(kept)} threshold step(s) without a value")
            thresholds["steps"] = kept


def _is_empty_target(target: Any) -> bool:
    return isinstance(target, dict) and set(target) <= EMPTY_TARGET_KEYS


def _panel(panel: Any, ds_vars: set[str], notes: list[str], problems: list[str]) -> dict[str, Any] | None:
    """The panel on the way in, or None with the reason added to `problems`."""
    if not isinstance(panel, dict):
        problems.append("a panel is not a JSON object")
        return None
    ptype = panel.get("type")
    title = panel.get("title", "")
    if "libraryPanel" in panel:
        problems.append(
            f"panel {title!r} is a library panel; unlink it in Grafana (or export with library panels inlined)"
        )
        return None
    if ptype not in KNOWN_TYPES:
        problems.append(f"panel {title!r} has unknown panel type {ptype!r} (a plugin, not a core Grafana panel)")
        return None
    out = {k: v for k, v in panel.items() if k not in DROPPED_PANEL_KEYS}
    if _is_prometheus_ref(out.get("datasource"), ds_vars):
        out["datasource"] = dict(DATASOURCE_REF)
    if isinstance(out.get("targets"), list):
        out["targets"] = [
            _target(t, ds_vars) if isinstance(t, dict) else t for t in out["targets"] if not _is_empty_target(t)
        ]
    if ptype in MIGRATIONS:
        out, lost = MIGRATIONS[ptype](out)
    _repair_field_defaults(out, title, notes)
    if ptype in MIGRATIONS:
        notes.append(
            f"panel {title!r}: migrated {ptype} -> {out['type']}"
            + (f" (not carried over: {', '.join(lost)})" if lost else "")
        )
    if ptype == "row":
        if out.get("repeat") == "":
            del out["repeat"]  # v16 writes `repeat: ""` on every row it makes: no repeat
        children = [_panel(p, ds_vars, notes, problems) for p in out.get("panels") or []]
        out["panels"] = [c for c in children if c is not None]
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


def _datasource_types(panels: list[dict[str, Any]]) -> set[str]:
    """The datasource types the queries name (a row's panels included)."""
    found: set[str] = set()
    for panel in panels:
        for target in panel.get("targets") or []:
            ds = target.get("datasource") if isinstance(target, dict) else None
            if isinstance(ds, dict) and isinstance(ds.get("type"), str):
                found.add(ds["type"])
        found |= _datasource_types([p for p in panel.get("panels") or [] if isinstance(p, dict)])
    return found


def _unresolved_datasources(panels: list[dict[str, Any]]) -> set[str]:
    """Uid-only datasource references left by the name -> reference steps (a name the index does not know)."""
    found: set[str] = set()
    for panel in panels:
        for ref in [panel.get("datasource")] + [
            t.get("datasource") for t in panel.get("targets") or [] if isinstance(t, dict)
        ]:
            if isinstance(ref, dict) and set(ref) == {"uid"} and isinstance(ref["uid"], str):
                found.add(ref["uid"])
        found |= _unresolved_datasources([p for p in panel.get("panels") or [] if isinstance(p, dict)])
    return found


def _irregular_layout(panels: list[dict[str, Any]]) -> str | None:
    """The first overlap or off-grid position among the (non-row) panels at top level, in words, or None."""
    drawn: list[tuple[str, dict[str, Any]]] = []
    for panel in panels:
        if panel.get("type") != "row":  # a row is a header line, whatever height v16 gave it
            drawn.append((panel.get("title", ""), panel.get("gridPos") or {}))
    cells: dict[tuple[int, int], str] = {}
    for title, pos in drawn:
        x, y, w, h = (pos.get(k) for k in ("x", "y", "w", "h"))
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (x, y, w, h)):
            continue
        if x < 0 or x + w > 24:
            return f"panel {title!r} leaves the 24-column grid (x={x}, w={w})"
        for cx in range(x, x + w):
            for cy in range(y, y + h):
                if (cx, cy) in cells:
                    return f"panel {title!r} overlaps panel {cells[(cx, cy)]!r} at x={cx} y={cy}"
                cells[(cx, cy)] = title
    return None


def _annotation(annotation: Any, ds_vars: set[str]) -> Any:
    if not isinstance(annotation, dict):
        return annotation
    out = {k: v for k, v in annotation.items() if k not in DROPPED_ANNOTATION_KEYS}
    if out.get("tags") == [] and out.get("type") != "tags":
        del out["tags"]
    if _is_prometheus_ref(out.get("datasource"), ds_vars):
        out["datasource"] = dict(DATASOURCE_REF)
    return out


def normalise(
    raw: dict[str, Any], *, where: str = "input", uid: str | None = None, notes: tuple[str, ...] = ()
) -> Source:
    """Grafana's migrations, instance state out, datasources on the variable, old panels migrated, then our
    canonical form. Every problem found is reported together, in one line."""
    upgraded = upgrade(raw)
    migrated = upgraded.dashboard
    ds_vars = _datasource_variables(migrated)
    found: list[str] = [*notes, *upgraded.notes]
    problems: list[str] = []
    out = {k: v for k, v in migrated.items() if k not in DROPPED_DASHBOARD_KEYS}
    panels = [_panel(p, ds_vars, found, problems) for p in migrated.get("panels") or []]
    out["panels"] = [p for p in panels if p is not None]
    unresolved = _unresolved_datasources(out["panels"])
    if unresolved:
        found.append(
            f"datasource name(s) {', '.join(sorted(unresolved))} kept as uid-only references (Grafana's "
            "MigrateDatasourceNameToRef does the same for a name it does not know); point them at ${datasource} "
            "if they are Prometheus"
        )
    irregular = _irregular_layout(out["panels"])
    if irregular:
        found.append(f"{irregular}: kept as drawn (Grafana compacts the grid when it draws it)")
    types = _datasource_types(out["panels"])
    if types and "prometheus" not in types:
        problems.append(
            f"no query is on Prometheus (the queries use {', '.join(sorted(types))}); the importer writes "
            "dashboards on the project's Prometheus"
        )
    variables = [_variable(v, ds_vars) for v in (migrated.get("templating") or {}).get("list") or []]
    prometheus_sources = [
        v for v in variables if isinstance(v, dict) and v.get("type") == "datasource" and v.get("query") == "prometheus"
    ]
    if not prometheus_sources:
        variables.insert(0, plain(datasource_variable()))
        found.append("added the ${datasource} variable (the input had none)")
    out["templating"] = {"list": variables}
    annotations = (migrated.get("annotations") or {}).get("list")
    if isinstance(annotations, list):
        out["annotations"] = {"list": [_annotation(a, ds_vars) for a in annotations]}
    if uid:
        if out.get("uid") and out["uid"] != uid:
            found.append(f"uid {out['uid']!r} replaced by --uid {uid!r}")
        out["uid"] = uid
    elif not out.get("uid"):
        out["uid"] = derived_uid(str(out.get("title") or ""))
        found.append(f"the input has no uid: derived {out['uid']!r} from the title (pass --uid to choose one)")
    if problems:
        count = f"{len(problems)} problems" if len(problems) > 1 else "1 problem"
        raise ImportFailure(f"{where}: {count}: " + "; ".join(problems))
    repaired = repair(canonicalise(out))
    found += _custom_units(repaired.dashboard)
    found += _repair_notes(repaired.dropped, "dropped what Grafana's schema has no place for (Grafana ignores it)")
    found += _repair_notes(repaired.filled, "filled required keys with Grafana's defaults")
    found += _repair_notes(repaired.coerced, "wrote values in the type the schema has")
    found += _repair_notes(repaired.defaulted, "replaced unknown modes and out-of-range numbers by the default")
    return Source(canonicalise(repaired.dashboard), tuple(found))


def _custom_units(dashboard: dict[str, Any]) -> list[str]:
    """A unit id Grafana does not define is drawn as that text after the value (valueFormats.ts `getValueFormat`
    falls back to `toFixedUnit(id)`); the compiler, guarding the project's own dashboards against typos, takes
    only defined ids and Grafana's custom syntaxes, so such a unit is written as the `suffix:` Grafana draws it
    as. In place; one note per unit."""
    seen: dict[str, str] = {}

    def drawn(unit: Any) -> Any:
        if isinstance(unit, str) and schema.as_drawn(unit) != unit:
            seen[unit] = schema.as_drawn(unit)
            return seen[unit]
        return unit

    for panel in dashboard_panels(dashboard):
        field_config = panel.get("fieldConfig") if isinstance(panel.get("fieldConfig"), dict) else {}
        defaults = field_config.get("defaults")
        if isinstance(defaults, dict) and "unit" in defaults:
            defaults["unit"] = drawn(defaults["unit"])
        for override in field_config.get("overrides") or []:
            for prop in override.get("properties") or [] if isinstance(override, dict) else []:
                if isinstance(prop, dict) and prop.get("id") == "unit":
                    prop["value"] = drawn(prop.get("value"))
        y_axis = (panel.get("options") or {}).get("yAxis") if isinstance(panel.get("options"), dict) else None
        if isinstance(y_axis, dict) and "unit" in y_axis:
            y_axis["unit"] = drawn(y_axis["unit"])
    return [
        f"unit {unit!r} is not a Grafana unit id: written as {as_suffix!r}, which Grafana draws the same way"
        for unit, as_suffix in sorted(seen.items())
    ]


def _repair_notes(paths: tuple[str, ...], what: str, shown: int = 8) -> list[str]:
    if not paths:
        return []
    more = f" and {len(paths) - shown} more" if len(paths) > shown else ""
    return [f"{what}: {', '.join(paths[:shown])}{more}"]
