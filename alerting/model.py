"""Alert rules as values: what the generator renders, what the tests iterate over.

An `Alert` is one Prometheus alerting rule. Alerts that watch one signal at two levels share a name and
differ in `severity` (and `threshold`), so Alertmanager's "critical inhibits the matching warning" works on
`alertname`. `threshold` and `rising` are not rendered: they tell the promtool case generator which side of
the line a value is on, so the unit tests move when a threshold in `signals.slo` moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from signals.durations import seconds
from signals.links import PanelRef, panel_for
from signals.runbooks import runbook_url

# "none" is the Watchdog's: it fires always, is routed only to the dead-man's switch and never pages or posts.
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
    # Gauge alerts stay firing this long after recovering, so a value hovering at the line pages once.
    keep_firing_for: str | None = None
    # The id of `panel` in the compiled dashboard, set by the build (alerting.render); None links the dashboard.
    panel_id: int | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"alert {self.name}: severity {self.severity!r} is not one of {SEVERITIES}")
        if self.team not in TEAMS:
            raise ValueError(f"alert {self.name}: team {self.team!r} is not one of {TEAMS}")
        for key, value in (("for", self.for_), ("keep_firing_for", self.keep_firing_for or "0")):
            try:
                seconds(value)  # promtool would refuse it, but only after the build had written it
            except ValueError as e:
                raise ValueError(f"alert {self.name}: {key}: {e}") from None
        try:
            self.panel  # noqa: B018 (every alert names its panel in signals/links.py, checked where it is written)
        except KeyError as e:
            raise ValueError(e.args[0]) from None

    @property
    def runbook_url(self) -> str:
        return runbook_url(self.runbook)

    @property
    def panel(self) -> PanelRef:
        """The panel this alert is about (signals.links), so the page, the panel and the runbook agree."""
        return panel_for(self.name, self.labels)

    @property
    def dashboard_url(self) -> str:
        """Grafana's view of the alert's panel with the alert's labels as the dashboard's variables."""
        return self.panel.url(self.panel_id)  # None (no compiled dashboards): the dashboard

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
        rule = {"alert": self.name, "expr": self.expr, "for": self.for_}
        if self.keep_firing_for:
            rule["keep_firing_for"] = self.keep_firing_for
        return {**rule, "labels": self.labels, "annotations": self.annotations}


@dataclass(frozen=True)
class AlertGroup:
    """One rule group of a rule file (Prometheus evaluates a group's rules in order, groups in parallel)."""

    name: str
    alerts: tuple[Alert, ...]
