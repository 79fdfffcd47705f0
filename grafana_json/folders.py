"""Folder uids derived from folder title paths: the same on every machine, with no state file.

    folder_uid(("Platform", "API")) == "platform-api-" + sha256("Platform/API")[:10]

i.e. an ASCII slug of the path (at most 24 characters, for people reading URLs) plus 10 hex digits of the
sha256 of the exact path (so "Ünïcode" and "Unicode", or two long paths sharing a prefix, never collide).
The result is at most 35 characters of [a-z0-9-], within Grafana's 40-character uid limit.

Two writers use it and must agree: the provisioning YAML gives each file provider this `folderUid`, so the
folders Grafana's file provisioning creates are the very folders dashsync manages; and dashsync creates a
folder under this uid where no provisioning runs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata


def folder_uid(path: tuple[str, ...]) -> str:
    ascii_text = unicodedata.normalize("NFKD", "-".join(path)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:24].strip("-") or "folder"
    digest = hashlib.sha256("/".join(path).encode()).hexdigest()[:10]
    return f"{slug}-{digest}"
