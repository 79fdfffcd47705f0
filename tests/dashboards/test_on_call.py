"""The compiled dashboards pass the "paged at 3 am" test of issue #17: they go red when anything is down, colour
only at levels an alert uses, read the alert's own numbers, link to each other, chain their variables and fold
detail away in collapsed rows.

Expressions that decide a colour are evaluated by the real promtool, against series written here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from grafana_json.walk import dashboard_panels as iter_panels
from lint.grafana_vars import substitute
from signals import slo
from tests.alerting.conftest import binary, run

ROOT = Path(__file__).resolve().parents[2]
UIDS = (
    "anonymeme-system-overview",
    "anonymeme-api",
    "anonymeme-infrastructure",
    "anonymeme-business",
    "anonymeme-security",
)


def _dashboards() -> dict[str, dict]:
    files = (ROOT / "provisioning" / "dashboards").glob("**/*.json")
    loaded = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    return {d["uid"]: d for d in loaded}


DASHBOARDS = _dashboards()


def _panel(uid: str, title: str) -> dict:
    found = [p for p in iter_panels(DASHBOARDS[uid]) if p.get("title") == title and p["type"] != "row"]
    assert len(found) == 1, f"{uid} has {len(found)} panels titled {title!r}"
    return found[0]


def _alerts() -> dict[str, list[dict]]:
    """Alert name -> its rules (one per severity), from the committed rule files Prometheus loads."""
    out: dict[str, list[dict]] = {}
    for name in ("critical.yml", "warning.yml"):
        doc = yaml.safe_load((ROOT / "compose" / "prometheus" / "alerts" / name).read_text(encoding="utf-8"))
        for group in doc["groups"]:
            for rule in group["rules"]:
                out.setdefault(rule["alert"], []).append(rule)
    return out


ALERTS = _alerts()


def _all_selected(expr: str) -> str:
    """`expr` as Grafana sends it with every variable on All (`allValue` `.*`)."""
    return substitute(expr, lambda use: ".*")


def _promtool_eval(tmp_path: Path, expr: str, series: dict[str, str], expected: float | None) -> None:
    """Evaluate `expr` with the real promtool over `series` (name -> values) and check the one sample."""
    case = {
        "rule_files": [],
        "evaluation_interval": "1m",
        "tests": [
            {
                "interval": "1m",
                "input_series": [{"series": s, "values": v} for s, v in series.items()],
                "promql_expr_test": [
                    {
                        "expr": expr,
                        "eval_time": "5m",
                        "exp_samples": [] if expected is None else [{"labels": "{}", "value": expected}],
                    }
                ],
            }
        ],
    }
    path = tmp_path / "case.yml"
    path.write_text(yaml.safe_dump(case, sort_keys=False), encoding="utf-8")
    result = run(binary("promtool"), "test", "rules", str(path))
    assert result.returncode == 0, result.stdout + result.stderr


# --- Overview: red when any component is down -----------------------------------------------------------------

HEALTHY = {
    'up{job="api", instance="backend:8000"}': "1x10",
    'up{job="postgres", instance="postgres-exporter:9187"}': "1x10",
    'pg_up{job="postgres", instance="postgres-exporter:9187"}': "1x10",
    'redis_up{job="redis", instance="redis-exporter:9121"}': "1x10",
    'solana_node_is_healthy{job="solana", instance="solana-exporter:9301"}': "1x10",
    'probe_success{job="blackbox", instance="https://anonymeme.io/"}': "1x10",
}


@pytest.mark.parametrize(
    "broken",
    [
        None,
        'pg_up{job="postgres", instance="postgres-exporter:9187"}',
        'redis_up{job="redis", instance="redis-exporter:9121"}',
        'probe_success{job="blackbox", instance="https://anonymeme.io/"}',
        'solana_node_is_healthy{job="solana", instance="solana-exporter:9301"}',
        'up{job="api", instance="backend:8000"}',
    ],
    ids=["all-healthy", "postgres", "redis", "probe", "solana", "api-target"],
)
def test_platform_health_is_down_when_any_component_is(tmp_path, broken) -> None:
    """The exporter's `up` stays 1 while PostgreSQL is down: the overview's headline must still say DOWN."""
    target = _panel("anonymeme-system-overview", "Platform")["targets"][0]
    series = {s: ("0x10" if s == broken else v) for s, v in HEALTHY.items()}
    _promtool_eval(tmp_path, _all_selected(target["expr"]), series, 1 if broken is None else 0)


def test_service_health_shows_the_components_up_does_not() -> None:
    exprs = " ".join(t["expr"] for t in _panel("anonymeme-system-overview", "Service health")["targets"])
    for metric in ("up{", "pg_up{", "redis_up{", "probe_success{", "solana_node_is_healthy{"):
        assert metric in exprs, metric


@pytest.mark.parametrize(
    ("firing", "count"),
    [((), 0), (("none",), 0), (("warning",), 1), (("warning", "critical", "none"), 2)],
    ids=["nothing", "only-the-watchdog", "one-warning", "warning-critical-watchdog"],
)
def test_firing_alerts_counts_real_alerts_and_is_green_only_at_zero(tmp_path, firing, count) -> None:
    panel = _panel("anonymeme-system-overview", "Firing alerts")
    series = {
        f'ALERTS{{alertname="A{i}", alertstate="firing", severity="{severity}"}}': "1x10"
        for i, severity in enumerate(firing)
    }
    series['ALERTS{alertname="P", alertstate="pending", severity="critical"}'] = "1x10"  # pending: not yet an alert
    _promtool_eval(tmp_path, _all_selected(panel["targets"][0]["expr"]), series, count)
    steps = panel["fieldConfig"]["defaults"]["thresholds"]["steps"]
    assert steps[0]["color"] == "green" and [s["value"] for s in steps[1:]] == [1]
    assert all(s["color"] != "green" for s in steps[1:])


def test_every_overview_query_follows_job_where_its_series_carry_it() -> None:
    """The hourly business records are platform-wide sums (no job label) and ALERTS has no job of its own."""
    jobless = re.compile(r"^(anonymeme:\w+:increase1h|count\(ALERTS)")
    for panel in iter_panels(DASHBOARDS["anonymeme-system-overview"]):
        for target in panel.get("targets") or []:
            if not jobless.match(target["expr"]):
                assert "$job" in target["expr"], (panel["title"], target["expr"])


# --- Panels colour only where an alert fires, and read the alert's own number -----------------------------------


@pytest.mark.parametrize(
    ("alert", "threshold"),
    [("ApiHighLatencyP95", slo.API_LATENCY_P95), ("RateLimitHitsElevated", slo.RATE_LIMIT_HITS)],
)
def test_threshold_alerts_name_exactly_the_severities_the_rules_fire_at(alert, threshold) -> None:
    assert sorted(r["labels"]["severity"] for r in ALERTS[alert]) == sorted(threshold.alerts)


@pytest.mark.parametrize(
    ("uid", "title"),
    [
        ("anonymeme-api", "p95 latency by endpoint"),
        ("anonymeme-api", "Rate-limit hits"),
        ("anonymeme-security", "Rate-limit hits by endpoint"),
        ("anonymeme-system-overview", "p95 latency"),
    ],
)
def test_warning_only_alerts_draw_no_red(uid, title) -> None:
    colours = [s["color"] for s in _panel(uid, title)["fieldConfig"]["defaults"]["thresholds"]["steps"]]
    assert colours == ["green", "orange"]


@pytest.mark.parametrize(
    ("uid", "title", "alert"),
    [
        ("anonymeme-security", "Failed authentications", "FailedAuthenticationSpike"),
        ("anonymeme-security", "Rate-limit hits by endpoint", "RateLimitHitsElevated"),
    ],
)
def test_a_panel_coloured_by_an_alert_queries_the_alerts_expression(uid, title, alert) -> None:
    """Same window, same grouping: the panel crosses the line exactly when the alert's expression does."""
    expr = _panel(uid, title)["targets"][0]["expr"]
    for rule in ALERTS[alert]:
        judged = re.split(r"\s+>\s+", rule["expr"])[0]
        assert expr == judged, (expr, rule["expr"])
    assert "$__rate_interval" not in expr


def test_endpoint_table_gives_each_column_its_own_unit() -> None:
    panel = _panel("anonymeme-api", "Endpoints")
    organize = next(t for t in panel["transformations"] if t["id"] == "organize")["options"]
    units = {
        o["matcher"]["options"]: {p["id"]: p["value"] for p in o["properties"]}["unit"]
        for o in panel["fieldConfig"]["overrides"]
    }
    assert units == {"req/s": "reqps", "error ratio": "percentunit", "p95": "s"}
    assert set(units) == set(organize["renameByName"].values()), "an override must name a column that exists"


def test_market_cap_never_adds_different_statistics() -> None:
    for title in ("Market cap: largest and median token", "Market cap: all tokens"):
        expr = _panel("anonymeme-business", title)["targets"][0]["expr"]
        assert not expr.startswith("sum") and "stat" in expr, expr


# --- Variables ----------------------------------------------------------------------------------------------

CHAINED = {
    "anonymeme-system-overview": 'label_values(up{job=~"$job"}, instance)',
    "anonymeme-api": 'label_values(http_requests_total{job=~"$job"}, instance)',
    "anonymeme-infrastructure": 'label_values(node_uname_info{job=~"$job"}, instance)',
}


def _variables(uid: str) -> list[dict]:
    return [v for v in DASHBOARDS[uid]["templating"]["list"] if v["type"] != "datasource"]


@pytest.mark.parametrize("uid", sorted(CHAINED))
def test_instance_is_chained_to_job_and_comes_after_it(uid) -> None:
    names = [v["name"] for v in _variables(uid)]
    instance = next(v for v in _variables(uid) if v["name"] == "instance")
    assert instance["query"] == CHAINED[uid]
    assert names.index("job") < names.index("instance"), "Grafana resolves a chained variable after its parent"


@pytest.mark.parametrize("uid", UIDS)
def test_every_dashboard_has_variables_and_every_variable_filters_a_panel(uid) -> None:
    variables = _variables(uid)
    assert variables, f"{uid} has only the datasource variable"
    exprs = " ".join(t.get("expr", "") for p in iter_panels(DASHBOARDS[uid]) for t in p.get("targets") or [])
    for v in variables:
        assert f"${v['name']}" in exprs, f"{uid}: ${v['name']} filters no panel"


def test_container_and_redis_panels_follow_a_variable() -> None:
    infra = DASHBOARDS["anonymeme-infrastructure"]
    rows = {p["title"]: p for p in infra["panels"] if p["type"] == "row"}
    for row_title, variable in (("Containers", "$container"), ("Redis", "$redis")):
        for panel in rows[row_title]["panels"]:
            for target in panel["targets"]:
                assert variable in target["expr"], (panel["title"], target["expr"])


# --- Rows and links -----------------------------------------------------------------------------------------


def test_infrastructure_folds_its_detail_rows() -> None:
    """Grafana keeps a collapsed row's panels inside the row (DashboardModel.toggleRow), so the page opens with
    the hosts' CPU and memory and one line per detail row."""
    infra = DASHBOARDS["anonymeme-infrastructure"]
    visible = [p for p in infra["panels"] if p["type"] != "row"]
    collapsed = [p for p in infra["panels"] if p["type"] == "row" and p["collapsed"]]
    assert len(visible) <= 12 and len(collapsed) >= 5
    assert all(r["panels"] for r in collapsed)


@pytest.mark.parametrize("uid", UIDS)
def test_collapsed_rows_hold_their_panels_and_expanded_rows_none(uid) -> None:
    for item in DASHBOARDS[uid]["panels"]:
        if item["type"] == "row":
            assert bool(item.get("panels")) == bool(item["collapsed"]), item["title"]


@pytest.mark.parametrize("uid", UIDS)
def test_the_dashboard_link_resolves_to_the_other_four(uid) -> None:
    """Grafana's resolution of a `dashboards` link: dashboards carrying every tag, the current one left out
    (DashboardLinksDashboard.tsx, `searchForTags`, `resolveLinks`)."""
    links = [link for link in DASHBOARDS[uid].get("links", []) if link["type"] == "dashboards"]
    assert len(links) == 1 and links[0]["keepTime"]
    tags = set(links[0]["tags"])
    resolved = {u for u, d in DASHBOARDS.items() if tags <= set(d.get("tags", [])) and u != uid}
    assert resolved == set(UIDS) - {uid}


def test_the_api_dashboard_has_an_slo_row_with_budget_and_every_burn_window() -> None:
    from signals.recording import slo_windows

    api = DASHBOARDS["anonymeme-api"]
    row = next(p for p in api["panels"] if p["type"] == "row" and p["title"].startswith("SLO"))
    index = api["panels"].index(row)
    following = []
    for item in api["panels"][index + 1 :]:
        if item["type"] == "row":
            break
        following.append(item)
    titles = {p["title"] for p in following}
    assert {"Error budget remaining", "Burn rate per window"} <= titles
    burn = next(p for p in following if p["title"] == "Burn rate per window")
    assert [t["legendFormat"] for t in burn["targets"]] == list(slo_windows())


# --- From the panel an alert watches to the runbook that alert links ------------------------------------------


def _known_metrics() -> frozenset[str]:
    from signals import exporters
    from signals.catalogue import series_names
    from signals.recording import recorded_names

    return series_names() | exporters.ALL | recorded_names()


KNOWN = _known_metrics()


def _metrics(expr: str) -> set[str]:
    """The metric names in `expr`, recording rules expanded into the metrics they read."""
    from signals.recording import RECORDING_GROUPS

    records = {r.record: r.expr for g in RECORDING_GROUPS for r in g.rules}
    found = {t for t in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", expr) if t in KNOWN}
    for name in list(found):
        if name in records:
            found |= _metrics(records[name])
    return {re.sub(r"_(bucket|count|sum)$", "", n) for n in found}


def _runbook_panels() -> list[tuple[str, dict, str]]:
    out = []
    for uid, dashboard in sorted(DASHBOARDS.items()):
        for panel in iter_panels(dashboard):
            for link in panel.get("links") or []:
                if "/runbooks/" in link.get("url", ""):
                    out.append((uid, panel, link["url"]))
    return out


RUNBOOK_PANELS = _runbook_panels()


# Coloured by a fact, not by an alert's level: a count of firing alerts (green only at 0), an error budget spent
# (below 0) and an availability under its objective.
NOT_ALERT_LEVELS = {
    ("anonymeme-system-overview", "Firing alerts"),
    ("anonymeme-system-overview", "Error budget remaining"),
    ("anonymeme-api", "Error budget remaining"),
    ("anonymeme-api", "Availability (30d)"),
}


def _coloured_panels() -> list[tuple[str, dict]]:
    out = []
    for uid, dashboard in sorted(DASHBOARDS.items()):
        for panel in iter_panels(dashboard):
            steps = ((panel.get("fieldConfig") or {}).get("defaults") or {}).get("thresholds", {}).get("steps", [])
            if panel["type"] != "row" and any(s.get("color") in ("orange", "red") for s in steps):
                out.append((uid, panel))
    return out


COLOURED = [(uid, p) for uid, p in _coloured_panels() if (uid, p["title"]) not in NOT_ALERT_LEVELS]


@pytest.mark.parametrize(("uid", "panel"), COLOURED, ids=[f"{u}/{p['title']}" for u, p in COLOURED])
def test_a_panel_colours_only_at_levels_an_alert_fires_at(uid, panel) -> None:
    """Each step of an orange or red panel is a number an alert of the panel's runbook compares with (days of
    certificate left are drawn in seconds); and the panel links that runbook."""
    links = [link["url"] for link in panel.get("links") or [] if "/runbooks/" in link.get("url", "")]
    assert links, f"{uid} / {panel['title']} is coloured but links no runbook"
    numbers = set()
    for rules in ALERTS.values():
        for rule in rules:
            if rule.get("annotations", {}).get("runbook_url") in links:
                numbers |= {float(n) for n in re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", rule["expr"])}
    levels = [s["value"] for s in panel["fieldConfig"]["defaults"]["thresholds"]["steps"] if s.get("value") is not None]
    for level in levels:
        assert any(abs(level - n) < 1e-9 or abs(level - n * 86400) < 1e-6 for n in numbers), (
            f"{uid} / {panel['title']}: colours at {level}, which no alert of {links[0]} uses"
        )


@pytest.mark.parametrize(
    ("uid", "panel", "url"), RUNBOOK_PANELS, ids=[f"{u}/{p['title']}" for u, p, _ in RUNBOOK_PANELS]
)
def test_a_panels_runbook_exists_and_belongs_to_an_alert_on_the_panels_metrics(uid, panel, url) -> None:
    family = url.rsplit("/", 1)[-1]
    assert (ROOT / "runbooks" / family).is_file(), url
    queried = set().union(*(_metrics(t["expr"]) for t in panel["targets"]))
    alerted = [
        _metrics(rule["expr"])
        for rules in ALERTS.values()
        for rule in rules
        if rule.get("annotations", {}).get("runbook_url") == url
    ]
    assert alerted, f"no alert links {url}"
    assert any(queried & m for m in alerted), f"{panel['title']}: no alert linking {family} reads {sorted(queried)}"
