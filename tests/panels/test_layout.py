"""The 24-column flow layout: wrapping, rows, explicit positions, and the errors it refuses to hide."""

from __future__ import annotations

import pytest

from panels import LayoutError, arrange, prom, row, stat, text, timeseries


def _ts(title: str, w: int = 12, h: int = 8, **kw):
    return timeseries(title, prom("up"), unit="short", description=title, w=w, h=h, **kw)


def _pos(panel):
    gp = panel.gridPos
    return (gp.x, gp.y, gp.w, gp.h)


def test_panels_flow_left_to_right_and_wrap_at_24_columns():
    placed = arrange([_ts("a", 8, 4), _ts("b", 8, 6), _ts("c", 8, 4), _ts("d", 12, 4)])
    assert [_pos(p) for p in placed] == [(0, 0, 8, 4), (8, 0, 8, 6), (16, 0, 8, 4), (0, 6, 12, 4)]


def test_rows_start_a_new_line_and_own_the_panels_after_them():
    placed = arrange([_ts("a", 6, 3), row("R", [_ts("b", 24, 5)]), _ts("c", 6, 2)])
    assert [(p.title, _pos(p)) for p in placed] == [
        ("a", (0, 0, 6, 3)),
        ("R", (0, 3, 24, 1)),
        ("b", (0, 4, 24, 5)),
        ("c", (0, 9, 6, 2)),
    ]
    assert placed[1].panels == []


def test_collapsed_row_keeps_its_panels_inside_positioned_as_if_expanded():
    placed = arrange([row("R1", [_ts("a"), _ts("b"), _ts("c")], collapsed=True), row("R2", [_ts("d")])])
    r1, r2, d = placed
    assert [_pos(p) for p in r1.panels] == [(0, 1, 12, 8), (12, 1, 12, 8), (0, 9, 12, 8)]
    assert _pos(r2) == (0, 1, 24, 1)
    assert _pos(d) == (0, 2, 12, 8)


def test_explicit_positions_are_kept_and_do_not_move_the_flow():
    placed = arrange([_ts("pinned", 6, 4, x=18, y=0), _ts("a", 12, 4)])
    assert [_pos(p) for p in placed] == [(18, 0, 6, 4), (0, 0, 12, 4)]


def test_overlapping_panels_are_an_error_naming_both():
    with pytest.raises(LayoutError, match="'b' overlaps panel 'pinned'"):
        arrange([_ts("pinned", 12, 4, x=0, y=0), _ts("b", 12, 4)])


def test_panel_wider_than_the_grid_is_an_error():
    with pytest.raises(LayoutError, match="'wide': width 25 is wider than the 24-column grid"):
        arrange([_ts("wide", 25, 4)])


def test_panel_off_the_grid_is_an_error():
    with pytest.raises(LayoutError, match="'off': gridPos x=20 y=0 w=12 is off the 24-column grid"):
        arrange([_ts("off", 12, 4, x=20, y=0)])


def test_half_a_position_is_an_error():
    panel = _ts("half")
    panel.gridPos.x = 3
    with pytest.raises(LayoutError, match="give both x and y"):
        arrange([panel])


def test_rows_cannot_nest():
    with pytest.raises(LayoutError, match="cannot be nested"):
        arrange([row("outer", [row("inner", [])])])


def test_arrange_does_not_modify_its_input():
    panels = [stat("s", prom("up"), unit="short", description="d"), text("t", "hello")]
    before = [(p.gridPos.x, p.gridPos.y) for p in panels]
    arrange(panels)
    assert [(p.gridPos.x, p.gridPos.y) for p in panels] == before == [(None, None), (None, None)]
