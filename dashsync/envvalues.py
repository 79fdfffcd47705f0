"""Per-environment values: what differs between dev, staging and prod in a dashboard, set at push time.

The compiled JSON in provisioning/ is environment-free: every query reads `${datasource}`, a variable of type
`datasource` whose `query` is the plugin type (`prometheus`) and whose `current` is a default. What a context
maps is exactly those defaults:

- `datasources: {prometheus: prom-prod}`: every datasource variable of that plugin type defaults to that
  datasource uid. Grafana lists a datasource variable's options as `{label: name, value: uid}` (grafana/scenes
  packages/scenes/src/variables/variants/DataSourceVariable.tsx `getValueOptions`, where `pluginId` is the
  classic JSON's `query`), so `current.value` is the uid; the shape is gcx's per-kind `datasources` map.
- `variables: {job: api-prod}`: the named variable's default (`current`; for `constant` and `textbox`
  variables, whose value *is* the `query`, that too).

`apply` is pure and sets each mapped field to a fixed value, whatever it held: applying the prod mapping over a
dashboard that carries staging's values gives the same JSON as applying it to the code, as long as prod maps
every key staging maps (`unmapped` says which it does not). That is what lets `promote` move a dashboard from
staging to prod without the code.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .local import LocalDashboard

VariableValue = str | tuple[str, ...]
VALUE_IN_QUERY = frozenset({"constant", "textbox"})  # variable types whose value is the query itself


@dataclass(frozen=True)
class EnvValues:
    """One context's values: (plugin type, datasource uid) and (variable name, default) pairs, sorted."""

    datasources: tuple[tuple[str, str], ...] = ()
    variables: tuple[tuple[str, VariableValue], ...] = ()

    @classmethod
    def of(cls, datasources: Mapping[str, str], variables: Mapping[str, VariableValue]) -> EnvValues:
        return cls(tuple(sorted(datasources.items())), tuple(sorted(variables.items())))

    def __bool__(self) -> bool:
        return bool(self.datasources or self.variables)

    def keys(self) -> frozenset[str]:
        """What this mapping sets, as words: `datasource prometheus`, `variable job`."""
        return frozenset(
            [f"datasource {plugin}" for plugin, _ in self.datasources]
            + [f"variable {name}" for name, _ in self.variables]
        )

    def describe(self) -> str:
        """One line for a plan: `${datasource} (prometheus) = prom-prod, $job = api`."""
        parts = [f"datasource variables of type {plugin} = {uid}" for plugin, uid in self.datasources]
        parts += [f"${name} = {_text(value)}" for name, value in self.variables]
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "datasources": dict(self.datasources),
            "variables": {k: list(v) if isinstance(v, tuple) else v for k, v in self.variables},
        }


def _text(value: VariableValue) -> str:
    return " + ".join(value) if isinstance(value, tuple) else value


def _current(value: VariableValue) -> dict[str, Any]:
    if isinstance(value, tuple):
        return {"selected": True, "text": list(value), "value": list(value)}
    return {"selected": True, "text": value, "value": value}


def apply(dashboard: dict[str, Any], values: EnvValues) -> dict[str, Any]:
    """The dashboard with the context's values as its variable defaults (the input is not modified)."""
    if not values:
        return dashboard
    templating = dashboard.get("templating")
    variables = templating.get("list") if isinstance(templating, dict) else None
    if not isinstance(variables, list):
        return dashboard
    by_plugin = dict(values.datasources)
    by_name = dict(values.variables)
    changed: list[Any] = []
    touched = False
    for variable in variables:
        if not isinstance(variable, dict):
            changed.append(variable)
            continue
        name, kind = variable.get("name"), variable.get("type")
        if name in by_name:
            value = by_name[name]
        elif kind == "datasource" and variable.get("query") in by_plugin:
            value = by_plugin[variable["query"]]
        else:
            changed.append(variable)
            continue
        mapped = {**copy.deepcopy(variable), "current": _current(value)}
        if kind in VALUE_IN_QUERY and isinstance(value, str):
            mapped["query"] = value
        touched = True
        changed.append(mapped)
    if not touched:
        return dashboard
    return {**dashboard, "templating": {**templating, "list": changed}}


def apply_local(dashboards: Iterable[LocalDashboard], values: EnvValues) -> list[LocalDashboard]:
    """Each compiled dashboard as it is pushed to the context (same uid, folder and source file)."""
    if not values:
        return list(dashboards)
    return [replace(d, content=apply(d.content, values)) for d in dashboards]


def unused(dashboards: Iterable[dict[str, Any]], values: EnvValues) -> list[str]:
    """Mapped keys no dashboard has a variable for (a typo in the context, or a variable renamed in code)."""
    seen: set[str] = set()
    for dashboard in dashboards:
        templating = dashboard.get("templating")
        for variable in (templating.get("list") if isinstance(templating, dict) else None) or []:
            if isinstance(variable, dict):
                seen.add(f"variable {variable.get('name')}")
                if variable.get("type") == "datasource":
                    seen.add(f"datasource {variable.get('query')}")
    return sorted(values.keys() - seen)


def unmapped(source: EnvValues, target: EnvValues) -> list[str]:
    """Keys the source context maps and the target does not: promoting would carry the source's value over."""
    return sorted(source.keys() - target.keys())


__all__ = ["EnvValues", "apply", "apply_local", "unmapped", "unused"]
