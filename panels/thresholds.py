"""Threshold steps from the thresholds in `signals.slo`, so a panel's colours match the alert that watches it."""

from __future__ import annotations

from signals.slo import Threshold

OK, WARN, CRIT = "green", "orange", "red"


def steps(threshold: Threshold | None, *, scale: float = 1.0) -> list[dict]:
    """Grafana threshold steps (base step first, `value: None` as Grafana writes it).

    `scale` converts the threshold to the panel's unit (e.g. 100 for a ratio shown as percent).
    A rising threshold colours high values; a falling one (cert days left, hit ratio) colours low values.
    Only the levels in `threshold.alerts` get a colour: a level no alert fires at is not drawn, so orange and red
    on a panel mean an alert of that severity exists.
    """
    if threshold is None:
        return [{"color": OK, "value": None}]
    levels = [(WARN, threshold.warning * scale, "warning"), (CRIT, threshold.critical * scale, "critical")]
    alerting = [(colour, value) for colour, value, severity in levels if severity in threshold.alerts]
    if threshold.rising:
        return [{"color": OK, "value": None}, *({"color": c, "value": v} for c, v in alerting)]
    # Falling: the base step is the worst colour that alerts; each step up is one level better, ending in green.
    worst_first = list(reversed(alerting))
    out = [{"color": worst_first[0][0], "value": None}]
    for (_, value), (better, _) in zip(worst_first, [*worst_first[1:], (OK, None)], strict=True):
        out.append({"color": better, "value": value})
    return out


def count_steps(colour: str = CRIT) -> list[dict]:
    """Steps for a count of bad things (firing alerts): green only at 0, `colour` from 1 up."""
    return [{"color": OK, "value": None}, {"color": colour, "value": 1}]
