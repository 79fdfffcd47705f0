"""Both exporters expose exactly their Source's metrics from signals/catalogue.py: names, types and labels.

The dashboards and alerts are built from the catalogue, so an exporter metric missing from it (or a catalogue
metric nobody exposes) is a panel without data. Checked on real scrapes after a full, healthy collection.
"""

from __future__ import annotations

import pytest

from exporters.business.queries import DEFAULT_QUERIES_FILE, load_queries
from signals.catalogue import FORBIDDEN_LABELS, PLATFORM_METRICS, MetricType, Source
from tests.exporters.conftest import TREASURY
from tests.exporters.scrape import Scrape, scrape


def exposed(m: Scrape) -> dict[str, tuple[str, frozenset[str]]]:
    """family name as the catalogue writes it -> (type, label names), for families that have samples."""
    out = {}
    for family in m.families.values():
        if not family.samples:
            continue
        name = f"{family.name}_total" if family.type == "counter" else family.name
        labels = frozenset(k for s in family.samples for k in s.labels if k != "le")
        out[name] = (family.type, labels)
    return out


def catalogue(source: Source) -> dict[str, tuple[str, frozenset[str]]]:
    return {m.name: (m.type.value, frozenset(m.labels)) for m in PLATFORM_METRICS if m.source is source}


def test_solana_exporter_matches_the_catalogue(rpc, exporter):
    rpc.state.add_transaction("sig-base", fee=5000)
    poller, base = exporter()
    poller.poll_once()
    rpc.state.add_transaction("sig-ok", fee=5000)
    rpc.state.add_transaction("sig-bad", fee=5000, failed=True)
    rpc.state.balances[TREASURY] = 1
    poller.poll_once()
    assert exposed(scrape(f"{base}/metrics")) == catalogue(Source.SOLANA)


def test_business_collector_matches_the_catalogue(business_db, collector_service):
    collector, base = collector_service(business_db)
    collector.refresh()
    assert exposed(scrape(f"{base}/metrics")) == catalogue(Source.BUSINESS)


def test_queries_file_agrees_with_the_catalogue_help_and_types():
    by_name = {m.name: m for m in PLATFORM_METRICS if m.source is Source.BUSINESS}
    for spec in load_queries(DEFAULT_QUERIES_FILE):
        entry = by_name.get(spec.name)
        assert entry is not None, f"{spec.name} (queries.yml) is not in signals/catalogue.py"
        assert spec.help == entry.help, spec.name
        assert spec.type == entry.type.value, spec.name
        assert spec.labels == entry.labels, spec.name
        assert not set(spec.labels) & FORBIDDEN_LABELS, spec.name


@pytest.mark.parametrize("source", [Source.SOLANA, Source.BUSINESS])
def test_catalogue_metrics_of_the_exporters_have_no_forbidden_labels(source):
    for m in PLATFORM_METRICS:
        if m.source is source:
            assert not set(m.labels) & FORBIDDEN_LABELS, m.name
            if m.type is MetricType.COUNTER:
                assert m.name.endswith("_total"), m.name
