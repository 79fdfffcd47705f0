"""The vendored uPlot is the npm package's files, unchanged (dashsync/preview/vendor/uplot/ORIGIN.md)."""

from __future__ import annotations

import hashlib
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[3] / "dashsync" / "preview" / "vendor" / "uplot"
SHA256 = {
    "uPlot.iife.min.js": "19c8d4c6ad88929a79f4ae49d6f7161566dfd0ba3d15cc495e974f787eb78f1f",
    "uPlot.min.css": "df630c6a8d6f8eeaff264b50f73ce5b114f646ffd9a0bb74f049b0a00135fa04",
}


def test_vendored_files_match_origin() -> None:
    found = {name: hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() for name in SHA256}
    assert found == SHA256, "vendor/uplot changed: update ORIGIN.md and these hashes together"
    origin = (VENDOR / "ORIGIN.md").read_text(encoding="utf-8")
    assert all(digest in origin for digest in SHA256.values())
    assert (
        (VENDOR / "uPlot.iife.min.js")
        .read_text(encoding="utf-8")
        .startswith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */")
    )
    assert "MIT" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
