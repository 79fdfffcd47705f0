"""A throwaway copy of the repository's sources and generated files, and `python -m ...` run inside it.

The hostile-source tests write a syntax error or a refused threshold into the copy, never into the working tree,
then run the real command line as a user would and compare the copy's files before and after.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every package the build imports, and what the alerting renderer reads (runbooks); generated files come from
# `generated_files()`, so the copy starts up to date.
PACKAGES = (
    "atomicfile",
    "grafana_json",
    "signals",
    "panels",
    "dashboards",
    "compiler",
    "generate",
    "lint",
    "importer",
    "alerting",
    "runbooks",
)


def tree(root: Path) -> dict[str, str]:
    """Every file under `root` and a digest of its bytes: equal before and after means nothing was written."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def copy_repo(target: Path) -> Path:
    from generate.files import generated_files

    for name in PACKAGES:
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    for rel in generated_files():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / rel, target / rel)
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace the one occurrence of `old` in `path`; returns the (1-based) line it starts on."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {path} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def run_module(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m <args>` with the copy first on the path, as `make` runs it; no bytecode written into the copy."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )


def assert_one_line_exit_2(result: subprocess.CompletedProcess, expected: str) -> None:
    """Exit 2, exactly `expected` on stderr (one line), no traceback anywhere."""
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [expected]
