"""The scale-out path on the native stack: Prometheus remote-writes to the Debian VictoriaMetrics (the `scale-out`
profile's prometheus.yml), vmalert evaluates the project's rules against it, and every panel query of the five
dashboards answers the same from VictoriaMetrics as from Prometheus.

What "the same" means here (the reasons are VictoriaMetrics' documented differences from PromQL, see
tests/localstack/store_comparison.py):

- Series: every query returns the same label sets from both, once the store has been fed for SETTLE_S seconds
  (external labels removed from the store's answer). No query is exempt.
- Values, at the timestamps both answer (Grafana aligns range queries to their step, and so does the store):
  - "exact", a query of stored samples only (no range function, no rule output): every point within EXACT,
    the store keeps the same floats (to 12 significant digits);
  - "range", a query with a range function of window W, where the window holds samples of series that existed
    before it: the median relative difference at most `range_bound(W)` = scrape / (W - scrape) + 1%, because
    Prometheus extrapolates the W - scrape it sampled to W, and VictoriaMetrics adds the sample before the window
    instead. Single points are not bounded: a counter that jumps right at the window's edge differs there by
    the whole jump, which VictoriaMetrics counts and Prometheus does not;
  - "recorded", a query of rule outputs without a range (vmalert's records and alert state against
    Prometheus's): RECORDED_SHARE of the points within RECORDED of Prometheus's value at some moment from
    t - RECORD_LAG_S to t + scrape. Each engine evaluates on its own clock, and vmalert sees the store's data,
    which trails Prometheus's by the remote-write delay and the store's -search.latencyOffset (1 s here): its
    record at t is Prometheus's record of a few seconds before. The cAdvisor imitation's memory gauge jumps at
    random on every scrape, so a record of a different scrape does not pass by chance.
  - "host", a range over the machine's own bursty counters (HOST_BURSTS): series only, values printed.
  A query whose window reaches back before the stack existed (the `…:rate5m` records, `…increase1h`, the 30-day
  SLO) is compared by its series only: both stores' answers there are about a series younger than its window,
  which VictoriaMetrics counts from zero and Prometheus extrapolates.

The stack is the session's (tests/localstack/conftest.py starts it with `scale_out`); the test waits until every
dashboard's last aligned step lies after SETTLE_S, which for the 24-hour business dashboard (a 90 s step) is
about 100 s after the stack became ready.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request

import pytest
import yaml

from alerting.rules import all_alerts
from grafana_json.walk import dashboard_panels
from localstack import config
from localstack import stack as st
from signals.recording import recorded_names
from signals.remote_write import ALERT_STATE_SERIES
from tests.localstack import grafana_queries as gq
from tests.localstack import store_comparison as sc
from tests.localstack.conftest import SCRAPE_INTERVAL

SCRAPE_S = int(SCRAPE_INTERVAL.removesuffix("s"))
SETTLE_S = 10.0  # after readiness: vmalert has evaluated every group and remote-write has delivered (1-5 s)
MARGIN_S = 5.0  # a window must start this long after readiness for its values to be compared
LAG_S = 5.0  # the newest seconds are left out: the store may not have been sent them yet (and see _caught_up)
RECORD_LAG_S = 10.0  # how far vmalert's view of the store may trail Prometheus's own data (see "recorded")
EXACT = 1e-9
# A range query's median is a bound on the engines' difference only over enough points: the 24-hour business
# dashboard's 90 s step gives one or two in a test's first minutes, and a median of two is a single point, which a
# counter's jump at the window's edge can move by all of it (seen under load: 3.5% against a 2.1% bound).
MIN_RANGE_POINTS = 5
RECORDED = 0.01
# vmalert evaluates on its own clock: on a loaded machine one evaluation can trail Prometheus's by more than
# RECORD_LAG_S (seen: a single point 16% off on the cAdvisor imitation's jumping gauge, every other within 1%).
# A wrong rule or a wrong store misses at most points, so most points must match.
RECORDED_SHARE = 0.9
EXTERNAL_LABELS = tuple(st.EXTERNAL_LABELS)
# The node exporter's counters of this (shared) machine that move in bursts set by whatever else runs on it:
# paging, swapping and OOM kills, disk I/O, CPU steal. A rate over them is a few large jumps, and where a jump
# falls on a window's edge the two engines differ by all of it (measured: 17% and 43% at single points, 0 against
# a value), so with the few points a short test has even a median can land on one. Their queries are compared
# by series, and their values printed, not asserted.
HOST_BURSTS = re.compile(r'node_vmstat_|node_disk_|mode="steal"')
_RULE_OUTPUTS = recorded_names() | set(ALERT_STATE_SERIES)


def range_bound(window_s: float) -> float:
    return SCRAPE_S / (window_s - SCRAPE_S) + 0.01


def _aligned(dashboard: dict, now: float) -> tuple[gq.Window, gq.Window]:
    """(the query window with start and end rounded down to its step, the unaligned one for variables).

    Grafana aligns range queries so (grafana/grafana pkg/promlib/models/query.go, `AlignTimeRange`: "rounds start
    and end down to a multiple of step"); VictoriaMetrics aligns them too, so only aligned timestamps meet."""
    loose = gq.window(dashboard, SCRAPE_S, now=now)
    return gq.window(dashboard, SCRAPE_S, now=(now // loose.step) * loose.step), loose


def _uses_recorded(expr: str) -> bool:
    """The query reads series the rule engine writes (records, alert state): vmalert's in the store."""
    return any(re.search(rf"(?<![\w:]){re.escape(name)}(?![\w:])", expr) for name in _RULE_OUTPUTS)


def _caught_up(stack: st.Stack) -> float:
    """The newest time the store holds every target's scrape for: remote-write delivers in batches (up to
    5 s apart by default, longer on a loaded machine), and a query past it would compare a sample Prometheus has
    with one the store has not received yet."""
    [newest] = st.api(stack.victoriametrics_url, "/api/v1/query", query="min(timestamp(up))")["result"]
    return float(newest["value"][1])


def _shifted(w: gq.Window, seconds: float) -> gq.Window:
    return gq.Window(w.start + seconds, w.end + seconds, w.step, w.scrape)


def _accept_recorded(c: sc.Comparison, neighbours: list[sc.Series]) -> sc.Comparison:
    """Each point's Prometheus value replaced by the nearest to the store's among Prometheus's values at t and
    at the `neighbours` (Prometheus's answers at other moments, moved onto t)."""
    points = []
    for labels, ts, a, b in c.points:
        candidates = [a] + [n[labels][ts] for n in neighbours if ts in n.get(labels, {})]
        points.append((labels, ts, min(candidates, key=lambda v: sc.relative_difference(v, b)), b))
    return sc.Comparison(c.only_prometheus, c.only_store, tuple(points), c.missing)


@pytest.fixture(scope="module")
def scale_out(local_stack: st.Stack) -> st.Stack:
    assert local_stack.scale_out and local_stack.ready_at is not None
    longest_step = max(gq.window(d, SCRAPE_S).step for d in gq.compiled_dashboards())
    wait_until = local_stack.ready_at + SETTLE_S + longest_step + LAG_S + 1
    time.sleep(max(0.0, wait_until - time.time()))
    return local_stack


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        return json.load(response)


def test_prometheus_remote_writes_raw_series_only(scale_out: st.Stack) -> None:
    """The rendered config writes to the local store and leaves rule results to vmalert."""
    conf = yaml.safe_load((scale_out.state_dir / "config" / "prometheus.yml").read_text())
    [remote] = conf["remote_write"]
    assert remote["url"] == f"{scale_out.victoriametrics_url}/api/v1/write"
    [drop] = remote["write_relabel_configs"]
    assert drop["action"] == "drop" and set(drop["regex"].split("|")) == recorded_names() | {
        "ALERTS",
        "ALERTS_FOR_STATE",
    }
    up = st.api(scale_out.victoriametrics_url, "/api/v1/query", query="count by (job) (up)")["result"]
    assert {s["metric"]["job"] for s in up} == {
        s["metric"]["job"]
        for s in st.api(scale_out.prometheus_url, "/api/v1/query", query="count by (job) (up)")["result"]
    }


def test_every_panel_query_answers_the_same_from_victoriametrics(
    scale_out: st.Stack, capsys: pytest.CaptureFixture[str]
) -> None:
    ready = scale_out.ready_at
    rows: list[tuple[str, str, str, float, sc.Comparison, str]] = []
    for dashboard in gq.compiled_dashboards():
        w, loose = _aligned(dashboard, min(time.time() - LAG_S, _caught_up(scale_out)))
        values = gq.variable_values(scale_out.prometheus_url, dashboard, loose)
        assert gq.variable_values(scale_out.victoriametrics_url, dashboard, loose) == values, dashboard["uid"]
        for panel in dashboard_panels(dashboard):
            for target in panel.get("targets") or []:
                if not target.get("expr"):
                    continue
                expr, theirs = gq.query(scale_out.prometheus_url, target, values, w)
                _, ours = gq.query(scale_out.victoriametrics_url, target, values, w)
                window = sc.window_seconds(expr)
                kind = _kind(expr, window)
                comparison = sc.compare(
                    sc.series(theirs), sc.series(ours, EXTERNAL_LABELS), ready + SETTLE_S, ready + window + MARGIN_S
                )
                if kind == "recorded" and comparison.points:
                    neighbours = []
                    for shift in range(SCRAPE_S, -int(RECORD_LAG_S) - 1, -SCRAPE_S):
                        _, data = gq.query(scale_out.prometheus_url, target, values, _shifted(w, shift))
                        moved = {k: {ts - shift: v for ts, v in p.items()} for k, p in sc.series(data).items()}
                        neighbours.append(moved)
                    comparison = _accept_recorded(comparison, neighbours)
                rows.append((dashboard["uid"], panel.get("title", ""), expr, window, comparison, kind))

    with capsys.disabled():
        print(f"\n{'dashboard':<26} {'panel':<34} {'kind':<9} {'window':>8} {'points':>6} {'median':>8} {'largest':>8}")
        for uid, title, _, window, c, kind in rows:
            print(
                f"{uid:<26} {title[:34]:<34} {kind:<9} {window:>8g} {len(c.points):>6} {c.median():>8.4f} "
                f"{c.largest():>8.4f}"
            )
        by_kind = {k: sum(1 for r in rows if r[5] == k and r[4].points) for k in ("exact", "range", "recorded", "host")}
        print(
            f"{len(rows)} queries; values compared: {by_kind}; series only: {sum(1 for r in rows if not r[4].points)}"
        )

    problems = []
    asserted_ranges = 0
    for uid, title, expr, window, c, kind in rows:
        where = f"{uid} / {title}: {expr}"
        if not c.same_series:
            problems.append(f"{where}: series only in Prometheus {c.only_prometheus}, only in the store {c.only_store}")
        if c.missing:
            problems.append(f"{where}: {len(c.missing)} points missing from the store, first {c.missing[0]}")
        if not c.points or kind == "host":
            continue
        if kind == "range":  # single points may differ by a counter's jump at the window's edge: the median
            if len(c.points) < MIN_RANGE_POINTS:
                continue  # a median of one or two points is one of those single points (printed above)
            asserted_ranges += 1
            if c.median() > range_bound(window):
                problems.append(f"{where}: median difference {c.median():.4f} > {range_bound(window):.4f}")
        elif kind == "exact" and c.largest() > EXACT:
            problems.append(f"{where}: largest difference {c.largest():.4f} (exact)")
        elif kind == "recorded" and c.share_within(RECORDED) < RECORDED_SHARE:
            problems.append(f"{where}: {c.share_within(RECORDED):.0%} of points within {RECORDED} (recorded)")
    assert problems == [], "\n".join(problems)
    assert asserted_ranges >= 20, f"only {asserted_ranges} range queries had {MIN_RANGE_POINTS} points to compare"
    assert len(rows) >= 80
    assert sum(1 for r in rows if r[4].points) >= len(rows) // 2, "too few queries compared by value"
    assert {r[5] for r in rows if r[4].points} >= {"exact", "range", "recorded"}


def _kind(expr: str, window: float) -> str:
    """How a query's values are held to Prometheus's: "host" (a range over the shared machine's bursty
    counters, HOST_BURSTS: series only), "range" (it reads a window, its own or a record's), "recorded"
    (vmalert's records of instant values), "exact" (stored samples only)."""
    if window and HOST_BURSTS.search(expr):
        return "host"
    if window:
        return "range"
    return "recorded" if _uses_recorded(expr) else "exact"


def test_vmalert_loads_every_generated_rule_without_error(scale_out: st.Stack) -> None:
    groups = _get(f"{scale_out.vmalert_url}/api/v1/rules")["data"]["groups"]
    prometheus_groups = st.api(scale_out.prometheus_url, "/api/v1/rules")["groups"]
    assert sorted(g["name"] for g in groups) == sorted(g["name"] for g in prometheus_groups)
    rules = [r for g in groups for r in g["rules"]]
    assert {r["name"] for r in rules if r["type"] == "alerting"} == {a.name for a in all_alerts()}
    assert {r["name"] for r in rules if r["type"] == "recording"} == recorded_names()
    assert [(r["name"], r["lastError"]) for r in rules if r["lastError"] or r["health"] != "ok"] == []


def test_vmalert_records_every_recording_rule_into_victoriametrics(scale_out: st.Stack) -> None:
    """Prometheus does not send its records (test above), so what the store holds, vmalert wrote."""
    missing = [
        name
        for name in sorted(recorded_names())
        if not st.api(scale_out.victoriametrics_url, "/api/v1/query", query=name)["result"]
    ]
    assert missing == []


def test_an_alert_firing_in_prometheus_fires_in_vmalert_and_reaches_alertmanager(scale_out: st.Stack) -> None:
    def firing(alerts: list[dict]) -> set[tuple[tuple[str, str], ...]]:
        return {
            tuple(sorted((k, v) for k, v in a["labels"].items() if k not in EXTERNAL_LABELS))
            for a in alerts
            if a["state"] == "firing"
        }

    in_prometheus = firing(st.api(scale_out.prometheus_url, "/api/v1/alerts")["alerts"])
    in_vmalert = firing(_get(f"{scale_out.vmalert_url}/api/v1/alerts")["data"]["alerts"])
    assert any(dict(a)["alertname"] == "Watchdog" for a in in_prometheus), in_prometheus
    assert in_prometheus & in_vmalert, f"Prometheus fires {in_prometheus}, vmalert {in_vmalert}"
    with urllib.request.urlopen(f"{scale_out.vmalert_url}/metrics", timeout=10) as response:  # noqa: S310
        metrics = response.read().decode()
    sent = _counter(metrics, "vmalert_alerts_sent_total")
    errors = _counter(metrics, "vmalert_alerts_send_errors_total")
    assert sent > 0 and errors == 0, f"vmalert sent {sent} alerts to Alertmanager, {errors} failed"


def _counter(metrics: str, name: str) -> float:
    """The sum of a counter's samples in Prometheus text format."""
    return sum(float(line.rsplit(" ", 1)[1]) for line in metrics.splitlines() if line.startswith(name + "{"))


def test_vmalert_rule_copies_differ_only_by_the_fields_it_refuses() -> None:
    """vmalert 1.79.5 refuses `keep_firing_for`; its copies drop that field and nothing else."""
    ours, theirs = config.rule_files(SCRAPE_INTERVAL), config.vmalert_rule_files(SCRAPE_INTERVAL)
    assert ours.keys() == theirs.keys()
    for path in ours:
        full, trimmed = yaml.safe_load(ours[path]), yaml.safe_load(theirs[path])
        for group in full["groups"]:
            for rule in group["rules"]:
                for key in config.VMALERT_UNSUPPORTED_FIELDS:
                    rule.pop(key, None)
        assert full == trimmed, path
