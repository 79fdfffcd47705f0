"""`dashsync preview` on the native stack, each page loaded in headless Chromium and read back from the DOM.

For the five compiled dashboards: every panel of the JSON is on the page, the console shows no error, and every
panel for which tests/localstack's data check (tests/localstack/grafana_queries.py, the same queries sent straight to
Prometheus) finds series shows series. For a dashboard of every feature (tests/dashsync/preview/fixtures/
features.json): repeats, a collapsed row, "No data", a query Prometheus rejects drawn in its panel, a placeholder.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dashsync.cli import main
from grafana_json.walk import dashboard_panels
from localstack import stack as st
from tests.dashsync.preview.browser import PanelInDom, chromium, load
from tests.localstack import grafana_queries as gq
from tests.localstack.conftest import SCRAPE_INTERVAL

ROOT = Path(__file__).resolve().parents[3]
DASHBOARDS = sorted((ROOT / "provisioning" / "dashboards").glob("**/*.json"))
FEATURES = Path(__file__).parent / "fixtures" / "features.json"
RANGE = "now-5m"  # the stack is seconds old: a short range puts its data across the charts


def _preview(*args: str) -> str:
    result = CliRunner().invoke(main, ["preview", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _visible_panel_ids(dashboard: dict[str, Any]) -> set[str]:
    """What Grafana shows: every top-level panel (rows included); a collapsed row's panels stay hidden in it."""
    return {str(p["id"]) for p in dashboard["panels"]}


def _panels_with_data(url: str, dashboard: dict[str, Any]) -> set[str]:
    """tests/localstack's data check over the preview's range: the ids of panels with a query that returns series."""
    ranged = copy.deepcopy(dashboard)
    ranged["time"] = {"from": RANGE, "to": "now"}
    scrape = int(SCRAPE_INTERVAL.removesuffix("s"))
    window = gq.window(ranged, scrape)
    values = gq.variable_values(url, ranged, window)
    return {
        str(p["id"])
        for p in dashboard_panels(ranged)
        if any(gq.run(url, t, values, window)[1] for t in p.get("targets") or [] if t.get("expr"))
    }


@pytest.fixture(scope="module")
def rendered(local_stack: st.Stack, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, set[str]]]:
    """The five pages, written by the CLI from the stack, and (data check first) which panels have data."""
    url = local_stack.prometheus_url
    dashboards = [json.loads(f.read_text(encoding="utf-8")) for f in DASHBOARDS]
    with_data = {d["uid"]: _panels_with_data(url, d) for d in dashboards}
    out = tmp_path_factory.mktemp("preview")
    report = _preview(
        "--prometheus", url, "--from", RANGE, "--scrape-interval", SCRAPE_INTERVAL, "--output-dir", str(out)
    )
    assert report.count("wrote ") == len(DASHBOARDS)
    return out, with_data


def test_the_five_dashboards_render_in_a_real_browser(rendered: tuple[Path, dict[str, set[str]]]) -> None:
    out, with_data = rendered
    assert len(DASHBOARDS) == 5
    with chromium() as driver:
        for path in DASHBOARDS:
            dashboard = json.loads(path.read_text(encoding="utf-8"))
            shown, console_errors = load(driver, out / f"{dashboard['uid']}.html")
            uid = dashboard["uid"]
            assert console_errors == [], f"{uid}: console errors"
            visible = _visible_panel_ids(dashboard)
            assert {p.panel_id for p in shown} == visible, uid
            by_id = {p.panel_id: p for p in shown}
            for row in (p for p in dashboard["panels"] if p["type"] == "row" and p.get("collapsed")):
                count = len(row["panels"])
                assert f"({count} panel{'' if count == 1 else 's'})" in by_id[str(row["id"])].text, (
                    f"{uid} / {row['title']}"
                )
            assert with_data[uid] & visible, f"{uid}: the data check found no data at all"
            for panel_id in sorted(with_data[uid] & visible):  # a collapsed row's panels are not queried
                p = by_id[panel_id]
                assert p.state == "ok" and p.series > 0, f"{uid} / {p.title}: data check has data, page shows {p}"
                if p.kind in ("timeseries", "heatmap"):
                    assert len(p.chart_points) == 1, f"{uid} / {p.title}: the chart was not drawn"
            drawn = [n for p in shown if p.kind == "timeseries" for n in p.chart_points]
            assert drawn and max(drawn) > 0, f"{uid}: no time series drew a point"


def _one(shown: list[PanelInDom], title: str) -> PanelInDom:
    (found,) = [p for p in shown if p.title == title]
    return found


def test_rows_repeats_no_data_and_a_rejected_query(local_stack: st.Stack, tmp_path: Path) -> None:
    _preview(
        str(FEATURES),
        "--prometheus",
        local_stack.prometheus_url,
        "--scrape-interval",
        SCRAPE_INTERVAL,
        "--output-dir",
        str(tmp_path),
    )
    with chromium() as driver:
        shown, console_errors = load(driver, tmp_path / "preview-features.html")
    assert console_errors == []  # the text panel's <script> is shown as text, never run
    repeated = [p for p in shown if p.panel_id == "2"]
    assert [p.title for p in repeated] == ["Shard a", "Shard b", "Shard c"]
    assert all(p.series == 1 and p.chart_points[0] > 0 for p in repeated)
    assert _one(shown, "Open row (prometheus)").state == "row"
    closed = _one(shown, "Closed row")
    assert closed.state == "collapsed" and "(2 panels)" in closed.text
    assert not {"Hidden one", "Hidden two"} & {p.title for p in shown}
    assert _one(shown, "Targets up").state == "ok"
    empty = _one(shown, "Nothing here")
    assert (empty.state, empty.text.splitlines()[-1]) == ("nodata", "No data")
    rejected = _one(shown, "Rejected query")
    assert rejected.state == "error" and "parse error" in rejected.text
    assert _one(shown, "A pie").state == "placeholder"
    assert "<script>alert(1)</script>" in _one(shown, "Notes").text
    after = _one(shown, "After the closed row")
    assert after.series > 1 and after.chart_points[0] > 0
