"""The five compiled dashboards lint clean through the project's own command, `python -m dashboards lint`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UIDS = {
    "anonymeme-system-overview",
    "anonymeme-api",
    "anonymeme-infrastructure",
    "anonymeme-business",
    "anonymeme-security",
}


def test_the_five_compiled_dashboards_have_zero_findings() -> None:
    files = sorted((ROOT / "provisioning" / "dashboards").glob("**/*.json"))
    assert {f.stem for f in files} == UIDS, "run `make dashboards`"
    proc = subprocess.run([sys.executable, "-m", "dashboards", "lint"], capture_output=True, text=True, cwd=ROOT)
    assert proc.stdout == ""
    assert proc.stderr.strip() == "5 file(s): 0 error(s), 0 warning(s)"
    assert proc.returncode == 0
