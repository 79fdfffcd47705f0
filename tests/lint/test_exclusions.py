"""The exclusion file: silences exactly what it names, and refuses entries without a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint.cli import DEFAULT_EXCLUSIONS, lint_command

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
    result = _run(tmp_path, "- {rule: target-rate-interval, dashboard: 'rate_*.json', reason: legacy import}\n", RATES)
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


def test_the_project_exclusion_file_is_valid_and_every_entry_silences_a_real_finding(tmp_path: Path) -> None:
    """Each accepted finding still exists (an exclusion outliving its panel would hide the next one), and each is
    a panel that reads an alert's own rate window (signals.slo.ALERT_RATE_WINDOW), the one reason accepted."""
    from lint import exclusions
    from lint.registry import BY_NAME
    from signals.slo import ALERT_RATE_WINDOW

    accepted = exclusions.load(DEFAULT_EXCLUSIONS, frozenset(BY_NAME))
    compiled = sorted(str(f) for f in (DEFAULT_EXCLUSIONS.parents[1] / "provisioning" / "dashboards").glob("*/*.json"))
    findings = json.loads(_run(tmp_path, "[]\n", *compiled).stdout)
    for entry in accepted:
        matched = [
            f
            for f in findings
            if f["rule"] == entry.rule
            and Path(f["file"]).name == f"{entry.dashboard}.json"
            and f["panel_title"] == entry.panel
        ]
        assert entry.rule == "target-rate-interval" and entry.panel, entry
        assert matched, f"{entry}: silences nothing"
        assert all(f"[{ALERT_RATE_WINDOW}]" in f["message"] for f in matched), matched


def _write_and_lint(tmp_path: Path, content: bytes):
    """The hostile exclusions file itself, as bytes; lint must refuse it before reading any dashboard."""
    path = tmp_path / "exclusions.yml"
    path.write_bytes(content)
    before = path.read_bytes()
    result = CliRunner().invoke(lint_command, ["--exclusions", str(path), RATES])
    assert path.read_bytes() == before
    return path, result


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",
            "{path}:1: not UTF-8 text (byte 0x89 at offset 0); the exclusions file is YAML",
        ),
        (
            b"- rule: panel-unit\n  dashboard: x\n  reason: caf\xe9\n",
            "{path}:3: not UTF-8 text (byte 0xe9 at offset 47); the exclusions file is YAML",
        ),
        (
            b"- rule: panel-unit\n  dashboard: \x01\n",
            "{path}:2: not valid YAML (unacceptable character #x0001: special characters are not allowed)",
        ),
        (b"- rule: [panel-unit\n", "{path}:2: not valid YAML (expected ',' or ']', but got '<stream end>')"),
        (b"rule: panel-unit\n  dashboard: x\n", "{path}:2: not valid YAML (mapping values are not allowed here)"),
        (b"- {null: x, 1: y}\n", "{path}: exclusion #1: unknown keys [1, None]"),
        (b"[" * 5000 + b"]" * 5000, "{path}: nested too deeply to read"),
    ],
    ids=["binary", "latin-1", "control character", "unclosed list", "bad indentation", "odd keys", "deep"],
)
def test_a_binary_or_malformed_exclusions_file_is_one_line_naming_file_and_line(tmp_path, content, message):
    path, result = _write_and_lint(tmp_path, content)
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output, result.output
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"lint: {message.format(path=path)}"]
