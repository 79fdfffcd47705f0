"""The business collector against a real PostgreSQL loaded with schema.sql and fixture data."""

from __future__ import annotations

import json
import logging
import urllib.request

import pytest

from exporters.business.queries import DEFAULT_QUERIES_FILE, QueryFileError, load_queries, parse_queries
from localstack.process import free_port
from tests.exporters.scrape import scrape


def test_exact_business_values_from_the_fixture_database(business_db, collector_service):
    collector, base = collector_service(business_db)
    collector.refresh()
    m = scrape(f"{base}/metrics")
    assert m.value("anonymeme_trading_volume_sol_total", side="buy") == 4.0
    assert m.value("anonymeme_trading_volume_sol_total", side="sell") == 0.75
    assert m.value("anonymeme_trades_total", side="buy", status="success") == 2
    assert m.value("anonymeme_trades_total", side="sell", status="success") == 1
    assert m.value("anonymeme_trades_total", side="buy", status="failed") == 1
    assert m.value("anonymeme_trades_total", side="sell", status="failed") == 0
    assert m.value("anonymeme_active_users", window="1h") == 1
    assert m.value("anonymeme_active_users", window="24h") == 2
    assert m.value("anonymeme_active_users", window="7d") == 3
    assert m.value("anonymeme_user_registrations_total") == 5
    assert m.value("anonymeme_tokens_created_total") == 4
    assert m.value("anonymeme_tokens_graduated_total") == 1
    assert m.value("anonymeme_token_market_cap_sol", stat="total") == 1060
    assert m.value("anonymeme_token_market_cap_sol", stat="max") == 1000
    assert m.value("anonymeme_token_market_cap_sol", stat="median") == 25
    assert m.value("anonymeme_transactions_total", type="trade", status="success") == 3
    assert m.value("anonymeme_transactions_total", type="trade", status="failed") == 1
    assert m.value("anonymeme_transactions_total", type="create_token", status="success") == 2
    assert m.value("anonymeme_transaction_fees_sol_total", type="trade") == 0.00002
    assert m.value("anonymeme_transaction_fees_sol_total", type="create_token") == 0.00003
    assert m.value("anonymeme_revenue_sol_total", source="trading_fee") == 0.0475
    assert m.value("anonymeme_revenue_sol_total", source="listing_fee") == 1.0
    for spec in load_queries(DEFAULT_QUERIES_FILE):
        assert m.value("anonymeme_collector_query_success", query=spec.name) == 1
        assert m.value("anonymeme_collector_query_duration_seconds", query=spec.name) > 0


BROKEN = """
queries:
  - name: anonymeme_user_registrations_total
    type: counter
    help: User registrations.
    query: SELECT COUNT(*) AS value FROM users
  - name: slow_gauge
    type: gauge
    help: A query slower than its timeout.
    timeout_seconds: 0.2
    query: SELECT 1 AS value FROM pg_sleep(5)
  - name: missing_table_total
    type: counter
    help: A query on a table that does not exist.
    query: SELECT COUNT(*) AS value FROM no_such_table
  - name: no_value_column
    type: gauge
    help: A query without the value column.
    labels: [side]
    query: SELECT 'buy' AS side, 1 AS amount
"""


def test_slow_and_failing_queries_show_as_metrics_and_log_lines(business_db, collector_service, caplog):
    collector, base = collector_service(business_db, parse_queries(BROKEN))
    with caplog.at_level(logging.ERROR, logger="exporters.business"):
        collector.refresh()
    m = scrape(f"{base}/metrics")
    assert m.value("anonymeme_collector_query_success", query="anonymeme_user_registrations_total") == 1
    assert m.value("anonymeme_user_registrations_total") == 5  # the healthy query is unaffected
    for failed in ("slow_gauge", "missing_table_total", "no_value_column"):
        assert m.value("anonymeme_collector_query_success", query=failed) == 0
    assert not m.has("slow_gauge") and not m.has("missing_table_total")
    slow = m.value("anonymeme_collector_query_duration_seconds", query="slow_gauge")
    assert 0.2 <= slow < 4.0  # statement_timeout cancelled pg_sleep(5)
    messages = [r.getMessage() for r in caplog.records]
    assert any("slow_gauge" in msg and "statement timeout" in msg for msg in messages), messages
    assert any("missing_table_total" in msg and "no_such_table" in msg for msg in messages), messages
    assert any("no_value_column" in msg and "lacks column(s) value" in msg for msg in messages), messages


def test_unreachable_database_keeps_the_endpoint_answering(postgres, collector_service, caplog, tmp_path):
    secret = "s3cret-never-logged"
    password_file = tmp_path / "pw"
    password_file.write_text(secret + "\n")
    dsn = f"postgresql://postgres@127.0.0.1:{free_port()}/platform"
    collector, base = collector_service(dsn, DATABASE_PASSWORD_FILE=str(password_file), CONNECT_TIMEOUT_SECONDS="2")
    with caplog.at_level(logging.ERROR, logger="exporters.business"):
        collector.refresh()
    m = scrape(f"{base}/metrics")
    for spec in load_queries(DEFAULT_QUERIES_FILE):
        assert m.value("anonymeme_collector_query_success", query=spec.name) == 0
    assert any("unreachable" in r.getMessage() for r in caplog.records)
    assert secret not in caplog.text
    with urllib.request.urlopen(f"{base}/health") as response:
        body = json.loads(response.read())
    assert response.status == 200 and body["refreshes"] == 1 and len(body["failing_queries"]) == 10


def test_scrapes_read_the_cache_and_never_run_queries(business_db, collector_service):
    collector, base = collector_service(business_db)
    collector.refresh()
    first = scrape(f"{base}/metrics")
    for _ in range(10):
        again = scrape(f"{base}/metrics")
    assert collector.refreshes == 1
    assert again.samples == first.samples


def test_password_file_is_used_and_never_in_the_dsn(postgres, business_db, collector_service, tmp_path):
    password_file = tmp_path / "pw"
    password_file.write_text(postgres.password + "\n")
    dsn = f"postgresql://postgres@127.0.0.1:{postgres.port}/platform"
    collector, base = collector_service(dsn, DATABASE_PASSWORD_FILE=str(password_file))
    assert postgres.password not in repr(collector.config)
    collector.refresh()
    assert scrape(f"{base}/metrics").value("anonymeme_user_registrations_total") == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("queries: []", "at least one entry"),
        ("queries: [{name: x_total, type: counter, help: h}]", "`query` is required"),
        ("queries: [{name: x, type: counter, help: h, query: SELECT 1}]", "must end in _total"),
        ("queries: [{name: x, type: histogram, help: h, query: SELECT 1}]", "`type` must be one of"),
        ("queries: [{name: x, type: gauge, help: h, query: q, labels: [value]}]", "must not include `value`"),
        ("queries: [{name: x, type: gauge, help: h, query: q, timeout_seconds: -1}]", "positive number"),
        ("queries: [{name: x, type: gauge, help: h, query: q, colour: red}]", "unknown field(s) colour"),
        ("queries:\n  - name: [", "not valid YAML"),
    ],
)
def test_invalid_query_files_are_refused_with_a_clear_message(text, message):
    with pytest.raises(QueryFileError) as info:
        parse_queries(text)
    assert message in str(info.value)
