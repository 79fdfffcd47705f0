"""dashsync/preview/layout.py: gridPos to pixels as Grafana's grid does it, rows, collapsed rows and repeats.

The pixel formula is react-grid-layout's calcGridItemPosition with Grafana's constants (public/app/core/
constants.ts: GRID_CELL_HEIGHT 30, GRID_CELL_VMARGIN 8, GRID_COLUMN_COUNT 24); repeats follow
DashboardModel.repeatPanel (copies max(24 / values, 24 / maxPerRow) wide, wrapping; vertical copies stacked).
"""

from __future__ import annotations

import json
from pathlib import Path

from dashsync.preview import layout
from dashsync.preview.variables import ALL, Variable

FEATURES = json.loads((Path(__file__).parent / "fixtures" / "features.json").read_text(encoding="utf-8"))


def _panel(pid: int, x: int, y: int, w: int, h: int, **extra: object) -> dict:
    return {"id": pid, "type": "timeseries", "gridPos": {"x": x, "y": y, "w": w, "h": h}, **extra}


def _shard(selected: tuple[str, ...] = (ALL,)) -> dict[str, Variable]:
    return {"shard": Variable("shard", "custom", ("a", "b", "c"), selected, multi=True, include_all=True)}


def test_boxes_follow_react_grid_layout() -> None:
    # 1600 px: a column is (1600 - 23 * 8) / 24 = 59 px; one grid unit down is 30 + 8 = 38 px.
    item = layout.Placed(_panel(1, 8, 1, 8, 8), 8, 1, 8, 8)
    assert layout.box(item, 1600) == layout.Box(left=536, top=38, width=528, height=296)
    full = layout.Placed(_panel(2, 0, 0, 24, 1), 0, 0, 24, 1)
    assert layout.box(full, 1600) == layout.Box(left=0, top=0, width=1600, height=30)


def test_panels_float_up_into_free_space() -> None:
    dashboard = {"panels": [_panel(1, 0, 0, 12, 4), _panel(2, 12, 10, 12, 4)]}  # a gap of 6 units nobody fills
    placed = layout.place(dashboard, {})
    assert [(p.panel["id"], p.y) for p in placed] == [(1, 0), (2, 0)]


def test_a_collapsed_row_shows_only_its_bar_and_counts_what_it_hides() -> None:
    placed = layout.place(FEATURES, _shard())
    ids = [p.panel["id"] for p in placed]
    assert 9 not in ids and 10 not in ids  # inside the collapsed row: neither shown nor queried
    closed = next(p for p in placed if p.panel["id"] == 8)
    assert (closed.is_row, closed.hidden, closed.w, closed.h) == (True, 2, 24, 1)
    after = next(p for p in placed if p.panel["id"] == 11)
    assert after.y == closed.y + 1


def test_a_horizontal_repeat_makes_one_copy_per_value() -> None:
    placed = [p for p in layout.place(FEATURES, _shard()) if p.panel["id"] == 2]
    assert [(p.x, p.y, p.w) for p in placed] == [(0, 1, 8), (8, 1, 8), (16, 1, 8)]  # max(24 / 3, 24 / 3) = 8
    assert [p.scoped["shard"].selected for p in placed] == [("a",), ("b",), ("c",)]


def test_a_repeat_wraps_at_max_per_row_and_pushes_the_panels_below_down() -> None:
    many = Variable("n", "custom", tuple("abcde"), (ALL,), multi=True, include_all=True)
    dashboard = {"panels": [_panel(1, 0, 0, 6, 3, repeat="n", maxPerRow=2), _panel(2, 0, 3, 24, 2)]}
    placed = layout.place(dashboard, {"n": many})
    copies = [(p.x, p.y, p.w) for p in placed if p.panel["id"] == 1]
    assert copies == [(0, 0, 12), (12, 0, 12), (0, 3, 12), (12, 3, 12), (0, 6, 12)]
    below = next(p for p in placed if p.panel["id"] == 2)
    assert below.y == 9


def test_a_vertical_repeat_stacks_copies() -> None:
    dashboard = {"panels": [_panel(1, 4, 0, 10, 3, repeat="shard", repeatDirection="v")]}
    placed = layout.place(dashboard, _shard(("a", "c")))
    assert [(p.x, p.y, p.w, p.h) for p in placed] == [(4, 0, 10, 3), (4, 3, 10, 3)]


def test_page_height_is_the_lowest_bottom() -> None:
    placed = layout.place({"panels": [_panel(1, 0, 0, 24, 8)]}, {})
    assert layout.height(placed) == 8 * 30 + 7 * 8
