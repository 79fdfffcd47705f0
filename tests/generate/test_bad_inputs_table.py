"""docs/bad-inputs.md's build-side table, run for real in a throwaway copy of the repository: exit code and words
as the table says, one line, no traceback, nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.docs.bad_inputs import table_rows
from tests.generate.repo_copy import copy_repo, edit, run_module, tree

API_IMPORT = "from signals.jobs import API"


def _syntax_error(root: Path) -> tuple[str, ...]:
    edit(root / "dashboards/api.py", API_IMPORT, f"{API_IMPORT} (")
    return ("dashboards", "build")


def _syntax_error_check(root: Path) -> tuple[str, ...]:
    _syntax_error(root)
    return ("dashboards", "check")


def _exception_at_import(root: Path) -> tuple[str, ...]:
    path = root / "dashboards/security.py"
    path.write_text(path.read_text() + "PANEL_COUNT = len(PANELS) // 0\n")
    return ("dashboards", "build")


def _lint_empty_dir(root: Path) -> tuple[str, ...]:
    (root / "empty").mkdir()
    return ("dashboards", "lint", str(root / "empty"))


def _lint_binary_exclusions(root: Path) -> tuple[str, ...]:
    (root / "exclusions.yml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    return ("dashboards", "lint", "--exclusions", str(root / "exclusions.yml"))


CASES: dict[str, Callable[[Path], tuple[str, ...]]] = {
    "syntax-error": _syntax_error,
    "syntax-error-check": _syntax_error_check,
    "exception-at-import": _exception_at_import,
    "schema-version-1": lambda root: ("dashboards", "build", "--schema-version", "1"),
    "schema-version-9999": lambda root: ("dashboards", "build", "--schema-version", "9999"),
    "lint-empty-dir": _lint_empty_dir,
    "lint-binary-exclusions": _lint_binary_exclusions,
}


def test_the_table_and_the_cases_are_the_same_list() -> None:
    assert set(table_rows("## Build side")) == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_build_side_bad_input_answers_as_the_table_says(case: str, tmp_path: Path) -> None:
    exit_code, message = table_rows("## Build side")[case]
    root = copy_repo(tmp_path / "repo")
    command = CASES[case](root)
    before = tree(root)
    result = run_module(root, *command)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.returncode == exit_code, output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert tree(root) == before
