"""Threshold steps from the thresholds in `signals.slo`, so a panel's colours match the alert that watches it."""

from __future__ import annotations

from signals.slo import Threshold

OK, WARN, CRIT = "green", "orange", "red"


def steps(threshold: Threshold | None, *, scale: float = 1.0) -> list[dict]:
    """Grafana threshold steps (base step first, `value: None` as Grafana writes it).

    `scale` converts the threshold to the panel's unit (e.g. 100 for a ratio shown as percent).
    A rising threshold colours high values; a falling one (cert days left, hit ratio) colours low values.
    """
    if threshold is None:
        return [{"color": OK, "value": None}]
    warning, critical = threshold.warning * scale, threshold.critical * scale
    if threshold.rising:
        return [{"color": OK, "value": None}, {"color": WARN, "value": warning}, {"color": CRIT, "value": critical}]
    return [{"color": CRIT, "value": None}, {"color": WARN, "value": critical}, {"color": OK, "value": warning}]
