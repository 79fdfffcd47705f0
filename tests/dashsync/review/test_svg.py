"""The before/after pictures: their structure, read back as XML, and a real rasterisation with rsvg-convert."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dashsync.review.svg import GAP, WIDTH, layout

from .conftest import review

NS = {"svg": "http://www.w3.org/2000/svg"}


@pytest.fixture
def pictures(changed_repo: Path, tmp_path: Path) -> Path:
    out = tmp_path / "pictures"
    assert review("--against", "git:HEAD", "--pictures", str(out)).exit_code == 1
    return out


def _sides(path: Path) -> dict[str, dict[str, ET.Element]]:
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    sides = {}
    for side in root.findall("svg:g[@class='side']", NS):
        panels = side.findall("svg:g[@class='panel']", NS)
        sides[side.get("data-side", "")] = {g.get("data-title", ""): g for g in panels}
    return sides


def test_one_picture_per_changed_dashboard(pictures: Path) -> None:
    assert sorted(p.name for p in pictures.iterdir()) == [
        "anonymeme-api.svg",
        "anonymeme-business.svg",
        "anonymeme-security.svg",
    ]


def test_panels_carry_their_facts_and_changes_are_highlighted(pictures: Path) -> None:
    sides = _sides(pictures / "anonymeme-api.svg")
    before, after = sides["before"], sides["after"]
    assert len(before) == len(after) == 23  # 19 panels and rows, and the SLO row with its three
    assert "Requests in flight" not in before and after["Requests in flight"].get("data-changed") == "added"
    assert "Blocked requests" not in after and before["Blocked requests"].get("data-changed") == "removed"
    error_ratio = after["Error ratio"]
    assert (error_ratio.get("data-type"), error_ratio.get("data-unit")) == ("timeseries", "percentunit")
    assert error_ratio.get("data-changed") == "changed" and error_ratio.get("data-thresholds") == "0.05 / 0.2"
    assert before["Error ratio"].get("data-thresholds") == "0.05 / 0.1"
    assert after["Endpoints"].get("data-changed") == "moved" and before["Endpoints"].get("data-changed") == "moved"
    unchanged = {t for t, g in after.items() if g.get("data-changed") == "none"}
    assert "Authentication attempts" in unchanged and "Golden signals" in unchanged
    assert after["Golden signals"].get("data-panel-id") == "1"
    # the box is where the grid says: Endpoints moved from x=12 to x=0
    x_before = float(before["Endpoints"].find("svg:rect", NS).get("x"))  # type: ignore[union-attr]
    x_after = float(after["Endpoints"].find("svg:rect", NS).get("x"))  # type: ignore[union-attr]
    assert x_after - (WIDTH + GAP) < x_before  # the after side is drawn WIDTH + GAP to the right


def test_collapsed_rows_are_drawn_expanded_below_their_row() -> None:
    dashboard = {
        "panels": [
            {
                "type": "row",
                "title": "R",
                "collapsed": True,
                "gridPos": {"x": 0, "y": 0, "w": 24, "h": 1},
                "panels": [{"title": "inside", "gridPos": {"x": 0, "y": 5, "w": 12, "h": 6}}],
            },
            {"title": "after", "gridPos": {"x": 0, "y": 1, "w": 24, "h": 4}},
        ]
    }
    placed = {p["title"]: (x, y, w, h) for p, x, y, w, h in layout(dashboard)}
    assert placed == {"R": (0, 0, 24, 1), "inside": (0, 1, 12, 6), "after": (0, 7, 24, 4)}


def test_picture_converts_to_png(pictures: Path, tmp_path: Path) -> None:
    converter = shutil.which("rsvg-convert")
    if converter is None:
        pytest.fail("rsvg-convert not found: install the Debian package librsvg2-bin (make system-deps)")
    png = tmp_path / "api.png"
    done = subprocess.run(
        [converter, "-o", str(png), str(pictures / "anonymeme-api.svg")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    header = png.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    root = ET.parse(pictures / "anonymeme-api.svg").getroot()
    assert (width, height) == (int(root.get("width", "0")), int(root.get("height", "0")))


def test_an_added_dashboard_is_all_new_and_a_removed_one_all_gone(base_repo: Path, tmp_path: Path) -> None:
    dashboards = base_repo / "provisioning/dashboards"
    copy = (dashboards / "Platform/anonymeme-api.json").read_text().replace('"anonymeme-api"', '"anonymeme-api-v2"')
    (dashboards / "Platform/anonymeme-api-v2.json").write_text(copy)
    (dashboards / "Security/anonymeme-security.json").unlink()
    out = tmp_path / "pictures"
    assert review("--against", "git:HEAD", "--pictures", str(out)).exit_code == 1
    added = _sides(out / "anonymeme-api-v2.svg")
    assert added["before"] == {} and {g.get("data-changed") for g in added["after"].values()} == {"added"}
    removed = _sides(out / "anonymeme-security.svg")
    assert removed["after"] == {} and {g.get("data-changed") for g in removed["before"].values()} == {"removed"}
