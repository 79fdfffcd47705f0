"""The one way Grafana JSON becomes text and builder objects become plain JSON values, for every stage.

Text: Grafana's export style, sorted keys, 2-space indent, trailing newline, byte-identical for identical input:
the compiler writes provisioning/ with it and dashsync writes backups, pulls and exports with it, so a file
dashsync pulls is byte-for-byte what the compiler would write for the same dashboard. orjson does it in C (the
standard library's indenting encoder is pure Python and was most of a 1,000-dashboard backup's time); values
orjson refuses (integers beyond 64 bits in a hand-made dashboard) take the standard library's path.

Plain values: builder objects (grafanalib's, the project's raw panels) answer `to_json_data()`; orjson walks the
tree in C, calling it only on those objects, and parsing its bytes back is several times faster than a Python
recursion over the same tree.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_EXPORT_STYLE = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def serialise(value: Any) -> str:
    """JSON text in Grafana's export style: sorted keys, 2 spaces, trailing newline."""
    try:
        return orjson.dumps(value, option=_EXPORT_STYLE).decode() + "\n"
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _to_json_data(obj: Any) -> Any:
    if hasattr(obj, "to_json_data"):
        return obj.to_json_data()
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def plain(obj: Any) -> Any:
    """Builder objects -> plain dicts and lists, as grafanalib's own JSON encoder sees them."""
    return orjson.loads(orjson.dumps(obj, default=_to_json_data))
