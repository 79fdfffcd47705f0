"""What every Anonymeme dashboard shares: variables, defaults, and the assembly of laid-out panels."""

from __future__ import annotations

from grafanalib.core import GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR, Dashboard, Panel, Templating, Time

from panels import arrange, datasource_variable, query_variable

TAGS = ("anonymeme", "monitoring-as-code")


def job_variable(metric: str = "up", default_all: bool = True) -> object:
    return query_variable("job", f"label_values({metric}, job)", "Job", include_all=default_all)


def instance_variable(metric: str = "node_uname_info") -> object:
    return query_variable("instance", f"label_values({metric}, instance)", "Instance")


def dashboard(
    *,
    uid: str,
    title: str,
    description: str,
    panels: list[Panel],
    variables: list | None = None,
    tags: tuple[str, ...] = (),
    time_from: str = "now-6h",
    refresh: str = "30s",
) -> Dashboard:
    """A dashboard with the datasource variable first, shared crosshair, and panels laid out on the grid."""
    return Dashboard(
        uid=uid,
        title=title,
        description=description,
        tags=sorted({*TAGS, *tags}),
        panels=arrange(panels),
        templating=Templating(list=[datasource_variable(), *(variables or [])]),
        time=Time(time_from, "now"),
        refresh=refresh,
        timezone="browser",
        graphTooltip=GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR,
        editable=True,
    )
