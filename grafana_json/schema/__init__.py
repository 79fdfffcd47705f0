"""Grafana's published dashboard schema facts, carried in the project (see README.md for origin and licence).

Validators are compiled once per process with jsonschema-rs (a Rust implementation of draft-07): the pure-Python
`jsonschema` validator is about 50x slower, which matters when a build validates 20,000 panels.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

SCHEMA_DIR = Path(__file__).resolve().parent / "grafana"

SCHEMA_VERSION = 42  # the carried Grafana schema's own (grafana_json/schema/grafana/dashboard.json, its default)
# Older dashboards rely on Grafana's on-load migrations, which rewrite them behind our back: the linter's floor.
SCHEMA_VERSION_FLOOR = 36


def check_schema_version(version: int) -> int:
    """`version` if the project can write it: not below the linter's floor, not above the carried schema, which
    cannot vouch for a dashboard model newer than itself. ValueError, in words, otherwise."""
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValueError(f"schemaVersion {version!r} is not an integer")
    if not SCHEMA_VERSION_FLOOR <= version <= SCHEMA_VERSION:
        raise ValueError(
            f"schemaVersion {version} is not supported: {SCHEMA_VERSION_FLOOR} (the linter's floor) "
            f"to {SCHEMA_VERSION} (the carried Grafana schema)"
        )
    return version


# Panel types whose options/custom field config the carried schema describes.
PANEL_SCHEMAS: dict[str, str] = {
    "timeseries": "timeseries",
    "stat": "stat",
    "gauge": "gauge",
    "bargauge": "bargauge",
    "table": "table",
    "heatmap": "heatmap",
    "text": "text",
    "piechart": "piechart",
    "state-timeline": "statetimeline",
}


# Where the published schema says less than Grafana itself writes. Each erratum widens one definition of
# dashboard.json, at load time, so the carried files stay exactly as published.
ERRATA: tuple[tuple[str, str, dict[str, Any], str], ...] = (
    (
        "MatcherConfig",
        "options",
        {},
        'CUE\'s `options?: _` (any value) was exported as an object; Grafana writes strings (byName: "p99")',
    ),
    (
        "DynamicConfigValue",
        "value",
        {},
        "CUE's `value?: _` (any value) was exported as an object; Grafana writes strings, numbers and lists",
    ),
    (
        "Panel",
        "links",
        {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["title", "url"],
                "properties": {
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                    "targetBlank": {"type": "boolean"},
                },
            },
        },
        "panel links are data links ({title, url, targetBlank}); the schema reuses the dashboard link model",
    ),
    (
        "VariableModel",
        "query",
        {"anyOf": [{"type": "string"}, {"type": "object"}]},
        "CUE's `query?: string | {...}` (any object) was exported as an object of objects; Grafana's query "
        "editors write flat ones: Prometheus {qryType, query, refId}, Loki {label, stream, type}",
    ),
)


def _pin_discriminators(schema: dict[str, Any]) -> None:
    """The other erratum, in every file: a union's member fixes its `type` to one value in Grafana's CUE
    (packages/grafana-schema/src/common/table.cue `TableAutoCellOptions: {type: TableCellDisplayMode & "auto"}`,
    the dashboard kind's `ValueMap: {type: MappingType & "value", ...}`), but the export kept only the enum and
    a `default`. Then `{"type": "auto"}` is valid under several members of a `oneOf` and so under none, and a
    table cell of any type is refused. Pinning each member's `type` to its default (`const`) restores CUE's
    meaning: exactly one member matches."""
    definitions = schema.get("definitions") or {}
    for union in definitions.values():
        for member in union.get("oneOf") or []:
            ref = member.get("$ref", "")
            target = definitions.get(ref.rsplit("/", 1)[-1]) if ref.startswith("#/definitions/") else None
            kind = ((target or {}).get("properties") or {}).get("type")
            if isinstance(kind, dict) and "allOf" in kind and "default" in kind:
                kind["const"] = kind["default"]


@cache
def load(name: str) -> dict[str, Any]:
    schema = json.loads((SCHEMA_DIR / f"{name}.json").read_text())
    _pin_discriminators(schema)
    if name == "dashboard":
        for definition, prop, replacement, _why in ERRATA:
            schema["definitions"][definition]["properties"][prop] = replacement
    return schema


@cache
def known_units() -> frozenset[str]:
    """Every unit id Grafana knows (the `const` of each definition in units.json)."""
    return frozenset(d["const"] for d in load("units")["definitions"].values() if "const" in d)


# Grafana's custom unit syntaxes: packages/grafana-data/src/valueFormats/valueFormats.ts `getValueFormat` reads an
# id it does not know as `key:text` for these keys, and any other unknown id as `toFixedUnit(id)`: the id itself
# drawn as a suffix, exactly what `suffix:id` draws.
CUSTOM_UNIT_PREFIXES = ("prefix:", "suffix:", "si:", "count:", "currency:", "time:", "bool:")


def is_unit(unit: str) -> bool:
    """A unit id Grafana defines, or one of its custom syntaxes (`suffix:rds`)."""
    return unit in known_units() or unit.startswith(CUSTOM_UNIT_PREFIXES)


def as_drawn(unit: str) -> str:
    """The unit in the form that says what Grafana draws: an id it does not define becomes the suffix it is."""
    return unit if not unit or is_unit(unit) else f"suffix:{unit}"


def definition_validator(file: str, definition: str) -> jsonschema_rs.Draft7Validator:
    schema = dict(load(file))
    schema["$ref"] = f"#/definitions/{definition}"
    return jsonschema_rs.Draft7Validator(schema)


@cache
def dashboard_validator() -> jsonschema_rs.Draft7Validator:
    return jsonschema_rs.Draft7Validator(load("dashboard"))


@cache
def prometheus_target_validator() -> jsonschema_rs.Draft7Validator:
    return definition_validator("prometheus", "Dataquery")


@cache
def options_validator(panel_type: str) -> jsonschema_rs.Draft7Validator | None:
    file = PANEL_SCHEMAS.get(panel_type)
    return definition_validator(file, "Options") if file else None


@cache
def custom_field_config_validator(panel_type: str) -> jsonschema_rs.Draft7Validator | None:
    file = PANEL_SCHEMAS.get(panel_type)
    if not file or "FieldConfig" not in load(file)["definitions"]:
        return None
    return definition_validator(file, "FieldConfig")


def _urn(file: str) -> str:
    return f"urn:grafana-schema:{file}"


@cache
def whole_dashboard_validator() -> jsonschema_rs.Draft7Validator:
    """One validator for a whole dashboard: panels, each type's options and custom field config, and targets.

    Validating a dashboard in one call converts its tree to the validator's representation once instead of once
    per panel part; `validate.dashboard_problems` uses it as the fast path and falls back to per-panel checks
    (which name the panel) only when this says the dashboard is invalid.
    """
    files = {*PANEL_SCHEMAS.values(), "prometheus", "common", "units"}
    registry = jsonschema_rs.Registry([(_urn(f), load(f)) for f in sorted(files)])
    root = json.loads(json.dumps(load("dashboard")))  # a private copy to extend
    prometheus_target = {
        "if": {
            "properties": {"datasource": {"properties": {"type": {"const": "prometheus"}}, "required": ["type"]}},
            "required": ["datasource"],
        },
        "then": {"$ref": f"{_urn('prometheus')}#/definitions/Dataquery"},
    }
    per_type = []
    for panel_type, file in sorted(PANEL_SCHEMAS.items()):
        then: dict[str, Any] = {"options": {"$ref": f"{_urn(file)}#/definitions/Options"}}
        if "FieldConfig" in load(file)["definitions"]:
            then["fieldConfig"] = {
                "properties": {
                    "defaults": {"properties": {"custom": {"$ref": f"{_urn(file)}#/definitions/FieldConfig"}}}
                }
            }
        per_type.append(
            {"if": {"properties": {"type": {"const": panel_type}}, "required": ["type"]}, "then": {"properties": then}}
        )
    panel = root["definitions"]["Panel"]
    panel["allOf"] = [*panel.get("allOf", []), *per_type, {"properties": {"targets": {"items": prometheus_target}}}]
    return jsonschema_rs.Draft7Validator(root, registry=registry)
