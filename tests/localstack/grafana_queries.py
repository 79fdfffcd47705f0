"""Run a dashboard's queries the way Grafana would: variables resolved against Prometheus, default time range.

Grafana's rules, as implemented here: `$__interval` is the step (range / max data points, at least the scrape
interval), `$__rate_interval` is max($__interval + scrape interval, 4 x scrape interval), `$__range` is the
dashboard's range; a multi-value or include-all variable set to All becomes the regex of every value.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lint.grafana_vars import VarUse, substitute
from localstack.stack import api

MAX_DATA_POINTS = 1000
ROOT = Path(__file__).resolve().parents[2]
_RELATIVE = re.compile(r"^now-(\d+)([smhdw])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(?:(.*),\s*)?(\w+)\s*\)\s*$")


def compiled_dashboards() -> list[dict]:
    """The compiled dashboards under provisioning/, as Grafana loads them."""
    files = sorted((ROOT / "provisioning" / "dashboards").glob("**/*.json"))
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


@dataclass(frozen=True)
class Window:
    start: float
    end: float
    step: int  # seconds
    scrape: int  # seconds

    @property
    def range_s(self) -> int:
        return int(self.end - self.start)

    @property
    def rate_interval(self) -> int:
        return max(self.step + self.scrape, 4 * self.scrape)


def window(dashboard: dict[str, Any], scrape_seconds: int, now: float | None = None) -> Window:
    """The dashboard's default time range, its end aligned so the last step lands on `now`."""
    t = dashboard.get("time") or {}
    m = _RELATIVE.match(str(t.get("from", "now-6h")))
    if not m or t.get("to", "now") != "now":
        raise ValueError(f"unsupported default time range {t!r}")
    seconds = int(m.group(1)) * _UNIT[m.group(2)]
    step = max(scrape_seconds, -(-seconds // MAX_DATA_POINTS))
    while seconds % step:  # a step dividing the range puts the last point exactly at `end` (Grafana aligns too)
        step += 1
    end = now if now is not None else time.time()
    return Window(end - seconds, end, step, scrape_seconds)


def _regex_escape(value: str) -> str:
    """Regex-escape for use inside a PromQL double-quoted string (so each backslash is doubled), as Grafana does."""
    return re.sub(r"([\\.^$*+?()\[\]{}|])", r"\\\\\1", value)


def variable_values(prometheus_url: str, dashboard: dict[str, Any], w: Window) -> dict[str, str]:
    """Variable name -> interpolated value, resolving `label_values(...)` against Prometheus in order."""
    values: dict[str, str] = {}
    for var in (dashboard.get("templating") or {}).get("list") or []:
        name, kind = var.get("name"), var.get("type")
        if kind == "datasource":
            continue
        if kind == "query":
            query = var.get("query")
            query = query.get("query") if isinstance(query, dict) else query
            m = _LABEL_VALUES.match(interpolate(str(query), values, w))
            if not m:
                raise ValueError(f"variable {name}: unsupported query {query!r}")
            selector, label = m.group(1), m.group(2)
            params = {"start": str(w.start), "end": str(w.end)}
            if selector:
                params["match[]"] = selector
            found = sorted(api(prometheus_url, f"/api/v1/label/{label}/values", **params))
            if not found:
                raise AssertionError(f"variable {name}: {query!r} has no values on the stack")
            current = (var.get("current") or {}).get("value")
            all_selected = current in ("$__all", ["$__all"]) or current == ["All"]
            if all_selected or (not current and var.get("includeAll")):
                values[name] = "(" + "|".join(_regex_escape(v) for v in found) + ")"
            elif isinstance(current, str) and current in found:
                values[name] = current
            else:
                values[name] = found[0]
        elif kind in ("custom", "constant", "textbox", "interval"):
            current = (var.get("current") or {}).get("value") or var.get("query", "")
            values[name] = current if isinstance(current, str) else str(current[0])
    return values


def interpolate(expr: str, values: dict[str, str], w: Window) -> str:
    builtins = {
        "__rate_interval": f"{w.rate_interval}s",
        "__interval": f"{w.step}s",
        "__interval_ms": str(w.step * 1000),
        "__range": f"{w.range_s}s",
        "__range_s": str(w.range_s),
        "__range_ms": str(w.range_s * 1000),
    }

    def value(use: VarUse) -> str:
        if use.name in builtins:
            return builtins[use.name]
        if use.name not in values:
            raise ValueError(f"query uses ${use.name}, which the dashboard does not define")
        return values[use.name]

    return substitute(expr, value)


def query(
    url: str, target: dict[str, Any], values: dict[str, str], w: Window, **extra: str
) -> tuple[str, dict[str, Any]]:
    """(the query as sent, the API's `data`) for one panel target: an instant query at the window's end for an
    instant-only target, else a range query over the window at its step. `url` is any Prometheus query API
    (Prometheus itself, or a store answering the same API, which may take `extra` parameters)."""
    expr = interpolate(target["expr"], values, w)
    if target.get("instant") and not target.get("range"):
        return expr, api(url, "/api/v1/query", query=expr, time=str(w.end), **extra)
    return expr, api(
        url, "/api/v1/query_range", query=expr, start=str(w.start), end=str(w.end), step=str(w.step), **extra
    )


def run(prometheus_url: str, target: dict[str, Any], values: dict[str, str], w: Window) -> tuple[str, int]:
    """(the query as sent, the number of series it returned) for one panel target."""
    expr, data = query(prometheus_url, target, values, w)
    return expr, len(data["result"])
