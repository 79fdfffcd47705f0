"""Panel builders on grafanalib: small factory functions that return fresh objects on every call.

Every builder references Prometheus through the `${datasource}` template variable, takes a Grafana unit id and
thresholds as data, and carries its size in `gridPos` with `x`/`y` left as None until `panels.layout.arrange`
places it. Nothing here holds state between calls, so the same builder used in two dashboards cannot leak
layout, ids or options from one into the other.
"""

from panels.datasource import DATASOURCE, datasource_variable, query_variable
from panels.gauge import bargauge, gauge
from panels.heatmap import heatmap
from panels.layout import LayoutError, arrange
from panels.rows import row
from panels.stat import stat
from panels.table import table
from panels.targets import prom
from panels.text import text
from panels.thresholds import steps
from panels.timeseries import timeseries

__all__ = [
    "DATASOURCE",
    "LayoutError",
    "arrange",
    "bargauge",
    "datasource_variable",
    "gauge",
    "heatmap",
    "prom",
    "query_variable",
    "row",
    "stat",
    "steps",
    "table",
    "text",
    "timeseries",
]
