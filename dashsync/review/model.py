"""The review as values: what changed in each dashboard, panel and rule. Renderers and pictures read only these."""

from __future__ import annotations

from dataclasses import dataclass

from ..diff import Grid, PanelDifference


@dataclass(frozen=True)
class DashboardReview:
    """One dashboard that differs. status: added | removed | changed; folders are display paths."""

    uid: str
    title: str
    status: str
    old_title: str = ""
    old_folder: str = ""
    new_folder: str = ""
    details: tuple[str, ...] = ()
    panels: tuple[PanelDifference, ...] = ()  # the diff engine's own values: the review never recomputes them


@dataclass(frozen=True)
class RuleChange:
    """One alerting or recording rule that differs. kind: alert | record; status: added | removed | changed."""

    file: str
    group: str
    kind: str
    name: str
    status: str
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Review:
    old_label: str
    new_label: str
    dashboards: tuple[DashboardReview, ...] = ()
    rules: tuple[RuleChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.dashboards and not self.rules


def _grid(grid: Grid | None) -> str:
    x, y, w, h = grid or (0, 0, 0, 0)
    return f"x={x} y={y} {w}x{h}"


def panel_details(panel: PanelDifference) -> tuple[str, ...]:
    """What the review says of a panel: where an added one sits, where a moved one went, else the changes."""
    if panel.kind == "added":
        return (f"at {_grid(panel.new_grid)}",)
    if panel.kind == "moved":
        return (f"{_grid(panel.old_grid)} -> {_grid(panel.new_grid)}",)
    return panel.details
