"""What "the same dashboard" means, and the provenance marker dashsync leaves in Grafana's version history.

Grafana rewrites `id` and `version` on every save and bumps `iteration` in the UI; none of them is content.
Two dashboards are the same when their canonical forms (those fields dropped, title trimmed like Grafana,
numbers by value, keys sorted) are equal; the content hash is the sha256 of that canonical JSON.

Numbers by value: from 12.x Grafana decodes a saved dashboard into Go's map[string]interface{}, so every number
is a float64 and comes back written by Go: `5.0` returns as `5` (LegacySaveCommandToUnstructured; contract
§15.1). A whole float therefore counts as the integer it equals, wherever dashsync hashes or compares.

No state file: every version dashsync writes carries `dashsync sha256:<hash of what it wrote>` in its save
message. On the next push, a live dashboard whose own hash equals the recorded one was not touched since; any
other live content was edited in Grafana (a conflict).
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from grafana_json.numbers import by_value

VOLATILE_KEYS = ("id", "version", "iteration")
MARKER_PATTERN = re.compile(r"dashsync (restored )?sha256:([0-9a-f]{64})")
RESTORED = "restored:"  # prefix of a recorded hash that a restore wrote (see `save_message`)
MAX_MESSAGE = 500  # Grafana 12 refuses longer save messages


def normalise(dashboard: dict[str, Any]) -> dict[str, Any]:
    """A copy without the volatile fields, title trimmed, numbers by value."""
    clean = {k: by_value(v) for k, v in dashboard.items() if k not in VOLATILE_KEYS}
    if isinstance(clean.get("title"), str):
        clean["title"] = clean["title"].strip()
    return clean


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(dashboard: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(normalise(dashboard)).encode()).hexdigest()


def save_message(digest: str, note: str | None = None, *, restored: bool = False) -> str:
    """The save message of a version dashsync writes: the user's note, then the marker.

    A restore that cannot tell whether dashsync wrote the backed-up dashboard (a legacy backup keeps no version
    history) writes `dashsync restored sha256:`: enough to recognise the restored content later (so a push from
    code updates it), never enough to prune it, since it may have been made by hand.
    """
    marker = f"dashsync {'restored ' if restored else ''}sha256:{digest}"
    if not note:
        return marker
    room = MAX_MESSAGE - len(marker) - 3
    return f"{note.strip()[:room]} [{marker}]"


def recorded_hash(message: str | None) -> str | None:
    """The hash dashsync recorded in a save message (`restored:<hash>` for a restore's), or None when someone
    else saved that version."""
    found = MARKER_PATTERN.search(message or "")
    if not found:
        return None
    return f"{RESTORED}{found.group(2)}" if found.group(1) else found.group(2)


def recorded_content(recorded: str | None) -> str | None:
    """The content hash a recorded marker vouches for, written or restored."""
    return recorded.removeprefix(RESTORED) if recorded else None
