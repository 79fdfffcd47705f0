"""The time range of a preview and the interval arithmetic Grafana does with it, per panel.

Grounded in Grafana's source:
- the frontend's interval, `rangeutil.calculateInterval` + `roundInterval` (packages/grafana-data/src/datetime/
  rangeutil.ts): range / maxDataPoints rounded to a "nice" value, at least the datasource's scrape interval
  (jsonData.timeInterval, "15s" in provisioning/datasources); maxDataPoints is the panel's width in pixels unless
  the panel sets maxDataPoints;
- the Prometheus backend's step, `calculatePrometheusInterval` (pkg/promlib/models/query.go): that interval,
  re-rounded against range / maxDataPoints (intervalv2.Calculate, gtime.RoundInterval) and never finer than
  range / 11000 (the "safe" resolution); start and end aligned down to the step (AlignTimeRange);
- the built-ins, `interpolateVariables` in the same file: `$__interval` (the step, kbn format "1m"),
  `$__interval_ms`, `$__range` ("3600s", rounded seconds), `$__range_s`, `$__range_ms`, and `$__rate_interval`
  = max(interval + scrape interval, 4 x scrape interval) as `calculateRateInterval` does, printed the way Go prints
  a time.Duration ("1m0s"), which PromQL accepts.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..errors import DashsyncError

_RELATIVE = re.compile(r"^now(?:-(\d+)([smhdwMy]))?(?:/([smhdwMy]))?$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000, "y": 31536000}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$")
_DURATION_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31536000}
SAFE_RESOLUTION = 11000  # pkg/promlib/models/query.go safeResolution

# rangeutil.ts roundInterval / gtime.RoundInterval: (upper bound in ms, rounded interval in ms)
_ROUNDING = (
    (10, 1),
    (15, 10),
    (35, 20),
    (75, 50),
    (150, 100),
    (350, 200),
    (750, 500),
    (1500, 1000),
    (3500, 2000),
    (7500, 5000),
    (12500, 10000),
    (17500, 15000),
    (25000, 20000),
    (45000, 30000),
    (90000, 60000),
    (210000, 120000),
    (450000, 300000),
    (750000, 600000),
    (1050000, 900000),
    (1500000, 1200000),
    (2700000, 1800000),
    (5400000, 3600000),
    (9000000, 7200000),
    (16200000, 10800000),
    (32400000, 21600000),
    (86400000, 43200000),
    (604800000, 86400000),
    (1814400000, 604800000),
    (3628800000, 2592000000),
)


@dataclass(frozen=True)
class TimeRange:
    """Epoch seconds; `raw_from`/`raw_to` as the user wrote them (the header shows them)."""

    start: float
    end: float
    raw_from: str
    raw_to: str

    @property
    def seconds(self) -> float:
        return self.end - self.start


def _point(text: str, now: float, round_up: bool) -> float:
    text = text.strip()
    m = _RELATIVE.match(text)
    if m:
        t = now - (int(m.group(1)) * _UNIT_SECONDS[m.group(2)] if m.group(1) else 0)
        if m.group(3):  # now/d: start (or, for `to`, end) of the unit, in UTC
            size = _UNIT_SECONDS[m.group(3)]
            t = math.floor(t / size) * size + (size if round_up else 0)
        return t
    if text.isdigit():  # epoch milliseconds, as Grafana's URL carries them
        return int(text) / 1000
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise DashsyncError(
            f"time {text!r}: expected now, now-1h, now-7d/d, epoch milliseconds or an ISO date"
        ) from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def parse_range(raw_from: str, raw_to: str, now: float) -> TimeRange:
    start, end = _point(raw_from, now, round_up=False), _point(raw_to, now, round_up=True)
    if end <= start:
        raise DashsyncError(f"time range {raw_from} to {raw_to}: the end is not after the start")
    return TimeRange(start, end, raw_from, raw_to)


def parse_duration(text: str) -> float:
    """A Grafana/Prometheus duration ("15s", "1m", "500ms") in seconds; a bare number is seconds."""
    text = text.strip().strip("<>")
    if re.fullmatch(r"\d+", text):
        return float(text)
    m = _DURATION.match(text)
    if not m:
        raise DashsyncError(f"duration {text!r}: expected e.g. 15s, 1m, 500ms")
    return float(m.group(1)) * _DURATION_SECONDS[m.group(2)]


def round_interval_ms(interval_ms: float, inclusive: bool = False) -> float:
    """rangeutil.roundInterval (frontend, `<`) or gtime.RoundInterval (backend, `<=`)."""
    for limit, rounded in _ROUNDING:
        if interval_ms < limit or (inclusive and interval_ms == limit):
            return rounded
    return 31536000000


def format_kbn(seconds: float) -> str:
    """gtime.FormatInterval: the largest whole unit ("1m", "2h", "500ms")."""
    ms = round(seconds * 1000)
    for unit, size in (("y", 31536000000), ("d", 86400000), ("h", 3600000), ("m", 60000), ("s", 1000)):
        if ms >= size:
            return f"{ms // size}{unit}"
    return f"{ms}ms" if ms >= 1 else "1ms"


def format_go_duration(seconds: float) -> str:
    """Go's time.Duration.String() for whole milliseconds: "4s", "1m0s", "1h2m3s", "1.5s", "500ms"."""
    ms = round(seconds * 1000)
    if ms == 0:
        return "0s"
    if ms < 1000:
        return f"{ms}ms"
    hours, rest = divmod(ms, 3600000)
    minutes, rest = divmod(rest, 60000)
    secs = rest / 1000
    sec_text = (f"{secs:.3f}".rstrip("0").rstrip(".")) + "s"
    if hours:
        return f"{hours}h{minutes}m{sec_text}"
    if minutes:
        return f"{minutes}m{sec_text}"
    return sec_text


@dataclass(frozen=True)
class Intervals:
    """What Grafana computes for one panel query: the frontend interval, the Prometheus step, the built-ins."""

    interval: float  # seconds: the frontend's $__interval (request.intervalMs)
    step: float  # seconds: the step sent to Prometheus
    rate_interval: float  # seconds
    range_seconds: float

    def builtins(self) -> dict[str, str]:
        range_s = round(self.range_seconds)
        return {
            "__interval": format_kbn(self.step),
            "__interval_ms": str(round(self.step * 1000)),
            "__range": f"{range_s}s",
            "__range_s": str(range_s),
            "__range_ms": str(round(self.range_seconds * 1000)),
            "__rate_interval": format_go_duration(self.rate_interval),
            "__rate_interval_ms": str(round(self.rate_interval * 1000)),
        }


def intervals(window: TimeRange, max_data_points: int, scrape: float, min_interval: str = "") -> Intervals:
    """Grafana's interval, step and rate interval for a panel `max_data_points` wide (see the module docstring)."""
    points = max(1, max_data_points)
    low = parse_duration(min_interval) if min_interval and "$" not in min_interval else scrape
    range_ms = window.seconds * 1000
    interval_ms = max(round_interval_ms(range_ms / points), low * 1000)  # rangeutil.calculateInterval
    calculated = range_ms / points  # intervalv2.Calculate, with the frontend interval as its minimum
    calculated = interval_ms if calculated < interval_ms else round_interval_ms(calculated, inclusive=True)
    safe = round_interval_ms(range_ms / SAFE_RESOLUTION, inclusive=True)
    step_ms = max(calculated, safe)
    rate_ms = max(interval_ms + scrape * 1000, 4 * scrape * 1000)  # calculateRateInterval
    return Intervals(interval_ms / 1000, step_ms / 1000, rate_ms / 1000, window.seconds)


def aligned(window: TimeRange, step: float) -> tuple[float, float]:
    """models.AlignTimeRange: start and end rounded down to a multiple of the step (UTC)."""
    return math.floor(window.start / step) * step, math.floor(window.end / step) * step


def dashboard_range(dashboard: dict[str, Any], raw_from: str | None, raw_to: str | None, now: float) -> TimeRange:
    """--from/--to, else the dashboard's own time range (its `time`), else Grafana's default now-6h to now."""
    saved = dashboard.get("time") if isinstance(dashboard.get("time"), dict) else {}
    return parse_range(raw_from or str(saved.get("from") or "now-6h"), raw_to or str(saved.get("to") or "now"), now)
