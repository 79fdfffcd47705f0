"""The running service: the HTTP server plus the refresh loop, stopped cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import logging
import threading
import time

from prometheus_client import CollectorRegistry

from exporters.business.collector import BusinessCollector
from exporters.business.config import Config
from exporters.business.queries import QuerySpec
from exporters.http import RunningServer, serve

log = logging.getLogger("exporters.business")


class BusinessService:
    def __init__(self, config: Config, specs: tuple[QuerySpec, ...]):
        self.config = config
        self.collector = BusinessCollector(config, specs)
        self.registry = CollectorRegistry()
        self.registry.register(self.collector)
        self._stop = threading.Event()
        self._loop: threading.Thread | None = None
        self.server: RunningServer | None = None

    def start(self) -> BusinessService:
        self.server = serve(
            self.registry, self.collector.health, self.config.listen_address, self.config.listen_port
        )
        self._loop = threading.Thread(target=self._run, name="refresh", daemon=True)
        self._loop.start()
        log.info(
            "listening on %s:%d, %d queries against %s every %gs",
            self.config.listen_address,
            self.server.port,
            len(self.collector.specs),
            self.config.describe_database(),
            self.config.refresh_interval,
        )
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self.collector.refresh()
            except Exception:  # a bug in one refresh must not end the loop
                log.exception("refresh failed")
            self._stop.wait(max(0.0, self.config.refresh_interval - (time.monotonic() - started)))

    def request_stop(self) -> None:
        self._stop.set()

    def wait(self) -> None:
        self._stop.wait()

    def stop(self) -> None:
        self._stop.set()
        if self.server is not None:
            self.server.stop()
        if self._loop is not None:
            self._loop.join(timeout=30)
