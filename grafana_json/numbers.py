"""Numbers as Grafana 12 and later give them back: a saved dashboard is decoded into Go's map[string]interface{},
so every number is a float64 and is written back by Go without a fraction when it is whole (`5.0` -> `5`;
dashboard_service.go LegacySaveCommandToUnstructured). The compiler writes numbers this way, and dashsync compares
and hashes by it, so both agree with what Grafana stores."""

from __future__ import annotations

from typing import Any

GO_EXPONENT_FROM = 1e21  # from here on Go writes a float64 with an exponent, not as an integer


def go_number(value: float) -> float | int:
    """One float as Go writes a float64 back: a whole number without its fraction."""
    return int(value) if value.is_integer() and -GO_EXPONENT_FROM < value < GO_EXPONENT_FROM else value


def by_value(value: Any) -> Any:
    """A copy of a JSON value with every whole float written as the integer it equals."""
    if isinstance(value, dict):
        return {k: by_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [by_value(v) for v in value]
    return go_number(value) if isinstance(value, float) else value
