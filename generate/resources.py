"""`python -m dashboards build --format resource --out DIR`: the compiled dashboards as Grafana 13 resource files.

Each compiled dashboard of the build (provisioning/dashboards/<Folder>/<uid>.json) becomes
`DIR/<Folder>/<uid>.json` holding a `dashboard.grafana.app/v1beta1` Dashboard (grafana_json/resource.py says
the shape and cites Grafana's source), its folder the uid the provisioning YAML and dashsync give that folder
(grafana_json/folders.py). The files are environment-free, as provisioning/ is; `dashsync --context NAME export`
writes the same files with a context's values.

DIR is kept in step in place, as the build keeps provisioning/ (a Git Sync repository can point at it): changed
files are replaced atomically, and a dashboard resource the build no longer produces is removed. Only files that
are dashboard resources are ever removed; anything else in DIR (a README, other kinds) is left alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from compiler.compile import DASHBOARDS_DIR
from generate import fileset
from grafana_json.folders import folder_uid
from grafana_json.resource import API_VERSION, KIND, dashboard_resource
from grafana_json.serialise import serialise


def resource_files(files: Mapping[str, str]) -> dict[str, str]:
    """Pure: the build's compiled dashboards as resource files, DIR-relative path -> text."""
    out: dict[str, str] = {}
    for rel, text in sorted(files.items()):
        path = PurePosixPath(rel)
        if path.suffix != ".json" or not path.is_relative_to(DASHBOARDS_DIR):
            continue
        inside = path.relative_to(DASHBOARDS_DIR)
        folder = tuple(inside.parts[:-1])
        resource = dashboard_resource(json.loads(text), folder_uid(folder) if folder else None)
        out[inside.as_posix()] = serialise(resource)
    return out


def _is_dashboard_resource(path: Path) -> bool:
    """A file a resource build wrote: JSON whose apiVersion and kind are the Dashboard resource's."""
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False
    return isinstance(document, dict) and document.get("apiVersion") == API_VERSION and document.get("kind") == KIND


def staleness(resources: Mapping[str, str], out: Path) -> fileset.Staleness:
    """What differs between the resource files and DIR; `extra` lists only dashboard resources the build dropped."""
    state = fileset.staleness(resources, out)
    found = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json") if p.is_file()) if out.is_dir() else []
    extra = tuple(rel for rel in found if rel not in resources and _is_dashboard_resource(out / rel))
    return fileset.Staleness(state.changed, state.missing, extra)


def write(resources: Mapping[str, str], out: Path) -> fileset.Staleness:
    """Bring DIR in line with the resource files (everything was built and validated before this)."""
    state = staleness(resources, out)
    fileset.write({rel: resources[rel] for rel in (*state.changed, *state.missing)}, out)
    for rel in state.extra:
        path = out / rel
        path.unlink()
        for parent in path.parents:  # a folder left empty goes too, as the build does in provisioning/
            if parent == out or any(parent.iterdir()):
                break
            parent.rmdir()
    return state


__all__ = ["resource_files", "staleness", "write"]
