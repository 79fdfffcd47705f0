"""The running Solana exporter: the shared `PeriodicService` loop polling the node, plus its HTTP server."""

from __future__ import annotations

from exporters.runtime import PeriodicService
from exporters.solana.config import Config
from exporters.solana.poller import SolanaPoller


class SolanaExporter(PeriodicService):
    def __init__(self, config: Config):
        self.config = config
        self.poller = SolanaPoller(config)
        super().__init__(
            name="solana",
            registry=self.poller.registry,
            health=self.poller.health,
            address=config.listen_address,
            port=config.listen_port,
            interval=config.poll_interval,
            iteration=self.poller.poll_once,
            # A poll in flight ends within a few RPC timeouts; the thread is a daemon if it does not.
            join_timeout=config.rpc_timeout * (config.rpc_retries + 2) + 5,
        )
