"""Scrape a /metrics URL over HTTP and index the samples, parsed by prometheus_client's own parser."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families


@dataclass(frozen=True)
class Scrape:
    families: dict  # family name as parsed -> Metric
    samples: dict  # (sample name, frozenset(labels)) -> value

    def value(self, name: str, **labels: str) -> float:
        key = (name, frozenset(labels.items()))
        if key not in self.samples:
            present = sorted(str(dict(k[1])) for k in self.samples if k[0] == name)
            raise AssertionError(f"no sample {name}{labels}; samples of {name}: {present}")
        return self.samples[key]

    def has(self, name: str, **labels: str) -> bool:
        return (name, frozenset(labels.items())) in self.samples

    def names(self) -> set[str]:
        return {name for name, _ in self.samples}


def scrape(url: str) -> Scrape:
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, f"{url} answered {response.status}"
        text = response.read().decode()
    families = {f.name: f for f in text_string_to_metric_families(text)}
    samples = {(s.name, frozenset(s.labels.items())): s.value for f in families.values() for s in f.samples}
    return Scrape(families, samples)
