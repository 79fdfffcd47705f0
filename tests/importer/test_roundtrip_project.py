"""The guarantee on our own dashboards: compile -> import -> compile gives byte-identical JSON, on builders only."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.compile import compile_entry
from dashboards.registry import DASHBOARDS
from importer.codegen import BUILDER
from tests.importer.helpers import compile_module, import_file, ruff


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path, object]]:
    """Each of the five dashboards compiled, written to JSON, imported to a module file."""
    tmp = tmp_path_factory.mktemp("project")
    out = {}
    for entry in DASHBOARDS:
        compiled = compile_entry(entry)
        json_path = tmp / f"{compiled.uid}.json"
        json_path.write_text(compiled.text, encoding="utf-8")
        name = f"imported_{entry.name}"
        result = import_file(json_path, name, tmp)
        out[entry.name] = (compiled.text, tmp / f"{name}.py", result)
    return out


@pytest.mark.parametrize("entry", DASHBOARDS, ids=lambda e: e.name)
def test_compile_import_compile_is_byte_identical(imported, entry) -> None:
    original, module_path, _ = imported[entry.name]
    assert compile_module(module_path, entry.name) == original


@pytest.mark.parametrize("entry", DASHBOARDS, ids=lambda e: e.name)
def test_every_panel_of_ours_comes_back_as_a_builder_call(imported, entry) -> None:
    _, module_path, result = imported[entry.name]
    assert result.choices and {c.path for c in result.choices} == {BUILDER}
    text = module_path.read_text()
    assert "raw_panel(" not in text and "extend(" not in text
    assert "${datasource}" not in text  # the datasource comes from the builders, not pasted JSON


def test_generated_modules_pass_ruff_check_and_format_unchanged(imported) -> None:
    paths = [str(p) for _, p, _ in imported.values()]
    check = ruff("check", "--no-cache", *paths)
    assert check.returncode == 0, check.stdout + check.stderr
    fmt = ruff("format", "--check", "--no-cache", *paths)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_thresholds_are_imported_as_the_named_slo_constants(imported) -> None:
    text = imported["api"][1].read_text()
    assert "threshold=API_ERROR_RATIO" in text and "from signals.slo import" in text


def test_red_and_use_groups_come_back_as_one_group_call(imported) -> None:
    api = imported["api"][1].read_text()
    assert '*flow(red(\'job=~"$job", instance=~"$instance", handler=~"$handler"\'), y=1)' in api
    infrastructure = imported["infrastructure"][1].read_text()
    for resource in ("cpu", "memory", "disk", "network"):
        assert f'use("{resource}", ' in infrastructure or f"use('{resource}', " in infrastructure
    groups = [c for c in imported["infrastructure"][2].choices if c.why == "use group"]
    assert len(groups) == 12
