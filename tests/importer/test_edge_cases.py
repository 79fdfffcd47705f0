"""Inputs that could break the generated code or slip past the checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from importer.module import ROOT
from tests.importer.helpers import compile_module, import_file, ruff

FIXTURES = Path(__file__).parent / "fixtures"


def _variant(tmp_path: Path, **changes: object) -> Path:
    data = json.loads((FIXTURES / "10-api-wrapper.json").read_text())["dashboard"]
    data.update(changes)
    path = tmp_path / "variant.json"
    path.write_text(json.dumps(data))
    return path


def test_a_hostile_title_and_long_strings_still_give_a_clean_module(tmp_path) -> None:
    title = 'Quotes """ and \\ backslashes ' * 8
    data = json.loads((FIXTURES / "10-api-wrapper.json").read_text())["dashboard"]
    data["title"] = title
    data["panels"][0]["description"] = "word " * 100
    data["panels"][0]["targets"][0]["expr"] = "sum(rate(x_total[5m])) + " * 20 + "0"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data))
    import_file(path, "hostile", tmp_path)
    module = tmp_path / "hostile.py"
    assert ruff("check", "--no-cache", str(module)).returncode == 0
    assert ruff("format", "--check", "--no-cache", str(module)).returncode == 0
    compiled = json.loads(compile_module(module, "hostile"))
    assert compiled["title"] == title
    assert compiled["panels"][0]["targets"][0]["expr"] == data["panels"][0]["targets"][0]["expr"]


def test_a_library_panel_reference_is_refused_with_one_line(tmp_path) -> None:
    path = _variant(
        tmp_path,
        panels=[
            {
                "id": 1,
                "gridPos": {"h": 8, "w": 12, "x": 0, "y": 0},
                "libraryPanel": {"uid": "abc", "name": "Shared"},
                "title": "Shared",
            }
        ],
    )
    result = subprocess.run(
        [sys.executable, "-m", "importer", str(path), "--out-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "is a library panel" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["variant.json"]


def test_a_dashboard_without_uid_is_refused(tmp_path) -> None:
    path = _variant(tmp_path, uid="")
    result = subprocess.run(
        [sys.executable, "-m", "importer", str(path), "--out-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert result.returncode == 2 and "has no uid" in result.stderr
