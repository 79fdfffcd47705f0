"""What every Anonymeme dashboard shares: variables, defaults, and the assembly of laid-out panels."""

from __future__ import annotations

from grafanalib.core import GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR, Dashboard, DashboardLink, Panel, Templating, Time

from panels import arrange, datasource_variable, query_variable

TAGS = ("anonymeme", "monitoring-as-code")


def job_variable(metric: str = "up", default_all: bool = True) -> object:
    return query_variable("job", f"label_values({metric}, job)", "Job", include_all=default_all)


def instance_variable(metric: str = "node_uname_info", *, job: bool = False) -> object:
    """`$instance` from `metric`; with `job`, chained to `$job`: only the instances of the selected jobs.

    Grafana sees the `$job` reference in the query and refreshes this variable whenever `$job` changes ("Query
    expressions can contain references to other variables and in effect create linked variables. Grafana detects
    this and automatically refreshes a variable when one of its linked variables change": Grafana docs, Variables >
    Add a query variable). `job` must come before `instance` in the dashboard's variables.
    """
    selector = f'{metric}{{job=~"$job"}}' if job else metric
    return query_variable("instance", f"label_values({selector}, instance)", "Instance")


def dashboard_links() -> list[DashboardLink]:
    """One dropdown listing the other Anonymeme dashboards: every dashboard carrying all of `TAGS`.

    Grafana resolves a `dashboards` link by searching for dashboards with every tag of the link (up to 100) and
    leaves out the dashboard being shown (public/app/features/dashboard-scene/scene/DashboardLinksDashboard.tsx,
    `searchForTags` and `resolveLinks`), so one link serves all five. The time range goes along; the variables do
    not, since each dashboard's `$job` and `$instance` mean different things.
    """
    return [
        DashboardLink(
            title="Anonymeme dashboards",
            type="dashboards",
            tags=list(TAGS),
            asDropdown=True,
            keepTime=True,
            includeVars=False,
        )
    ]


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
        links=dashboard_links(),
        time=Time(time_from, "now"),
        refresh=refresh,
        timezone="browser",
        graphTooltip=GRAPH_TOOLTIP_MODE_SHARED_CROSSHAIR,
        editable=True,
    )
