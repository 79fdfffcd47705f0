"""Alert rules as values: what the generator renders, what the tests iterate over.

An `Alert` is one Prometheus alerting rule. Alerts that watch one signal at two levels share a name and
differ in `severity` (and `threshold`), so Alertmanager's "critical inhibits the matching warning" works on
`alertname`. `threshold` and `rising` are not rendered: they tell the promtool case generator which side of
the line a value is on, so the unit tests move when a threshold in `signals.slo` moves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from signals.durations import seconds
from signals.runbooks import dashboard_url, runbook_url

# "none" is the Watchdog's: it fires always, is routed only to the dead-man's switch and never pages or posts.
# Every description ends by naming the dashboard to open ("Dashboard: <uid>."); the link annotation is built from
# it so that the uid is written once per alert.
_DASHBOARD_HINT = re.compile(r"Dashboard: ([a-z0-9-]+)\.$")
SEVERITIES = ("critical", "warning", "none")
# Which severities each rule file holds (critical.yml pages; warning.yml is everything that does not).
RULE_FILE_SEVERITIES: dict[str, tuple[str, ...]] = {"critical": ("critical",), "warning": ("warning", "none")}
TEAMS = ("devops", "security", "business")


@dataclass(frozen=True)
class Alert:
    name: str
    expr: str
    for_: str
    severity: str
    team: str
    summary: str  # a Go template over $labels and $value (see alerting.templates for the supported subset)
    description: str
    runbook: str  # the family: runbooks/<runbook>.md
    threshold: float | None = None  # the value the expression compares $value with
    rising: bool = True  # True: fires above `threshold`; False: below
    extra_labels: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"alert {self.name}: severity {self.severity!r} is not one of {SEVERITIES}")
        if self.team not in TEAMS:
            raise ValueError(f"alert {self.name}: team {self.team!r} is not one of {TEAMS}")
        if not _DASHBOARD_HINT.search(self.description):
            raise ValueError(f"alert {self.name}: the description must end with 'Dashboard: <uid>.'")
        try:
            seconds(self.for_)  # promtool would refuse it, but only after the build had written it
        except ValueError as e:
            raise ValueError(f"alert {self.name}: for: {e}") from None

    @property
    def runbook_url(self) -> str:
        return runbook_url(self.runbook)

    @property
    def dashboard_url(self) -> str:
        match = _DASHBOARD_HINT.search(self.description)
        assert match is not None  # checked in __post_init__
        return dashboard_url(match.group(1))

    @property
    def labels(self) -> dict[str, str]:
        """The labels the rule adds, in the order they are rendered."""
        return {"severity": self.severity, "team": self.team, **dict(self.extra_labels)}

    @property
    def annotations(self) -> dict[str, str]:
        return {
            "summary": self.summary,
            "description": self.description,
            "runbook_url": self.runbook_url,
            "dashboard_url": self.dashboard_url,
        }

    def beyond(self, value: float) -> bool:
        """True when `value` is on the firing side of the threshold."""
        if self.threshold is None:
            raise ValueError(f"alert {self.name} has no threshold")
        return value > self.threshold if self.rising else value < self.threshold

    def to_rule(self) -> dict:
        """The rule as Prometheus reads it."""
        return {
            "alert": self.name,
            "expr": self.expr,
            "for": self.for_,
            "labels": self.labels,
            "annotations": self.annotations,
        }


@dataclass(frozen=True)
class AlertGroup:
    """One rule group of a rule file (Prometheus evaluates a group's rules in order, groups in parallel)."""

    name: str
    alerts: tuple[Alert, ...]
