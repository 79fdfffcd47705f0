"""What both exporters share at their edges: reading numbers from the environment, and running until signalled.

Kept in one module so the two services fail and stop the same way: a bad setting is one line and exit 2, a port
already taken is one line and exit 1, SIGTERM/SIGINT stop the loop and the HTTP server cleanly.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Mapping
from typing import Protocol

import click


class ConfigError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""


def env_number(env: Mapping[str, str], key: str, default: float, minimum: float, integer: bool = False):
    """`env[key]` as a number (empty or unset: `default`), at least `minimum`."""
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        raise ConfigError(f"{key}: {raw!r} is not {'an integer' if integer else 'a number'}") from None
    if value < minimum:
        raise ConfigError(f"{key}: must be at least {minimum:g}, got {raw}")
    return value


class Service(Protocol):
    def request_stop(self) -> None: ...
    def wait(self) -> None: ...
    def stop(self) -> None: ...


def run_until_signalled(name: str, address: str, port: int, start: Callable[[], Service]) -> None:
    """Start the service, stop it on SIGTERM/SIGINT; a port that cannot be bound is one line and exit 1."""
    try:
        service = start()
    except OSError as exc:
        click.echo(f"{name}: cannot listen on {address}:{port}: {exc.strerror}", err=True)
        sys.exit(1)
    signal.signal(signal.SIGTERM, lambda *_: service.request_stop())
    signal.signal(signal.SIGINT, lambda *_: service.request_stop())
    service.wait()
    service.stop()
