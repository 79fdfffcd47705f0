"""One dashboard to one preview page: variables resolved, panels placed, their queries run, each panel drawn.

The order is Grafana's: variables first, in the order the dashboard declares them (a later query may use an
earlier variable), then the layout (repeats need the variables' values), then one query round per visible panel,
sized by that panel's width in pixels (maxDataPoints), then the drawing. Everything but `Source.get` is pure, so
the same dashboard with the same answers (a Recording) gives the same page byte for byte.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import layout, panels, queries, timerange, variables
from .layout import DEFAULT_WIDTH
from .page import GUTTER, PanelMarkup, assemble
from .prometheus import Source


@dataclass(frozen=True)
class Settings:
    """What every dashboard of one run shares."""

    window: timerange.TimeRange
    scrape: float  # seconds: the datasource's scrape interval (jsonData.timeInterval), the floor of every step
    overrides: Mapping[str, tuple[str, ...]]
    width: int = DEFAULT_WIDTH
    source_label: str = ""  # where the data came from, shown in the page header


@dataclass(frozen=True)
class PanelSummary:
    """What the page shows of one panel, for the CLI's report and the tests."""

    key: str
    panel_id: str
    title: str
    kind: str
    state: str
    series: int
    errors: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    uid: str
    title: str
    html: str
    width: int
    height: int
    panels: tuple[PanelSummary, ...]

    @property
    def screen_width(self) -> int:
        """The browser window a screenshot of the whole page needs: the grid and its gutters."""
        return self.width + 2 * GUTTER


def _title(panel: dict[str, Any], scope: Mapping[str, variables.Variable], builtins: Mapping[str, str]) -> str:
    return variables.interpolate(str(panel.get("title") or ""), scope, builtins, quoting="text")


def _view(
    item: layout.Placed,
    box: layout.Box,
    key: str,
    scope: Mapping[str, variables.Variable],
    settings: Settings,
    source: Source,
) -> panels.View:
    panel = item.panel
    kind = str(panel.get("type") or "")
    window = settings.window
    builtins = timerange.intervals(window, max(1, box.width), settings.scrape).builtins()
    if kind == "text":
        content = str((panel.get("options") or {}).get("content") or panel.get("content") or "")
        return panels.text_panel(panel, variables.interpolate(content, scope, builtins, quoting="text"))
    renderer = panels.RENDERERS.get(kind)
    if renderer is None:
        return panels.placeholder(panel, f"{kind or 'untyped'} panel: not drawn by the preview")
    requests = queries.plan(panel, scope, window, max(1, box.width - 2 * panels.PAD), settings.scrape)
    data = queries.run(requests, source)
    ctx = panels.Context(key, window.start, window.end, window.end * 1000)
    return renderer(panel, data, box, ctx)


def render(dashboard: dict[str, Any], source: Source, settings: Settings) -> Page:
    """The preview page of one compiled dashboard, its data asked of `source`."""
    window = settings.window
    source.window = {"start": _num(window.start), "end": _num(window.end)}
    page_builtins = timerange.intervals(window, settings.width, settings.scrape).builtins()
    resolved = variables.resolve(dashboard, source, settings.overrides, page_builtins)
    placed = layout.place(dashboard, resolved)
    markup: list[PanelMarkup] = []
    summaries: list[PanelSummary] = []
    seen: dict[str, int] = {}
    for item in placed:
        box = layout.box(item, settings.width)
        scope = {**resolved, **item.scoped}
        panel_id = str(item.panel.get("id", ""))
        copy = seen.get(panel_id, 0)
        seen[panel_id] = copy + 1
        key = f"p{panel_id}" + (f"-{copy}" if copy else "")
        title = _title(item.panel, scope, page_builtins)
        if item.is_row:
            view = panels.row_bar(item, title)
        else:
            view = _view(item, box, key, scope, settings, source)
        kind = str(item.panel.get("type") or "")
        markup.append(PanelMarkup(key, panel_id, title, kind, box, view, bool(item.scoped)))
        summaries.append(PanelSummary(key, panel_id, title, kind, view.state, view.series, view.errors))
    header = {
        "title": str(dashboard.get("title") or ""),
        "uid": str(dashboard.get("uid") or ""),
        "from": window.raw_from,
        "to": window.raw_to,
        "start": window.start,
        "end": window.end,
        "source": settings.source_label,
        "variables": [(v.name, v.text()) for v in resolved.values() if v.kind not in ("datasource", "constant")],
    }
    html, height = assemble(header, markup, settings.width, layout.height(placed))
    return Page(header["uid"], header["title"], html, settings.width, height, tuple(summaries))


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.3f}"
