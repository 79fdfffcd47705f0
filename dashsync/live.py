"""What Grafana holds, read with one search per kind and then only the GETs that are needed."""

from __future__ import annotations

from typing import Any

from .connection import Grafana
from .normalize import recorded_hash
from .parallel import read_all
from .plan import LiveDashboard, LiveFolder


def read_folders(grafana: Grafana) -> dict[str, LiveFolder]:
    """Every folder at any depth (one search; parents from each hit's folderUid)."""
    hits = grafana.search("dash-folder")
    return {h["uid"]: LiveFolder(h["uid"], h["title"], h.get("folderUid") or None) for h in hits}


def read_index(grafana: Grafana, **filters: Any) -> dict[str, dict[str, Any]]:
    return {h["uid"]: h for h in grafana.search("dash-db", **filters)}


def as_live(found: dict[str, Any]) -> LiveDashboard:
    dash, meta = found["dashboard"], found.get("meta", {})
    return LiveDashboard(
        dash["uid"],
        str(dash.get("title", "")),
        meta.get("folderUid") or "",
        int(meta.get("version", dash.get("version", 0)) or 0),
        dash,
        tuple(dash.get("tags") or ()),
    )


def read_dashboards(grafana: Grafana, uids: list[str], workers: int) -> dict[str, LiveDashboard]:
    found = read_all(grafana.get_dashboard, uids, workers, "reading dashboards")
    return {uid: as_live(item) for uid, item in zip(uids, found, strict=True) if item is not None}


def read_provenance(
    grafana: Grafana, live: dict[str, LiveDashboard], uids: list[str], workers: int
) -> dict[str, str | None]:
    """For each uid, the hash dashsync recorded in the save message of the live version (or None)."""

    def one(uid: str) -> str | None:
        version = grafana.get_version(uid, live[uid].version)
        return recorded_hash(version.get("message")) if version else None

    return dict(zip(uids, read_all(one, uids, workers, "reading versions"), strict=True))
