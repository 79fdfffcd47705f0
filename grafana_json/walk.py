"""The one walk over a dashboard's panels: every stage that looks at panels (the compiler's validation, dashsync's
diff, review and restore, the tests) sees the same panels in the same order.

Grafana nests panels in one place only: a collapsed row keeps its panels in its own `panels` list (an expanded row
is followed by its panels at the top level). So the walk yields each top-level panel, then whatever it nests, in
layout order; anything that is not an object (a `null` in a hand-edited file) is skipped, never a crash.
Source: public/app/features/dashboard/state/DashboardModel.ts `toggleRow` (collapsing a row moves the panels
below it into `row.panels`), and the schema's RowPanel (`panels: [...Panel]`, as grafana-foundation-sdk's
RowPanel mirrors it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def walk_panels(panels: Any) -> Iterator[dict[str, Any]]:
    """Every panel of a `panels` list, those nested in collapsed rows included, in layout order."""
    for panel in panels if isinstance(panels, list) else ():
        if isinstance(panel, dict):
            yield panel
            yield from walk_panels(panel.get("panels"))


def dashboard_panels(dashboard: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel of a dashboard (classic JSON), nested ones included, in layout order."""
    return walk_panels(dashboard.get("panels"))
