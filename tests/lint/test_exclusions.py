"""The exclusion file: silences exactly what it names, and refuses entries without a reason."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dashboards.lint.cli import DEFAULT_EXCLUSIONS, lint_command

FIXTURES = Path(__file__).parent / "fixtures"
RATES = str(FIXTURES / "rate_windows.json")


def _run(tmp_path: Path, exclusions: str, *files: str):
    path = tmp_path / "exclusions.yml"
    path.write_text(exclusions, encoding="utf-8")
    return CliRunner().invoke(lint_command, ["--exclusions", str(path), "--format", "json", *files])


def test_exclusion_by_uid_and_panel_silences_only_that_panel(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        "- rule: target-rate-interval\n  dashboard: rates\n  panel: Fixed 5m\n"
        "  reason: the 5m window matches the alert\n",
        RATES,
    )
    panels = [f["panel_title"] for f in json.loads(result.stdout)]
    assert panels == ["irate 1m and interval", "irate 1m and interval"]
    assert result.exit_code == 1


def test_exclusion_by_file_glob_for_the_whole_dashboard_exits_0(tmp_path: Path) -> None:
    result = _run(
        tmp_path, "- {rule: target-rate-interval, dashboard: 'rate_*.json', reason: legacy import}\n", RATES
    )
    assert json.loads(result.stdout) == []
    assert result.exit_code == 0


def test_exclusion_of_another_rule_or_dashboard_silences_nothing(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        "- {rule: panel-unit, dashboard: rates, reason: r}\n"
        "- {rule: target-rate-interval, dashboard: other-uid, reason: r}\n",
        RATES,
    )
    assert len(json.loads(result.stdout)) == 3


def test_missing_reason_is_a_usage_error_on_one_line(tmp_path: Path) -> None:
    result = _run(tmp_path, "- {rule: target-rate-interval, dashboard: rates}\n", RATES)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"lint: {tmp_path / 'exclusions.yml'}: exclusion #1: 'reason' is required (a non-empty string)"
    ]


def test_blank_reason_unknown_rule_and_bad_yaml_are_usage_errors(tmp_path: Path) -> None:
    for text, message in [
        ("- {rule: panel-unit, dashboard: x, reason: '  '}\n", "'reason' is required"),
        ("- {rule: no-such-rule, dashboard: x, reason: r}\n", "unknown rule 'no-such-rule'"),
        ("- {rule: panel-unit, dashboard: x, reason: r, colour: red}\n", "unknown keys ['colour']"),
        ("rule: panel-unit\n", "expected a list of exclusions"),
        ("- [unclosed\n", "not valid YAML"),
    ]:
        result = _run(tmp_path, text, RATES)
        assert result.exit_code == 2, text
        assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, result.stderr


def test_the_project_exclusion_file_is_valid_and_empty() -> None:
    from dashboards.lint import exclusions
    from dashboards.lint.registry import BY_NAME

    assert exclusions.load(DEFAULT_EXCLUSIONS, frozenset(BY_NAME)) == ()
