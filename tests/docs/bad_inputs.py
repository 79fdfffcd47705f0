"""docs/bad-inputs.md read as data: the tests that run its rows take their expectations from here."""

from __future__ import annotations

import re
from pathlib import Path

TABLE = Path(__file__).resolve().parents[2] / "docs" / "bad-inputs.md"
ROW = re.compile(r"^\| `([a-z0-9-]+)` \| (.+?) \| (\d+) \| `(.+?)` \|$")


def table_rows(section: str = "## dashsync") -> dict[str, tuple[int, str]]:
    """The rows `| `case` | what | exit | `message` |` of one section of docs/bad-inputs.md."""
    body = TABLE.read_text().split(section, 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in body.splitlines():
        found = ROW.match(line)
        if found:
            rows[found.group(1)] = (int(found.group(3)), found.group(4))
    return rows
