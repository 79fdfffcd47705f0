"""Which files the preview reads, and the refusal of anything that is not compiled dashboard JSON.

The preview draws what Grafana would load, so it reads only what the build wrote (provisioning/dashboards/ by
default, or the files and directories given) and never a Python definition: a `.py` file, a grafanalib dict, an
API envelope ({"dashboard": ..., "meta": ...}), old-style `rows`, or a panel without a gridPos is refused in one
line naming the file, before anything is queried or written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..errors import DashsyncError


@dataclass(frozen=True)
class Compiled:
    path: Path
    content: dict[str, Any]

    @property
    def uid(self) -> str:
        return str(self.content["uid"])


def _grid_problem(panels: Any, where: str) -> str | None:
    for index, panel in enumerate(panels if isinstance(panels, list) else []):
        if not isinstance(panel, dict):
            return f"{where}[{index}] is not an object"
        grid = panel.get("gridPos")
        if not isinstance(grid, dict) or not all(isinstance(grid.get(k), int | float) for k in ("x", "y", "w", "h")):
            return f"{where}[{index}] ({panel.get('title', 'untitled')!r}) has no gridPos x/y/w/h"
        nested = _grid_problem(panel.get("panels"), f"{where}[{index}].panels")
        if nested:
            return nested
    return None


def check(path: Path, content: Any) -> Compiled:
    """`content` if it is a compiled dashboard; else DashsyncError, one line naming `path` and what is wrong."""
    from grafana_json.schema import check_schema_version  # loads the schema validator: only when a preview runs

    what = "not compiled dashboard JSON (run `python -m dashboards build`; the preview reads its output)"
    if not isinstance(content, dict):
        raise DashsyncError(f"{path}: {what}: not a JSON object")
    if "dashboard" in content and "panels" not in content:
        raise DashsyncError(f"{path}: {what}: an API envelope; pass the dashboard itself")
    if "rows" in content and "panels" not in content:
        raise DashsyncError(f"{path}: {what}: old `rows` layout")
    if not isinstance(content.get("uid"), str) or not content["uid"]:
        raise DashsyncError(f"{path}: {what}: no uid")
    if not isinstance(content.get("panels"), list):
        raise DashsyncError(f"{path}: {what}: no panels list")
    try:
        check_schema_version(content.get("schemaVersion"))  # type: ignore[arg-type]
    except ValueError as exc:
        raise DashsyncError(f"{path}: {what}: {exc}") from None
    problem = _grid_problem(content["panels"], "panels")
    if problem:
        raise DashsyncError(f"{path}: {what}: {problem}")
    return Compiled(path, content)


def load(path: Path) -> Compiled:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DashsyncError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        content = orjson.loads(data)
    except orjson.JSONDecodeError:
        raise DashsyncError(f"{path}: not compiled dashboard JSON (not JSON at all)") from None
    return check(path, content)


def find(items: Iterable[Path], default_root: Path) -> list[Compiled]:
    """Every dashboard under the given files/directories (default: the compiled tree), sorted, uids unique."""
    chosen = list(items) or [default_root]
    files: list[Path] = []
    for item in chosen:
        if item.is_dir():
            files.extend(sorted(item.rglob("*.json")))
        elif item.exists():
            files.append(item)
        else:
            raise DashsyncError(f"{item}: no such file or directory")
    if not files:
        raise DashsyncError(f"no dashboard JSON under {', '.join(str(i) for i in chosen)}")
    found = [load(f) for f in files]
    seen: dict[str, Path] = {}
    for c in found:
        if c.uid in seen:
            raise DashsyncError(f"duplicate uid {c.uid!r} in {seen[c.uid]} and {c.path}")
        seen[c.uid] = c.path
    return found
