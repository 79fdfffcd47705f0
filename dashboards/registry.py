"""The dashboards this project ships, in order, with the Grafana folder each lives in.

The folder is the directory under `provisioning/dashboards/` and the folder title in Grafana; its uid is derived
from the title (grafana_json.folders), by the provisioning YAML and dashsync alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from grafanalib.core import Dashboard

from dashboards import api, business, infrastructure, security, system_overview


@dataclass(frozen=True)
class Entry:
    name: str  # the module name, used in error messages
    folder: str
    build: Callable[[], Dashboard]


DASHBOARDS: tuple[Entry, ...] = (
    Entry("system_overview", "Overview", system_overview.build),
    Entry("api", "Platform", api.build),
    Entry("infrastructure", "Infrastructure", infrastructure.build),
    Entry("business", "Business", business.build),
    Entry("security", "Security", security.build),
)


def folders(entries: tuple[Entry, ...] = DASHBOARDS) -> tuple[str, ...]:
    """The folder titles, in dashboard order, each once."""
    return tuple(dict.fromkeys(e.folder for e in entries))
