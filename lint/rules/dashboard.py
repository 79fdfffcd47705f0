"""Rules about the dashboard as a whole: structure, datasource variable, schema version, ids and layout."""

from __future__ import annotations

from collections.abc import Iterator

from lint.context import Context
from lint.finding import DASHBOARD_SCOPE
from lint.model import Dashboard
from lint.rules.grid import rectangle

Issue = tuple[str, str]


def structure(d: Dashboard, ctx: Context) -> Iterator[Issue]:
    """Shapes Grafana would not load as panels (a `panels` that is not a list, a panel that is a
    string...)."""
    for problem in d.problems:
        yield DASHBOARD_SCOPE, problem
    title = d.raw.get("title")
    if not isinstance(title, str) or not title.strip():
        yield DASHBOARD_SCOPE, "dashboard has no title"


def template_datasource(d: Dashboard, ctx: Context) -> Iterator[Issue]:
    """A `datasource` template variable lets one dashboard serve every Prometheus (dev, staging, prod)."""
    ds_vars = [v for v in d.variables if v.get("type") == "datasource"]
    if not ds_vars:
        yield DASHBOARD_SCOPE, "no datasource template variable (templating.list entry of type 'datasource')"
        return
    for v in ds_vars:
        if v.get("query") != "prometheus":
            yield (
                DASHBOARD_SCOPE,
                f"datasource variable {v.get('name')!r} has query {v.get('query')!r}, not 'prometheus'",
            )


def schema_version(d: Dashboard, ctx: Context) -> Iterator[Issue]:
    """Dashboards below the floor rely on Grafana's on-load migrations, which rewrite them behind our back; above
    the carried Grafana schema's version, the schema the compiler validates with describes a model they are not."""
    v = d.raw.get("schemaVersion")
    if isinstance(v, bool) or not isinstance(v, int):
        yield DASHBOARD_SCOPE, f"schemaVersion is {v!r}, not an integer >= {ctx.schema_floor}"
    elif v < ctx.schema_floor:
        yield DASHBOARD_SCOPE, f"schemaVersion {v} is below the project's floor {ctx.schema_floor}"
    elif v > ctx.schema_ceiling:
        yield (
            DASHBOARD_SCOPE,
            (
                f"schemaVersion {v} is newer than the carried Grafana schema "
                f"({ctx.schema_ceiling}), which cannot vouch for it"
            ),
        )


def unique_panel_ids(d: Dashboard, ctx: Context) -> Iterator[Issue]:
    """Panel ids key links, alerts and `viewPanel=` URLs; a duplicate makes them point at the wrong panel."""
    seen: dict[int, str] = {}
    for p in d.panels:
        pid = p.raw.get("id")
        if pid is None:
            continue
        if isinstance(pid, bool) or not isinstance(pid, int):
            yield p.title, f"panel id {pid!r} is not an integer"
            continue
        if pid in seen:
            yield p.title, f"panel id {pid} is also used by panel {seen[pid]!r}"
        else:
            seen[pid] = p.title


def no_overlap(d: Dashboard, ctx: Context) -> Iterator[Issue]:
    """Overlapping panels hide each other; Grafana pushes one down, so the file no longer says the layout."""
    placed: list[tuple[str, tuple[int, int, int, int]]] = []
    for p in d.panels:
        if p.nested or p.in_rows_layout:
            continue
        rect = rectangle(p.raw.get("gridPos"))
        if rect is None:
            continue
        x, y, w, h = rect
        for other_title, (ox, oy, ow, oh) in placed:
            if x < ox + ow and ox < x + w and y < oy + oh and oy < y + h:
                yield p.title, f"overlaps panel {other_title!r}"
        placed.append((p.title, rect))
