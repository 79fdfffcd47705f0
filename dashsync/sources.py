"""Where the dashboards `dashsync diff` compares come from: code, a directory, a git revision, or Grafana.

Each source yields {uid: (dashboard JSON, folder display path)}, the input of diff.diff_sets.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from .connection import Grafana
from .diff import V2_MARKER
from .errors import DashsyncError
from .live import connect
from .local import load_dashboards
from .plan import MANAGED_TAG, display, folder_path, is_managed_folder

DashboardSet = dict[str, tuple[dict[str, Any], str]]


def from_directory(root: Path, folder: tuple[str, ...] = ()) -> DashboardSet:
    return {d.uid: (d.content, display(d.folder_path)) for d in load_dashboards(root, folder=folder)}


def from_git(rev: str, root: Path, folder: tuple[str, ...] = ()) -> DashboardSet:
    """The compiled dashboards as committed at `rev` (read with git show; the work tree is not touched)."""
    root = root.resolve()
    try:
        top = Path(git_output(root if root.is_dir() else Path.cwd(), "rev-parse", "--show-toplevel").strip())
        prefix = root.relative_to(top).as_posix()
        names = git_output(top, "ls-tree", "-r", "--name-only", rev, "--", prefix).splitlines()
    except ValueError:
        raise DashsyncError(f"{root} is not inside the git repository") from None
    out: DashboardSet = {}
    for name in names:
        if not name.endswith(".json"):
            continue
        try:
            content = json.loads(git_output(top, "show", f"{rev}:{name}"))
        except ValueError as exc:
            raise DashsyncError(f"{rev}:{name}: not valid JSON ({exc})") from None
        path = tuple(Path(name).parent.relative_to(prefix).parts)
        if isinstance(content, dict) and isinstance(content.get("uid"), str) and path[: len(folder)] == folder:
            out[content["uid"]] = (content, display(path))
    return out


def git_output(cwd: Path, *args: str) -> str:
    """What `git ARGS` prints in cwd; a failure is one line (the review reads rule files through it too)."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise DashsyncError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["unknown error"])[0]
        raise DashsyncError(f"git {' '.join(args[:2])}: {first}")
    return done.stdout


def from_live(grafana: Grafana, folder: tuple[str, ...] = (), also: frozenset[str] = frozenset()) -> DashboardSet:
    """Live dashboards dashsync manages (tagged or in a managed folder), plus those whose uid is in `also`.

    Unmanaged dashboards (someone's scratch work at the General level) are not "only in live" differences.
    A dashboard Grafana keeps in the v2 schema stands as a marker the diff reports as "not comparable".
    """
    live_api = connect(grafana)
    folders = live_api.folders()
    index = live_api.index()
    wanted = sorted(
        uid
        for uid, entry in index.items()
        if uid in also or MANAGED_TAG in entry.tags or is_managed_folder(entry.folder_uid, folders)
    )
    out: DashboardSet = {}
    for uid, dash in live_api.dashboards(wanted).items():
        path = folder_path(dash.folder_uid, folders)
        if path[: len(folder)] == folder:
            content = (
                {"uid": uid, "title": dash.title, V2_MARKER: dash.stored_version or "v2"}
                if dash.stored_as_v2
                else dash.content
            )
            out[uid] = (content, display(path))
    return out
