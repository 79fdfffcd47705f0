"""PromQL facts the target rules need, read from a real parser's AST (promql-parser), never from regexes.

A dashboard query is parsed after Grafana's variables are replaced by placeholders: the interval built-ins
become
sentinel durations (so the AST still tells `[$__rate_interval]` from `[5m]`), label values become a plain
word and
bare variables an identifier (or a number, when an identifier does not parse).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import promql_parser

from lint.grafana_vars import VarUse, substitute

# Distinct, improbable durations that stand for Grafana's interval variables after substitution.
RATE_INTERVAL = timedelta(seconds=7919)
INTERVAL = timedelta(seconds=7907)
RANGE = timedelta(seconds=7901)
CUSTOM_RANGE = timedelta(seconds=7883)
_DURATIONS = {"__rate_interval": RATE_INTERVAL, "__interval": INTERVAL, "__range": RANGE}
BARE_VARIABLE_PREFIX = "grafana_var_"

RATE_FUNCTIONS = frozenset({"rate", "irate", "increase"})
# Functions that read a counter's samples correctly (they handle resets or only look at presence/time).
_COUNTER_SAFE_FUNCTIONS = RATE_FUNCTIONS | {
    "resets",
    "changes",
    "absent",
    "absent_over_time",
    "present_over_time",
    "timestamp",
}
# Aggregations that count series rather than show values (`count(node_cpu_seconds_total{mode="idle"})`).
_COUNTER_SAFE_AGGREGATIONS = frozenset({"count", "group"})


class PromQLError(ValueError):
    """The query does not parse; the message is the parser's."""


@dataclass(frozen=True)
class RangeUse:
    """A rate/irate/increase call: which function, over which metric, with which range."""

    function: str
    metric: str | None
    range: timedelta

    @property
    def range_text(self) -> str:
        named = {
            RATE_INTERVAL: "$__rate_interval",
            INTERVAL: "$__interval",
            RANGE: "$__range",
            CUSTOM_RANGE: "a custom variable",
        }
        return named.get(self.range) or promql_parser.display_duration(self.range)


@dataclass(frozen=True)
class QueryFacts:
    metrics: tuple[str, ...]  # metric names selected, in order of first use
    ranges: tuple[RangeUse, ...]
    raw_counters: tuple[str, ...]  # counters shown without rate/increase


def _placeholder(use: VarUse, bare_as_number: bool) -> str:
    if use.in_string:
        return "grafana_var"
    if use.in_range:
        delta = _DURATIONS.get(use.name, CUSTOM_RANGE)
        return f"{int(delta.total_seconds())}s"
    if bare_as_number or use.builtin:
        return "60"
    return f"{BARE_VARIABLE_PREFIX}{use.name}"


def parse(expr: str) -> promql_parser.Expr:
    """Parse a Grafana query; variables are substituted first. Raises PromQLError with the parser's
    message."""
    try:
        return promql_parser.parse(substitute(expr, lambda u: _placeholder(u, bare_as_number=False)))
    except ValueError as first:
        try:
            return promql_parser.parse(substitute(expr, lambda u: _placeholder(u, bare_as_number=True)))
        except ValueError:
            raise PromQLError(str(first)) from None


def _children(node: object) -> Iterator[object]:
    if isinstance(node, promql_parser.BinaryExpr):
        yield node.lhs
        yield node.rhs
    elif isinstance(node, promql_parser.AggregateExpr):
        if isinstance(node.param, promql_parser.Expr):
            yield node.param
        yield node.expr
    elif isinstance(node, promql_parser.Call):
        yield from node.args
    elif isinstance(node, promql_parser.MatrixSelector):
        yield node.vector_selector
    elif isinstance(node, promql_parser.UnaryExpr | promql_parser.ParenExpr | promql_parser.SubqueryExpr):
        yield node.expr


def selector_name(vs: promql_parser.VectorSelector) -> str | None:
    if vs.name:
        return vs.name
    for m in vs.matchers.matchers:
        if m.name == "__name__" and m.op == promql_parser.MatchOp.Equal:
            return m.value
    return None


def _counter_safe(ancestors: list[object]) -> bool:
    for node in reversed(ancestors):
        if isinstance(node, promql_parser.Call) and node.func.name in _COUNTER_SAFE_FUNCTIONS:
            return True
        if isinstance(node, promql_parser.AggregateExpr) and str(node.op) in _COUNTER_SAFE_AGGREGATIONS:
            return True
    return False


def facts(tree: promql_parser.Expr, is_counter: Callable[[str], bool]) -> QueryFacts:
    """Metric names, rate ranges and raw counters of a parsed query."""
    metrics: list[str] = []
    ranges: list[RangeUse] = []
    raw: list[str] = []

    def visit(node: object, ancestors: list[object]) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            name = selector_name(node)
            if name and name not in metrics:
                metrics.append(name)
            if name and is_counter(name) and not _counter_safe(ancestors) and name not in raw:
                raw.append(name)
        if isinstance(node, promql_parser.Call) and node.func.name in RATE_FUNCTIONS and node.args:
            arg = node.args[0]
            if isinstance(arg, promql_parser.MatrixSelector):
                ranges.append(RangeUse(node.func.name, selector_name(arg.vector_selector), arg.range))
            elif isinstance(arg, promql_parser.SubqueryExpr) and arg.range is not None:
                inner = arg.expr
                name = selector_name(inner) if isinstance(inner, promql_parser.VectorSelector) else None
                ranges.append(RangeUse(node.func.name, name, arg.range))
        for child in _children(node):
            visit(child, [*ancestors, node])

    visit(tree, [])
    return QueryFacts(tuple(metrics), tuple(ranges), tuple(raw))


# Functions whose string arguments name labels: label_replace(v, dst, replacement, src, regex) and
# label_join(v, dst, separator, src...).
_LABEL_ARGUMENTS = {"label_replace": (1, 3), "label_join": (1, 3, 4, 5, 6, 7, 8, 9)}


def labels_used(tree: promql_parser.Expr) -> tuple[str, ...]:
    """Label names a query selects on, groups or matches by, or creates: what it relies on existing.

    `without (...)` is left out: removing a label relies on nothing. Used by the forbidden-label rule.
    """
    found: list[str] = []

    def add(names: object) -> None:
        for name in names or ():
            if name != "__name__" and name not in found:
                found.append(name)

    def visit(node: object) -> None:
        if isinstance(node, promql_parser.VectorSelector):
            add(m.name for m in node.matchers.matchers)
            add(m.name for group in node.matchers.or_matchers for m in group)
        elif isinstance(node, promql_parser.AggregateExpr) and node.modifier is not None:
            if "without" not in str(node.modifier).lower():
                add(node.modifier.labels)
        elif isinstance(node, promql_parser.BinaryExpr) and node.modifier is not None:
            matching = node.modifier.matching
            if matching is not None and "ignoring" not in str(matching).lower():
                add(matching.labels)
            add(node.modifier.group_labels)
        elif isinstance(node, promql_parser.Call) and node.func.name in _LABEL_ARGUMENTS:
            for i in _LABEL_ARGUMENTS[node.func.name]:
                if i < len(node.args) and isinstance(node.args[i], promql_parser.StringLiteral):
                    add([node.args[i].val])
        for child in _children(node):
            visit(child)

    visit(tree)
    return tuple(found)
