"""dashsync/preview/units.py against the values Grafana's own unit tests use.

Every expected string below is copied from a Grafana test file (grafana/grafana, packages/grafana-data/src/
valueFormats/), named in the comment above its table, so a disagreement is a disagreement with Grafana itself.
"""

from __future__ import annotations

import math

import pytest

from dashsync.preview import units

# valueFormats.test.ts, `formatTests`: getValueFormat(id)(value, decimals) then formattedValueToString.
# (The two `short` rows pass scaledDecimals, which Grafana's newer toFixed ignores; decimals 0 is what counts.)
VALUE_FORMAT_TESTS = [
    ("currencyUSD", 2, 1532.82, "$1.53K"),
    ("currencyKRW", 2, 1532.82, "₩1.53K"),
    ("ms", 4, 0.0024, "0.0024 ms"),
    ("ms", 0, 100, "100 ms"),
    ("ms", 2, 1250, "1.25 s"),
    ("ms", 1, 10000086.123, "2.8 hour"),
    ("ms", 0, 1200, "1 s"),
    ("kbytes", 3, 10000000, "9.537 GiB"),
    ("deckbytes", 3, 10000000, "10.000 GB"),
    ("megwatt", 3, 1000, "1.000 GW"),
    ("kohm", 3, 1000, "1.000 MΩ"),
    ("Mohm", 3, 1000, "1.000 GΩ"),
    ("farad", 3, 1000, "1.000 kF"),
    ("µfarad", 3, 1000, "1.000 mF"),
    ("nfarad", 3, 1000, "1.000 µF"),
    ("pfarad", 3, 1000, "1.000 nF"),
    ("ffarad", 3, 1000, "1.000 pF"),
    ("henry", 3, 1000, "1.000 kH"),
    ("mhenry", 3, 1000, "1.000 H"),
    ("µhenry", 3, 1000, "1.000 mH"),
]


@pytest.mark.parametrize(("unit", "decimals", "value", "expected"), VALUE_FORMAT_TESTS)
def test_value_formats_as_grafana_tests_them(unit: str, decimals: int, value: float, expected: str) -> None:
    assert units.format_value(value, unit, decimals) == expected


# valueFormats.test.ts, "normal cases", "format edge cases", "toFixed and negative decimals".
@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (100, None, "100"),
        (100.4, None, "100"),
        (100.5, None, "101"),
        (100, 1, "100.0"),
        (100.37, 1, "100.4"),
        (100.63, 1, "100.6"),
        (100.4, 2, "100.40"),
        (100.5, 2, "100.50"),
        (186.123, -2, "186"),
        (math.nan, None, "NaN"),
        (math.inf, None, "∞"),
        (-math.inf, None, "-∞"),
    ],
)
def test_to_fixed(value: float, decimals: int | None, expected: str) -> None:
    assert units.to_fixed(value, decimals) == expected


def test_scaled_units_handle_non_numbers() -> None:
    # valueFormats.test.ts: scaledUnits(5, ['a', 'b', 'c']) of NaN and both infinities is their locale text.
    scaler = units.scaled_units(5, ["a", "b", "c"])
    assert [scaler(v).text for v in (math.nan, -math.inf, math.inf)] == ["NaN", "-∞", "∞"]


# symbolFormatters.test.ts, describe('currency'): currency('@') and currency('@', true).
CURRENCY = [
    (0, "@", "", "0"),
    (999, "@", "", "999"),
    (1000, "@", "K", "1"),
    (1000000, "@", "M", "1"),
    (1000000000, "@", "B", "1"),
    (1000000000000, "@", "T", "1"),
    (1000000000000000, "@", "T", "1000"),
    (-1000000000000, "-@", "T", "1"),
    (-1000000000, "-@", "B", "1"),
    (-1000000, "-@", "M", "1"),
    (-1000, "-@", "K", "1"),
    (-999, "-@", "", "999"),
]


@pytest.mark.parametrize(("value", "prefix", "suffix", "text"), CURRENCY)
def test_currency(value: float, prefix: str, suffix: str, text: str) -> None:
    assert units.currency("@")(value) == units.Formatted(text, prefix, suffix)
    # asSuffix: the symbol after the scale letter, and only the minus before the number
    after = units.currency("@", as_suffix=True)(value)
    assert (after.prefix, after.text, after.suffix) == ("-" if prefix == "-@" else "", text, suffix + "@")


# symbolFormatters.test.ts, describe('SIPrefix'): SIPrefix('V').
SI = [
    (0, " V", "0"),
    (999, " V", "999"),
    (1000, " kV", "1"),
    (1000000, " MV", "1"),
    (1000000000, " GV", "1"),
    (1000000000000, " TV", "1"),
    (1000000000000000, " PV", "1"),
    (-1000000000000, " TV", "-1"),
    (-1000000000, " GV", "-1"),
    (-1000000, " MV", "-1"),
    (-1000, " kV", "-1"),
    (-999, " V", "-999"),
]


@pytest.mark.parametrize(("value", "suffix", "text"), SI)
def test_si_prefix(value: float, suffix: str, text: str) -> None:
    assert units.si_prefix("V")(value) == units.Formatted(text, "", suffix)


# dateTimeFormatters.test.ts, describe('duration').
@pytest.mark.parametrize(
    ("unit", "value", "decimals", "expected"),
    [
        ("dtdurationms", 0, 0, "0 milliseconds"),
        ("dtdurationms", 1, 0, "1 millisecond"),
        ("dtdurationms", -1, 0, "1 millisecond ago"),
        ("dtdurations", 1, 0, "1 second"),
        ("dtdurationms", 38898367008, 0, "1 year"),
        ("dtdurationms", 38898367008, 1, "1 year, 2 months"),
        (
            "dtdurationms",
            38898367008,
            20,
            "1 year, 2 months, 3 weeks, 4 days, 5 hours, 6 minutes, 7 seconds, 8 milliseconds",
        ),
        (
            "dtdurationms",
            36993906007,
            8,
            "1 year, 2 months, 0 weeks, 3 days, 4 hours, 5 minutes, 6 seconds, 7 milliseconds",
        ),
        ("dthms", 1, None, "00:00:01"),
        ("dthms", -1, None, "00:00:01 ago"),
        ("dthms", 0, None, "00:00:00"),
    ],
)
def test_durations(unit: str, value: float, decimals: int | None, expected: str) -> None:
    assert units.format_value(value, unit, decimals) == expected


@pytest.mark.parametrize(
    ("scale", "value", "decimals", "expected"),
    [
        # dateTimeFormatters.test.ts: toDuration(1, 0, Interval.X) for each interval, and the decimal rows.
        ("minute", 1, 0, "1 minute"),
        ("hour", 1, 0, "1 hour"),
        ("day", 1, 0, "1 day"),
        ("week", 1, 0, "1 week"),
        ("month", 1, 0, "1 month"),
        ("year", 1, 0, "1 year"),
        ("day", 1.5, 2, "1 day, 12 hours, 0 minutes"),
        ("month", 1.5, 3, "1 month, 2 weeks, 1 day, 0 hours"),
    ],
)
def test_duration_scales(scale: str, value: float, decimals: int, expected: str) -> None:
    assert str(units.duration(scale)(value, decimals)) == expected


def test_from_now() -> None:
    # dateTimeFormatters.test.ts: dateTimeFromNow of now - 7 days is "7 days ago", of now - 2 minutes "2 minutes ago".
    now = 1_700_000_000_000.0
    assert units.format_value(now - 7 * 86400000, "dateTimeFromNow", now_ms=now) == "7 days ago"
    assert units.format_value(now - 2 * 60000, "dateTimeFromNow", now_ms=now) == "2 minutes ago"


def test_date_time_as_iso_in_utc() -> None:
    # dateTimeFormatters.test.ts: epoch 1505634997920 in UTC, format 'YYYY-MM-DD HH:mm:ss' (the preview is UTC).
    assert units.format_value(1505634997920, "dateTimeAsIso") == "2017-09-17 07:56:37"
    assert units.format_value(1505634997920, "dateTimeAsUS") == "09/17/2017 7:56:37 am"


def test_the_units_of_the_five_dashboards() -> None:
    """The units the compiled dashboards use, each through the Grafana function categories.ts maps it to."""
    assert units.format_value(0.9321, "percentunit") == "93.2%"  # toPercentUnit: toFixed(100 * size)
    assert units.format_value(10 * 1024**3, "bytes") == "10 GiB"  # binaryPrefix('B')
    assert units.format_value(1250, "Bps") == "1.25 kB/s"  # SIPrefix('B/s')
    assert units.format_value(0.25, "s") == "250 ms"  # toSeconds below a second
    assert units.format_value(90, "s") == "1.50 min"  # toSeconds: size / 60 with getDecimalsForValue(1.5)
    assert units.format_value(1234, "reqps") == "1.23K reqps"  # simpleCountUnit('reqps')
    assert units.format_value(98765, "short") == "98.8 K"  # scaledUnits(1000, ['', ' K', ' Mil', ...])
    assert units.format_value(1234567.891, "locale") == "1,234,567.891"  # toLocaleString, en-US
    assert units.format_value(-2.5, "none") == "-2.5"  # getDecimalsForValue uses the signed value
