"""What an imported dashboard module calls to become a Dashboard: its settings as Grafana saved them.

A dashboard drawn in the UI has its own time range, refresh, links, annotations and tags; `dashboards.common`
imposes the project's. So an imported module keeps its dashboard-level settings as data (reviewable, and easy to
replace with `dashboards.common.dashboard(...)` once the layout is settled) and its panels where they were drawn.
"""

from __future__ import annotations

from typing import Any

import attr
from grafanalib.core import Dashboard, Panel

from panels.raw import pinned


@attr.s
class ImportedDashboard(Dashboard):
    settings: dict = attr.ib(factory=dict)
    variables: list = attr.ib(factory=list)

    def to_json_data(self) -> dict[str, Any]:
        return {
            **self.settings,
            "uid": self.uid,
            "title": self.title,
            "panels": self.panels,
            "templating": {"list": self.variables},
        }


def imported_dashboard(
    *, uid: str, title: str, settings: dict[str, Any], variables: list[Any], panels: list[Panel]
) -> Dashboard:
    """A dashboard whose panels carry their own positions (see `panels.raw.pinned`)."""
    return ImportedDashboard(uid=uid, title=title, settings=settings, variables=list(variables), panels=pinned(panels))
