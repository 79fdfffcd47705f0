"""Markdown text panels."""

from __future__ import annotations

from grafanalib.core import Text

from panels.model import grid


def text(
    title: str,
    content: str,
    *,
    description: str = "",
    w: int = 24,
    h: int = 3,
    x: int | None = None,
    y: int | None = None,
) -> Text:
    return Text(
        title=title,
        content=content,
        mode="markdown",
        description=description or title,
        maxDataPoints=None,
        gridPos=grid(w, h, x, y),
    )
