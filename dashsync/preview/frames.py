"""Series turned into what each panel type draws: one time grid with gaps, reduced values (stat, gauge, bar
gauge), stacked values, table rows, heatmap buckets. Pure functions over queries.Series.

Grafana's rules followed here: range results are put on one time axis, one slot per step, a missing sample a gap
(the Prometheus datasource inserts nulls at the step, so lines break where data is missing); the reducers are those
of packages/grafana-data/src/transformations/fieldReducer.ts (lastNotNull, mean, max, ...); a "heatmap" format
query's `le` buckets are sorted and de-accumulated (prometheus result_transformer transformToHistogramOverTime);
a table of instant queries with the "merge" transformation joins rows on equal labels, each query's value a
"Value #<refId>" column, and "organize" hides, orders and renames columns.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .queries import Series


def time_grid(series: Sequence[Series], start: float, end: float, step: float) -> list[float]:
    """One slot per step from start to end, plus any sample time off that grid."""
    slots = int(round((end - start) / step)) + 1 if step > 0 else 0
    grid = {round(start + i * step, 3) for i in range(max(0, min(slots, 20000)))}
    for s in series:
        grid.update(round(t, 3) for t in s.times)
    return sorted(grid)


def on_grid(s: Series, grid: Sequence[float]) -> list[float | None]:
    at = {round(t, 3): v for t, v in zip(s.times, s.values, strict=True)}
    return [at.get(t) for t in grid]


def _present(values: Iterable[float | None]) -> list[float]:
    return [v for v in values if v is not None and not math.isnan(v)]


def reduce(values: Sequence[float | None], calc: str) -> float | None:
    """fieldReducer.ts: the calcs stat, gauge and bar gauge panels and legends use."""
    present = _present(values)
    if calc == "last":
        return values[-1] if values else None
    if calc == "first":
        return values[0] if values else None
    if calc == "count":
        return float(len(values))
    if not present:
        return None
    table = {
        "lastNotNull": present[-1],
        "firstNotNull": present[0],
        "mean": sum(present) / len(present),
        "max": max(present),
        "min": min(present),
        "sum": sum(present),
        "range": max(present) - min(present),
        "diff": present[-1] - present[0],
        "delta": sum(max(b - a, 0) if b >= a else b for a, b in zip(present, present[1:], strict=False)),
        "median": sorted(present)[len(present) // 2],
        "distinctCount": float(len(set(present))),
        "changeCount": float(sum(1 for a, b in zip(present, present[1:], strict=False) if a != b)),
        "allIsZero": float(all(v == 0 for v in present)),
    }
    return table.get(calc, present[-1])


CALC_NAMES = {
    "lastNotNull": "Last *",
    "last": "Last",
    "firstNotNull": "First *",
    "first": "First",
    "mean": "Mean",
    "max": "Max",
    "min": "Min",
    "sum": "Total",
    "count": "Count",
    "range": "Range",
    "delta": "Delta",
    "diff": "Difference",
    "median": "Median",
}


def stacked(columns: Sequence[Sequence[float | None]], percent: bool = False) -> list[list[float | None]]:
    """Running sums per slot (stacking "normal"), or shares of the slot's total ("percent"); a gap stays a gap."""
    out: list[list[float | None]] = []
    totals = [sum(v for v in slot if v is not None) for slot in zip(*columns, strict=True)] if columns else []
    running = [0.0] * (len(columns[0]) if columns else 0)
    for col in columns:
        row: list[float | None] = []
        for i, v in enumerate(col):
            if v is None:
                row.append(None)
                continue
            running[i] += v / totals[i] if percent and totals[i] else v
            row.append(running[i])
        out.append(row)
    return out


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    numeric: tuple[bool, ...]


def table(series: Sequence[Series], transformations: Sequence[dict[str, Any]], ref_ids: Sequence[str]) -> Table:
    """Instant results as rows (Time, labels..., Value or Value #refId), then merge/organize as configured."""
    ids = {t.get("id") for t in transformations if isinstance(t, dict)}
    several = len(set(ref_ids)) > 1
    value_col = {ref: (f"Value #{ref}" if several else "Value") for ref in ref_ids}
    keyed: dict[tuple[Any, ...], dict[str, Any]] = {}
    order: list[str] = ["Time"]
    frames = [s for s in series] if "merge" in ids or not several else [s for s in series if s.ref_id == ref_ids[0]]
    for s in frames:
        values = _present(s.values)
        row_key = (s.labels,) if "merge" in ids or not several else (s.labels, s.ref_id)
        row = keyed.setdefault(row_key, {"Time": s.times[-1] * 1000 if s.times else None, **dict(s.labels)})
        for name, _ in s.labels:
            if name not in order:
                order.append(name)
        column = value_col.get(s.ref_id, "Value")
        row[column] = values[-1] if values else None
    for ref in ref_ids:
        if value_col[ref] not in order and any(value_col[ref] in r for r in keyed.values()):
            order.append(value_col[ref])
    organize = next((t.get("options") or {} for t in transformations if t.get("id") == "organize"), {})
    exclude = {k for k, v in (organize.get("excludeByName") or {}).items() if v}
    index = organize.get("indexByName") or {}
    rename = organize.get("renameByName") or {}
    names = [c for c in order if c not in exclude]
    if index:
        names.sort(key=lambda c: (index.get(c, 10_000), names.index(c)))
    rows = tuple(tuple(r.get(c) for c in names) for r in keyed.values())
    numeric = tuple(
        all(isinstance(r[i], float | int) or r[i] is None for r in rows) and c != "Time" for i, c in enumerate(names)
    )
    return Table(tuple(rename.get(c) or c for c in names), rows, numeric)


@dataclass(frozen=True)
class Heatmap:
    times: tuple[float, ...]
    buckets: tuple[str, ...]  # upper bounds, as labelled
    counts: tuple[tuple[float | None, ...], ...]  # [bucket][slot]


def heatmap(series: Sequence[Series], grid: Sequence[float]) -> Heatmap:
    """`le` buckets sorted by bound and de-accumulated (each cell: the count in that bucket only)."""

    def bound(s: Series) -> float:
        le = s.label_map.get("le", s.name)
        try:
            return float(le)
        except ValueError:
            return math.inf

    ordered = sorted(series, key=bound)
    cumulative = [on_grid(s, grid) for s in ordered]
    counts: list[tuple[float | None, ...]] = []
    for i, col in enumerate(cumulative):
        below = cumulative[i - 1] if i else [0.0] * len(grid)
        counts.append(tuple(None if v is None else max(v - (below[j] or 0.0), 0.0) for j, v in enumerate(col)))
    labels = tuple(s.label_map.get("le", s.name) for s in ordered)
    return Heatmap(tuple(grid), labels, tuple(counts))
