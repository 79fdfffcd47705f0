"""Axis ranges and tick labels, computed here so that every number on a chart goes through units.py.

uPlot picks a tick increment once it knows its plot size; so this module offers it every plausible increment
with its ticks already labelled, and the page's script takes the smallest whose ticks are far enough apart, the
way uPlot does it. The rules are Grafana's (packages/grafana-ui/src/components/uPlot/config/UPlotAxisBuilder.ts):
y ticks at least 30 px apart (15 px when the plot is 150 px or less), labels formatted with as many decimals as
the increment has (guessDecimals(roundDecimals(tickIncr, 6))), time labels "HH:mm:ss" for increments up to a
minute, "HH:mm" within a day's range, "MM/DD HH:mm" for sub-day increments over a longer range, then "MM/DD"
(formatTime with systemDateFormats.interval). The y range is uPlot's rangeNum with Grafana's scale config: the
data range padded by 10 %, snapped to a tenth of its magnitude, clamped at 0 when the data does not cross it
(soft 0, mode 3), and fieldConfig min/max as hard limits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import units

# uPlot's default numeric increments: 1, 2, 2.5, 5 x 10^n
_NUM_INCRS = [m * 10.0**e for e in range(-12, 16) for m in (1, 2, 2.5, 5)]
# uPlot's time increments (seconds)
_TIME_INCRS = [
    1,
    2,
    5,
    10,
    15,
    30,
    60,
    120,
    300,
    600,
    900,
    1800,
    3600,
    7200,
    10800,
    14400,
    21600,
    28800,
    43200,
    86400,
    172800,
    259200,
    345600,
    432000,
    518400,
    604800,
    1209600,
    2592000,
]


@dataclass(frozen=True)
class Ticks:
    incr: float
    splits: tuple[float, ...]
    labels: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {"incr": self.incr, "splits": list(self.splits), "labels": list(self.labels)}


def _round_dec(value: float, places: int) -> float:
    return round(value, places)


def range_num(
    lo: float, hi: float, hard_min: float | None = None, hard_max: float | None = None
) -> tuple[float, float]:
    """uPlot's rangeNum(min, max, {pad: 0.1, soft: 0, mode: 3}) with hard limits."""
    if hard_min is not None and hard_max is not None:
        return hard_min, hard_max
    delta = hi - lo
    scalar = max(abs(lo), abs(hi))
    if delta < 1e-24 or (scalar and delta and abs(math.log10(scalar) - math.log10(delta)) > 10):
        delta = 0.0
    nonzero = delta or scalar or 1e3
    base = 10 ** math.floor(math.log10(nonzero))
    pad_lo = nonzero * ((0.1 if lo == 0 else 1) if delta == 0 else 0.1)
    pad_hi = nonzero * ((0.1 if hi == 0 else 1) if delta == 0 else 0.1)
    new_lo = _round_dec(math.floor((lo - pad_lo) / (base / 10)) * (base / 10), 12)
    new_hi = _round_dec(math.ceil((hi + pad_hi) / (base / 10)) * (base / 10), 12)
    if lo >= 0 and new_lo < 0:
        new_lo = 0.0
    if hi <= 0 and new_hi > 0:
        new_hi = 0.0
    low = hard_min if hard_min is not None else new_lo
    high = hard_max if hard_max is not None else new_hi
    if high <= low:
        high = low + (abs(low) or 1)
    return low, high


def _decimals_of(incr: float) -> int:
    """guessDecimals(roundDecimals(incr, 6)): the number of digits after the point."""
    text = units.js_str(round(incr, 6))
    return len(text.split(".")[1]) if "." in text else 0


def value_ticks(lo: float, hi: float, unit: str | None, decimals: int | None = None, limit: int = 60) -> list[Ticks]:
    """Every increment giving 1..limit ticks in [lo, hi], each with its splits formatted in `unit`."""
    out = []
    span = hi - lo
    if span <= 0:
        return out
    fmt = units.formatter(unit)
    for incr in _NUM_INCRS:
        count = span / incr
        if count > limit:
            continue
        if count < 1:
            break
        first = math.ceil(round(lo / incr, 9)) * incr
        splits = []
        v = first
        while v <= hi + incr * 1e-9:
            splits.append(round(v, 12))
            v += incr
        dec = decimals if decimals is not None else (_decimals_of(incr) or None)
        out.append(Ticks(incr, tuple(splits), tuple(str(fmt(s, dec)) for s in splits)))
    return out


def _time_format(incr: float, span: float) -> str:
    if incr <= 60:
        return "HH:mm:ss"
    if span <= 86400:
        return "HH:mm"
    if incr <= 86400:
        return "MM/DD HH:mm"
    if span < 31536000:
        return "MM/DD"
    return "YYYY-MM"


def time_ticks(start: float, end: float, limit: int = 40) -> list[Ticks]:
    out = []
    span = end - start
    for incr in _TIME_INCRS:
        count = span / incr
        if count > limit:
            continue
        if count < 1:
            break
        first = math.ceil(start / incr) * incr
        splits = [first + i * incr for i in range(int((end - first) // incr) + 1)]
        pattern = _time_format(incr, span)
        labels = tuple(units.format_time(s * 1000, pattern) for s in splits)
        out.append(Ticks(incr, tuple(float(s) for s in splits), labels))
    return out
