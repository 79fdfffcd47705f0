"""An alert's `for` is checked where the alert is defined, so the build refuses it before promtool ever could.

Before, `for_="ten minutes"` was rendered into compose/prometheus/alerts/*.yml and only `promtool check rules`,
after the build, refused the file.
"""

from __future__ import annotations

import pytest

from alerting.model import Alert
from tests.generate.repo_copy import assert_one_line_exit_2, copy_repo, edit, run_module, tree

HINT = "(such as 30s, 5m or 1h30m)"


def _alert(for_: str) -> Alert:
    return Alert(
        name="ServiceDown",  # a name signals/links.py knows
        expr="up == 0",
        for_=for_,
        severity="critical",
        team="devops",
        summary="s",
        description="d",
        runbook="service-down",
    )


@pytest.mark.parametrize("for_", ["ten minutes", "", "5", "1.5m", "30m1h"])
def test_an_alert_refuses_a_for_that_is_not_a_prometheus_duration_naming_alert_and_field(for_):
    with pytest.raises(ValueError) as refused:
        _alert(for_)
    assert str(refused.value) == f"alert ServiceDown: for: {for_!r} is not a Prometheus duration {HINT}"


def test_a_for_of_zero_and_compound_durations_are_fine():
    assert _alert("0m").to_rule()["for"] == "0m"
    assert _alert("1h30m").to_rule()["for"] == "1h30m"


@pytest.mark.parametrize("command", ["build", "check"])
def test_an_alert_for_in_words_fails_the_build_in_one_line_and_writes_nothing(command, tmp_path):
    root = copy_repo(tmp_path)
    edit(
        root / "alerting/rules.py",
        'expr=f"sum by (job) ({sel}) == 0",\n                for_=slo.TARGET_DOWN_FOR,',
        'expr=f"sum by (job) ({sel}) == 0",\n                for_="ten minutes",',
    )
    before = tree(root)
    result = run_module(root, "dashboards", command)
    assert_one_line_exit_2(
        result, f"error: alerting: alert ServiceDown: for: 'ten minutes' is not a Prometheus duration {HINT}"
    )
    assert tree(root) == before


def test_an_alert_without_its_panel_is_refused():
    """Every alert names the panel it is about in signals/links.py, so its dashboard_url is a real link."""
    with pytest.raises(ValueError, match="^alert ExampleDown has no panel in signals/links.py ALERT_PANELS$"):
        Alert(
            name="ExampleDown",
            expr="up == 0",
            for_="1m",
            severity="critical",
            team="devops",
            summary="s",
            description="d",
            runbook="service-down",
        )
