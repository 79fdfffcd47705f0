"""Grafana variable substitution: every syntax Grafana interpolates, and where each occurrence sits."""

from __future__ import annotations

from lint.grafana_vars import VarUse, names, substitute
from lint.promql import RATE_INTERVAL, facts, parse


def _where(use: VarUse) -> str:
    return f"<{use.name}|{use.format or ''}|{'s' if use.in_string else ''}{'r' if use.in_range else ''}>"


def test_every_syntax_and_its_position() -> None:
    expr = (
        'sum by (job) (rate(x{a="$job", b=~"${inst:regex}", c="[[old]]"}[$__rate_interval])) '
        "/ ${__range_s} * $n + y[${__interval}:$__rate_interval]"
    )
    assert substitute(expr, _where) == (
        'sum by (job) (rate(x{a="<job||s>", b=~"<inst|regex|s>", c="<old||s>"}[<__rate_interval||r>])) '
        "/ <__range_s||> * <n||> + y[<__interval||r>:<__rate_interval||r>]"
    )


def test_escaped_quotes_and_regex_anchors_are_not_variables() -> None:
    expr = 'up{a=~"^x\\"$", b="q$"}'
    assert substitute(expr, _where) == expr
    assert names("rate(a[$__rate_interval]) + $__rate_interval + ${b}") == ("__rate_interval", "b")


def test_rate_interval_survives_parsing_as_a_recognisable_range() -> None:
    f = facts(
        parse('sum(rate(http_requests_total{job="$job"}[$__rate_interval])) by (handler)'),
        lambda n: n.endswith("_total"),
    )
    assert [u.range for u in f.ranges] == [RATE_INTERVAL]
    assert f.metrics == ("http_requests_total",) and f.raw_counters == ()


def test_bare_variable_in_a_number_position_still_parses() -> None:
    assert facts(parse("topk($n, up)"), lambda n: False).metrics == ("up",)
