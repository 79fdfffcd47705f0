"""`python -m exporters.solana`: the container's entrypoint."""

from __future__ import annotations

import os
import sys

import click

from exporters.runtime import configure_logging, run_until_signalled
from exporters.solana.config import ConfigError, from_env
from exporters.solana.service import SolanaExporter

ENVIRONMENT = """\b
Configuration (environment variables):
  SOLANA_RPC_URL             JSON-RPC endpoint (required), e.g. http://solana-rpc:8899
  CONTRACT_ADDRESS           platform program; its new transactions are counted (optional)
  SOLANA_ACCOUNTS            name=address,... platform wallets whose balance is exported by name
  POLL_INTERVAL_SECONDS      seconds between polls (30)
  RPC_TIMEOUT_SECONDS        per-request timeout (5)
  RPC_MAX_RPS                never more requests per second than this (5)
  RPC_RETRIES                retries after a timeout, connection error or HTTP 429/5xx (2)
  RPC_RETRY_BACKOFF_SECONDS  first retry delay, doubled each retry (0.5)
  SOLANA_COMMITMENT          finalized or confirmed (finalized)
  SIGNATURES_LIMIT           getSignaturesForAddress limit per poll, at most 1000 (1000)
  FEE_LOOKUPS_PER_POLL       getTransaction calls per poll for fees (20)
  LISTEN_ADDRESS, LISTEN_PORT  where /metrics and /health are served (0.0.0.0, 9301; port 0-65535)
  LOG_LEVEL                  DEBUG, INFO, WARNING, ERROR or CRITICAL (INFO)
"""


@click.command(epilog=ENVIRONMENT)
@click.option("--check-config", is_flag=True, help="Validate the configuration and exit (0 when valid).")
def main(check_config: bool) -> None:
    """Export Solana node health, chain progress, account balances and program transactions."""
    try:
        config = from_env(os.environ)
    except ConfigError as exc:
        click.echo(f"solana-exporter: configuration error: {exc}", err=True)
        sys.exit(2)
    if check_config:
        click.echo("configuration ok")
        return
    configure_logging(config.log_level)
    run_until_signalled(
        "solana-exporter", config.listen_address, config.listen_port, lambda: SolanaExporter(config).start()
    )


if __name__ == "__main__":
    main()
