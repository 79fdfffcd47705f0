"""The Prometheus datasource reference and template variables every dashboard shares."""

from __future__ import annotations

from grafanalib.core import REFRESH_ON_TIME_RANGE_CHANGE, Template

# Every panel and target points at the `datasource` variable, never at a concrete uid, so one dashboard works
# against any Prometheus the viewer picks.
DATASOURCE: dict[str, str] = {"type": "prometheus", "uid": "${datasource}"}


def datasource_variable() -> Template:
    """The `datasource` variable: any Prometheus datasource, defaulting to the provisioned one."""
    return Template(
        name="datasource",
        label="Data source",
        type="datasource",
        query="prometheus",
        default="Prometheus",
        includeAll=False,
        multi=False,
        refresh=1,
    )


def query_variable(
    name: str, query: str, label: str, *, include_all: bool = True, default: str | None = None
) -> Template:
    """A `label_values(...)` variable read through the datasource variable, refreshed with the time range.

    With `include_all` it is multi-valued with an "All" option matching `.*`; otherwise single-valued, starting
    at `default`.
    """
    return Template(
        name=name,
        label=label,
        query=query,
        dataSource=dict(DATASOURCE),
        type="query",
        multi=include_all,
        includeAll=include_all,
        allValue=".*" if include_all else None,
        refresh=REFRESH_ON_TIME_RANGE_CHANGE,
        sort=1,
        default="$__all" if include_all else default,
    )
