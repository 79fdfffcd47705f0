"""The PNG `dashsync preview --png` takes, compared with a stored one, pixel by pixel with a tolerance.

The page is rendered from a recording (every Prometheus answer kept by `--record`, replayed by `--replay`) of a
frozen copy of the System Overview dashboard, so the picture is the same on every run and only the renderer, the
vendored uPlot or Chromium can move it. The tolerance absorbs anti-aliasing and font hinting, not a moved
panel, a lost series or a different colour.

After an intended change, regenerate everything from a fresh native stack and review the new PNG before
committing: `UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/dashsync/preview/test_screenshot.py`.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image, ImageChops

from dashsync.cli import main
from tests.localstack.conftest import SCRAPE_INTERVAL

GOLDEN = Path(__file__).parent / "golden"
SOURCE = (
    Path(__file__).resolve().parents[3] / "provisioning" / "dashboards" / "Overview" / "anonymeme-system-overview.json"
)
DASHBOARD = GOLDEN / "overview.dashboard.json"
RECORDING = GOLDEN / "overview.recording.json"
PICTURE = GOLDEN / "overview.png"
UID = "anonymeme-system-overview"
CHANNEL_TOLERANCE = 48  # a pixel differs when a channel moved more than this (0..255)
SHARE_TOLERANCE = 0.0005  # at most this share of the pixels may differ (about 1,000 of 2 million)
REPLAY_OPTIONS = ("--from", "now-2m", "--scrape-interval", SCRAPE_INTERVAL)  # a replay asks what the recording did


def _preview(*args: str) -> None:
    result = CliRunner().invoke(main, ["preview", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _record(request: pytest.FixtureRequest) -> None:
    """UPDATE_GOLDEN=1: freeze the dashboard, let the stack gather a minute of data, record every answer."""
    stack = request.getfixturevalue("local_stack")
    shutil.copyfile(SOURCE, DASHBOARD)
    time.sleep(60)
    _preview(
        str(DASHBOARD),
        "--prometheus",
        stack.prometheus_url,
        *REPLAY_OPTIONS,
        "--record",
        str(RECORDING),
        "--output-dir",
        str(request.getfixturevalue("tmp_path") / "recorded"),
    )


def _different_share(a: Image.Image, b: Image.Image) -> float:
    red, green, blue = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)  # each pixel's largest channel change
    histogram = largest.histogram()
    return sum(histogram[CHANNEL_TOLERANCE + 1 :]) / sum(histogram)


def test_the_screenshot_matches_the_stored_one(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        _record(request)
    assert RECORDING.exists(), f"{RECORDING} missing: run with UPDATE_GOLDEN=1 (see this module's docstring)"
    _preview(str(DASHBOARD), *REPLAY_OPTIONS, "--replay", str(RECORDING), "--png", "--output-dir", str(tmp_path))
    taken = tmp_path / f"{UID}.png"
    html = (tmp_path / f"{UID}.html").read_text(encoding="utf-8")
    assert json.loads(RECORDING.read_text(encoding="utf-8"))["answers"], "an empty recording proves nothing"
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.copyfile(taken, PICTURE)
    with Image.open(taken) as new, Image.open(PICTURE) as old:
        assert new.size == old.size, f"the page is now {new.size}, the stored picture {old.size}"
        share = _different_share(new, old)
    assert share <= SHARE_TOLERANCE, f"{share:.2%} of the pixels differ from {PICTURE.name} (tolerance 0.05%)"
    assert "data from recording overview.recording.json" in html


def test_a_replayed_page_is_the_same_page(tmp_path: Path) -> None:
    """The recording makes the HTML itself reproducible, byte for byte (the screenshot's premise)."""
    for name in ("one", "two"):
        _preview(str(DASHBOARD), *REPLAY_OPTIONS, "--replay", str(RECORDING), "--output-dir", str(tmp_path / name))
    assert (tmp_path / "one" / f"{UID}.html").read_bytes() == (tmp_path / "two" / f"{UID}.html").read_bytes()
