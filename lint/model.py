"""A lenient view of dashboard JSON: whatever shape a file has, rules see panels and targets, never a crash.

Handles the current layout (`panels`, with collapsed rows nesting their own `panels`), the pre-5.0 `rows`
layout
(panels inside rows, sized by `span`), API-export wrappers (`{"dashboard": {...}, "meta": ...}`), nulls and
wrong
types. Structural surprises are reported as `problems` so a rule can turn them into findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from grafana_json.resource_to_classic import ResourceProblem, api_version, classic_from_resource

GRID_COLUMNS = 24
# Panel types that draw no query results: no unit, datasource or description requirements beyond the title.
LAYOUT_TYPES = frozenset({"row", "text", "news", "dashlist", "alertlist", "annolist", "welcome", "gettingstarted"})
_DS_VARIABLE_REF = re.compile(r"^\$\{?(\w+)(?::\w+)?\}?$|^\[\[(\w+)\]\]$")
MIXED = "-- Mixed --"


@dataclass(frozen=True)
class Panel:
    raw: dict[str, Any]
    index: int  # position in document order, for titles of untitled panels
    in_rows_layout: bool  # inside a pre-5.0 `rows` entry (sized by span, not gridPos)
    nested: bool  # inside a collapsed row's `panels`

    @property
    def type(self) -> str:
        t = self.raw.get("type")
        return t if isinstance(t, str) else ""

    @property
    def title(self) -> str:
        """What a finding calls this panel: its title, or where it sits when it has none."""
        t = self.raw.get("title")
        if isinstance(t, str) and t.strip():
            return t.strip()
        pid = self.raw.get("id")
        return f"<panel id {pid}>" if isinstance(pid, int) and not isinstance(pid, bool) else f"<panel #{self.index}>"

    @property
    def targets(self) -> list[dict[str, Any]]:
        t = self.raw.get("targets")
        return [x for x in t if isinstance(x, dict)] if isinstance(t, list) else []


@dataclass(frozen=True)
class Dashboard:
    raw: dict[str, Any]
    panels: tuple[Panel, ...]
    problems: tuple[str, ...] = field(default=())

    @property
    def uid(self) -> str:
        u = self.raw.get("uid")
        return u if isinstance(u, str) else ""

    @property
    def variables(self) -> list[dict[str, Any]]:
        templating = self.raw.get("templating")
        items = templating.get("list") if isinstance(templating, dict) else None
        return [v for v in items if isinstance(v, dict)] if isinstance(items, list) else []

    def datasource_variables(self) -> frozenset[str]:
        return frozenset(
            v["name"] for v in self.variables if v.get("type") == "datasource" and isinstance(v.get("name"), str)
        )


def unwrap(doc: Any) -> dict[str, Any] | None:
    """The dashboard object of a file: the document itself, the `dashboard` of an API export wrapper, or the
    classic JSON of a Grafana 12/13 dashboard resource (v1's `spec`, v2's elements and layout converted as
    Grafana converts them); a resource that cannot be converted is linted as it is, and so found wanting."""
    if not isinstance(doc, dict):
        return None
    if api_version(doc) is not None:
        try:
            return classic_from_resource(doc)[0]
        except ResourceProblem:
            return doc
    inner = doc.get("dashboard")
    if isinstance(inner, dict) and "panels" not in doc and "rows" not in doc:
        return inner
    return doc


def read(raw: dict[str, Any]) -> Dashboard:
    panels: list[Panel] = []
    problems: list[str] = []

    def add(items: Any, where: str, rows_layout: bool, nested: bool) -> None:
        if items is None:
            return
        if not isinstance(items, list):
            problems.append(f"{where} is {type(items).__name__}, not a list")
            return
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                problems.append(f"{where}[{i}] is {type(item).__name__}, not a panel object")
                continue
            panels.append(Panel(item, len(panels) + 1, rows_layout, nested))
            if item.get("type") == "row":
                add(item.get("panels"), f"{where}[{i}].panels", rows_layout, True)

    add(raw.get("panels"), "panels", False, False)
    rows = raw.get("rows")
    if rows is not None and not isinstance(rows, list):
        problems.append(f"rows is {type(rows).__name__}, not a list")
    elif rows:
        for r, row in enumerate(rows):
            if not isinstance(row, dict):
                problems.append(f"rows[{r}] is {type(row).__name__}, not a row object")
                continue
            add(row.get("panels"), f"rows[{r}].panels", True, False)
    if "templating" in raw and raw["templating"] is not None and not isinstance(raw["templating"], dict):
        problems.append(f"templating is {type(raw['templating']).__name__}, not an object")
    return Dashboard(raw, tuple(panels), tuple(problems))


def datasource_variable(ref: Any) -> str | None:
    """The variable a datasource reference names (`$ds`, `${ds}`, `[[ds]]`, `{"uid": "${ds}"}`), else None."""
    if isinstance(ref, dict):
        ref = ref.get("uid")
    if not isinstance(ref, str):
        return None
    m = _DS_VARIABLE_REF.match(ref.strip())
    return (m.group(1) or m.group(2)) if m else None


def is_mixed(ref: Any) -> bool:
    if isinstance(ref, dict):
        ref = ref.get("uid")
    return ref == MIXED


def datasource_type(ref: Any) -> str | None:
    """The plugin type of a datasource reference when it says so (`{"type": "loki", ...}`)."""
    if isinstance(ref, dict) and isinstance(ref.get("type"), str):
        return ref["type"]
    return None
