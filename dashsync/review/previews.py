"""Before/after previews with real data for `dashsync review --pictures DIR --preview-prometheus URL`.

Beside each changed dashboard's layout SVG the review writes `UID.before.html` / `UID.after.html` (the
dashboard as the base and as the working tree have it, drawn by `dashsync preview` with data from one Prometheus,
both at the same instant) and a PNG of each. An added dashboard has only an after, a removed one only a before.
Both pages are rendered in memory before anything is written; the PNGs are taken once the pages are on disk.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from atomicfile import write_bytes, write_text

from ..preview import screenshot, timerange
from ..preview.cli import default_scrape
from ..preview.prometheus import Client
from ..preview.render import Page, Settings, render
from .compare import Side
from .model import Review


@dataclass(frozen=True)
class Preview:
    name: str  # UID.before or UID.after
    page: Page


def plan(review: Review, old: Side, new: Side, prometheus_url: str) -> dict[str, tuple[Preview, ...]]:
    """uid -> its previews (before, after), every page rendered from the same Prometheus at the same `now`.
    Chromium and Prometheus are checked first: a missing one is one line, before any file is written."""
    screenshot.browser()
    client = Client(prometheus_url)
    version = client.check()
    now = time.time()
    scrape = timerange.parse_duration(default_scrape())
    label = f"Prometheus {version} at {prometheus_url}"
    out: dict[str, tuple[Preview, ...]] = {}
    for d in review.dashboards:
        found = []
        for side, dashboards in (("before", old.dashboards), ("after", new.dashboards)):
            content: Any = dashboards.get(d.uid, (None, ""))[0]
            if isinstance(content, dict):
                settings = Settings(timerange.dashboard_range(content, None, None, now), scrape, {}, source_label=label)
                found.append(Preview(f"{d.uid}.{side}", render(content, client, settings)))
        out[d.uid] = tuple(found)
    return out


def names(previews: dict[str, tuple[Preview, ...]]) -> dict[str, tuple[str, ...]]:
    """uid -> the files the markdown links (the PNGs: a pull-request reader opens a picture, not a page)."""
    return {uid: tuple(f"{p.name}.png" for p in found) for uid, found in previews.items()}


def write(directory: Path, previews: dict[str, tuple[Preview, ...]]) -> list[Path]:
    """The pages, then a screenshot of each; the files written, in order."""
    written: list[Path] = []
    every = [p for found in previews.values() for p in found]
    for p in every:
        write_text(directory / f"{p.name}.html", p.page.html)
        written.append(directory / f"{p.name}.html")
    for p in every:
        png = directory / f"{p.name}.png"
        write_bytes(png, screenshot.take(directory / f"{p.name}.html", p.page.screen_width, p.page.height))
        written.append(png)
    return written
