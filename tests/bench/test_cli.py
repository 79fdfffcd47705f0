"""`python -m bench --help` prints usage and does nothing else; before, it ran the whole benchmark.

Each area is imported only when it runs, so neither `--help` nor a mistyped option compiles a dashboard or
starts an emulator; `--only` runs the named areas alone, in the usual order.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

import bench.__main__ as bench_cli

ROOT = Path(__file__).resolve().parents[2]


def test_help_prints_usage_without_running_or_importing_any_area():
    probe = (
        "import sys, runpy; sys.argv = ['bench', '--help']\n"
        "try:\n    runpy.run_module('bench', run_name='__main__')\nexcept SystemExit as e:\n"
        "    code = e.code\n"
        "print('areas imported:', sorted(m for m in sys.modules if m in ('bench.build', 'bench.sync', "
        "'bench.diff')))\nsys.exit(code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: ")
    assert "--only [build|sync|diff|preview]" in result.stdout
    assert result.stdout.splitlines()[-1] == "areas imported: []"
    assert result.stderr == ""


@pytest.fixture
def ran(monkeypatch) -> list[str]:
    """Stand-in areas that record that they ran, in place of the real (minutes-long) benchmark."""
    calls: list[str] = []
    for name in bench_cli.AREAS:
        monkeypatch.setitem(
            sys.modules, f"bench.{name}", types.SimpleNamespace(run=lambda name=name: calls.append(name))
        )
    return calls


def test_only_runs_the_named_areas_in_the_usual_order(ran):
    result = CliRunner().invoke(bench_cli.main, ["--only", "diff", "--only", "build"])
    assert result.exit_code == 0, result.output
    assert ran == ["build", "diff"]


def test_without_only_every_area_runs(ran):
    assert CliRunner().invoke(bench_cli.main, []).exit_code == 0
    assert ran == ["build", "sync", "diff", "preview"]


def test_an_unknown_area_is_a_usage_error_and_runs_nothing(ran):
    result = CliRunner().invoke(bench_cli.main, ["--only", "push"])
    assert result.exit_code == 2
    assert "'push' is not one of 'build', 'sync', 'diff'" in result.stderr
    assert ran == []


@pytest.mark.parametrize("area", bench_cli.AREAS)
def test_every_area_imports(area):
    """`make bench` is not part of `make test`, so an area that no longer imports (a renamed helper it uses) would
    otherwise be found only by the next person who runs the benchmark."""
    module = importlib.import_module(f"bench.{area}")
    assert callable(module.run)
