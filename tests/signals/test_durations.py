"""One Prometheus duration parser for every duration the project writes, with Prometheus's own grammar.

Before, alerting/model.py and signals/recording.py each parsed durations (differently), and nothing checked an
alert's `for`: `"ten minutes"` passed the build and only promtool, afterwards, refused the rule file.
"""

from __future__ import annotations

import pytest

from signals.durations import duration, seconds
from signals.recording import RecordingRule, RuleGroup
from tests.generate.repo_copy import assert_one_line_exit_2, copy_repo, edit, run_module, tree

HINT = "(such as 30s, 5m or 1h30m)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", 0),
        ("0s", 0),
        ("5m", 300),
        ("1h30m", 5400),
        ("3d", 259200),
        ("2w", 1209600),
        ("1y", 31536000),
        ("250ms", 0.25),
        ("1h1m1s1ms", 3661.001),
    ],
)
def test_prometheus_durations_parse(text, expected):
    assert seconds(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["ten minutes", "", "5", "1.5m", "30m1h", "5m5m", "5 m", "-5m", "5M", "5min"])
def test_what_promtool_refuses_is_refused_naming_the_value(text):
    """Units from largest to smallest, each once, integers only: Prometheus's model.ParseDuration."""
    with pytest.raises(ValueError) as refused:
        seconds(text)
    assert str(refused.value) == f"{text!r} is not a Prometheus duration {HINT}"


def test_a_duration_constant_is_checked_where_it_is_written():
    assert duration("2m") == "2m"
    with pytest.raises(ValueError, match="'two minutes' is not a Prometheus duration"):
        duration("two minutes")


def test_a_rule_group_interval_is_checked_naming_the_group():
    with pytest.raises(ValueError) as refused:
        RuleGroup("api-red", "every 30s", (RecordingRule("a:b:c", "up"),))
    assert str(refused.value) == f"RuleGroup api-red.interval: 'every 30s' is not a Prometheus duration {HINT}"


def test_a_hold_time_in_words_in_signals_is_one_line_with_file_and_line(tmp_path):
    root = copy_repo(tmp_path)
    line = edit(
        root / "signals/slo.py",
        'warning=0.05, critical=0.10, warning_for="10m"',
        'warning=0.05, critical=0.10, warning_for="ten minutes"',
    )
    before = tree(root)
    result = run_module(root, "dashboards", "build")
    assert_one_line_exit_2(
        result,
        f"signals/slo.py:{line}: ValueError: Threshold.warning_for: 'ten minutes' is not a Prometheus duration {HINT}",
    )
    assert tree(root) == before


def test_a_duration_constant_in_words_is_one_line_with_file_and_line(tmp_path):
    root = copy_repo(tmp_path)
    line = edit(root / "signals/slo.py", 'TARGET_DOWN_FOR = duration("1m")', 'TARGET_DOWN_FOR = duration("1 min")')
    before = tree(root)
    result = run_module(root, "dashboards", "build")
    assert_one_line_exit_2(result, f"signals/slo.py:{line}: ValueError: '1 min' is not a Prometheus duration {HINT}")
    assert tree(root) == before
