"""Inputs that could break the generated code or slip past the checks."""

from __future__ import annotations

import json
import re
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


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "importer", *args], capture_output=True, text=True, cwd=ROOT, check=False, timeout=120
    )


def test_a_dashboard_without_uid_takes_one_derived_from_its_title_and_says_so(tmp_path) -> None:
    path = _variant(tmp_path, uid="")
    title = json.loads(path.read_text())["title"]
    result = _run(str(path), "--out-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    derived = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    assert f"the input has no uid: derived {derived!r} from the title" in result.stderr
    module = tmp_path / f"{derived.replace('-', '_')}.py"
    assert json.loads(compile_module(module, "derived"))["uid"] == derived


def test_uid_option_gives_the_uid_and_a_bad_one_is_refused(tmp_path) -> None:
    path = _variant(tmp_path, uid="")
    result = _run(str(path), "--out-dir", str(tmp_path), "--uid", "chosen-uid")
    assert result.returncode == 0, result.stderr
    assert json.loads(compile_module(tmp_path / "chosen_uid.py", "chosen"))["uid"] == "chosen-uid"
    bad = _run(str(path), "--out-dir", str(tmp_path / "none"), "--uid", "no spaces allowed")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "is not a Grafana uid" in bad.stderr
    assert not (tmp_path / "none").exists()
