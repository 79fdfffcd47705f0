"""The running service: the HTTP server plus a poll loop in a thread, stopped cleanly on SIGTERM/SIGINT."""

from __future__ import annotations

import logging
import threading
import time

from exporters.http import RunningServer, serve
from exporters.solana.config import Config
from exporters.solana.poller import SolanaPoller

log = logging.getLogger("exporters.solana")


class SolanaExporter:
    def __init__(self, config: Config):
        self.config = config
        self.poller = SolanaPoller(config)
        self._stop = threading.Event()
        self._loop: threading.Thread | None = None
        self.server: RunningServer | None = None

    def start(self) -> SolanaExporter:
        self.server = serve(
            self.poller.registry, self.poller.health, self.config.listen_address, self.config.listen_port
        )
        self._loop = threading.Thread(target=self._run, name="poll", daemon=True)
        self._loop.start()
        log.info(
            "listening on %s:%d, polling every %gs",
            self.config.listen_address,
            self.server.port,
            self.config.poll_interval,
        )
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            try:
                self.poller.poll_once()
            except Exception:  # a bug in one poll must not end the loop; the traceback goes to the log
                log.exception("poll failed")
            self._stop.wait(max(0.0, self.config.poll_interval - (time.monotonic() - started)))

    def stop(self) -> None:
        self._stop.set()
        if self.server is not None:
            self.server.stop()
        if self._loop is not None:
            self._loop.join(timeout=self.config.rpc_timeout * (self.config.rpc_retries + 2) + 5)

    def request_stop(self) -> None:
        self._stop.set()

    def wait(self) -> None:
        self._stop.wait()
