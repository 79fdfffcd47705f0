"""Bring a dashboard from the wild inside the dashboard schema the compiler checks against, saying what changed.

Grafana stores whatever JSON it is given and ignores what it does not know: Angular's `$$hashKey`, a plugin's
leftovers on a panel that changed type, a newer Grafana's keys (`unitScale`), links written without their
optional-looking fields. The compiler validates every dashboard against the carried schema
(grafana_json/schema/grafana, exported from Grafana's CUE kinds), so the importer walks the dashboard along
that schema and:

- drops a key where the schema says `additionalProperties: false` and does not define it (Grafana ignores it);
- turns a value of the wrong type that plainly means the right one (`""` for an empty list, `"0"` for 0);
- fills a required key that is missing with the schema's `default`, else with the value Grafana itself assumes
  when the key is absent (`ASSUMED`, each cited), else with the empty value of its type (`""`, `[]`);
- replaces a value outside a closed list of modes (a newer Grafana's `axisColorMode: "thresholds"`, an empty
  `thresholdsStyle.mode`) by the one Grafana draws instead: the code reading these modes compares them with its
  known ones and falls through to the default, so the default (or, for an optional key, no key) is what shows;
- drops a value mapping of no kind Grafana knows (the Angular `{type: 1, ...}` form in a dashboard too new for
  the v30 step): valueMappings.ts `getValueMappingResult` switches on the four kinds and never applies another.

Each change is reported by its path, so nothing is lost silently. Pure: a copy in, a copy and the report out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from grafana_json.schema import PANEL_SCHEMAS, load

# What Grafana assumes for a required key that is absent (the schema gives no default), by definition and key.
ASSUMED: dict[tuple[str, str], Any] = {  # (definition, key), or ("file/definition", key) for one file
    # v37.go: a legend that is not hidden is shown (`showLegend: true`); list at the bottom is the default legend.
    ("VizLegendOptions", "showLegend"): True,
    ("VizLegendOptions", "displayMode"): "list",
    ("VizLegendOptions", "placement"): "bottom",
    # packages/grafana-data ThresholdsMode: absolute unless said otherwise; a step without a value is the base.
    ("ThresholdsConfig", "mode"): "absolute",
    ("Threshold", "value"): None,
    # DashboardLinksEditor.tsx newLink: the icon of a new link.
    ("DashboardLink", "icon"): "external link",
    ("DashboardLink", "type"): "link",
    # A transformation saved without options runs with its defaults (DataTransformerConfig `options: _`).
    ("DataTransformerConfig", "options"): {},
    # UPlotThresholds.ts `getThresholdsDrawHook` draws only for the modes it knows: any other mode draws none.
    ("GraphThresholdsStyleConfig", "mode"): "off",
    # PieChartPanel.tsx: its legend shows unless `showLegend === false`; `defaultLegendOptions` is a list on the
    # right. The panel passes no `orientation` to the chart (only reduceOptions, tooltip, pieType, sort,
    # displayLabels, legend), so any value draws alike: the enum's "auto". Keyed by file: definitions of that
    # name in other panels' files mean other things.
    ("piechart/PieChartLegendOptions", "showLegend"): True,
    ("piechart/PieChartLegendOptions", "displayMode"): "list",
    ("piechart/PieChartLegendOptions", "placement"): "right",
    ("piechart/Options", "orientation"): "auto",
    # PieChart.tsx: the tooltip shows unless `mode === 'none'`, and lists every slice only for 'multi' (else the
    # one under the pointer: 'single'); it never reads the tooltip's `sort`, so any value draws alike: "none".
    ("piechart/VizTooltipOptions", "mode"): "single",
    ("piechart/VizTooltipOptions", "sort"): "none",
}
_EMPTY = {"string": "", "array": []}
# Unions whose items Grafana reads by kind and skips when the kind is none of its own (see the module docstring).
_SKIPPED_WHEN_UNKNOWN = frozenset({"ValueMapping"})
_SKIP = object()  # what `repair` returns for such an item: the list leaves it out


@dataclass(frozen=True)
class Repaired:
    dashboard: dict[str, Any]
    dropped: tuple[str, ...]
    filled: tuple[str, ...]
    coerced: tuple[str, ...]
    defaulted: tuple[str, ...] = ()  # unknown modes, out-of-range numbers, replaced by the default: `path (was x)`


class _Walk:
    def __init__(self, file: str) -> None:
        self.file = file
        self.root = load(file)
        self.dropped: list[str] = []
        self.filled: list[str] = []
        self.coerced: list[str] = []
        self.defaulted: list[str] = []

    def absorb(self, other: _Walk) -> None:
        """Take the report of a walk along another schema file (a panel's options, its targets) into this one."""
        self.dropped += other.dropped
        self.filled += other.filled
        self.coerced += other.coerced
        self.defaulted += other.defaulted

    def resolve(self, node: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        name = None
        while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/definitions/"):
            name = node["$ref"].split("/")[-1]
            node = self.root["definitions"][name]
        return node, name

    def repair(self, value: Any, schema: dict[str, Any], path: str, name: str | None = None) -> Any:
        schema, ref_name = self.resolve(schema)
        name = ref_name or name
        value = self._coerce(value, schema, path)
        for part in schema.get("allOf") or []:
            value = self.repair(value, part, path, name)
        branches = schema.get("anyOf") or schema.get("oneOf")
        if branches:
            branch = self._branch(value, branches)
            if branch is not None:
                value = self.repair(value, branch, path, name)
            elif ref_name in _SKIPPED_WHEN_UNKNOWN:
                self.dropped.append(path)
                return _SKIP
        if isinstance(value, dict) and ("properties" in schema or schema.get("type") == "object"):
            return self._object(value, schema, path, name)
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            items = [self.repair(v, schema["items"], f"{path}[{i}]") for i, v in enumerate(value)]
            return [item for item in items if item is not _SKIP]
        return value

    def _merged(self, prop: dict[str, Any]) -> dict[str, Any]:
        """A property's schema with its `$ref` and `allOf` parts folded in (`{"allOf": [Enum], "default": x}`,
        `{"$ref": Enum, "default": x}`): the keys beside a reference annotate it and are kept."""
        prop = {**self.resolve(prop)[0], **{k: v for k, v in prop.items() if k != "$ref"}}
        for part in prop.get("allOf") or []:
            prop = {**self.resolve(part)[0], **{k: v for k, v in prop.items() if k != "allOf"}}
        return prop

    def _known_mode(self, value: Any, prop: dict[str, Any], key: str, name: str | None, required: bool) -> Any:
        """`value`, or what Grafana draws in place of a mode it does not know (see the module docstring);
        `_SKIP` when that is no key at all. A number outside the schema's bounds takes its default the same way
        (an interval variable's `auto_count: 0`, where Grafana's own default is 30); positions are left to the
        layout check, which reports them."""
        merged = self._merged(prop)
        if _out_of_bounds(value, merged) and "default" in merged and name != "GridPos":
            return merged["default"]
        modes = merged.get("enum")
        if not isinstance(value, str) or not isinstance(modes, list) or value in modes:
            return value
        if "default" in merged:
            return merged["default"]
        assumed = self._assumed(name, key)
        if assumed is not _SKIP:
            return assumed
        return value if required else _SKIP

    def _assumed(self, name: str | None, key: str) -> Any:
        """What Grafana assumes for `key` of definition `name` in this file (`ASSUMED`), else `_SKIP`."""
        for where in (f"{self.file}/{name}", name):
            if (where, key) in ASSUMED:
                return ASSUMED[(where, key)]
        return _SKIP

    def _coerce(self, value: Any, schema: dict[str, Any], path: str) -> Any:
        """A value of the wrong JSON type that plainly means one of the right type: `""` for an empty list
        (Grafana 9's table footer wrote `fields: ""`), a numeric string for a number (old axes' `min: "0"`)."""
        wanted = schema.get("type")
        if wanted == "array" and value == "":
            self.coerced.append(path)
            return []
        if wanted == "boolean" and isinstance(value, str | int | float) and not isinstance(value, bool):
            # A flag written as "on" or 1 (opnsense's annotations: `useValueForTime: "on"`); Grafana's frontend
            # tests its flags for truth (`if (query.useValueForTime)`), so it reads what JavaScript would.
            self.coerced.append(f"{path} (was {value!r})")
            return value not in ("", 0)
        if wanted in ("number", "integer") and isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                return value
            self.coerced.append(path)
            return int(number) if number.is_integer() else number
        return value

    def _branch(self, value: Any, branches: list[dict[str, Any]]) -> dict[str, Any] | None:
        kind = {dict: "object", list: "array", str: "string", bool: "boolean"}.get(type(value))
        for branch in branches:
            resolved, _ = self.resolve(branch)
            if resolved.get("type") == kind or (kind == "object" and "properties" in resolved):
                if kind == "object" and isinstance(value, dict) and resolved.get("properties"):
                    props = resolved["properties"]
                    if "type" in props and "const" in (self.resolve(props["type"])[0]):
                        if self.resolve(props["type"])[0]["const"] != value.get("type"):
                            continue
                return branch
        return None

    def _object(self, value: dict[str, Any], schema: dict[str, Any], path: str, name: str | None) -> dict[str, Any]:
        props = schema.get("properties") or {}
        out: dict[str, Any] = {}
        required = schema.get("required") or []
        for key, item in value.items():
            if key in props:
                known = self._known_mode(item, props[key], key, name, key in required)
                if known is not item:
                    self.defaulted.append(f"{path}.{key} (was {item!r})")
                    if known is _SKIP:
                        continue
                out[key] = self.repair(known, props[key], f"{path}.{key}")
            elif schema.get("additionalProperties") is False:
                self.dropped.append(f"{path}.{key}")
            elif isinstance(schema.get("additionalProperties"), dict):
                out[key] = self.repair(item, schema["additionalProperties"], f"{path}.{key}")
            else:
                out[key] = item
        for key in required:
            if key in out or key not in props:
                continue
            prop = self._merged(props[key])
            if "default" in prop:
                out[key] = orjson.loads(orjson.dumps(prop["default"]))
            elif self._assumed(name, key) is not _SKIP:
                out[key] = self._assumed(name, key)
            elif prop.get("type") in _EMPTY:
                out[key] = orjson.loads(orjson.dumps(_EMPTY[prop["type"]]))
            elif prop.get("type") == "object" or "properties" in prop:
                # An absent options object is the panel plugin's defaults (PanelModel.ts
                # `getPanelOptionsWithDefaults` merges them under what the panel has): its own required keys
                # filled from the schema's defaults, as above.
                out[key] = self.repair({}, props[key], f"{path}.{key}")
            else:
                continue
            self.filled.append(f"{path}.{key}")
        return out


def _out_of_bounds(value: Any, schema: dict[str, Any]) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return False
    return bool(
        ("minimum" in schema and value < schema["minimum"])
        or ("exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"])
        or ("maximum" in schema and value > schema["maximum"])
        or ("exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"])
    )


def _definition(file: str, name: str) -> dict[str, Any]:
    return {"$ref": f"#/definitions/{name}"} if name in load(file)["definitions"] else {}


def repair(dashboard: dict[str, Any]) -> Repaired:
    """The dashboard with every panel, its options, custom field config and Prometheus targets inside the
    schema the compiler validates (compiler/validate.py walks the same parts)."""
    board = _Walk("dashboard")
    panels = dashboard.get("panels") or []
    top = {k: v for k, v in dashboard.items() if k != "panels"}
    out = board.repair(top, _definition("dashboard", "Dashboard"), "dashboard")
    out["panels"] = [_panel(p, board, f"panel {p.get('title', '')!r}") if isinstance(p, dict) else p for p in panels]
    if "panels" not in dashboard:
        del out["panels"]
    return Repaired(out, tuple(board.dropped), tuple(board.filled), tuple(board.coerced), tuple(board.defaulted))


def _panel(panel: dict[str, Any], board: _Walk, where: str) -> dict[str, Any]:
    if panel.get("type") == "row":
        children = panel.get("panels") or []
        row = board.repair({**panel, "panels": []}, _definition("dashboard", "RowPanel"), where)
        row["panels"] = [_panel(c, board, f"panel {c.get('title', '')!r}") for c in children if isinstance(c, dict)]
        return row
    out = board.repair(panel, _definition("dashboard", "Panel"), where)
    file = PANEL_SCHEMAS.get(out.get("type", ""))
    if file:
        kind = _Walk(file)
        if isinstance(out.get("options"), dict):
            out["options"] = kind.repair(out["options"], _definition(file, "Options"), f"{where}.options")
        defaults = (out.get("fieldConfig") or {}).get("defaults")
        if isinstance(defaults, dict) and isinstance(defaults.get("custom"), dict) and _definition(file, "FieldConfig"):
            defaults["custom"] = kind.repair(
                defaults["custom"], _definition(file, "FieldConfig"), f"{where}.fieldConfig.defaults.custom"
            )
        board.absorb(kind)
    prom = _Walk("prometheus")
    targets = []
    for target in out.get("targets") or []:
        if isinstance(target, dict) and (target.get("datasource") or {}).get("type") == "prometheus":
            target = prom.repair(target, _definition("prometheus", "Dataquery"), f"{where}.target")
        targets.append(target)
    if "targets" in out:
        out["targets"] = targets
    board.absorb(prom)
    return out
