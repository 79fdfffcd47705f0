"""Alert links to compiled panels: each panel `signals.links` names by title, resolved to its id in the dashboard.

Why here: panel ids are given by the layout when a dashboard compiles (they change whenever a panel is added
above), so only the build knows them; `alerting` renders the rules with the ids this returns
(`alerting.render.render_all(panel_ids=...)`). A title that is missing or ambiguous stops the build, naming the
alert's panel, instead of shipping a link that opens nothing or the wrong panel.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from compiler.compile import CompiledDashboard, CompileError
from grafana_json.walk import dashboard_panels
from signals.links import DASHBOARDS, all_panels


def links_resolvable(compiled: Iterable[CompiledDashboard]) -> bool:
    """True when the build holds every dashboard an alert links (a build of a few dashboards does not)."""
    uids = {d.uid for d in compiled}
    return all(board.uid in uids for board in DASHBOARDS)


def panel_ids(compiled: Iterable[CompiledDashboard]) -> dict[tuple[str, str], int]:
    """(dashboard uid, panel title) -> panel id, for every panel an alert links that exists (pending ones may
    not yet); a linked dashboard missing from the build, or a title held by two panels, is a CompileError."""
    by_uid = {d.uid: json.loads(d.text) for d in compiled}
    for board in DASHBOARDS:
        if board.uid not in by_uid:
            raise CompileError(f"signals/links.py names dashboard {board.uid}, which the build does not compile")
        if by_uid[board.uid].get("title") != board.title:
            raise CompileError(
                f"signals/links.py titles dashboard {board.uid} {board.title!r}, the dashboard says "
                f"{by_uid[board.uid].get('title')!r} (its link slug comes from the title)"
            )
    out: dict[tuple[str, str], int] = {}
    for ref in all_panels():
        found = [
            p["id"]
            for p in dashboard_panels(by_uid[ref.dashboard.uid])
            if p.get("title") == ref.title and p.get("type") != "row"
        ]
        if len(found) > 1:
            raise CompileError(
                f"dashboard {ref.dashboard.uid} has {len(found)} panels titled {ref.title!r}; an alert links it "
                "by title (signals/links.py), so the title must be unique"
            )
        if found:
            out[(ref.dashboard.uid, ref.title)] = found[0]
    return out
