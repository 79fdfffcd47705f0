"""The team-editable query file: each entry is one metric family and the SQL that produces its samples.

Format (YAML list): name (metric name; counters end in _total), type (gauge|counter), help, labels (column
names), query (returns one row per sample: the label columns plus a numeric `value` column), and optional
timeout_seconds (the statement_timeout for that query). Validated at start so a typo stops the container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_QUERIES_FILE = Path(__file__).with_name("queries.yml")
_METRIC_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
_LABEL_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
TYPES = ("gauge", "counter")
VALUE_COLUMN = "value"


class QueryFileError(ValueError):
    """The query file is unreadable or invalid; the message names the entry and the field."""


@dataclass(frozen=True)
class QuerySpec:
    name: str
    type: str
    help: str
    labels: tuple[str, ...]
    query: str
    timeout_seconds: float | None = None


def parse_queries(text: str, source: str = "queries.yml") -> tuple[QuerySpec, ...]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise QueryFileError(f"{source}: not valid YAML{where}") from None
    entries = data.get("queries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise QueryFileError(f"{source}: expected a top-level `queries:` list with at least one entry")
    specs: list[QuerySpec] = []
    for index, entry in enumerate(entries, start=1):
        specs.append(_spec(entry, f"{source}: entry {index}"))
    names = [s.name for s in specs]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise QueryFileError(f"{source}: metric names repeated: {', '.join(duplicates)}")
    return tuple(specs)


def _spec(entry: object, where: str) -> QuerySpec:
    if not isinstance(entry, dict):
        raise QueryFileError(f"{where}: must be a mapping")
    unknown = set(entry) - {"name", "type", "help", "labels", "query", "timeout_seconds"}
    if unknown:
        raise QueryFileError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    name = entry.get("name")
    if not isinstance(name, str) or not _METRIC_NAME.match(name):
        raise QueryFileError(f"{where}: `name` must be a metric name")
    where = f"{where} ({name})"
    kind = entry.get("type")
    if kind not in TYPES:
        raise QueryFileError(f"{where}: `type` must be one of {', '.join(TYPES)}")
    if kind == "counter" and not name.endswith("_total"):
        raise QueryFileError(f"{where}: a counter's name must end in _total")
    help_text, query = entry.get("help"), entry.get("query")
    if not isinstance(help_text, str) or not help_text.strip():
        raise QueryFileError(f"{where}: `help` is required")
    if not isinstance(query, str) or not query.strip():
        raise QueryFileError(f"{where}: `query` is required")
    labels = entry.get("labels") or []
    if not isinstance(labels, list) or not all(isinstance(x, str) and _LABEL_NAME.match(x) for x in labels):
        raise QueryFileError(f"{where}: `labels` must be a list of label names")
    if VALUE_COLUMN in labels or len(set(labels)) != len(labels):
        raise QueryFileError(f"{where}: `labels` must be distinct and must not include `{VALUE_COLUMN}`")
    timeout = entry.get("timeout_seconds")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0):
        raise QueryFileError(f"{where}: `timeout_seconds` must be a positive number")
    return QuerySpec(name, kind, help_text.strip(), tuple(labels), query, float(timeout) if timeout else None)


def load_queries(path: Path) -> tuple[QuerySpec, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryFileError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_queries(text, str(path))
