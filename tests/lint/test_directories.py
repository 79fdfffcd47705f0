"""`lint DIR` lints every *.json below DIR, recursively, as if each file had been named; before, it refused.

A directory with no dashboard at all is unreadable input (one line, exit 2), not a clean run of zero files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from lint.cli import lint_command
from tests.generate.repo_copy import tree

HERE = Path(__file__).parent
NO_EXCLUSIONS = ["--exclusions", str(HERE / "no-exclusions.yml")]
FIXTURES = HERE / "fixtures"


def _lint(*args: str):
    return CliRunner().invoke(lint_command, [*NO_EXCLUSIONS, "--format", "json", *args])


def test_a_directory_is_every_json_file_below_it(tmp_path: Path) -> None:
    (tmp_path / "team" / "nested").mkdir(parents=True)
    shutil.copy(FIXTURES / "rate_windows.json", tmp_path / "team" / "rate_windows.json")
    shutil.copy(FIXTURES / "raw_counter.json", tmp_path / "team" / "nested" / "raw_counter.json")
    shutil.copy(FIXTURES / "clean.json", tmp_path / "clean.json")
    (tmp_path / "team" / "README.md").write_text("not a dashboard\n")
    before = tree(tmp_path)
    by_dir = _lint(str(tmp_path))
    by_file = _lint(
        *(
            str(p)
            for p in (
                tmp_path / "clean.json",
                tmp_path / "team/nested/raw_counter.json",
                tmp_path / "team/rate_windows.json",
            )
        )
    )
    assert by_dir.exit_code == by_file.exit_code == 1
    assert json.loads(by_dir.stdout) == json.loads(by_file.stdout) != []
    assert by_dir.stderr.splitlines()[-1].startswith("3 file(s): ")
    assert tree(tmp_path) == before


def test_directories_and_files_mix(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    shutil.copy(FIXTURES / "clean.json", tmp_path / "d" / "clean.json")
    result = _lint(str(tmp_path / "d"), str(FIXTURES / "clean.json"))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1].startswith("2 file(s): 0 error(s)")


def test_a_directory_without_dashboards_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty" / "sub").mkdir(parents=True)
    (tmp_path / "empty" / "notes.txt").write_text("no dashboards here\n")
    result = _lint(str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.stderr.splitlines() == [f"lint: {tmp_path / 'empty'}: no *.json files in this directory or below it"]
