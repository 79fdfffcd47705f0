"""Every rule with its name, scope, severity and one-line doc; `run` applies them all to one dashboard."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from grafana_json.schema import SCHEMA_VERSION, SCHEMA_VERSION_FLOOR
from lint.context import Context
from lint.finding import Finding, Severity
from lint.model import Dashboard
from lint.rules import dashboard as dr
from lint.rules import panel as pr
from lint.rules import target as tr


class Scope(StrEnum):
    DASHBOARD = "dashboard"
    PANEL = "panel"
    TARGET = "target"


@dataclass(frozen=True)
class Rule:
    name: str
    scope: Scope
    severity: Severity
    doc: str
    check: Callable[..., Iterable[tuple[str, str]]]


E, W = Severity.ERROR, Severity.WARNING
RULES: tuple[Rule, ...] = (
    Rule(
        "dashboard-structure",
        Scope.DASHBOARD,
        E,
        "the JSON has the shape of a dashboard (lists, objects, title)",
        dr.structure,
    ),
    Rule(
        "template-datasource",
        Scope.DASHBOARD,
        E,
        "a Prometheus datasource template variable exists",
        dr.template_datasource,
    ),
    Rule(
        "schema-version",
        Scope.DASHBOARD,
        E,
        f"schemaVersion is an integer from the project's floor ({SCHEMA_VERSION_FLOOR}) to the carried schema's "
        f"({SCHEMA_VERSION})",
        dr.schema_version,
    ),
    Rule("panel-id-unique", Scope.DASHBOARD, E, "panel ids are integers and unique", dr.unique_panel_ids),
    Rule("panel-overlap", Scope.DASHBOARD, E, "no two panels overlap on the grid", dr.no_overlap),
    Rule("panel-title", Scope.PANEL, E, "every panel has a title", pr.title),
    Rule("panel-description", Scope.PANEL, W, "every panel has a description", pr.description),
    Rule("panel-unit", Scope.PANEL, E, "every panel showing numbers has a unit Grafana knows", pr.unit),
    Rule(
        "panel-datasource",
        Scope.PANEL,
        E,
        "every panel with queries uses the datasource variable",
        pr.datasource,
    ),
    Rule("panel-deprecated-type", Scope.PANEL, E, "no deprecated (angular) panel types", pr.deprecated_type),
    Rule("panel-grid", Scope.PANEL, E, "a valid gridPos within the 24-column grid", pr.grid),
    Rule(
        "target-datasource",
        Scope.TARGET,
        E,
        "a target's own datasource is the datasource variable",
        tr.datasource,
    ),
    Rule("target-promql", Scope.TARGET, E, "every PromQL expression parses", tr.promql_parses),
    Rule("target-rate-interval", Scope.TARGET, E, "rate/irate/increase use $__rate_interval", tr.rate_interval),
    Rule("target-counter-raw", Scope.TARGET, E, "counters are never shown raw", tr.counter_not_raw),
    Rule(
        "target-known-metric",
        Scope.TARGET,
        E,
        "every metric is an exporter, catalogue or recording-rule metric",
        tr.known_metric,
    ),
    Rule(
        "target-forbidden-label",
        Scope.TARGET,
        E,
        "no query uses a label that identifies people, carries secrets or is unbounded",
        tr.forbidden_label,
    ),
)
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}


def run(dashboard: Dashboard, ctx: Context) -> list[Finding]:
    """All findings for one dashboard, dashboard rules first, then per panel in document order."""
    findings: list[Finding] = []

    def emit(rule: Rule, issues: Iterable[tuple[str, str]]) -> None:
        findings.extend(Finding(rule.name, rule.severity, ctx.file, title, msg) for title, msg in issues)

    for rule in RULES:
        if rule.scope is Scope.DASHBOARD:
            emit(rule, rule.check(dashboard, ctx))
    for p in dashboard.panels:
        for rule in RULES:
            if rule.scope is Scope.PANEL:
                emit(rule, rule.check(p, dashboard, ctx))
        queries = [tr.Query(p, t, ctx) for t in p.targets]
        for q in queries:
            for rule in RULES:
                if rule.scope is Scope.TARGET:
                    emit(rule, rule.check(q, dashboard))
    return findings
