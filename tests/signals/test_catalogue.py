"""The source of truth holds itself to the rules everything downstream relies on."""

from __future__ import annotations

import promql_parser
import pytest

from grafana_json.schema import known_units
from signals.catalogue import FORBIDDEN_LABELS, PLATFORM_METRICS, MetricType, metric
from signals.jobs import SCRAPE_JOBS
from signals.recording import RECORDING_GROUPS
from signals.slo import Threshold


@pytest.mark.parametrize("m", PLATFORM_METRICS, ids=lambda m: m.name)
def test_metric_follows_naming_and_privacy_rules(m):
    assert not FORBIDDEN_LABELS & set(m.labels), f"{m.name} has a label that identifies people or is unbounded"
    assert (m.type is MetricType.COUNTER) == m.name.endswith("_total")
    assert (m.type is MetricType.HISTOGRAM) == bool(m.buckets)
    assert m.unit in known_units()
    assert m.help.endswith(".")


def test_names_are_unique_and_lookup_names_the_typo():
    assert len({m.name for m in PLATFORM_METRICS}) == len(PLATFORM_METRICS)
    assert len({j.name for j in SCRAPE_JOBS}) == len(SCRAPE_JOBS)
    with pytest.raises(KeyError, match="'http_request_total' is not in the platform catalogue"):
        metric("http_request_total")


def test_every_recording_rule_parses_and_is_named_level_metric_operation():
    records = [r.record for g in RECORDING_GROUPS for r in g.rules]
    assert len(records) == len(set(records))
    for group in RECORDING_GROUPS:
        for rule in group.rules:
            assert rule.record.count(":") == 2, rule.record
            promql_parser.parse(rule.expr)


def test_a_threshold_must_be_ordered_by_severity():
    with pytest.raises(ValueError, match="must be less severe"):
        Threshold(warning=0.9, critical=0.5)
    with pytest.raises(ValueError, match="must be less severe"):
        Threshold(warning=3, critical=14, rising=False)


def test_key_series_and_probed_jobs_name_real_metrics_targets_and_jobs():
    from signals import jobs
    from signals.catalogue import metric

    for key in jobs.KEY_SERIES:
        metric(key.metric)  # a KeyError names a typo
        assert key.job in jobs.SCRAPE_JOBS and key.why
    assert set(jobs.PROBED_JOBS) <= set(jobs.PROBE_TARGETS)
    assert set(jobs.PROBED_JOBS.values()) <= set(jobs.SCRAPE_JOBS)
