"""health: can dashsync work against this Grafana? Reachability, version, read and write permissions."""

from __future__ import annotations

from collections.abc import Callable

from .connection import Grafana
from .errors import EXIT_DIFFERENT, EXIT_OK
from .live import connect

WRITE_ACTIONS = ("dashboards:create", "dashboards:write", "folders:create")


def health(grafana: Grafana, echo: Callable[[str], None]) -> int:
    info = grafana.health()
    echo(f"reachable: {grafana.settings.display_url} (database {info.get('database', '?')})")
    echo(f"version: Grafana {info.get('version', 'hidden')}")
    grafana.request("GET", "/search", params={"limit": 1})  # raises a clear 401/403 line when refused
    echo("read: yes")
    echo(f"api: {connect(grafana).kind}")  # what every other command will use against this Grafana
    actions = grafana.permissions()
    if actions is None:
        echo("write: unknown (this Grafana does not expose /api/access-control/user/permissions)")
        return EXIT_OK
    missing = [a for a in WRITE_ACTIONS if a not in actions]
    if missing:
        echo(f"write: no (missing permission: {', '.join(missing)})")
        return EXIT_DIFFERENT
    echo("write: yes")
    return EXIT_OK
