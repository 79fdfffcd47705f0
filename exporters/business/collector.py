"""Runs the configured queries on an interval and renders their last results at scrape time.

Why a cache refreshed in the background instead of querying per scrape: the business job is scraped every
5 s (and by every Prometheus and curl that asks), and a scrape must answer within its timeout even when a
query is slow. Queries therefore run at most once per REFRESH_INTERVAL_SECONDS, each inside a read-only
transaction with its own statement_timeout; a failed or slow query shows as
anonymeme_collector_query_success 0, its duration and a log line, while the endpoint keeps answering.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import psycopg
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from exporters.business.config import Config
from exporters.business.queries import VALUE_COLUMN, QuerySpec
from exporters.runtime import Heartbeat

log = logging.getLogger("exporters.business")

DURATION_METRIC = "anonymeme_collector_query_duration_seconds"
DURATION_HELP = "Duration of the last run of each collector query."
SUCCESS_METRIC = "anonymeme_collector_query_success"
SUCCESS_HELP = "1 when the last run of the query succeeded, else 0."


class QueryFailed(Exception):
    pass


@dataclass(frozen=True)
class QueryResult:
    success: bool
    duration: float
    samples: tuple[tuple[tuple[str, ...], float], ...] = ()  # (label values, value)


def rows_to_samples(spec: QuerySpec, columns: list[str], rows: list[tuple]) -> tuple:
    """Map result rows to samples; a missing column, a NULL or a non-number fails the whole query."""
    missing = [c for c in (*spec.labels, VALUE_COLUMN) if c not in columns]
    if missing:
        raise QueryFailed(f"result lacks column(s) {', '.join(missing)}")
    label_index = [columns.index(label) for label in spec.labels]
    value_index = columns.index(VALUE_COLUMN)
    samples = []
    seen: set[tuple[str, ...]] = set()
    for row in rows:
        value = row[value_index]
        if value is None:
            raise QueryFailed("a row has a NULL value (wrap aggregates in COALESCE)")
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise QueryFailed(f"`value` must be numeric, got {type(value).__name__}")
        labels = tuple("" if row[i] is None else str(row[i]) for i in label_index)
        if labels in seen:
            raise QueryFailed(f"two rows have the same labels {dict(zip(spec.labels, labels, strict=True))}")
        seen.add(labels)
        number = float(value)
        if spec.type == "counter" and (number < 0 or math.isnan(number)):
            raise QueryFailed("a counter value is negative or NaN")
        samples.append((labels, number))
    return tuple(samples)


class BusinessCollector(Collector):
    def __init__(self, config: Config, specs: tuple[QuerySpec, ...]):
        self.config, self.specs = config, specs
        self.results: dict[str, QueryResult] = {}
        self.refreshes = 0
        # A refresh may take every query's timeout plus a connect timeout on top of its interval.
        self.heartbeat = Heartbeat(
            config.refresh_interval, len(specs) * config.default_query_timeout + config.connect_timeout
        )
        self._lock = threading.Lock()

    # --- querying ------------------------------------------------------------------------------------------
    def refresh(self) -> dict[str, QueryResult]:
        """Run every query once (one connection, one transaction each) and publish the results together."""
        with self._lock:
            results: dict[str, QueryResult] = {}
            started = time.monotonic()
            try:
                conn = self._connect()
            except psycopg.Error as exc:
                elapsed = time.monotonic() - started
                log.error("database %s unreachable: %s", self.config.describe_database(), _first_line(exc))
                results = {s.name: QueryResult(False, elapsed) for s in self.specs}
            else:
                try:
                    for spec in self.specs:
                        if conn.broken and (fresh := self._connect_or_none()) is not None:
                            conn.close()
                            conn = fresh
                        results[spec.name] = self._run(conn, spec)
                finally:
                    conn.close()
            self.results = results
            self.refreshes += 1
            self.heartbeat.beat()
            return results

    def _connect(self) -> psycopg.Connection:
        extra = {"password": self.config.password} if self.config.password else {}
        return psycopg.connect(
            self.config.conninfo,
            autocommit=True,
            connect_timeout=self.config.connect_timeout,
            application_name="anonymeme-business-collector",
            **extra,
        )

    def _connect_or_none(self) -> psycopg.Connection | None:
        try:
            return self._connect()
        except psycopg.Error as exc:
            log.error("database %s reconnect failed: %s", self.config.describe_database(), _first_line(exc))
            return None

    def _run(self, conn: psycopg.Connection, spec: QuerySpec) -> QueryResult:
        timeout = spec.timeout_seconds or self.config.default_query_timeout
        started = time.monotonic()
        try:
            with conn.transaction():
                conn.execute("SET TRANSACTION READ ONLY")
                conn.execute("SELECT set_config('statement_timeout', %s, true)", (f"{int(timeout * 1000)}ms",))
                cursor = conn.execute(spec.query)  # type: ignore[arg-type] (trusted, team-reviewed SQL file)
                columns = [d.name for d in cursor.description or []]
                samples = rows_to_samples(spec, columns, cursor.fetchall())
        except (psycopg.Error, QueryFailed) as exc:
            duration = time.monotonic() - started
            log.error("query %s failed after %.3fs: %s", spec.name, duration, _first_line(exc))
            return QueryResult(False, duration)
        return QueryResult(True, time.monotonic() - started, samples)

    # --- exposition --------------------------------------------------------------------------------------
    def collect(self) -> Iterator[Metric]:
        results = self.results
        duration = GaugeMetricFamily(DURATION_METRIC, DURATION_HELP, labels=["query"])
        success = GaugeMetricFamily(SUCCESS_METRIC, SUCCESS_HELP, labels=["query"])
        for spec in self.specs:
            result = results.get(spec.name)
            family_type = CounterMetricFamily if spec.type == "counter" else GaugeMetricFamily
            name = spec.name.removesuffix("_total") if spec.type == "counter" else spec.name
            family = family_type(name, spec.help, labels=list(spec.labels))
            if result is not None:
                duration.add_metric([spec.name], result.duration)
                success.add_metric([spec.name], 1 if result.success else 0)
                for labels, value in result.samples:
                    family.add_metric(list(labels), value)
            yield family
        yield duration
        yield success

    def health(self) -> tuple[bool, dict]:
        """`Heartbeat`'s rule (exporters.runtime); a failing database shows in the metrics, not here."""
        failing = sorted(n for n, r in self.results.items() if not r.success)
        return self.heartbeat.healthy(), {
            "refreshes": self.refreshes,
            "last_refresh_age_seconds": self.heartbeat.age(),
            "failing_queries": failing,
        }


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
