"""A threshold refuses, where it is written, what no panel or alert could use, and the build says which field.

Before, a threshold given as a string, NaN or inf, or with its levels the wrong way round for its direction,
reached the user as a traceback (or a TypeError deep in a comparison) or not at all.
"""

from __future__ import annotations

import pytest

from signals.slo import SLO, BurnWindow, Threshold
from tests.generate.repo_copy import assert_one_line_exit_2, copy_repo, edit, run_module, tree

REFUSED = {
    "warning as a string": (dict(warning="0.05", critical=0.10), "Threshold.warning is '0.05' (str), not a number"),
    "critical as a string": (dict(warning=0.05, critical="10%"), "Threshold.critical is '10%' (str), not a number"),
    "NaN": (dict(warning=float("nan"), critical=0.10), "Threshold.warning is nan, not a finite number"),
    "inf": (dict(warning=0.05, critical=float("inf")), "Threshold.critical is inf, not a finite number"),
    "-inf falling": (
        dict(warning=0.9, critical=float("-inf"), rising=False),
        "Threshold.critical is -inf, not a finite number",
    ),
    "a bool": (dict(warning=True, critical=2), "Threshold.warning is True (bool), not a number"),
    "None": (dict(warning=None, critical=2), "Threshold.warning is None (NoneType), not a number"),
    "rising as a string": (dict(warning=1, critical=2, rising="no"), "Threshold.rising is 'no', not True or False"),
    "rising, warning above critical": (
        dict(warning=0.9, critical=0.5),
        "Threshold.warning=0.9 must be less severe than critical=0.5 (rising: warning below critical)",
    ),
    "rising, equal levels": (
        dict(warning=5, critical=5),
        "Threshold.warning=5 must be less severe than critical=5 (rising: warning below critical)",
    ),
    "falling, warning below critical": (
        dict(warning=3, critical=14, rising=False),
        "Threshold.warning=3 must be less severe than critical=14 (falling: warning above critical)",
    ),
    "hold time in words": (
        dict(warning=1, critical=2, warning_for="ten minutes"),
        "Threshold.warning_for: 'ten minutes' is not a Prometheus duration (such as 30s, 5m or 1h30m)",
    ),
    "hold time as a number": (
        dict(warning=1, critical=2, critical_for=300),
        "Threshold.critical_for: 300 (int) is not a Prometheus duration (such as 30s, 5m or 1h30m)",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_threshold_refuses_what_no_panel_or_alert_could_use_naming_the_field(case):
    kwargs, message = REFUSED[case]
    with pytest.raises(ValueError) as refused:
        Threshold(**kwargs)
    assert str(refused.value) == message


def test_integers_floats_and_zero_hold_times_are_fine():
    Threshold(warning=50, critical=80, warning_for="0m", critical_for="0")
    Threshold(warning=0.98, critical=0.95, rising=False, warning_for="1h30m")


def test_burn_windows_and_slos_check_their_own_fields():
    with pytest.raises(ValueError, match=r"^BurnWindow.short: '5 min' is not a Prometheus duration"):
        BurnWindow("1h", "5 min", 14.4, "critical", "2m")
    with pytest.raises(ValueError, match=r"^BurnWindow.factor is nan, not a finite number"):
        BurnWindow("1h", "5m", float("nan"), "critical", "2m")
    with pytest.raises(ValueError, match=r"^SLO.objective is 99.9, not a ratio between 0 and 1"):
        SLO("api", 99.9, 30, ())


# In signals/slo.py as a user would edit it: each replaces the start of one threshold's definition.
IN_SOURCE = {
    "string": (
        "API_ERROR_RATIO = Threshold(warning=0.05,",
        'API_ERROR_RATIO = Threshold(warning="0.05",',
        "Threshold.warning is '0.05' (str), not a number",
    ),
    "NaN": (
        "API_ERROR_RATIO = Threshold(warning=0.05,",
        'API_ERROR_RATIO = Threshold(warning=float("nan"),',
        "Threshold.warning is nan, not a finite number",
    ),
    "inf": (
        "API_LATENCY_P95 = Threshold(warning=0.5, critical=1.0,",
        'API_LATENCY_P95 = Threshold(warning=0.5, critical=float("inf"),',
        "Threshold.critical is inf, not a finite number",
    ),
    "warning above critical (rising)": (
        "API_ERROR_RATIO = Threshold(warning=0.05,",
        "API_ERROR_RATIO = Threshold(warning=0.5,",
        "Threshold.warning=0.5 must be less severe than critical=0.1 (rising: warning below critical)",
    ),
    "warning below critical (falling)": (
        "TRANSACTION_SUCCESS_RATIO = Threshold(warning=0.98,",
        "TRANSACTION_SUCCESS_RATIO = Threshold(warning=0.9,",
        "Threshold.warning=0.9 must be less severe than critical=0.95 (falling: warning above critical)",
    ),
}


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("case", sorted(IN_SOURCE))
def test_a_refused_threshold_in_signals_is_one_line_with_file_and_line_and_nothing_written(case, command, tmp_path):
    old, new, message = IN_SOURCE[case]
    root = copy_repo(tmp_path)
    line = edit(root / "signals/slo.py", old, new)
    before = tree(root)
    result = run_module(root, "dashboards", command)
    assert_one_line_exit_2(result, f"signals/slo.py:{line}: ValueError: {message}")
    assert tree(root) == before
