"""The pure parts of the preview: time ranges and intervals, variables, queries, frames and the page itself.

Each expectation is worked out from the Grafana rule the module's docstring cites, written beside it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dashsync.errors import DashsyncError
from dashsync.preview import compiled, frames, queries, timerange, variables
from dashsync.preview.layout import Box
from dashsync.preview.page import PanelMarkup, assemble
from dashsync.preview.panels import View

NOW = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC
FEATURES = Path(__file__).parent / "fixtures" / "features.json"


def test_relative_and_absolute_times() -> None:
    w = timerange.parse_range("now-6h", "now", NOW)
    assert (w.start, w.end, w.seconds) == (NOW - 21600, NOW, 21600)
    day = timerange.parse_range("now-1d/d", "now-1d/d", NOW)  # yesterday, start to end of the day (UTC)
    assert (day.start, day.end) == (1699833600, 1699920000)
    assert timerange.parse_range("1699999000000", "2023-11-14T22:13:20Z", NOW).start == 1699999000


@pytest.mark.parametrize(("start", "end"), [("now", "now-1h"), ("yesterday", "now")])
def test_bad_time_ranges_are_one_line(start: str, end: str) -> None:
    with pytest.raises(DashsyncError):
        timerange.parse_range(start, end, NOW)


def test_intervals_of_a_six_hour_panel() -> None:
    # 21600 s over 1000 px: 21.6 s, rounded by roundInterval to 20 s; at least the 15 s scrape interval.
    spans = timerange.intervals(timerange.parse_range("now-6h", "now", NOW), 1000, 15)
    assert (spans.interval, spans.step) == (20, 20)
    # $__rate_interval = max(interval + scrape, 4 * scrape) = max(35, 60) = 60 s, printed as Go prints it.
    assert spans.builtins()["__rate_interval"] == "1m0s"
    assert spans.builtins()["__interval"] == "20s"
    assert spans.builtins()["__range"] == "21600s"


def test_the_scrape_interval_is_the_floor_of_the_step() -> None:
    spans = timerange.intervals(timerange.parse_range("now-5m", "now", NOW), 1500, 15)
    assert spans.step == 15


def test_go_durations() -> None:
    assert [timerange.format_go_duration(s) for s in (4, 60, 3723, 1.5, 0.5)] == [
        "4s",
        "1m0s",
        "1h2m3s",
        "1.5s",
        "500ms",
    ]


def _var(**kw: object) -> variables.Variable:
    base = {"name": "v", "kind": "custom", "options": ("a.b", "c"), "selected": ("a.b",)}
    return variables.Variable(**{**base, **kw})  # type: ignore[arg-type]


def test_prometheus_interpolation_escapes_as_the_datasource_does() -> None:
    single = {"v": _var()}
    assert variables.interpolate('up{x="$v"}', single, {}) == 'up{x="a.b"}'  # single value: regular escape only
    multi = {"v": _var(selected=("a.b", "c"), multi=True)}
    assert variables.interpolate('up{x=~"$v"}', multi, {}) == 'up{x=~"(a\\\\.b|c)"}'  # regex-escaped, joined
    every = {"v": _var(selected=(variables.ALL,), multi=True, include_all=True, all_value=".*")}
    assert variables.interpolate('up{x=~"${v}"}', every, {}) == 'up{x=~".*"}'  # a custom allValue, raw
    assert (
        variables.interpolate("$v and [[v]] and ${v:csv}", multi, {}, quoting="text") == "a.b + c and a.b + c and a.b,c"
    )
    assert variables.interpolate("$unknown", single, {}) == "$unknown"


class FixedLookup(variables.Lookup):
    """Answers as Prometheus gave them for label_values (a pure-function test; the stack tests use the real one)."""

    def label_values(self, label: str, match: str | None) -> list[str]:
        return {"job": ["node", "api", "prometheus"]}[label]

    def instant_strings(self, expr: str) -> list[str]:
        return []


def test_variables_resolve_to_defaults_or_overrides() -> None:
    dashboard = json.loads(FEATURES.read_text(encoding="utf-8"))
    found = variables.resolve(dashboard, FixedLookup(), {}, {})
    assert found["job"].options == ("api", "node", "prometheus")  # sort 1: alphabetical
    assert found["job"].selected == ("prometheus",)
    assert found["shard"].is_all and found["shard"].values() == ("a", "b", "c")
    chosen = variables.resolve(dashboard, FixedLookup(), {"shard": ("a", "c"), "job": ("node",)}, {})
    assert chosen["shard"].selected == ("a", "c") and chosen["job"].selected == ("node",)
    with pytest.raises(DashsyncError, match="no such variable"):
        variables.resolve(dashboard, FixedLookup(), {"nope": ("x",)}, {})


def test_legend_names() -> None:
    labels = {"__name__": "up", "job": "api", "instance": "a:1"}
    assert queries.series_name(labels, "{{job}} on {{ instance }}", "up") == "api on a:1"
    assert queries.series_name(labels, "__auto", "up") == 'up{instance="a:1", job="api"}'
    assert queries.series_name({}, "", "sum(up)") == "sum(up)"


def test_prometheus_answers_become_series_with_gaps() -> None:
    request = queries.Request("A", "x", False, 0, 30, 15, "{{job}}", "time_series")
    data = {
        "resultType": "matrix",
        "result": [{"metric": {"job": "a"}, "values": [[0, "1"], [15, "NaN"], [30, "+Inf"]]}],
    }
    (series,) = queries.parse(request, data)
    assert (series.name, series.times, series.values) == ("a", (0.0, 15.0, 30.0), (1.0, None, None))


def test_reducers_stacking_and_heatmap_buckets() -> None:
    values = [1.0, None, 3.0, 2.0]
    assert [frames.reduce(values, c) for c in ("lastNotNull", "last", "mean", "max", "min", "sum")] == [
        2,
        2,
        2,
        3,
        1,
        6,
    ]
    assert frames.stacked([[1.0, None], [2.0, 2.0]]) == [[1.0, None], [3.0, 2.0]]
    assert frames.stacked([[1.0], [3.0]], percent=True) == [[0.25], [1.0]]
    le = [queries.Series("A", b, (("le", b),), (0.0,), (c,)) for b, c in (("+Inf", 10.0), ("0.1", 4.0), ("1", 9.0))]
    hm = frames.heatmap(le, [0.0])
    assert hm.buckets == ("0.1", "1", "+Inf") and hm.counts == ((4.0,), (5.0,), (1.0,))  # de-accumulated


def test_the_page_is_self_contained_and_script_safe() -> None:
    view = View("ok", "<b>body</b>", {"k-ts": {"kind": "timeseries", "label": "</script><script>alert(1)"}})
    header = {
        "title": "T <x>",
        "uid": "u",
        "from": "now-1h",
        "to": "now",
        "start": NOW - 3600,
        "end": NOW,
        "source": "",
        "variables": [],
    }
    text, height = assemble(
        header, [PanelMarkup("k", "1", "P", "timeseries", Box(0, 0, 100, 100), view, False)], 100, 100
    )
    assert height == 76 + 100 + 32
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=""", text)  # nothing fetched at view time
    assert "default-src 'none'" in text  # and the browser is told so
    assert "</script><script>alert(1)" not in text and "T &lt;x&gt;" in text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ({"dashboard": {"uid": "x"}, "meta": {}}, "API envelope"),
        ({"uid": "x", "title": "t", "rows": []}, "old `rows`"),
        ({"title": "t", "panels": []}, "no uid"),
        ({"uid": "x", "schemaVersion": 12, "panels": []}, "schemaVersion 12 is not supported"),
        ({"uid": "x", "schemaVersion": 41, "panels": [{"type": "stat"}]}, "has no gridPos"),
        ([1, 2], "not a JSON object"),
    ],
)
def test_what_is_not_compiled_output_is_refused(content: object, reason: str) -> None:
    with pytest.raises(DashsyncError, match=re.escape(reason)):
        compiled.check(Path("d.json"), content)
