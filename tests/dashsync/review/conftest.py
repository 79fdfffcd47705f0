"""A throwaway git repository holding the project's generated files, before and after a real change."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from dashsync.cli import main

from .scenario import apply_change, make_base


@pytest.fixture
def base_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = tmp_path / "repo"
    make_base(repo)
    monkeypatch.chdir(repo)
    return repo


@pytest.fixture
def changed_repo(base_repo: Path) -> Path:
    apply_change(base_repo)
    return base_repo


def review(*args: str) -> Result:
    """`dashsync review ARGS` through the real command line, in the current directory."""
    return CliRunner().invoke(main, ["review", *args])


def review_json(*args: str) -> dict[str, Any]:
    result = review("--format", "json", *args)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)
