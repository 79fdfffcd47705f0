#!/usr/bin/env python3
"""Copy Grafana's published JSON schemas into grafana_json/schema/grafana/, keeping structure only.

Usage: scripts/carry_grafana_schema.py SOURCE_DIR

SOURCE_DIR is a checkout's `jsonschema/` folder of grafana/grafana-foundation-sdk (Apache-2.0). Every
`description` annotation is stripped (the facts we need are types, properties, required, enums and refs), keys are
sorted, and files are written atomically. Properties that happen to be *named* "description" are kept.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

FILES = (
    "dashboard",
    "common",
    "units",
    "prometheus",
    "timeseries",
    "stat",
    "gauge",
    "bargauge",
    "table",
    "heatmap",
    "text",
    "piechart",
    "statetimeline",
)
TARGET = Path(__file__).resolve().parent.parent / "dashboards" / "schema" / "grafana"
# Keywords whose value is a map of *names* to schemas: their keys are data, not annotations.
NAME_MAPS = {"properties", "definitions", "patternProperties"}


def strip(node: object, in_name_map: bool = False) -> object:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if not in_name_map and key in ("description", "$comment"):
                continue
            out[key] = strip(value, in_name_map=(not in_name_map and key in NAME_MAPS))
        return out
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: carry_grafana_schema.py SOURCE_DIR (the foundation SDK's jsonschema/ folder)", file=sys.stderr)
        return 2
    source = Path(argv[0])
    TARGET.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        src = source / f"{name}.jsonschema.json"
        try:
            data = json.loads(src.read_text())
        except (OSError, ValueError) as exc:
            print(f"error: {src}: {exc}", file=sys.stderr)
            return 2
        text = json.dumps(strip(data), sort_keys=True, separators=(",", ":")) + "\n"
        fd, tmp = tempfile.mkstemp(dir=TARGET, prefix=f".{name}.")
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.replace(tmp, TARGET / f"{name}.json")
    print(f"wrote {len(FILES)} schema files to {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
