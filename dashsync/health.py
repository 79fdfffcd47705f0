"""health: can dashsync work against this Grafana? Reachability, version, read and write permissions, the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .connection import Grafana
from .errors import EXIT_DIFFERENT, EXIT_OK
from .live import connect

WRITE_ACTIONS = ("dashboards:create", "dashboards:write", "folders:create")


def check(grafana: Grafana) -> dict[str, Any]:
    """The facts, as data: reachable (or raises), version, read, the API dashsync will use, write."""
    info = grafana.health()
    grafana.request("GET", "/search", params={"limit": 1})  # raises a clear 401/403 line when refused
    facts: dict[str, Any] = {
        "url": grafana.settings.display_url,
        "database": info.get("database", "?"),
        "version": info.get("version"),
        "read": True,
        "api": connect(grafana).kind,  # what every other command will use against this Grafana
    }
    actions = grafana.permissions()
    facts["write"] = None if actions is None else all(a in actions for a in WRITE_ACTIONS)
    facts["missing"] = [] if actions is None else [a for a in WRITE_ACTIONS if a not in actions]
    return facts


def health(grafana: Grafana, echo: Callable[[str], None], report: dict[str, Any] | None = None) -> int:
    facts = check(grafana)
    if report is not None:
        report.update(facts)
    echo(f"reachable: {facts['url']} (database {facts['database']})")
    echo(f"version: Grafana {facts['version'] or 'hidden'}")
    echo("read: yes")
    echo(f"api: {facts['api']}")
    if facts["write"] is None:
        echo("write: unknown (this Grafana does not expose /api/access-control/user/permissions)")
        return EXIT_OK
    if not facts["write"]:
        echo(f"write: no (missing permission: {', '.join(facts['missing'])})")
        return EXIT_DIFFERENT
    echo("write: yes")
    return EXIT_OK
