"""`python -m exporters.business`: the container's entrypoint."""

from __future__ import annotations

import os
import sys

import click

from exporters.business.config import ConfigError, from_env
from exporters.business.queries import QueryFileError, load_queries
from exporters.business.service import BusinessService
from exporters.runtime import configure_logging, run_until_signalled

ENVIRONMENT = """\b
Configuration (environment variables):
  DATABASE_URL               postgresql://user@host:5432/db (or PGHOST, PGPORT, PGUSER, PGDATABASE...)
  DATABASE_PASSWORD_FILE     file holding the password (e.g. a Docker secret); PGPASSWORD also works
  QUERIES_FILE               the YAML query file (exporters/business/queries.yml)
  REFRESH_INTERVAL_SECONDS   queries run at most this often, whatever the scrape rate (10)
  QUERY_TIMEOUT_SECONDS      default statement_timeout per query (5)
  CONNECT_TIMEOUT_SECONDS    database connect timeout (5)
  LISTEN_ADDRESS, LISTEN_PORT  where /metrics and /health are served (0.0.0.0, 9300; port 0-65535)
  LOG_LEVEL                  DEBUG, INFO, WARNING, ERROR or CRITICAL (INFO)
"""


@click.command(epilog=ENVIRONMENT)
@click.option("--check-config", is_flag=True, help="Validate the configuration and query file, then exit.")
def main(check_config: bool) -> None:
    """Export the platform's business figures (SQL over PostgreSQL) as Prometheus metrics."""
    try:
        config = from_env(os.environ)
        specs = load_queries(config.queries_file)
    except (ConfigError, QueryFileError) as exc:
        click.echo(f"business-collector: configuration error: {exc}", err=True)
        sys.exit(2)
    if check_config:
        click.echo(f"configuration ok: {len(specs)} queries")
        return
    configure_logging(config.log_level)
    run_until_signalled(
        "business-collector", config.listen_address, config.listen_port, lambda: BusinessService(config, specs).start()
    )


if __name__ == "__main__":
    main()
