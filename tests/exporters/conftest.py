"""Fixtures for the exporters' tests: a real PostgreSQL 15 cluster loaded with the sample schema and data."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from exporters.business.config import from_env as business_env
from exporters.business.queries import DEFAULT_QUERIES_FILE, load_queries
from exporters.business.service import BusinessService
from exporters.http import serve
from exporters.solana.config import from_env
from exporters.solana.poller import SolanaPoller
from localstack.postgres import start_postgres
from localstack.process import ServiceError
from tests.exporters.fake_solana import ChainState, FakeSolanaRpc

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "exporters" / "business" / "schema.sql"
FIXTURE_DATA = Path(__file__).with_name("fixtures") / "business_data.sql"


@pytest.fixture(scope="session")
def postgres():
    """A throwaway cluster on 127.0.0.1:<free port>; a missing PostgreSQL fails (never skips) with the fix."""
    try:
        cluster = start_postgres()
    except ServiceError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def business_db(postgres):
    """The `platform` database: schema.sql plus fixture rows whose sums the tests know."""
    with psycopg.connect(postgres.dsn, autocommit=True) as conn:
        conn.execute("CREATE DATABASE platform")
    with psycopg.connect(postgres.dsn_for("platform"), autocommit=True) as conn:
        conn.execute(SCHEMA.read_text())
        conn.execute(FIXTURE_DATA.read_text())
    return postgres.dsn_for("platform")


TREASURY = "So11111111111111111111111111111111111111112"
FEES_WALLET = "Vote111111111111111111111111111111111111111"
PROGRAM = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"


@pytest.fixture
def rpc():
    state = ChainState(balances={TREASURY: 2_500_000_000, FEES_WALLET: 125_000_000})
    server = FakeSolanaRpc(state).start()
    yield server
    server.stop()


@pytest.fixture
def exporter(rpc):
    """A factory: a poller configured like the container (env vars) plus its HTTP server on a free port."""
    started = []

    def make(**env: str):
        base = {
            "SOLANA_RPC_URL": rpc.url,
            "CONTRACT_ADDRESS": PROGRAM,
            "SOLANA_ACCOUNTS": f"treasury={TREASURY},fees={FEES_WALLET}",
            "RPC_MAX_RPS": "1000",
            "RPC_TIMEOUT_SECONDS": "0.5",
            "RPC_RETRIES": "1",
            "RPC_RETRY_BACKOFF_SECONDS": "0.01",
            "LISTEN_ADDRESS": "127.0.0.1",
            "LISTEN_PORT": "0",
        }
        config = from_env({**base, **env})
        poller = SolanaPoller(config)
        server = serve(poller.registry, poller.health, config.listen_address, config.listen_port)
        started.append(server)
        return poller, f"http://127.0.0.1:{server.port}"

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def collector_service():
    """A factory: the service configured from env vars, HTTP on a free port, refresh loop not run."""
    started = []

    def make(dsn: str, queries=None, **env: str):
        config = business_env({"DATABASE_URL": dsn, "LISTEN_ADDRESS": "127.0.0.1", "LISTEN_PORT": "0", **env})
        service = BusinessService(config, queries or load_queries(DEFAULT_QUERIES_FILE))
        server = serve(service.registry, service.collector.health, "127.0.0.1", 0)
        started.append(server)
        return service.collector, f"http://127.0.0.1:{server.port}"

    yield make
    for server in started:
        server.stop()
