"""Grafana's unit formatting (fieldConfig.defaults.unit), so a preview shows "1.25 K", "93.2%", "9.54 GiB" or
"2 minutes ago" exactly where Grafana would.

Written from Grafana's own formatters in packages/grafana-data/src/valueFormats/: `toFixed` and `scaledUnits`
(valueFormats.ts), the unit table of categories.ts, `toPercent`/`toPercentUnit` (arithmeticFormatters.ts), the SI,
binary and currency scalers (symbolFormatters.ts) and the time and duration formatters (dateTimeFormatters.ts), and
checked against the values Grafana's own unit tests use (tests/dashsync/preview/test_units.py names each test file).
Numbers are rendered the way JavaScript would (Math.round, Number.prototype.toString), because Grafana's text is
whatever its JavaScript prints. "From now" is moment.js's `fromNow`, whose thresholds moment documents.
Dates are formatted in UTC: the preview page says so in its header (Grafana would use the browser's time zone).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Formatted:
    """Grafana's FormattedValue: the number text plus what goes before and after it."""

    text: str
    prefix: str = ""
    suffix: str = ""

    def __str__(self) -> str:
        return f"{self.prefix}{self.text}{self.suffix}"


Formatter = Callable[[float | None, int | None], Formatted]

INFINITY = "∞"  # Number.POSITIVE_INFINITY.toLocaleString() in en-US


def js_round(value: float) -> float:
    """JavaScript's Math.round: halves go towards +infinity (Math.round(-100.5) is -100)."""
    return float(math.floor(value + 0.5))


def js_str(value: float) -> str:
    """JavaScript's Number.prototype.toString for a float (shortest round-trip digits, JS exponent rules)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    assert isinstance(exponent, int)
    k = len(text)
    n = len(digits) + exponent  # the decimal point sits after n digits
    minus = "-" if sign else ""
    if k <= n <= 21:
        return minus + text + "0" * (n - k)
    if 0 < n <= 21:
        return minus + text[:n] + "." + text[n:]
    if -6 < n <= 0:
        return minus + "0." + "0" * (-n) + text
    mantissa = text[0] + ("." + text[1:] if k > 1 else "")
    return f"{minus}{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"


def _decimals_for_value(value: float) -> int:
    """valueFormats.ts getDecimalsForValue: two significant digits, three when the value starts above 2.25."""
    if value == 0 or value % 1 == 0:
        return 0
    log10 = math.floor(math.log(abs(value)) / math.log(10))
    dec = -log10 + 1
    if value / 10 ** (-dec) > 2.25:  # Grafana divides the signed value: a negative one never gets the extra digit
        dec += 1
    return max(0, dec)


def to_fixed(value: float | None, decimals: int | None = None) -> str:
    """valueFormats.ts toFixed."""
    if value is None:
        return ""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return INFINITY if value > 0 else "-" + INFINITY
    if decimals is None:
        decimals = _decimals_for_value(value)
    if value == 0:
        return f"{0:.{max(0, decimals)}f}"
    factor = 10 ** max(0, decimals) if decimals else 1
    formatted = js_str(js_round(value * factor) / factor)
    if "e" in formatted:
        return formatted
    point = formatted.find(".")
    precision = 0 if point == -1 else len(formatted) - point - 1
    if precision < decimals:
        return (formatted if precision else formatted + ".") + str(factor)[1 : decimals - precision + 1]
    return formatted


def fixed_unit(unit: str, as_prefix: bool = False) -> Formatter:
    """valueFormats.ts toFixedUnit: the number, then a space and the unit (or the unit glued before it)."""

    def fmt(value: float | None, decimals: int | None = None) -> Formatted:
        if value is None:
            return Formatted("")
        text = to_fixed(value, decimals)
        if not unit:
            return Formatted(text)
        return Formatted(text, prefix=unit) if as_prefix else Formatted(text, suffix=" " + unit)

    return fmt


def scaled_units(factor: int, ext: list[str], offset: int = 0) -> Formatter:
    """valueFormats.ts scaledUnits: divide by factor^n and pick the n-th suffix, clamped to the table."""

    def fmt(value: float | None, decimals: int | None = None) -> Formatted:
        if value is None:
            return Formatted("")
        if math.isnan(value) or math.isinf(value):
            return Formatted(to_fixed(value))
        index = 0 if value == 0 else math.floor(math.log10(abs(value)) / math.log10(factor))
        suffix = ext[min(max(offset + index, 0), len(ext) - 1)]
        power = min(max(index, -offset), len(ext) - offset - 1)
        return Formatted(to_fixed(value / factor**power, decimals), suffix=suffix)

    return fmt


def simple_count(symbol: str) -> Formatter:
    """valueFormats.ts simpleCountUnit: K/M/B/T, then the symbol (reqps, ops...)."""
    scaler = scaled_units(1000, ["", "K", "M", "B", "T"])

    def fmt(value: float | None, decimals: int | None = None) -> Formatted:
        if value is None:
            return Formatted("")
        v = scaler(value, decimals)
        return Formatted(v.text, v.prefix, v.suffix + " " + symbol)

    return fmt


def currency(symbol: str, as_suffix: bool = False) -> Formatter:
    """symbolFormatters.ts currency: K/M/B/T with the symbol before (or after) it; the minus before the symbol."""
    scaler = scaled_units(1000, ["", "K", "M", "B", "T"])

    def fmt(value: float | None, decimals: int | None = None) -> Formatted:
        if value is None:
            return Formatted("")
        negative = value < 0
        v = scaler(abs(value), decimals)
        prefix, suffix = ("", v.suffix + symbol) if as_suffix else (symbol, v.suffix)
        return Formatted(v.text, ("-" + prefix) if negative else prefix, suffix)

    return fmt


SI_PREFIXES = ["f", "p", "n", "µ", "m", "", "k", "M", "G", "T", "P", "E", "Z", "Y"]
SI_BASE = SI_PREFIXES.index("")
BINARY_PREFIXES = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"]


def si_prefix(unit: str, offset: int = 0) -> Formatter:
    """symbolFormatters.ts SIPrefix (decimal: k, M, G...)."""
    return scaled_units(1000, [" " + p + unit for p in SI_PREFIXES], SI_BASE + offset)


def binary_prefix(unit: str, offset: int = 0) -> Formatter:
    """symbolFormatters.ts binaryPrefix (IEC: Ki, Mi, Gi...)."""
    return scaled_units(1024, [" " + p + unit for p in BINARY_PREFIXES], offset)


def si_offset(prefix: str) -> int:
    """symbolFormatters.ts getOffsetFromSIPrefix (both unicode micro signs)."""
    prefix = "µ" if prefix == "μ" else prefix
    return SI_PREFIXES.index(prefix) - SI_BASE if prefix in SI_PREFIXES else 0


def _percent(value: float | None, decimals: int | None = None) -> Formatted:
    return Formatted("") if value is None else Formatted(to_fixed(value, decimals), suffix="%")


def _percent_unit(value: float | None, decimals: int | None = None) -> Formatted:
    return Formatted("") if value is None else Formatted(to_fixed(100 * value, decimals), suffix="%")


def _scaled(value: float, decimals: int | None, suffix: str) -> Formatted:
    return Formatted(to_fixed(value, decimals), suffix=suffix)


def _ladder(steps: list[tuple[float, float, str]], last: tuple[float, str]) -> Formatter:
    """dateTimeFormatters.ts toSeconds & co.: below each limit, divide by the divisor and use that unit."""

    def fmt(value: float | None, decimals: int | None = None) -> Formatted:
        if value is None:
            return Formatted("")
        for limit, divisor, suffix in steps:
            if abs(value) < limit:
                return _scaled(value / divisor, decimals, suffix)
        return _scaled(value / last[0], decimals, last[1])

    return fmt


_MILLISECONDS = _ladder(
    [(1000, 1, " ms"), (60000, 1000, " s"), (3600000, 60000, " min"), (86400000, 3600000, " hour")],
    (86400000, " day"),
)


def _milliseconds(value: float | None, decimals: int | None = None) -> Formatted:
    if value is not None and abs(value) >= 31536000000:
        return _scaled(value / 31536000000, decimals, " year")
    return _MILLISECONDS(value, decimals)


def _seconds(value: float | None, decimals: int | None = None) -> Formatted:
    """dateTimeFormatters.ts toSeconds: below a second in ms, µs or ns; above a minute in min, hour, day, week."""
    if value is None:
        return Formatted("")
    if value == 0:
        return Formatted("0", suffix=" s")
    a = abs(value)
    if a < 0.000001:
        return _scaled(value * 1e9, decimals, " ns")
    if a < 0.001:
        return _scaled(value * 1e6, decimals, " µs")
    if a < 1:
        return _scaled(value * 1e3, decimals, " ms")
    for limit, divisor, suffix in ((60, 1, " s"), (3600, 60, " min"), (86400, 3600, " hour"), (604800, 86400, " day")):
        if a < limit:
            return _scaled(value / divisor, decimals, suffix)
    if a < 31536000:
        return _scaled(value / 604800, decimals, " week")
    return _scaled(value / 3.15569e7, decimals, " year")


_MICROSECONDS = _ladder([(1000, 1, " µs"), (1000000, 1000, " ms")], (1000000, " s"))
_NANOSECONDS = _ladder(
    [
        (1000, 1, " ns"),
        (1e6, 1e3, " µs"),
        (1e9, 1e6, " ms"),
        (6e10, 1e9, " s"),
        (3.6e12, 6e10, " min"),
        (8.64e13, 3.6e12, " hour"),
    ],
    (8.64e13, " day"),
)
_MINUTES = _ladder(
    [(60, 1, " min"), (1440, 60, " hour"), (10080, 1440, " day"), (604800, 10080, " week")], (5.25948e5, " year")
)
_HOURS = _ladder([(24, 1, " hour"), (168, 24, " day"), (8760, 168, " week")], (8760, " year"))
_DAYS = _ladder([(7, 1, " day"), (365, 7, " week")], (365, " year"))

_INTERVALS = [  # dateTimeFormatters.ts INTERVALS_IN_SECONDS, largest first
    ("year", 31536000),
    ("month", 2592000),
    ("week", 604800),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
    ("second", 1),
    ("millisecond", 0.001),
]


def duration(scale: str) -> Formatter:
    """dateTimeFormatters.ts toDuration: "1 hour, 2 minutes"; `decimals` says how many more units follow."""
    seconds_per = dict(_INTERVALS)[scale]

    def fmt(value: float | None, decimals: int | None = None) -> Formatted:
        if value is None:
            return Formatted("")
        if value == 0:
            return Formatted("0", suffix=f" {scale}s")
        if value < 0:
            inner = fmt(-value, decimals)
            return Formatted(inner.text, inner.prefix, inner.suffix + " ago")
        size = value * seconds_per * 1000
        parts: list[str] = []
        started, left = False, decimals or 0
        for name, secs in _INTERVALS:
            if left < 0:
                break
            interval = secs * 1000
            amount = size / interval
            if amount >= 1 or started:
                started = True
                whole = math.floor(amount)
                parts.append(f"{whole} {name}{'' if whole == 1 else 's'}")
                size = math.fmod(size, interval)
                left -= 1
        return Formatted(", ".join(parts))

    return fmt


def _hms(value: float | None, decimals: int | None = None) -> Formatted:
    """dateTimeFormatters.ts toDurationInHoursMinutesSeconds: hh:mm:ss."""
    if value is None:
        return Formatted("")
    if value < 0:
        inner = _hms(-value)
        return Formatted(inner.text, suffix=inner.suffix + " ago")
    hours, minutes, secs = math.floor(value / 3600), math.floor((value % 3600) / 60), math.floor(value % 3600 % 60)
    return Formatted(":".join(f"{n:02d}" if n <= 9 else str(n) for n in (hours, minutes, secs)))


def _dhms(value: float | None, decimals: int | None = None) -> Formatted:
    """dateTimeFormatters.ts toDurationInDaysHoursMinutesSeconds: "2 d 03:04:05"."""
    if value is None:
        return Formatted("")
    if value < 0:
        inner = _dhms(-value)
        return Formatted(inner.text, suffix=inner.suffix + " ago")
    days = math.floor(value / 86400)
    return Formatted((f"{days} d " if days > 0 else "") + _hms(value - days * 86400).text)


_MOMENT_TOKENS = [
    ("YYYY", "%Y"),
    ("MM", "%m"),
    ("DD", "%d"),
    ("HH", "%H"),
    ("hh", "%I"),
    ("mm", "%M"),
    ("ss", "%S"),
]


def format_time(timestamp_ms: float, pattern: str) -> str:
    """A moment.js pattern (the tokens Grafana's date units use) in UTC."""
    when = datetime.fromtimestamp(timestamp_ms / 1000, UTC)
    out, i = [], 0
    while i < len(pattern):
        for token, code in _MOMENT_TOKENS:
            if pattern.startswith(token, i):
                out.append(when.strftime(code))
                i += len(token)
                break
        else:
            if pattern.startswith("SSS", i):
                out.append(f"{when.microsecond // 1000:03d}")
                i += 3
            elif pattern[i] == "h":
                out.append(str(int(when.strftime("%I"))))
                i += 1
            elif pattern[i] == "a":
                out.append(when.strftime("%p").lower())
                i += 1
            else:
                out.append(pattern[i])
                i += 1
    return "".join(out)


def _date(pattern: str) -> Formatter:
    def fmt(value: float | None, decimals: int | None = None) -> Formatted:
        return Formatted("") if value is None else Formatted(format_time(value, pattern))

    return fmt


def from_now(timestamp_ms: float, now_ms: float) -> str:
    """moment.js `fromNow` (relativeTime with its default thresholds ss 44, s 45, m 45, h 22, d 26, M 11; months
    as days * 4800 / 146097), which Grafana's dateTimeFromNow calls; the table is
    momentjs.com/docs/#/displaying/fromnow/.
    """
    delta = (timestamp_ms - now_ms) / 1000
    s = abs(delta)
    seconds, minutes, hours, days = (js_round(s / d) for d in (1, 60, 3600, 86400))
    months = js_round(s / 86400 * 4800 / 146097)
    years = js_round(s / 86400 * 4800 / 146097 / 12)
    if seconds <= 44:
        text = "a few seconds"
    elif seconds < 45:
        text = f"{seconds:.0f} seconds"
    elif minutes <= 1:
        text = "a minute"
    elif minutes < 45:
        text = f"{minutes:.0f} minutes"
    elif hours <= 1:
        text = "an hour"
    elif hours < 22:
        text = f"{hours:.0f} hours"
    elif days <= 1:
        text = "a day"
    elif days < 26:
        text = f"{days:.0f} days"
    elif months <= 1:
        text = "a month"
    elif months < 11:
        text = f"{months:.0f} months"
    elif years <= 1:
        text = "a year"
    else:
        text = f"{years:.0f} years"
    return f"in {text}" if delta > 0 else f"{text} ago"


def _dispatch(unit: str) -> Formatter | None:
    """valueFormats.ts getValueFormat's `kind:argument` units."""
    kind, _, arg = unit.partition(":")
    if not arg:
        return None
    if kind == "prefix":
        return fixed_unit(arg, as_prefix=True)
    if kind == "suffix":
        return fixed_unit(arg)
    if kind == "si":
        offset = si_offset(arg[0])
        return si_prefix(arg if offset == 0 else arg[1:], offset)
    if kind == "count":
        return simple_count(arg)
    if kind == "currency":
        return currency(arg)
    if kind == "time":
        return _date(arg)
    if kind == "bool":
        true, _, false = arg.partition("/")
        return lambda value, decimals=None: Formatted(true if value else (false or "-"))
    return None


def _locale(value: float | None, decimals: int | None = None) -> Formatted:
    """toLocaleString in en-US: thousands separators, at most `decimals` (default 3) fraction digits."""
    if value is None:
        return Formatted("")
    digits = 3 if decimals is None else max(0, decimals)
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Formatted(text)


UNITS: dict[str, Formatter] = {
    "none": fixed_unit(""),
    "string": lambda value, decimals=None: Formatted("" if value is None else js_str(value)),
    "short": scaled_units(1000, ["", " K", " Mil", " Bil", " Tri", " Quadr", " Quint", " Sext", " Sept"]),
    "percent": _percent,
    "percentunit": _percent_unit,
    "humidity": fixed_unit("%H"),
    "dB": fixed_unit("dB"),
    "locale": _locale,
    "pixel": fixed_unit("px"),
    "celsius": fixed_unit("°C"),
    "fahrenheit": fixed_unit("°F"),
    "kelvin": fixed_unit("K"),
    "bits": binary_prefix("b"),
    "bytes": binary_prefix("B"),
    "kbytes": binary_prefix("B", 1),
    "mbytes": binary_prefix("B", 2),
    "gbytes": binary_prefix("B", 3),
    "tbytes": binary_prefix("B", 4),
    "pbytes": binary_prefix("B", 5),
    "decbits": si_prefix("b"),
    "decbytes": si_prefix("B"),
    "deckbytes": si_prefix("B", 1),
    "decmbytes": si_prefix("B", 2),
    "decgbytes": si_prefix("B", 3),
    "dectbytes": si_prefix("B", 4),
    "decpbytes": si_prefix("B", 5),
    "pps": si_prefix("pps"),
    "bps": si_prefix("bps"),
    "Bps": si_prefix("B/s"),
    "KBs": si_prefix("B/s", 1),
    "Kbits": si_prefix("bps", 1),
    "MBs": si_prefix("B/s", 2),
    "Mbits": si_prefix("bps", 2),
    "GBs": si_prefix("B/s", 3),
    "Gbits": si_prefix("bps", 3),
    "binBps": binary_prefix("B/s"),
    "binbps": binary_prefix("b/s"),
    "watt": si_prefix("W"),
    "kwatt": si_prefix("W", 1),
    "megwatt": si_prefix("W", 2),
    "gwatt": si_prefix("W", 3),
    "mwatt": si_prefix("W", -1),
    "volt": si_prefix("V"),
    "amp": si_prefix("A"),
    "ohm": si_prefix("Ω"),
    "kohm": si_prefix("Ω", 1),
    "Mohm": si_prefix("Ω", 2),
    "farad": si_prefix("F"),
    "µfarad": si_prefix("F", -2),
    "nfarad": si_prefix("F", -3),
    "pfarad": si_prefix("F", -4),
    "ffarad": si_prefix("F", -5),
    "henry": si_prefix("H"),
    "mhenry": si_prefix("H", -1),
    "µhenry": si_prefix("H", -2),
    "hertz": si_prefix("Hz"),
    "ns": _NANOSECONDS,
    "µs": _MICROSECONDS,
    "ms": _milliseconds,
    "s": _seconds,
    "m": _MINUTES,
    "h": _HOURS,
    "d": _DAYS,
    "dtdurationms": duration("millisecond"),
    "dtdurations": duration("second"),
    "dthms": _hms,
    "dtdhms": _dhms,
    "timeticks": lambda value, decimals=None: _seconds(None if value is None else value / 100, decimals),
    "cps": simple_count("cps"),
    "ops": simple_count("ops"),
    "reqps": simple_count("reqps"),
    "rps": simple_count("rps"),
    "wps": simple_count("wps"),
    "iops": simple_count("iops"),
    "cpm": simple_count("cpm"),
    "opm": simple_count("opm"),
    "rpm": simple_count("rpm"),
    "wpm": simple_count("wpm"),
    "currencyUSD": currency("$"),
    "currencyGBP": currency("£"),
    "currencyEUR": currency("€"),
    "currencyJPY": currency("¥"),
    "currencyKRW": currency("₩"),
    "currencyIDR": currency("Rp"),
    "currencyBTC": currency("฿"),
    "dateTimeAsIso": _date("YYYY-MM-DD HH:mm:ss"),
    "dateTimeAsUS": _date("MM/DD/YYYY h:mm:ss a"),
    "dateTimeAsSystem": _date("YYYY-MM-DD HH:mm:ss"),
}
DATE_FROM_NOW = "dateTimeFromNow"


def formatter(unit: str | None, now_ms: float | None = None) -> Formatter:
    """valueFormats.ts getValueFormat: a known id, a `kind:argument` id, or any other text as a suffix."""
    if not unit:
        return fixed_unit("")
    if unit == DATE_FROM_NOW:
        moment = now_ms if now_ms is not None else datetime.now(UTC).timestamp() * 1000

        def fmt(value: float | None, decimals: int | None = None) -> Formatted:
            return Formatted("") if value is None else Formatted(from_now(value, moment))

        return fmt
    return UNITS.get(unit) or _dispatch(unit) or fixed_unit(unit)


def format_value(
    value: float | None, unit: str | None, decimals: int | None = None, now_ms: float | None = None
) -> str:
    return str(formatter(unit, now_ms)(value, decimals))
