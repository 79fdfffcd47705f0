"""Rows: a title bar grouping the panels that follow it, optionally collapsed."""

from __future__ import annotations

from grafanalib.core import Panel, RowPanel

from panels.model import grid


def row(title: str, panels: list[Panel], *, collapsed: bool = False) -> RowPanel:
    """A row holding `panels`. `panels.layout.arrange` places them below the row (inside it when collapsed).

    Collapsed is Grafana's own shape: a collapsed row carries its panels in its `panels` list, positioned as if it
    were open, and an expanded row has none (public/app/features/dashboard/state/DashboardModel.ts, `toggleRow`).
    A detail row is collapsed so the page opens on the headline panels; its queries run only once it is opened.
    """
    return RowPanel(title=title, panels=list(panels), collapsed=collapsed, gridPos=grid(24, 1), maxDataPoints=None)
