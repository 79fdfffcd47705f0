"""Compare one query's answer from Prometheus with the same query's answer from a store (VictoriaMetrics).

Pure functions over the JSON `data` of /api/v1/query and /api/v1/query_range. What is compared, and why the
rest is not, follows VictoriaMetrics' own list of intentional differences from PromQL (VictoriaMetrics/
VictoriaMetrics, docs/MetricsQL.md, the list after "implemented differently in MetricsQL compared to PromQL"):

- MetricsQL removes NaN from the output (Prometheus returns it; Grafana draws neither), so NaN points, and
  series with nothing else, are left out on both sides.
- Range functions (rate, increase, ..._over_time) take the sample before the window into account and do not
  extrapolate; Prometheus extrapolates, and a series that starts inside the window is a new counter to
  VictoriaMetrics, counted from zero. The two agree once the window holds only samples of a series that existed
  before it, so values are compared at timestamps at least one window (plus a margin) after the data began:
  `comparable_from`. A query whose window is longer than the stack has run has its label sets compared only.
- The store's series carry Prometheus's external labels (remote-write adds them; vmalert's -external.label adds
  the same to what it records), which Prometheus's own query API does not show: they are removed before the
  label sets are compared.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from signals.recording import RECORDING_GROUPS

_DURATION = re.compile(r"\[((?:\d+(?:ms|[smhdwy]))+)(?::[^\]]*)?\]")
_PART = re.compile(r"(\d+)(ms|[smhdwy])")
_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
_RECORDED = {rule.record: rule.expr for group in RECORDING_GROUPS for rule in group.rules}
_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")

Labels = tuple[tuple[str, str], ...]
Series = dict[Labels, dict[float, float]]


def _duration(text: str) -> float:
    return sum(int(n) * _SECONDS[unit] for n, unit in _PART.findall(text))


def window_seconds(expr: str) -> float:
    """The longest range the query reads, counting the ranges inside the recording rules it names (a recorded
    `…:rate5m` reads 5 minutes of raw samples); 0 for a query of instant values only."""
    longest = max((_duration(d) for d in _DURATION.findall(expr)), default=0.0)
    for name in set(_NAME.findall(expr)) & set(_RECORDED):
        longest = max(longest, window_seconds(_RECORDED[name]))
    return longest


def series(data: Mapping, drop_labels: Iterable[str] = ()) -> Series:
    """Label set (without `drop_labels`) -> timestamp -> value; NaN points and series left empty dropped."""
    dropped = set(drop_labels)
    out: Series = {}
    for item in data["result"]:
        labels = tuple(sorted((k, v) for k, v in item["metric"].items() if k not in dropped))
        points = item.get("values") or [item["value"]]
        values = {float(t): float(v) for t, v in points if not math.isnan(float(v))}
        if values:
            out[labels] = values
    return out


def relative_difference(a: float, b: float) -> float:
    """|a - b| / max(|a|, |b|): 0 for equal values (both zero, or the same infinity), 1 for opposite ones."""
    if a == b:
        return 0.0
    if math.isinf(a) or math.isinf(b):
        return 1.0
    return abs(a - b) / max(abs(a), abs(b))


@dataclass(frozen=True)
class Comparison:
    only_prometheus: tuple[Labels, ...]
    only_store: tuple[Labels, ...]
    points: tuple[tuple[Labels, float, float, float], ...]  # (labels, timestamp, Prometheus, store), compared
    missing: tuple[tuple[Labels, float], ...]  # points Prometheus has in the compared range and the store does not

    @property
    def same_series(self) -> bool:
        return not self.only_prometheus and not self.only_store

    def differences(self) -> list[float]:
        """The relative difference at each compared point, sorted."""
        return sorted(relative_difference(a, b) for _, _, a, b in self.points)

    def median(self) -> float:
        d = self.differences()
        return d[len(d) // 2] if d else 0.0

    def largest(self) -> float:
        d = self.differences()
        return d[-1] if d else 0.0

    def share_within(self, bound: float) -> float:
        """The share of compared points whose relative difference is at most `bound` (1.0 with no points)."""
        d = self.differences()
        return sum(1 for x in d if x <= bound) / len(d) if d else 1.0


def since(answer: Series, start: float) -> Series:
    """The answer's points from `start` on; series without any left out."""
    out: Series = {}
    for labels, points in answer.items():
        kept = {ts: v for ts, v in points.items() if ts >= start}
        if kept:
            out[labels] = kept
    return out


def compare(prometheus: Series, store: Series, labels_from: float, values_from: float) -> Comparison:
    """Label sets of the series with points from `labels_from` on (when both sides have been fed long enough to
    hold every series); values at the timestamps from `values_from` on, where Prometheus has a point."""
    prometheus, store = since(prometheus, labels_from), since(store, labels_from)
    common = set(prometheus) & set(store)
    points: list[tuple[Labels, float, float, float]] = []
    missing: list[tuple[Labels, float]] = []
    for labels in sorted(common):
        theirs = store[labels]
        for ts, value in sorted(prometheus[labels].items()):
            if ts < values_from:
                continue
            if ts in theirs:
                points.append((labels, ts, value, theirs[ts]))
            else:
                missing.append((labels, ts))
    return Comparison(
        only_prometheus=tuple(sorted(set(prometheus) - common)),
        only_store=tuple(sorted(set(store) - common)),
        points=tuple(points),
        missing=tuple(missing),
    )
