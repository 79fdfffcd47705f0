"""The API availability SLO as a row: error budget left, availability over the period, burn rate per window.

Every number comes from the recording rules the burn-rate alerts read (`signals.recording`: the error ratio per
window and the budget remaining), so the row shows exactly what the alerts judge.
"""

from __future__ import annotations

from grafanalib.core import RowPanel

from panels import prom, row, stat, timeseries
from panels.thresholds import CRIT, OK
from signals.durations import seconds
from signals.recording import recorded_names, slo_error_ratio_record, slo_windows
from signals.slo import API_AVAILABILITY

BUDGET_REMAINING = "job:slo_error_budget_remaining:ratio"
AVAILABILITY = f"job:slo_availability:ratio_rate{API_AVAILABILITY.period_days}d"


def _recorded(name: str) -> str:
    """`name`, once `signals.recording` is known to record it: a renamed rule fails the build, not the panel."""
    if name not in recorded_names():
        raise ValueError(f"the SLO row reads {name!r}, which signals/recording.py does not record")
    return name


def _alert_windows() -> str:
    pairs = sorted(API_AVAILABILITY.windows, key=lambda w: seconds(w.long))
    return "; ".join(f"{w.long} and {w.short} above {w.factor:g}x ({w.severity})" for w in pairs)


def slo_row(selector: str, *, collapsed: bool = False) -> RowPanel:
    """The SLO row for the API jobs matched by `selector` (e.g. `job=~"$job"`)."""
    sel = "{" + selector + "}"
    budget = API_AVAILABILITY.error_budget
    period = f"{API_AVAILABILITY.period_days} days"
    return row(
        f"SLO: API availability {API_AVAILABILITY.objective:.1%} over {period}",
        collapsed=collapsed,
        panels=[
            stat(
                "Error budget remaining",
                prom(f"min({_recorded(BUDGET_REMAINING)}{sel})"),
                unit="percentunit",
                runbook="slo-burn",
                colours=[{"color": CRIT, "value": None}, {"color": OK, "value": 0}],
                decimals=1,
                w=6,
                h=8,
                description=f"Share of the {period} error budget ({budget:.1%} of requests) not yet spent, on the "
                "worst API job; red once it is spent (below 0).",
            ),
            stat(
                f"Availability ({API_AVAILABILITY.period_days}d)",
                prom(f"min({_recorded(AVAILABILITY)}{sel})"),
                unit="percentunit",
                runbook="slo-burn",
                colours=[{"color": CRIT, "value": None}, {"color": OK, "value": API_AVAILABILITY.objective}],
                decimals=3,
                w=6,
                h=8,
                description=f"Share of API requests answered without a 5xx over {period}; red below the "
                f"{API_AVAILABILITY.objective:.1%} objective.",
            ),
            timeseries(
                "Burn rate per window",
                [prom(f"max({_recorded(slo_error_ratio_record(w))}{sel}) / {budget:g}", w) for w in slo_windows()],
                unit="short",
                runbook="slo-burn",
                min_=0,
                w=12,
                h=8,
                description="How many times faster than the SLO allows the error budget is being spent, per "
                f"window (1 = the budget lasts exactly {period}). The burn-rate alerts fire when both windows of "
                f"a pair are above its factor: {_alert_windows()}.",
            ),
        ],
    )
