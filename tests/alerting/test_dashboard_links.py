"""The page, the link, the panel and the runbook agree (issue #17).

Every alert's `dashboard_url`, as the build renders it, opens a compiled dashboard of `provisioning/dashboards/`
at the panel `signals.links` names, that panel queries the alert's metric, and the URL's variables are the
dashboard's own, fed by labels the alert carries. Every row and panel a runbook names exists where it says, and
each runbook names the panel of each of its alerts. Panel ids are read from the compiled JSON by title, never
written here: the dashboards renumber panels as they grow.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from alerting import templates
from alerting.render import linked
from alerting.rules import all_alerts
from compiler.compile import compile_all
from dashboards.registry import DASHBOARDS as ENTRIES
from generate.panel_ids import panel_ids
from grafana_json.walk import dashboard_panels
from signals import exporters, links
from signals.catalogue import series_names
from signals.recording import RECORDING_GROUPS
from tests.alerting import scenarios
from tests.alerting.conftest import REPO
from tests.grafana_emulator.slug import slugify

COMPILED: dict[str, dict] = {
    d["uid"]: d
    for d in (json.loads(p.read_text(encoding="utf-8")) for p in (REPO / "provisioning/dashboards").glob("**/*.json"))
}
ALERTS = [linked(a, panel_ids(compile_all(ENTRIES))) for a in all_alerts()]
RECORDED = {r.record: r.expr for g in RECORDING_GROUPS for r in g.rules}
KNOWN = series_names() | exporters.ALL | set(RECORDED)
_NAME = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")


def metrics(expr: str) -> set[str]:
    """The metric names an expression reads, recording rules expanded to what they read."""
    out: set[str] = set()
    for name in set(_NAME.findall(expr)) & KNOWN:
        out.add(name)
        if name in RECORDED:
            out |= metrics(RECORDED[name])
    return out


def panel_queries(panel: dict) -> str:
    return " ".join(t.get("expr", "") for t in panel.get("targets", []))


def panels_titled(uid: str, title: str) -> list[dict]:
    return [p for p in dashboard_panels(COMPILED[uid]) if p.get("title") == title and p.get("type") != "row"]


def _id(alert) -> str:
    return f"{alert.name}-{alert.severity}-{dict(alert.extra_labels).get('metric', '')}".rstrip("-")


@pytest.mark.parametrize("alert", ALERTS, ids=_id)
def test_every_alert_link_opens_the_compiled_panel_that_queries_its_metric(alert):
    url = urlsplit(alert.dashboard_url)
    assert f"{url.scheme}://{url.netloc}" == links.DASHBOARD_BASE_URL
    _, d, uid, slug = url.path.split("/")
    assert d == "d" and uid in COMPILED, f"{alert.name} links {uid}, which is not a compiled dashboard"
    assert slug == slugify(COMPILED[uid]["title"]), "the slug Grafana itself gives the title"
    params = parse_qsl(url.query)
    variables = {v["name"] for v in COMPILED[uid]["templating"]["list"]}
    for key, value in params:
        if key.startswith("var-"):
            assert key[4:] in variables, f"{alert.name}: {uid} has no variable {key[4:]}"
            assert re.fullmatch(r"\{\{ \$labels\.\w+ \| urlquery \}\}", value), value
    view = [v for k, v in params if k == "viewPanel"]
    found = panels_titled(uid, alert.panel.title)
    assert len(found) == 1, f"{uid} has {len(found)} panels titled {alert.panel.title!r}"
    [panel] = found
    assert view == [str(panel["id"])], "viewPanel is the id of the panel of that title in the compiled JSON"
    wanted = metrics(alert.expr) or {"ALERTS"}  # the Watchdog (vector(1)) is about the alerting itself
    assert wanted & metrics(panel_queries(panel)) or "ALERTS" in panel_queries(panel), (
        f"{alert.name}: panel {panel['title']!r} queries none of {sorted(wanted)}"
    )


def test_every_link_variable_is_fed_by_a_label_the_firing_alert_carries():
    """Rendered for the labels of every firing promtool case: no `var-x=` left empty (Grafana would clear it)."""
    checked = 0
    for case in scenarios.all_cases():
        for check in case.checks:
            for labels in check.expected:
                [alert] = [a for a in ALERTS if a.name == check.alertname and a.labels.items() <= labels.items()]
                url = templates.render(alert.dashboard_url, labels, check.value)
                empty = [k for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True) if not v]
                assert empty == [], f"{alert.name}: {url}"
                checked += 1
    assert checked > len({a.name for a in ALERTS})


def test_a_probe_url_is_encoded_as_grafana_reads_it():
    [probe] = [a for a in ALERTS if a.name == "EndpointProbeSlow"]
    url = templates.render(probe.dashboard_url, {"instance": "https://anonymeme.io/a b"}, 0)
    assert "var-probe=https%3A%2F%2Fanonymeme.io%2Fa+b" in url


def test_every_dashboard_signals_names_is_compiled_under_its_uid_and_title():
    assert {b.uid: b.title for b in links.DASHBOARDS} == {u: d["title"] for u, d in COMPILED.items()}


# --- runbooks -------------------------------------------------------------------------------------------------

_MENTION = re.compile(r"[Dd]ashboard `([a-z0-9-]+)`")
_ITEM = re.compile(r'\b(row|panel)\s+"([^"]+)"')


def runbook_mentions(text: str) -> Iterator[tuple[str, str, str]]:
    """(uid, "row" or "panel", title) for each row or panel named after a `Dashboard \\`uid\\`` mention, up to
    the next mention, blank line or list item."""
    marks = list(_MENTION.finditer(text))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        segment = re.split(r"\n\s*\n|\n- ", text[mark.end() : end], maxsplit=1)[0]
        for kind, title in _ITEM.findall(segment):
            yield mark.group(1), kind, title


def _rows(uid: str) -> dict[str, set[str]]:
    """Row title -> titles of the panels under it (collapsed rows hold theirs; open rows are followed by them)."""
    out: dict[str, set[str]] = {}
    current: str | None = None
    for panel in COMPILED[uid]["panels"]:
        if panel["type"] == "row":
            current = panel["title"]
            out[current] = {p["title"] for p in panel.get("panels", [])}
        elif current is not None:
            out[current].add(panel["title"])
    return out


RUNBOOKS = sorted((REPO / "runbooks").glob("*.md"))


@pytest.mark.parametrize("path", [p for p in RUNBOOKS if p.name != "README.md"], ids=lambda p: p.stem)
def test_every_row_and_panel_a_runbook_names_exists_where_it_says(path: Path):
    text = path.read_text(encoding="utf-8")
    mentions = list(runbook_mentions(text))
    assert mentions, f"{path.name} names no dashboard row or panel to open"
    for uid, kind, title in mentions:
        assert uid in COMPILED, f"{path.name}: no dashboard {uid}"
        rows = _rows(uid)
        if kind == "row":
            assert title in rows, f"{path.name}: {uid} has no row {title!r} (rows: {sorted(rows)})"
        else:
            assert len(panels_titled(uid, title)) == 1, f"{path.name}: {uid} has no single panel {title!r}"
    # a panel named right after a row is in that row
    for uid, row, panel in _row_then_panels(text):
        assert panel in _rows(uid)[row], f"{path.name}: panel {panel!r} is not in row {row!r} of {uid}"


def _row_then_panels(text: str) -> Iterator[tuple[str, str, str]]:
    row: tuple[str, str] | None = None
    for uid, kind, title in runbook_mentions(text):
        if kind == "row":
            row = (uid, title)
        elif row is not None and row[0] == uid:
            yield uid, row[1], title


@pytest.mark.parametrize("runbook", sorted({a.runbook for a in ALERTS}))
def test_each_runbook_names_the_panel_its_alerts_link(runbook):
    text = (REPO / "runbooks" / f"{runbook}.md").read_text(encoding="utf-8")
    named = {(uid, title) for uid, kind, title in runbook_mentions(text) if kind == "panel"}
    for alert in ALERTS:
        if alert.runbook == runbook:
            key = (alert.panel.dashboard.uid, alert.panel.title)
            assert key in named, f"runbooks/{runbook}.md does not name panel {key[1]!r} of {key[0]} ({alert.name})"


def test_the_runbook_index_lists_exactly_the_alerts_of_each_family():
    rows = re.findall(r"^\| \[([a-z-]+)\]\(\1\.md\) \| (.*) \|$", (REPO / "runbooks/README.md").read_text(), re.M)
    listed = {family: set(names.split(", ")) for family, names in rows}
    families: dict[str, set[str]] = {}
    for alert in ALERTS:
        families.setdefault(alert.runbook, set()).add(alert.name)
    assert listed == families


def test_the_link_table_has_no_entry_for_an_alert_that_does_not_exist():
    assert set(links.ALERT_PANELS) - {a.name for a in ALERTS} == set()
    assert set(links.KEY_SERIES_PANELS) == {
        dict(a.extra_labels)["metric"] for a in ALERTS if a.name == "KeySeriesAbsent"
    }


def test_a_linked_panel_missing_from_its_dashboard_stops_the_build_naming_it(monkeypatch):
    """Renamed on the dashboard but not in signals/links.py: the build refuses instead of linking nothing."""
    from compiler.compile import CompileError
    from generate.files import generated_files

    gone = links.PanelRef(links.INFRASTRUCTURE, "CPU utilisation (renamed)", ())
    monkeypatch.setitem(links.ALERT_PANELS, "HostHighCpuUsage", gone)
    with pytest.raises(CompileError, match="alerting: alert HostHighCpuUsage links panel 'CPU utilisation "):
        generated_files()


def test_a_title_two_panels_share_cannot_be_linked(monkeypatch):
    from compiler.compile import CompileError

    twice = {
        "uid": links.BUSINESS.uid,
        "title": links.BUSINESS.title,
        "panels": [{"id": 1, "type": "stat", "title": "Slot"}, {"id": 2, "type": "stat", "title": "Slot"}],
    }

    class Compiled:
        def __init__(self, doc: dict) -> None:
            self.uid, self.text = doc["uid"], json.dumps(doc)

    boards = [Compiled(COMPILED[b.uid]) for b in links.DASHBOARDS if b is not links.BUSINESS] + [Compiled(twice)]
    with pytest.raises(CompileError, match="anonymeme-business has 2 panels titled 'Slot'"):
        panel_ids(boards)
