"""`python -m dashboards lint` on the importer's corpus of public dashboards (tests/importer/corpus): findings are
expected (they are dashboards from the wild), a traceback is not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "importer" / "corpus"


def test_lint_runs_over_the_whole_corpus_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dashboards", "lint", str(CORPUS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode in (0, 1), result.stderr  # clean or findings; 2 would be unreadable input
    linted = sum(1 for p in CORPUS.glob("*.json"))
    assert f"{linted} file(s):" in result.stdout + result.stderr
    for path in CORPUS.glob("*.json"):
        if path.name != "MANIFEST.json":
            assert f"{path.name}:" in result.stdout, f"no finding line names {path.name}"
