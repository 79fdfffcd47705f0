"""`Threshold.alerts`: the severities an alert fires at, refused where it is written when it cannot be right."""

from __future__ import annotations

import pytest

from signals.slo import Threshold


@pytest.mark.parametrize(
    ("alerts", "message"),
    [
        ((), "not a non-empty tuple"),
        (["warning"], "not a non-empty tuple"),
        ("warning", "not a non-empty tuple"),
        (("warn",), "names ['warn']"),
        (("warning", "page"), "names ['page']"),
        (("critical", "critical"), "named twice"),
    ],
)
def test_a_wrong_alerts_value_is_refused_naming_the_field(alerts, message) -> None:
    with pytest.raises(ValueError, match="Threshold.alerts") as e:
        Threshold(warning=1, critical=2, alerts=alerts)
    assert message in str(e.value)


@pytest.mark.parametrize("alerts", [("warning",), ("critical",), ("warning", "critical"), ("critical", "warning")])
def test_any_non_empty_set_of_severities_is_accepted(alerts) -> None:
    assert Threshold(warning=1, critical=2, alerts=alerts).alerts == alerts


def test_both_severities_alert_unless_told_otherwise() -> None:
    assert Threshold(warning=1, critical=2).alerts == ("warning", "critical")
