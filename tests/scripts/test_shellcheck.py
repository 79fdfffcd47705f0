"""shellcheck passes on every shell script of the stack and its operations, and each follows the house rules."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.scripts.conftest import ROOT

SCRIPTS = sorted([*(ROOT / "scripts/monitoring").glob("*.sh"), *(ROOT / "compose/entrypoints").glob("*.sh")])
LIBRARIES = sorted((ROOT / "scripts/monitoring/lib").glob("*.sh"))  # sourced, not run


def test_there_are_scripts() -> None:
    names = {p.name for p in SCRIPTS}
    assert {
        "health_check.sh",
        "backup_dashboards.sh",
        "backup_metrics.sh",
        "restore_backup.sh",
        "write-secrets.sh",
        "elastic-setup.sh",
    } <= names


def test_shellcheck_passes_on_every_script() -> None:
    tool = shutil.which("shellcheck")
    if not tool:
        pytest.fail("required binary 'shellcheck' not found: install it with `make system-deps`", pytrace=False)
    result = subprocess.run(
        [tool, "-x", *map(str, [*SCRIPTS, *LIBRARIES])], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("script", [p for p in SCRIPTS if p.parent.name == "monitoring"], ids=lambda p: p.name)
def test_operational_scripts_are_strict_and_print_usage(script) -> None:
    text = script.read_text()
    assert "set -euo pipefail" in text
    help_ = subprocess.run(["bash", str(script), "--help"], capture_output=True, text=True, timeout=30)
    assert help_.returncode == 0 and help_.stdout.startswith(f"usage: {script.name}")
