"""A Python error in a dashboard module is the user's source: `file:line: Type: message`, exit 2, nothing written.

Each case writes the broken source into a copy of the repository and runs the real `python -m dashboards build`
and `check` there: before, `build` printed a traceback through importlib and `check` exited 1 as if stale.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.generate.repo_copy import assert_one_line_exit_2, copy_repo, edit, run_module, tree

API_IMPORT = "from signals.jobs import API"


def _syntax_error(root: Path) -> str:
    line = edit(root / "dashboards/api.py", API_IMPORT, f"{API_IMPORT} (")
    return f"dashboards/api.py:{line}: SyntaxError: invalid syntax"


def _import_error(root: Path) -> str:
    line = edit(root / "dashboards/api.py", API_IMPORT, f"from panels import no_such_builder\n{API_IMPORT}")
    return f"dashboards/api.py:{line}: ImportError: cannot import name 'no_such_builder' from 'panels'"


def _exception_at_import(root: Path) -> str:
    path = root / "dashboards/security.py"
    text = path.read_text()
    path.write_text(text + "PANEL_COUNT = len(PANELS) // 0\n")
    return f"dashboards/security.py:{text.count(chr(10)) + 1}: NameError: name 'PANELS' is not defined"


def _indentation_error(root: Path) -> str:
    line = edit(root / "dashboards/api.py", API_IMPORT, f"    {API_IMPORT}")
    return f"dashboards/api.py:{line}: IndentationError: unexpected indent"


BROKEN: dict[str, Callable[[Path], str]] = {
    "syntax error": _syntax_error,
    "import error": _import_error,
    "exception at import": _exception_at_import,
    "indentation error": _indentation_error,
}


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_dashboard_module_is_one_line_naming_file_and_line(case, command, tmp_path):
    root = copy_repo(tmp_path)
    expected = BROKEN[case](root)
    before = tree(root)
    result = run_module(root, "dashboards", command)
    if case == "import error":  # Python appends where `panels` lives, which is this test's temporary path
        assert result.stderr.startswith(expected), result.stderr
        expected = result.stderr.splitlines()[0] if result.stderr else expected
    assert_one_line_exit_2(result, expected)
    assert tree(root) == before
