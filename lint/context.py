"""What the rules judge against: the project's known metrics, Grafana's unit ids and the schemaVersion range.

Built once per run from `signals` (catalogue, exporters, recording rules) and the carried Grafana schema,
so the
rules themselves stay pure functions of (dashboard JSON, context).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from grafana_json.schema import SCHEMA_VERSION, SCHEMA_VERSION_FLOOR
from signals import catalogue, exporters, recording


@dataclass(frozen=True)
class Context:
    file: str
    known_metrics: frozenset[str]
    known_units: frozenset[str]
    counters: frozenset[str]  # counters whose names do not end in _total
    schema_floor: int = SCHEMA_VERSION_FLOOR
    schema_ceiling: int = SCHEMA_VERSION  # the carried Grafana schema's version: it cannot vouch for newer

    def is_counter(self, name: str) -> bool:
        return name.endswith("_total") or name in self.counters

    def for_file(self, file: str) -> Context:
        return dataclasses.replace(self, file=file)


def project_context(file: str = "") -> Context:
    """The context of this project: every metric a dashboard may query, and Grafana's unit ids."""
    from grafana_json.schema import known_units

    known = catalogue.series_names() | exporters.ALL | recording.recorded_names()
    counters = frozenset(m.name for m in catalogue.PLATFORM_METRICS if m.type is catalogue.MetricType.COUNTER)
    return Context(file, frozenset(known), known_units(), counters | exporters.POSTGRES_COUNTERS_WITHOUT_TOTAL)
