"""Fixtures for the alerting tests: the real Debian binaries, and the generated files in a temporary tree."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from alerting.render import render_all

REPO = Path(__file__).resolve().parents[2]


def binary(name: str) -> str:
    """The path of a real tool; a missing one fails the test and says how to install it."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"{name} is not installed: run `make system-deps` (Debian packages prometheus, prometheus-alertmanager)",
            pytrace=False,
        )
    return path


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=120, check=False, **kwargs)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> Path:
    """render_all() written under a temporary repository root."""
    return write_tree(tmp_path_factory.mktemp("rendered"), render_all())


@pytest.fixture(scope="session")
def rule_files(rendered: Path) -> list[str]:
    return [
        str(rendered / "compose/prometheus" / rel)
        for rel in ("alerts/critical.yml", "alerts/warning.yml", "rules/application.yml")
    ]
