"""Shared steps of the importer tests: import a JSON file to a module on disk, load it, compile it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from compiler.compile import compile_dashboard
from importer.module import ROOT, Imported, generate
from importer.source import load, normalise


def import_file(path: Path, name: str, out_dir: Path) -> Imported:
    imported = generate(normalise(load(path), where=str(path)), name=name, origin=path.name)
    (out_dir / f"{name}.py").write_text(imported.text, encoding="utf-8")
    return imported


def compile_module(path: Path, name: str) -> str:
    """Load the written module from disk (as Python would) and compile its dashboard."""
    spec = importlib.util.spec_from_file_location(f"_imported_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return compile_dashboard(module.build(), name=name, folder="Imported").text


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    """The project's ruff with the project's configuration (run from the repository root)."""
    command = [sys.executable, "-m", "ruff", args[0], "--config", str(ROOT / "pyproject.toml"), *args[1:]]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
