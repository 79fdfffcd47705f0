"""The dashboards in code: compiled JSON under provisioning/dashboards/.

Layout: `<root>/<Folder title>/<Sub folder title>/<uid>.json`; a file right under the root goes to Grafana's
General level. Directory names are folder TITLES; nested directories are nested folders.

Folder uids are derived from the directory path (grafana_json.folders.folder_uid), so that a fresh clone on
another machine finds the same folders without any state file, and the bundled stack's file provisioning
creates its folders under the same uids. A live folder whose uid equals the uid derived from its own title
path is a folder dashsync manages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from grafana_json.folders import folder_uid

from .errors import DashsyncError
from .gcpause import paused_gc

DEFAULT_ROOT = Path("provisioning/dashboards")
UID_PATTERN = re.compile(r"^[a-zA-Z0-9_-]{1,40}\Z")  # \Z: "$" would accept a trailing newline


def parse_folder_path(text: str) -> tuple[str, ...]:
    """`--folder "Platform/API"` -> ("Platform", "API")."""
    return tuple(part for part in text.strip("/").split("/") if part)


@dataclass(frozen=True)
class LocalDashboard:
    uid: str
    title: str
    folder_path: tuple[str, ...]  # () for the General level
    content: dict[str, Any]
    source: Path

    @property
    def folder_uid(self) -> str:
        return folder_uid(self.folder_path) if self.folder_path else ""


def load_dashboard_file(path: Path, root: Path) -> LocalDashboard:
    """Read one compiled dashboard; any problem is one line naming the file."""
    try:
        content = orjson.loads(path.read_bytes())  # in C: 500 dashboards of 80 KB parse in a tenth of a second
    except (OSError, orjson.JSONDecodeError) as exc:
        raise DashsyncError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(content, dict):
        raise DashsyncError(f"{path}: a dashboard must be a JSON object")
    uid, title = content.get("uid"), content.get("title")
    if not isinstance(uid, str) or not UID_PATTERN.match(uid):
        raise DashsyncError(f"{path}: missing or invalid uid (1-40 characters of a-z A-Z 0-9 _ -)")
    if not isinstance(title, str) or not title.strip():
        raise DashsyncError(f"{path}: missing title")
    content.pop("id", None)
    folder_path = tuple(path.parent.relative_to(root).parts)
    return LocalDashboard(uid, title.strip(), folder_path, content, path)


def load_dashboards(root: Path, selection: Iterable[Path] = (), folder: tuple[str, ...] = ()) -> list[LocalDashboard]:
    """All dashboards under `root`, or only those under the given files/directories and folder path."""
    if not root.is_dir():
        raise DashsyncError(f"{root}: no such directory (compile the dashboards first, or pass --dir)")
    root = root.resolve()
    files: set[Path] = set()
    for item in [Path(p).resolve() for p in selection] or [root]:
        if not item.exists():
            raise DashsyncError(f"{item}: no such file or directory")
        if root != item and root not in item.parents:
            raise DashsyncError(f"{item}: not under {root}")
        files.update([item] if item.is_file() else item.rglob("*.json"))
    with paused_gc():
        dashboards = [load_dashboard_file(path, root) for path in sorted(files)]
    seen: dict[str, Path] = {}
    for dash in dashboards:
        if dash.uid in seen:
            raise DashsyncError(f"duplicate uid {dash.uid!r} in {seen[dash.uid]} and {dash.source}")
        seen[dash.uid] = dash.source
    chosen = [d for d in dashboards if d.folder_path[: len(folder)] == folder]
    if folder and not chosen:  # a typo must not read as "nothing to do"
        known = sorted({"/".join(d.folder_path) for d in dashboards if d.folder_path})
        raise DashsyncError(
            f"--folder {'/'.join(folder)!r} matches no dashboard under {root}"
            + (f" (folders there: {', '.join(known[:8])})" if known else "")
        )
    return chosen
