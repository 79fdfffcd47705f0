"""The stack's docs stay true: their PromQL parses, their dashboard links exist, their knobs are in signals/."""

from __future__ import annotations

import json
import re
import textwrap

import promql_parser
import pytest

from signals import slo
from tests.compose.compose_file import ROOT

DOCS = ("on-call.md", "alert-tuning.md", "performance-analysis.md", "docker-quickstart.md", "scaling.md")
_METRIC = re.compile(r"\b([a-z_]+:[a-z0-9_:]+)\b")


def _promql_blocks(text: str) -> list[str]:
    """Expressions of ```promql blocks: one per line, indented lines continue the previous one."""
    expressions: list[str] = []
    for block in re.findall(r"```promql\n(.*?)```", text, re.S):
        for line in textwrap.dedent(block).splitlines():
            line = re.sub(r"(^|\s+)#.*$", "", line).rstrip()
            if not line:
                continue
            if line.startswith(" ") and expressions:
                expressions[-1] += " " + line.strip()
            else:
                expressions.append(line)
    return expressions


@pytest.mark.parametrize("doc", DOCS)
def test_doc_exists_and_promql_parses(doc: str) -> None:
    text = (ROOT / "docs" / doc).read_text()
    for expression in _promql_blocks(text):
        promql_parser.parse(expression)


def test_recorded_series_named_in_docs_are_recorded() -> None:
    recorded = set(re.findall(r"record: (\S+)", (ROOT / "compose/prometheus/rules/application.yml").read_text()))
    for doc in DOCS:
        for expression in _promql_blocks((ROOT / "docs" / doc).read_text()):
            for name in _METRIC.findall(expression):
                assert name in recorded, f"docs/{doc}: {name} is not a recording rule"


def test_dashboard_links_point_at_compiled_dashboards() -> None:
    uids = {json.loads(p.read_text())["uid"] for p in (ROOT / "provisioning/dashboards").glob("*/*.json")}
    for doc in DOCS:
        for uid in re.findall(r"localhost:3030/d/([a-z0-9-]+)", (ROOT / "docs" / doc).read_text()):
            assert uid in uids, f"docs/{doc} links to unknown dashboard {uid}"


def test_alert_tuning_knobs_exist_in_signals() -> None:
    text = (ROOT / "docs/alert-tuning.md").read_text()
    table = text.split("## How to decide")[0]
    for knob in re.findall(r"`([A-Z][A-Z0-9_]+)`", table):
        assert hasattr(slo, knob), f"docs/alert-tuning.md names signals.slo.{knob}, which does not exist"
    alerts = set(
        re.findall(
            r"- alert: (\S+)", "".join(p.read_text() for p in (ROOT / "compose/prometheus/alerts").glob("*.yml"))
        )
    )
    for name in re.findall(r"`([A-Z][a-z][A-Za-z0-9]+)`", table):
        assert name in alerts, f"docs/alert-tuning.md names alert {name}, which no rule defines"
