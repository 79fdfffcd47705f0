"""Where Prometheus remote-writes when the stack scales out: the store, named once.

Off by default: the compose stack's `prometheus.yml` has no `remote_write`; the `scale-out` profile mounts the
generated `prometheus-scale-out.yml`, which writes to this store, and runs the store's own rule evaluator next to
it. Tried on VictoriaMetrics (single node here; the cluster's vminsert takes the same remote-write protocol):
tests/localstack/test_victoriametrics.py compares every panel query of the five dashboards on it with Prometheus.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RemoteWrite:
    """A Prometheus-compatible store that takes remote-write and answers the Prometheus query API.

    rules_at_store: the store's rule evaluator (vmalert) evaluates the project's rules on the raw series the
        store holds and writes the results into it (recorded series, and the `ALERTS` / `ALERTS_FOR_STATE`
        series of alert state), so Prometheus does not send its own: the store would otherwise hold two writers'
        samples interleaved in one series. Prometheus still evaluates every rule and alerts as before.
    """

    name: str
    service: str  # compose service that takes the writes and answers queries
    port: int
    write_path: str
    query_path: str = ""  # the Prometheus query API's root under the service (`/api/v1/query` follows)
    rules_at_store: bool = True

    def __post_init__(self) -> None:
        if not self.write_path.startswith("/"):
            raise ValueError(f"remote write {self.name}: write_path must start with '/', not {self.write_path!r}")
        if not 0 < self.port < 65536:
            raise ValueError(f"remote write {self.name}: port {self.port} is not a TCP port")

    @property
    def target(self) -> str:
        return f"{self.service}:{self.port}"


# Series the rule engine writes for alert state (Prometheus and vmalert both): with `rules_at_store` the store's
# evaluator is their one writer.
ALERT_STATE_SERIES: tuple[str, ...] = ("ALERTS", "ALERTS_FOR_STATE")

# docs.victoriametrics.com, single-node: `/api/v1/write` takes Prometheus remote-write on -httpListenAddr (8428),
# and the Prometheus query API is served at the root of the same port.
VICTORIA_METRICS = RemoteWrite("victoriametrics", "victoriametrics", 8428, "/api/v1/write")
