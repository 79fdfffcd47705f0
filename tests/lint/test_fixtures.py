"""The linter over third-party-style dashboards: exactly the expected findings, never a crash.

Each `fixtures/<name>.json` has `expected/<name>.txt`, one `panel-title: rule: message` per line (the CLI's
text
output without the file prefix). The findings were reviewed one by one when the fixture was written.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint.cli import lint_command, lint_document
from lint.context import project_context
from lint.registry import RULES

HERE = Path(__file__).parent
FIXTURES = sorted((HERE / "fixtures").glob("*.json"))
ROOT = HERE.parents[1]
NO_EXCLUSIONS = ["--exclusions", str(HERE / "no-exclusions.yml")]


def _expected(fixture: Path) -> list[str]:
    text = (HERE / "expected" / f"{fixture.stem}.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line]


def _lint_json(*args: str) -> tuple[int, list[dict[str, str]]]:
    result = CliRunner().invoke(lint_command, [*NO_EXCLUSIONS, "--format", "json", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout)


def test_there_are_at_least_ten_fixtures_each_with_expectations() -> None:
    assert len(FIXTURES) >= 10
    expected = {p.stem for p in (HERE / "expected").glob("*.txt")}
    assert expected == {p.stem for p in FIXTURES}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_fixture_has_exactly_the_expected_findings(fixture: Path) -> None:
    code, findings = _lint_json(str(fixture))
    got = [
        f"{f['panel_title']}: {f['rule']}: " + ("warning: " if f["severity"] == "warning" else "") + f["message"]
        for f in findings
    ]
    assert got == _expected(fixture)
    assert {f["file"] for f in findings} <= {
        str(fixture.relative_to(Path.cwd())) if fixture.is_relative_to(Path.cwd()) else str(fixture)
    }
    assert code == (1 if any(f["severity"] == "error" for f in findings) else 0)


def test_every_rule_is_exercised_by_some_fixture() -> None:
    _, findings = _lint_json(*map(str, FIXTURES))
    assert {r.name for r in RULES} - {f["rule"] for f in findings} == set()


def test_text_output_is_file_panel_rule_message_and_exit_1() -> None:
    fixture = HERE / "fixtures" / "raw_counter.json"
    proc = subprocess.run(
        [sys.executable, "-m", "lint", *NO_EXCLUSIONS, str(fixture)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == (
        "tests/lint/fixtures/raw_counter.json:Requests so far: target-counter-raw: refId A: counter "
        "http_requests_total is shown raw; wrap it in rate() or increase()"
    )
    assert proc.stderr.strip() == "1 file(s): 2 error(s), 0 warning(s)"


def test_warnings_alone_exit_0() -> None:
    code, findings = _lint_json(str(HERE / "fixtures" / "unicode_titles.json"))
    assert code == 0 and [f["severity"] for f in findings] == ["warning"]


def test_unreadable_file_is_one_line_exit_2_and_the_others_are_still_linted(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"title": "half', encoding="utf-8")
    result = CliRunner().invoke(
        lint_command, [*NO_EXCLUSIONS, str(broken), str(HERE / "fixtures" / "raw_counter.json")]
    )
    assert result.exit_code == 2
    assert "counter http_requests_total is shown raw" in result.stdout
    errors = [line for line in result.stderr.splitlines() if "broken.json" in line]
    assert errors == [f"{broken}: not JSON: Unterminated string starting at (line 1, column 11)"]
    assert "Traceback" not in result.stderr


def _mutations(node: object, path: tuple[object, ...] = ()):
    """Every path in a JSON tree (so each value can be swapped for a wrong type)."""
    yield path
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _mutations(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _mutations(v, (*path, i))


def _replaced(doc: object, path: tuple[object, ...], value: object) -> object:
    if not path:
        return value
    out = copy.deepcopy(doc)
    node = out
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    return out


@pytest.mark.parametrize(
    "fixture",
    [p for p in FIXTURES if p.stem in {"clean", "old_rows_schema16", "api_export_wrapper"}],
    ids=lambda p: p.stem,
)
def test_any_value_of_any_type_anywhere_gives_findings_not_a_crash(fixture: Path) -> None:
    doc = json.loads(fixture.read_text(encoding="utf-8"))
    ctx = project_context("fuzz.json")
    for path in _mutations(doc):
        for wrong in (None, "12", 7, 1.5, float("nan"), float("inf"), True, [], {}, [None], {"panels": "x"}):
            findings, _ = lint_document(_replaced(doc, path, wrong), ctx)
            assert all(f.message for f in findings)


def test_unreadably_deep_input_is_a_usage_error_not_a_crash(tmp_path: Path) -> None:
    """Nesting too deep for the parsers is exit 2 with one line per file, never a traceback or exit 1."""
    deep_json = tmp_path / "deep.json"
    deep_json.write_text("[" * 100_000 + "]" * 100_000)
    deep_promql = tmp_path / "deep-promql.json"
    clean = json.loads(next(p for p in FIXTURES if p.stem == "clean").read_text(encoding="utf-8"))
    panel = next(p for p in clean["panels"] if p.get("targets"))
    panel["targets"][0]["expr"] = "(" * 5000 + "up" + ")" * 5000
    deep_promql.write_text(json.dumps(clean))
    for path in (deep_json, deep_promql):
        result = subprocess.run(
            [sys.executable, "-m", "dashboards", "lint", str(path)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode in (1, 2), result.stderr
        assert "Traceback" not in result.stderr, result.stderr
