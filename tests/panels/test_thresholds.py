"""Threshold steps colour only the levels an alert fires at (`Threshold.alerts`), in both directions."""

from __future__ import annotations

import pytest

from panels import prom, stat
from panels.thresholds import count_steps, steps
from signals.slo import API_ERROR_RATIO, Threshold


@pytest.mark.parametrize(
    ("alerts", "expected"),
    [
        (("warning", "critical"), [("green", None), ("orange", 5), ("red", 10)]),
        (("warning",), [("green", None), ("orange", 5)]),
        (("critical",), [("green", None), ("red", 10)]),
    ],
)
def test_rising_steps_colour_only_alerting_levels(alerts, expected) -> None:
    got = steps(Threshold(warning=5, critical=10, alerts=alerts))
    assert [(s["color"], s["value"]) for s in got] == expected


@pytest.mark.parametrize(
    ("alerts", "expected"),
    [
        (("warning", "critical"), [("red", None), ("orange", 3), ("green", 14)]),
        (("warning",), [("orange", None), ("green", 14)]),
        (("critical",), [("red", None), ("green", 3)]),
    ],
)
def test_falling_steps_start_at_the_worst_alerting_colour(alerts, expected) -> None:
    got = steps(Threshold(warning=14, critical=3, rising=False, alerts=alerts))
    assert [(s["color"], s["value"]) for s in got] == expected


def test_scale_applies_to_every_level() -> None:
    got = steps(Threshold(warning=0.5, critical=0.9, alerts=("warning",)), scale=100)
    assert [s["value"] for s in got] == [None, 50]


def test_a_count_is_green_only_at_zero() -> None:
    assert count_steps("orange") == [{"color": "green", "value": None}, {"color": "orange", "value": 1}]


def test_a_stat_takes_an_alert_threshold_or_explicit_colours_not_both() -> None:
    with pytest.raises(ValueError, match="threshold or colours"):
        stat("x", prom("up"), unit="none", description="d", threshold=API_ERROR_RATIO, colours=count_steps())
