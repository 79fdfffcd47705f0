"""On the native stack: every query of every panel of the five dashboards returns data, every recording rule
produces series, and Prometheus evaluates every rule without error."""

from __future__ import annotations

from pathlib import Path

import pytest

from grafana_json.walk import dashboard_panels
from localstack import stack as st
from signals.recording import recorded_names
from tests.localstack import grafana_queries as gq
from tests.localstack.conftest import SCRAPE_INTERVAL

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD_UIDS = {
    "anonymeme-system-overview",
    "anonymeme-api",
    "anonymeme-infrastructure",
    "anonymeme-business",
    "anonymeme-security",
}


def test_the_five_dashboards_are_compiled() -> None:
    assert {d.get("uid") for d in gq.compiled_dashboards()} == DASHBOARD_UIDS, "run `make dashboards`"


def test_every_panel_query_returns_data(local_stack: st.Stack, capsys: pytest.CaptureFixture[str]) -> None:
    scrape = int(SCRAPE_INTERVAL.removesuffix("s"))
    rows: list[tuple[str, str, str, int, str]] = []
    for dashboard in gq.compiled_dashboards():
        w = gq.window(dashboard, scrape)
        values = gq.variable_values(local_stack.prometheus_url, dashboard, w)
        for panel in dashboard_panels(dashboard):
            for target in panel.get("targets") or []:
                if not target.get("expr"):
                    continue
                expr, count = gq.run(local_stack.prometheus_url, target, values, w)
                rows.append((dashboard["uid"], panel.get("title", ""), target.get("refId", ""), count, expr))
    with capsys.disabled():
        print(f"\n{'dashboard':<28} {'panel':<44} {'ref':<4} series")
        for uid, title, ref, count, _ in rows:
            print(f"{uid:<28} {title[:44]:<44} {ref:<4} {count}")
        print(f"{sum(1 for r in rows if r[3])}/{len(rows)} panel queries returned data")
    empty = [f"{uid} / {title} / {ref}: {expr}" for uid, title, ref, count, expr in rows if count == 0]
    assert len(rows) >= 80
    assert empty == [], "queries without data:\n" + "\n".join(empty)


def test_every_recording_rule_produces_series(local_stack: st.Stack) -> None:
    missing = [
        name
        for name in sorted(recorded_names())
        if not st.api(local_stack.prometheus_url, "/api/v1/query", query=name)["result"]
    ]
    assert missing == []


def test_prometheus_evaluates_every_rule_without_error(local_stack: st.Stack) -> None:
    groups = st.api(local_stack.prometheus_url, "/api/v1/rules")["groups"]
    rules = [(g["name"], r["name"], r["health"], r.get("lastError", "")) for g in groups for r in g["rules"]]
    assert len(rules) > len(recorded_names())
    assert [r for r in rules if r[2] != "ok" or r[3]] == []
