"""export: the compiled dashboards as files other tools read: `dashboard.grafana.app/v1beta1` resources (Grafana
13's Git Sync, gcx `resources push`) or the classic JSON.

The resource shape is grafana_json/resource.py's (where Grafana's source for each field is cited); this module
only lays the files out as provisioning/dashboards is, `<Folder>/<Sub folder>/<uid>.json` (Git Sync takes the
folder from that path; a tool that reads the `grafana.app/folder` annotation, gcx or a POST to /apis, gets
dashsync's folder uids, which `dashsync push` creates), and applies a context's values with `--context NAME`,
so the same code exports files for staging or prod. `python -m dashboards build --format resource` writes the
same files, environment-free, straight from the build.

The output directory must not exist; everything is written into a temporary sibling and renamed into place when
complete, so an interrupted export leaves nothing behind.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from atomicfile import write_text
from grafana_json.resource import dashboard_resource
from grafana_json.serialise import serialise

from .envvalues import EnvValues, apply
from .errors import DashsyncError
from .local import LocalDashboard, load_dashboards

FORMATS = ("resource", "classic")


def as_resource(dash: LocalDashboard) -> dict[str, Any]:
    """Pure: one compiled dashboard as a Dashboard resource, in the folder its directory names."""
    return dashboard_resource(dash.content, dash.folder_uid)


def files(dashboards: list[LocalDashboard], fmt: str, values: EnvValues) -> dict[Path, str]:
    """Pure: relative path -> file text for every dashboard, in `fmt` (resource or classic), with `values`."""
    if fmt not in FORMATS:
        raise DashsyncError(f"--format {fmt!r}: expected one of {', '.join(FORMATS)}")
    out: dict[Path, str] = {}
    for dash in dashboards:
        mapped = LocalDashboard(dash.uid, dash.title, dash.folder_path, apply(dash.content, values), dash.source)
        document = as_resource(mapped) if fmt == "resource" else mapped.content
        out[Path(*dash.folder_path, f"{dash.uid}.json")] = serialise(document)
    return out


def export(root: Path, target: Path, fmt: str, values: EnvValues) -> int:
    """Write every dashboard under `root` into the new directory `target`; returns how many were written."""
    if target.exists():
        raise DashsyncError(f"{target} already exists: export writes a new directory (remove it first)")
    produced = files(load_dashboards(root), fmt, values)  # everything read and validated before the first write
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    except OSError as exc:
        raise DashsyncError(f"cannot write {target}: {exc.strerror or type(exc).__name__}") from None
    try:
        for rel, text in produced.items():
            write_text(staging / rel, text)
        staging.chmod(0o755)
        staging.rename(target)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise DashsyncError(f"cannot write {target}: {exc.strerror or type(exc).__name__}") from None
        raise
    return len(produced)


__all__ = ["FORMATS", "as_resource", "export", "files"]
