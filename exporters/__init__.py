"""The platform's own collectors, each a small deployable service with /metrics and /health.

- `exporters.solana`: Solana JSON-RPC -> solana_* metrics (node health, chain, balances, program txs).
- `exporters.business`: SQL over the platform's PostgreSQL -> anonymeme_* business metrics.

Metric names, types, labels and help texts are those of `signals.catalogue` (tests hold both exporters to it).
"""
