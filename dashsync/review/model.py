"""The review as values: what changed in each dashboard, panel and rule. Renderers and pictures read only these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PanelChange:
    """One panel that differs. kind: added | removed | moved (only its position changed) | changed."""

    label: str
    title: str
    panel_type: str
    kind: str
    details: tuple[str, ...] = ()


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
    panels: tuple[PanelChange, ...] = ()


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
