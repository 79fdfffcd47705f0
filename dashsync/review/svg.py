"""Pictures of dashboard layouts: each panel a box at its grid position with title, type, unit and thresholds.

Written with xml.etree (no dependency). Each panel is a <g> carrying data-panel-id, data-title, data-type and
data-changed (none | added | removed | moved | changed), so tests and tools can read the picture's structure.
Collapsed rows are drawn expanded (their panels below the row bar, later panels pushed down), so a change
inside a collapsed row is visible.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from ..diff import panel_labels
from .model import DashboardReview

COLUMN, UNIT, MARGIN, HEADER, GAP = 32, 26, 12, 34, 40
GRID_COLUMNS = 24
WIDTH = GRID_COLUMNS * COLUMN + 2 * MARGIN
COLOURS = {
    "none": ("#f4f5f5", "#8e9499"),
    "added": ("#dff5e1", "#1a7f37"),
    "removed": ("#fde2e1", "#cf222e"),
    "moved": ("#e3ecfd", "#2f6fdb"),
    "changed": ("#fff4ce", "#bf8700"),
}


def _position(panel: dict[str, Any]) -> tuple[int, int]:
    g = panel.get("gridPos") or {}
    return int(g.get("y", 0)), int(g.get("x", 0))


def _text(parent: ET.Element, x: int, y: int, text: str, size: int, bold: bool = False) -> None:
    attrib = {"font-size": str(size), **({"font-weight": "bold"} if bold else {})}
    ET.SubElement(parent, "text", x=str(x), y=str(y), attrib=attrib).text = text


def layout(dashboard: dict[str, Any]) -> list[tuple[dict[str, Any], int, int, int, int]]:
    """(panel, x, y, w, h) in grid units, every panel including those in collapsed rows, rows expanded."""
    placed: list[tuple[dict[str, Any], int, int, int, int]] = []
    shift = 0
    top = [p for p in dashboard.get("panels") or [] if isinstance(p, dict)]
    for panel in sorted(top, key=_position):
        g = panel.get("gridPos") or {}
        x, y, w, h = (int(g.get(k, d)) for k, d in (("x", 0), ("y", 0), ("w", 12), ("h", 8)))
        placed.append((panel, x, y + shift, w, h))
        nested = [p for p in panel.get("panels") or [] if isinstance(p, dict)]
        if nested:
            first = min(int((p.get("gridPos") or {}).get("y", 0)) for p in nested)
            bottom = 0
            for child in nested:
                cg = child.get("gridPos") or {}
                cy = y + shift + h + int(cg.get("y", 0)) - first
                ch = int(cg.get("h", 8))
                placed.append((child, int(cg.get("x", 0)), cy, int(cg.get("w", 12)), ch))
                bottom = max(bottom, cy + ch)
            shift += bottom - (y + shift + h)
    return placed


def _thresholds(panel: dict[str, Any]) -> str:
    steps = (((panel.get("fieldConfig") or {}).get("defaults") or {}).get("thresholds") or {}).get("steps") or []
    values = [str(s.get("value")) for s in steps if isinstance(s, dict) and s.get("value") is not None]
    return " / ".join(values)


def _unit(panel: dict[str, Any]) -> str:
    return str(((panel.get("fieldConfig") or {}).get("defaults") or {}).get("unit") or "")


def _draw(
    parent: ET.Element, dashboard: dict[str, Any], changes: dict[str, str], ox: int, oy: int, default: str = "none"
) -> int:
    """Draw one dashboard at (ox, oy); returns its height in pixels. default: the kind of unlisted panels."""
    _text(parent, ox + MARGIN, oy + 22, str(dashboard.get("title") or ""), 16, bold=True)
    keyed = panel_labels(dashboard.get("panels"))
    labels = {id(panel): label for label, panel in keyed.items()}
    bottom = 0
    for panel, x, y, w, h in layout(dashboard):
        kind = changes.get(labels.get(id(panel), ""), default)
        fill, stroke = COLOURS[kind]
        px, py = ox + MARGIN + x * COLUMN, oy + HEADER + y * UNIT
        pw, ph = w * COLUMN - 4, h * UNIT - 4
        group = ET.SubElement(
            parent,
            "g",
            attrib={
                "class": "panel",
                "data-panel-id": str(panel.get("id", "")),
                "data-title": str(panel.get("title") or ""),
                "data-type": str(panel.get("type") or ""),
                "data-unit": _unit(panel),
                "data-thresholds": _thresholds(panel),
                "data-changed": kind,
            },
        )
        ET.SubElement(
            group,
            "rect",
            x=str(px),
            y=str(py),
            width=str(pw),
            height=str(ph),
            rx="3",
            fill=fill,
            stroke=stroke,
            attrib={"stroke-width": "1" if kind == "none" else "3"},
        )
        _text(group, px + 6, py + 16, str(panel.get("title") or ""), 12, bold=True)
        if panel.get("type") != "row" and ph > 30:
            facts = " · ".join(v for v in (str(panel.get("type") or ""), _unit(panel)) if v)
            _text(group, px + 6, py + 32, facts, 11)
            if _thresholds(panel) and ph > 46:
                _text(group, px + 6, py + 47, f"thresholds {_thresholds(panel)}", 11)
        if kind != "none":
            ET.SubElement(group, "title").text = kind
        bottom = max(bottom, (y + h) * UNIT)
    return HEADER + bottom + MARGIN


def _svg(width: int, height: int) -> ET.Element:
    return ET.Element(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        width=str(width),
        height=str(height),
        viewBox=f"0 0 {width} {height}",
        attrib={"font-family": "sans-serif"},
    )


def render_side_by_side(old: dict[str, Any] | None, new: dict[str, Any] | None, review: DashboardReview) -> ET.Element:
    """Before (left) and after (right); changed panels highlighted on both sides, added/removed on theirs."""
    root = _svg(2 * WIDTH + GAP, 0)
    heights = [0]
    for index, (side, dashboard) in enumerate((("before", old), ("after", new))):
        group = ET.SubElement(root, "g", attrib={"class": "side", "data-side": side})
        ox = index * (WIDTH + GAP)
        _text(group, ox + MARGIN, 16, side.upper(), 13, bold=True)
        if dashboard is None:
            _text(group, ox + MARGIN, 60, "(no such dashboard: " + ("added)" if side == "before" else "removed)"), 14)
            continue
        wanted = {"before": ("removed", "changed", "moved"), "after": ("added", "changed", "moved")}[side]
        changes = {p.label: p.kind for p in review.panels if p.kind in wanted}
        whole = {"before": "removed", "after": "added"}[side] if review.status != "changed" else "none"
        heights.append(_draw(group, dashboard, changes, ox, 20, whole) + 20)
    height = max(heights + [100])
    root.set("height", str(height))
    root.set("viewBox", f"0 0 {2 * WIDTH + GAP} {height}")
    return root


def to_text(root: ET.Element) -> str:
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=False) + "\n"
