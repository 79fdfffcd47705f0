"""The one gate between the test suite and a real Grafana named by GRAFANA_URL.

Contract tests run unchanged against a real Grafana to check the emulator's fidelity, and every one of them
starts by deleting every dashboard, folder and library panel of the org. So a real Grafana is used only when
the person running the tests says twice that it may be wiped: GRAFANA_URL names it AND
DASHSYNC_TESTS_MAY_WIPE=yes confirms it is disposable. And only on this machine: a URL whose host is not a
loopback address (127.0.0.0/8, ::1, localhost) is refused, so a stray GRAFANA_URL pointing at production can
never be wiped by `pytest`. The host is checked literally and never resolved (a DNS name could point anywhere).
Every test module that honours GRAFANA_URL goes through `real_grafana_from_env()`.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

WIPE_CONSENT = "DASHSYNC_TESTS_MAY_WIPE"


class UnsafeRealGrafana(Exception):
    """GRAFANA_URL is set but the tests may not use it; the message is one line saying why and what to do."""


@dataclass(frozen=True)
class RealGrafana:
    """A real Grafana the tests may wipe, with the credentials from the environment (never printed)."""

    url: str
    token: str | None
    user: str | None
    password: str | None


def is_loopback_host(host: str) -> bool:
    """True for localhost and literal loopback addresses; a name is never resolved."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def real_grafana_from_env(environ: Mapping[str, str] | None = None) -> RealGrafana | None:
    """None when GRAFANA_URL is unset (use the emulator); the real Grafana when it is safe to wipe; else raise."""
    env = os.environ if environ is None else environ
    url = (env.get("GRAFANA_URL") or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        raise UnsafeRealGrafana("GRAFANA_URL must be an http(s) URL with a host, e.g. http://127.0.0.1:3030")
    if not is_loopback_host(host):
        raise UnsafeRealGrafana(
            f"GRAFANA_URL host {host!r} is not loopback (127.0.0.0/8, ::1, localhost): the tests only ever "
            "use a Grafana on this machine, e.g. the bundled stack on http://127.0.0.1:3030"
        )
    if env.get(WIPE_CONSENT) != "yes":
        raise UnsafeRealGrafana(
            f"GRAFANA_URL is set: the tests will WIPE every dashboard, folder and library panel of that "
            f"Grafana org; set {WIPE_CONSENT}=yes to confirm it is disposable, or unset GRAFANA_URL"
        )
    token = env.get("GRAFANA_TOKEN") or None
    user, password = env.get("GRAFANA_USER") or None, env.get("GRAFANA_PASSWORD") or None
    if not token and not (user and password):
        raise UnsafeRealGrafana("GRAFANA_URL is set but neither GRAFANA_TOKEN nor GRAFANA_USER/GRAFANA_PASSWORD is")
    return RealGrafana(url.rstrip("/"), token, user, password)
