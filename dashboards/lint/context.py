"""What the rules judge against: the project's known metrics, Grafana's unit ids and the schema floor.

Built once per run from `signals` (catalogue, exporters, recording rules) and the carried Grafana schema,
so the
rules themselves stay pure functions of (dashboard JSON, context).
"""

from __future__ import annotations

from dataclasses import dataclass

from signals import catalogue, exporters, recording

SCHEMA_VERSION_FLOOR = 36  # the project's floor; compiled dashboards use 42


@dataclass(frozen=True)
class Context:
    file: str
    known_metrics: frozenset[str]
    known_units: frozenset[str]
    counters: frozenset[str]  # counters whose names do not end in _total
    schema_floor: int = SCHEMA_VERSION_FLOOR

    def is_counter(self, name: str) -> bool:
        return name.endswith("_total") or name in self.counters

    def for_file(self, file: str) -> Context:
        return Context(file, self.known_metrics, self.known_units, self.counters, self.schema_floor)


def project_context(file: str = "") -> Context:
    """The context of this project: every metric a dashboard may query, and Grafana's unit ids."""
    from dashboards.schema import known_units

    known = catalogue.series_names() | exporters.ALL | recording.recorded_names()
    counters = frozenset(m.name for m in catalogue.PLATFORM_METRICS if m.type is catalogue.MetricType.COUNTER)
    return Context(
        file, frozenset(known), known_units(), counters | exporters.POSTGRES_COUNTERS_WITHOUT_TOTAL
    )
