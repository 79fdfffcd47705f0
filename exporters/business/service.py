"""The running business collector: the shared `PeriodicService` loop refreshing the queries, plus HTTP."""

from __future__ import annotations

import logging
from typing import Self

from prometheus_client import CollectorRegistry

from exporters.business.collector import BusinessCollector
from exporters.business.config import Config
from exporters.business.queries import QuerySpec
from exporters.runtime import PeriodicService

log = logging.getLogger("exporters.business")


class BusinessService(PeriodicService):
    def __init__(self, config: Config, specs: tuple[QuerySpec, ...]):
        self.config = config
        self.collector = BusinessCollector(config, specs)
        registry = CollectorRegistry()
        registry.register(self.collector)
        super().__init__(
            name="business",
            registry=registry,
            health=self.collector.health,
            address=config.listen_address,
            port=config.listen_port,
            interval=config.refresh_interval,
            iteration=self.collector.refresh,
            join_timeout=30,
        )

    def start(self) -> Self:
        super().start()
        log.info("%d queries against %s", len(self.collector.specs), self.config.describe_database())
        return self
