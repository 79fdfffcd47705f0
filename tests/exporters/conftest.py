"""Fixtures for the exporters' tests: a real PostgreSQL 15 cluster loaded with the sample schema and data."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from localstack.postgres import start_postgres
from localstack.process import ServiceError

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
