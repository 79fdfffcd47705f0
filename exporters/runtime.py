"""What both exporters share at their edges: settings, logging, the periodic loop, its health, and signals.

Kept in one module so the two services fail, report and stop the same way: a bad setting is one line and
exit 2, a port already taken is one line and exit 1, /health follows one rule (`Heartbeat`), and SIGTERM/SIGINT
stop the loop and the HTTP server cleanly.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import Protocol, Self

import click
from prometheus_client import CollectorRegistry

from exporters.http import HealthCheck, RunningServer, serve

MAX_PORT = 65535
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# /health turns 503 when no loop iteration finished within this many intervals (plus the loop's own worst-case
# iteration time): a loop that misses two beats in a row is stuck, not slow.
HEALTH_INTERVALS = 3


class ConfigError(ValueError):
    """A configuration value is missing or malformed; the message names the variable."""


def env_number(
    env: Mapping[str, str],
    key: str,
    default: float,
    minimum: float,
    integer: bool = False,
    maximum: float | None = None,
):
    """`env[key]` as a number (empty or unset: `default`), at least `minimum` and at most `maximum`."""
    raw = env.get(key, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        raise ConfigError(f"{key}: {raw!r} is not {'an integer' if integer else 'a number'}") from None
    if value != value or value in (float("inf"), float("-inf")):  # NaN and inf pass every comparison or none
        raise ConfigError(f"{key}: {raw!r} is not a finite number")
    if value < minimum:
        raise ConfigError(f"{key}: must be at least {minimum:g}, got {raw}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{key}: must be at most {maximum:g}, got {raw}")
    return value


def env_port(env: Mapping[str, str], key: str, default: int) -> int:
    """A TCP port (0 lets the kernel pick one, as the tests do)."""
    return env_number(env, key, default, 0, integer=True, maximum=MAX_PORT)


def env_log_level(env: Mapping[str, str], key: str = "LOG_LEVEL") -> str:
    """LOG_LEVEL as one of `LOG_LEVELS` (any case; empty or unset: INFO)."""
    raw = env.get(key, "").strip()
    level = raw.upper() or "INFO"
    if level not in LOG_LEVELS:
        raise ConfigError(f"{key}: {raw!r} is not one of {', '.join(LOG_LEVELS)}")
    return level


def configure_logging(level: str) -> None:
    """One log format for both exporters, on stderr (the container's log).

    urllib3 logs request lines at DEBUG, and SOLANA_RPC_URL may carry an API key in its query string, so it
    never logs below INFO whatever the level.
    """
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("urllib3").setLevel(max(logging.INFO, logging.getLogger().level))


class Heartbeat:
    """When the loop last finished an iteration: the one /health rule both exporters follow.

    Healthy while an iteration finished within `budget` seconds, counted from the last finished iteration, or
    from the start while the first one is still running (so a first iteration that hangs turns 503 too).
    What the loop *found* (an unreachable node or database) is a metric, not a health failure.
    """

    def __init__(self, interval: float, iteration_allowance: float, clock: Callable[[], float] = time.monotonic):
        self.budget = HEALTH_INTERVALS * interval + iteration_allowance
        self._clock = clock
        self.started = clock()
        self.last_finished: float | None = None
        self.iterations = 0

    def beat(self) -> None:
        """Record that an iteration finished."""
        self.last_finished = self._clock()
        self.iterations += 1

    def age(self) -> float | None:
        """Seconds since the last finished iteration (None before the first one)."""
        return None if self.last_finished is None else round(self._clock() - self.last_finished, 3)

    def healthy(self) -> bool:
        since = self.last_finished if self.last_finished is not None else self.started
        return self._clock() - since <= self.budget


class PeriodicService:
    """The HTTP server plus a loop that runs `iteration` every `interval` seconds in a thread.

    An exception escaping an iteration is logged with its traceback and the loop goes on (the iteration's
    heartbeat is then missing, which /health reports if it keeps happening).
    """

    def __init__(
        self,
        *,
        name: str,
        registry: CollectorRegistry,
        health: HealthCheck,
        address: str,
        port: int,
        interval: float,
        iteration: Callable[[], object],
        join_timeout: float,
    ):
        self.name, self.registry, self.health = name, registry, health
        self.address, self.port, self.interval = address, port, interval
        self._iteration, self._join_timeout = iteration, join_timeout
        self._log = logging.getLogger(f"exporters.{name}")
        self._stop = threading.Event()
        self._loop: threading.Thread | None = None
        self.server: RunningServer | None = None

    def start(self) -> Self:
        """Bind (OSError when the port is taken), then start the loop; returns self."""
        self.server = serve(self.registry, self.health, self.address, self.port)
        self._loop = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._loop.start()
        self._log.info("listening on %s:%d, every %gs", self.address, self.server.port, self.interval)
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self._iteration()
            except Exception:  # a bug in one iteration must not end the loop; the traceback goes to the log
                self._log.exception("%s iteration failed", self.name)
            self._stop.wait(max(0.0, self.interval - (time.monotonic() - started)))

    def request_stop(self) -> None:
        self._stop.set()

    def wait(self) -> None:
        self._stop.wait()

    def stop(self) -> None:
        self._stop.set()
        if self.server is not None:
            self.server.stop()
        if self._loop is not None:
            self._loop.join(timeout=self._join_timeout)


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
