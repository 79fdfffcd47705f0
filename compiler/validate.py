"""Checks a canonical dashboard against Grafana's published schema and the unit ids Grafana knows.

Each panel is validated against its own definition (Panel or RowPanel), its type's `Options` and custom
`FieldConfig`, and each target against the Prometheus query model, so every problem names the panel it is in.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from grafana_json import schema
from grafana_json.walk import dashboard_panels


@cache
def _panel_validator(kind: str) -> Any:
    return schema.definition_validator("dashboard", kind)


def _errors(validator: Any, instance: Any, where: str) -> list[str]:
    return [
        f"{where}{'/' + '/'.join(map(str, e.instance_path)) if e.instance_path else ''}: {e.message}"
        for e in validator.iter_errors(instance)
    ]


def panel_problems(panel: dict[str, Any]) -> list[str]:
    ptype = panel.get("type", "")
    if ptype == "row":
        return _errors(_panel_validator("RowPanel"), {**panel, "panels": []}, "row")
    problems = _errors(_panel_validator("Panel"), panel, "panel")
    options_validator = schema.options_validator(ptype)
    if options_validator is not None and "options" in panel:
        problems += _errors(options_validator, panel["options"], "options")
    defaults = panel.get("fieldConfig", {}).get("defaults", {})
    custom_validator = schema.custom_field_config_validator(ptype)
    if custom_validator is not None and "custom" in defaults:
        problems += _errors(custom_validator, defaults["custom"], "fieldConfig.defaults.custom")
    for target in panel.get("targets", []):
        if isinstance(target.get("datasource"), dict) and target["datasource"].get("type") == "prometheus":
            problems += _errors(schema.prometheus_target_validator(), target, f"target {target.get('refId', '?')}")
    problems += [
        f"unit {u!r} is not a Grafana unit id (for a literal suffix write 'suffix:{u}')"
        for u in _units(panel)
        if not schema.is_unit(u)
    ]
    return problems


def _units(panel: dict[str, Any]) -> list[str]:
    defaults = panel.get("fieldConfig", {}).get("defaults", {})
    options = panel.get("options")
    y_axis = options.get("yAxis") if isinstance(options, dict) else None
    return [u for u in (defaults.get("unit"), y_axis.get("unit") if isinstance(y_axis, dict) else None) if u] + [
        prop.get("value")
        for o in panel.get("fieldConfig", {}).get("overrides", [])
        for prop in o.get("properties", [])
        if prop.get("id") == "unit"
    ]


def dashboard_problems(dashboard: dict[str, Any]) -> list[str]:
    """Every schema problem, as 'panel <title>: <where>: <message>' lines (empty when valid)."""
    if schema.whole_dashboard_validator().is_valid(dashboard) and all(
        schema.is_unit(u) for panel in dashboard_panels(dashboard) for u in _units(panel)
    ):
        return []
    problems = _errors(schema.dashboard_validator(), {**dashboard, "panels": []}, "dashboard")
    for panel in dashboard_panels(dashboard):
        problems += [f"panel {panel.get('title', '')!r}: {p}" for p in panel_problems(panel)]
    return problems
