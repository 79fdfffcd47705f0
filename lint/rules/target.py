"""Rules about one query of a panel: datasource, PromQL syntax, rate windows, counters and metric names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from lint import promql
from lint.context import Context
from lint.model import Dashboard, Panel, datasource_type, datasource_variable
from signals.catalogue import FORBIDDEN_LABELS

Issue = tuple[str, str]
# Datasource types whose `expr` is PromQL (Grafana's Prometheus plugin and its Prometheus-compatible
# siblings).
PROMQL_TYPES = frozenset({"prometheus", "grafana-amazonprometheus-datasource", "grafana-azureprometheus-datasource"})


@dataclass(frozen=True)
class Query:
    """One target of a panel, with its PromQL parsed once for every target rule."""

    panel: Panel
    raw: dict[str, Any]
    ctx: Context

    @property
    def ref(self) -> str:
        r = self.raw.get("refId")
        return str(r) if r is not None else "?"

    @property
    def expr(self) -> str | None:
        e = self.raw.get("expr")
        return e if isinstance(e, str) else None

    @property
    def is_promql(self) -> bool:
        if self.expr is None:
            return False
        kind = datasource_type(self.raw.get("datasource")) or datasource_type(self.panel.raw.get("datasource"))
        return kind is None or kind in PROMQL_TYPES

    @cached_property
    def tree(self) -> tuple[Any, str | None]:
        """(syntax tree, None) or (None, parse error): the one parse every target rule shares."""
        try:
            return promql.parse(self.expr or ""), None
        except promql.PromQLError as e:
            return None, str(e)

    @cached_property
    def parsed(self) -> tuple[promql.QueryFacts | None, str | None]:
        """(facts, None) or (None, parse error)."""
        tree, error = self.tree
        return (None, error) if tree is None else (promql.facts(tree, self.ctx.is_counter), None)

    def label(self) -> str:
        return f"refId {self.ref}"


def datasource(q: Query, d: Dashboard) -> Iterator[Issue]:
    """A target with its own datasource must use the variable too, or it silently queries one fixed server."""
    if "datasource" not in q.raw or q.raw["datasource"] is None:
        return
    ref = q.raw["datasource"]
    name = datasource_variable(ref)
    if name is None or name not in d.datasource_variables():
        yield q.panel.title, f"{q.label()}: datasource {ref!r} is not a datasource template variable"


def promql_parses(q: Query, d: Dashboard) -> Iterator[Issue]:
    """A query that does not parse shows "no data" at 3 a.m.; the parser is promql-parser after
    substitution."""
    if not q.is_promql:
        return
    if not (q.expr or "").strip():
        yield q.panel.title, f"{q.label()}: empty query"
        return
    _, error = q.parsed
    if error:
        yield q.panel.title, f"{q.label()}: PromQL does not parse: {error}"


def rate_interval(q: Query, d: Dashboard) -> Iterator[Issue]:
    """rate/irate/increase need $__rate_interval: a fixed window is too short for some scrape intervals and
    zoom levels and blurs others. Exceptions: recording rules (already rates, name has ':') and
    `increase(...[$__range])`, the total over the dashboard's range that stat panels show."""
    facts, _ = q.parsed if q.is_promql else (None, None)
    if facts is None:
        return
    for use in facts.ranges:
        if use.metric and ":" in use.metric:
            continue
        if use.range == promql.RATE_INTERVAL:
            continue
        if use.function == "increase" and use.range == promql.RANGE:
            continue
        yield (
            q.panel.title,
            (f"{q.label()}: {use.function}({use.metric or '...'}[{use.range_text}]) should use $__rate_interval"),
        )


def counter_not_raw(q: Query, d: Dashboard) -> Iterator[Issue]:
    """A counter's raw value is "requests since the process started": meaningless, and it drops on
    restarts."""
    facts, _ = q.parsed if q.is_promql else (None, None)
    if facts is None:
        return
    for name in facts.raw_counters:
        if name.startswith(promql.BARE_VARIABLE_PREFIX):
            continue
        yield q.panel.title, f"{q.label()}: counter {name} is shown raw; wrap it in rate() or increase()"


def known_metric(q: Query, d: Dashboard) -> Iterator[Issue]:
    """Every metric must exist: an exporter metric, a platform catalogue metric or a recording rule."""
    facts, _ = q.parsed if q.is_promql else (None, None)
    if facts is None:
        return
    for name in facts.metrics:
        if name.startswith(promql.BARE_VARIABLE_PREFIX) or name in q.ctx.known_metrics:
            continue
        yield (
            q.panel.title,
            (f"{q.label()}: unknown metric {name} (not an exporter, platform catalogue or recording-rule metric)"),
        )


def forbidden_label(q: Query, d: Dashboard) -> Iterator[Issue]:
    """A query must not select, group or match by a label that identifies people, carries a secret or is
    unbounded (signals.catalogue.FORBIDDEN_LABELS): Prometheus drops them at scrape time, so such a panel is
    either empty or shows data that must not exist."""
    tree, _ = q.tree if q.is_promql else (None, None)
    if tree is None:
        return
    for name in promql.labels_used(tree):
        if name in FORBIDDEN_LABELS:
            yield q.panel.title, f"{q.label()}: label {name} is forbidden (personal, secret or unbounded data)"
