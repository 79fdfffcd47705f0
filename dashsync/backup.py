"""backup: every dashboard, the folder tree, datasources without secrets and library panels, as plain JSON.

Layout (one file per object, named by uid):
    manifest.json                 format, Grafana version, org, time, counts, sha256 of every other file
    folders/<uid>.json            {"uid", "title", "parentUid"?}
    dashboards/<uid>.json         {"dashboard": <JSON without id/version>, "folderUid": ""|uid}, or for a
                                  dashboard Grafana stores in the v2 schema {"resource": <its native
                                  dashboard.grafana.app/v2* object: name, annotations, spec>, "folderUid"}
    datasources/<uid>.json        Grafana's datasource DTO without id, version, secrets or secret names
    library-panels/<uid>.json     {"uid", "name", "kind", "folderUid", "model"}

A v2 dashboard is kept as Grafana keeps it, never as the classic JSON a legacy read would down-convert it to
with loss (13) or refuse (12: 406); restore writes it back through the same v2 API. Through the legacy API
(Grafana 11, or --api legacy) a v2 dashboard cannot be read whole, so such a backup is refused before writing.

No secret is kept: datasources lose their secure fields and any `user:password@` in a URL, and every file is
readable by its owner only (files 0600, directories 0700): a backup still maps a whole Grafana.

Ids, versions and timestamps are left out on purpose: they are Grafana's bookkeeping, and leaving them out
makes backup -> restore -> backup byte-identical. Everything is written into a temporary sibling directory
that is renamed into place only when complete, so an interrupted backup never leaves a half backup at the
destination.
"""

from __future__ import annotations

import hashlib
import os
import queue
import re
import shutil
import tarfile
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grafana_json.serialise import serialise

from .connection import Grafana
from .errors import DashsyncError
from .gcpause import paused_gc
from .live import Live, connect, writable_annotations
from .local import parse_folder_path
from .normalise import content_hash
from .parallel import read_all
from .plan import LiveFolder, live_tree

FORMAT = "dashsync-backup/2"  # /2 adds v2 dashboards as native resources; restore still reads /1
READABLE_FORMATS = ("dashsync-backup/1", FORMAT)
SECRET_KEYS = ("secureJsonData", "secureJsonFields", "password", "basicAuthPassword")
KINDS = ("folders", "dashboards", "datasources", "library-panels")
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
URL_CREDENTIALS = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    counts: dict[str, int]


def subtree(selector: str, folders: dict[str, LiveFolder]) -> set[str]:
    """Folder uids under `selector` (a folder uid or a title path like "Platform/API"), itself included."""
    tree = live_tree(folders)
    root = selector if selector in tree else tree.find(parse_folder_path(selector))
    if root is None:
        raise DashsyncError(f"no folder {selector!r} in Grafana (give its uid or its title path A/B)")
    return tree.subtree(root)


class TreeWriter:
    """Writes backup files into the staging tree as they arrive, recording each file's sha256 for the manifest.

    Dashboards are handed over by the reader threads the moment each one is read, so writing overlaps the
    waiting on Grafana instead of following it; everything still lands in the staging directory only. One
    writer thread creates the files, in arrival order: creating files in one directory is serialised by the
    kernel anyway (the directory's lock), and reader threads queueing on that lock would sit there (spinning,
    on ext4) instead of asking Grafana for the next dashboard. `finish` waits for every file and raises what
    the writer met; after it (and after `close`) files are written, or dropped, directly.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.hashes: dict[str, str] = {}
        self.folders_needed: set[str] = set()  # the folders the dashboards and library panels written sit in
        self.closed = False
        self._lock = threading.Lock()
        for sub in (directory, *(directory / kind for kind in KINDS)):
            sub.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
            sub.chmod(PRIVATE_DIR)  # mkdir's mode passes through the umask
        self._queue: queue.SimpleQueue[tuple[Path, bytes] | None] = queue.SimpleQueue()
        self._failure: BaseException | None = None
        self._writer: threading.Thread | None = threading.Thread(target=self._drain, name="backup-writer", daemon=True)
        self._writer.start()

    def need(self, folder_uid: str) -> None:
        if folder_uid:
            with self._lock:
                self.folders_needed.add(folder_uid)

    def put(self, rel: str, value: Any) -> None:
        data = serialise(value).encode()
        if self.closed:  # the backup failed or was interrupted: a late reader writes nothing
            return
        if self._failure is not None:  # the writer failed (a full disk...): stop the reads, not only at the end
            raise self._failure
        digest = hashlib.sha256(data).hexdigest()
        with self._lock:
            self.hashes[rel] = digest
            queued = self._writer is not None
            if queued:
                self._queue.put((self.directory / rel, data))
        if not queued:
            write_private(self.directory / rel, data)

    def _drain(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._failure is None and not self.closed:
                try:
                    write_private(*item)
                except BaseException as exc:  # noqa: BLE001 - kept for finish() to raise in the main thread
                    self._failure = exc

    def _stop(self) -> None:
        with self._lock:
            writer, self._writer = self._writer, None
            if writer is not None:
                self._queue.put(None)
        if writer is not None:
            writer.join()

    def finish(self) -> None:
        """Every file handed over is written (or the writer's failure raised); later ones are written directly."""
        self._stop()
        if self._failure is not None:
            raise self._failure

    def close(self) -> None:
        """No file is written after this returns (what is still queued is dropped): the staging can go."""
        self.closed = True
        self._stop()


def write_private(path: Path, data: bytes) -> None:
    """A new file only its owner can read (created 0600, never widened by the umask)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    try:  # os.write, not a file object: no buffer, no isatty and seek calls (1,000 files make them count)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def without_credentials(value: Any) -> Any:
    """A datasource with every `scheme://user:password@host` written as `scheme://host` (at any depth)."""
    if isinstance(value, dict):
        return {k: without_credentials(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_credentials(v) for v in value]
    if isinstance(value, str) and "@" in value and "://" in value:
        return URL_CREDENTIALS.sub(r"\1", value)
    return value


def native_entry(resource: dict[str, Any], folder_uid: str) -> dict[str, Any]:
    """A v2 dashboard as the backup keeps it: what a restore needs to write it back, not the server's bookkeeping."""
    meta = resource.get("metadata") or {}
    annotations = writable_annotations(meta.get("annotations") or {})
    return {
        "resource": {
            "apiVersion": resource.get("apiVersion"),
            "kind": resource.get("kind", "Dashboard"),
            "metadata": {"name": meta.get("name"), "annotations": annotations},
            "spec": resource.get("spec") or {},
        },
        "folderUid": folder_uid,
    }


def collect(grafana: Grafana, folder: str | None, tag: str | None, writer: TreeWriter) -> dict[str, str]:
    """Read everything to back up into `writer`; returns the Grafana facts for the manifest."""
    started = stamp()
    workers = grafana.settings.concurrency
    health = grafana.health()
    live: Live = connect(grafana)
    folders = live.folders()
    scope = subtree(folder, folders) if folder else None
    if scope is not None:
        # keep the chain above the selected folder so a restore can recreate it
        tree = live_tree(folders)
        for uid in list(scope):
            scope |= set(tree.ancestors(uid))
    for uid, f in folders.items():
        if scope is None or uid in scope:
            writer.put(
                f"folders/{uid}.json",
                {
                    "uid": uid,
                    "title": f.title,
                    **({"parentUid": f.parent_uid} if f.parent_uid else {}),
                },
            )
    index = live.index()
    below = subtree(folder, folders) if folder else None
    uids = sorted(
        uid
        for uid, entry in index.items()
        if (below is None or entry.folder_uid in below) and (tag is None or tag in entry.tags)
    )

    def back_up_dashboard(uid: str) -> None:
        dash = live.dashboards([uid]).get(uid)
        if dash is None:  # deleted while we were reading
            return
        if dash.stored_as_v2:
            resource = live.native(uid)
            if resource is None:
                raise DashsyncError(
                    f"dashboard {uid} is stored as a v2 dashboard, which {live.kind} cannot read without loss; "
                    "nothing was written (use --api auto on Grafana 12 or later)"
                )
            writer.put(f"dashboards/{uid}.json", native_entry(resource, dash.folder_uid))
            writer.need(dash.folder_uid)
            return
        content = {k: v for k, v in dash.content.items() if k not in ("id", "version")}
        entry: dict[str, Any] = {"dashboard": content, "folderUid": dash.folder_uid}
        if dash.recorded is not None and dash.recorded == content_hash(dash.content):
            entry["writtenByDashsync"] = True  # the listing carries the marker (resource API): free to keep
        writer.put(f"dashboards/{uid}.json", entry)
        writer.need(dash.folder_uid)

    read_all(back_up_dashboard, uids, workers, "backing up dashboards")
    ds_uids = [d["uid"] for d in grafana.list_datasources()]
    for ds in read_all(grafana.get_datasource, ds_uids, workers, "backing up datasources"):
        writer.put(
            f"datasources/{ds['uid']}.json",
            without_credentials({k: v for k, v in ds.items() if k not in (*SECRET_KEYS, "id", "version")}),
        )
    for el in grafana.list_library_panels():
        if below is not None and (el.get("folderUid") or "") not in below:
            continue
        writer.need(el.get("folderUid") or "")
        writer.put(
            f"library-panels/{el['uid']}.json",
            {
                "uid": el["uid"],
                "name": el.get("name", ""),
                "kind": el.get("kind", 1),
                "folderUid": el.get("folderUid") or "",
                "model": el.get("model", {}),
            },
        )
    _folders_made_meanwhile(grafana, writer)
    return {
        "started": started,
        "url": grafana.settings.display_url,
        "version": str(health.get("version", "unknown")),
        "orgId": str(grafana.settings.org_id or _org_number(getattr(live, "namespace", "") or grafana.namespace())),
    }


def _folders_made_meanwhile(grafana: Grafana, writer: TreeWriter) -> None:
    """A folder created while the dashboards were read holds some of them: read the folders again and add it
    (with the folders above it), so that the backup stays one a restore accepts; refuse it if one is gone."""
    missing = {u for u in writer.folders_needed if f"folders/{u}.json" not in writer.hashes}
    if not missing:
        return
    folders = connect(grafana).folders()
    tree = live_tree(folders)
    for uid in sorted(missing | {a for u in missing for a in tree.ancestors(u)}):
        if uid not in folders:
            raise DashsyncError(
                f"folder {uid} was deleted while the backup read its dashboards; nothing was "
                "written, run the backup again"
            )
        if f"folders/{uid}.json" not in writer.hashes:
            f = folders[uid]
            writer.put(
                f"folders/{uid}.json",
                {"uid": uid, "title": f.title, **({"parentUid": f.parent_uid} if f.parent_uid else {})},
            )


def _org_number(namespace: str) -> int:
    return int(namespace.removeprefix("org-")) if namespace.startswith("org-") else 1


def stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_manifest(writer: TreeWriter, facts: dict[str, str]) -> dict[str, int]:
    writer.finish()
    hashes = dict(sorted(writer.hashes.items()))
    counts = {kind: sum(rel.startswith(f"{kind}/") for rel in hashes) for kind in KINDS}
    manifest = {
        "format": FORMAT,
        "grafana": {"url": facts["url"], "version": facts["version"]},
        "orgId": int(facts["orgId"]),
        "started": facts["started"],  # before the first read: anything Grafana saved later is newer
        "created": stamp(),
        "counts": counts,
        "files": hashes,
    }
    write_private(writer.directory / "manifest.json", serialise(manifest).encode())
    return counts


def backup(
    grafana: Grafana,
    out: Path,
    folder: str | None = None,
    tag: str | None = None,
    archive: bool = False,
    before_rename: Callable[[Path], None] | None = None,
) -> BackupResult:
    """Read, write into a temporary sibling, rename into place. `before_rename` lets tests interrupt."""
    final = out.with_name(out.name + ".tar.gz") if archive and not out.name.endswith(".tar.gz") else out
    if final.exists():
        raise DashsyncError(f"{final} already exists; choose another --out")
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}.", suffix=".partial", dir=final.parent))
    writer: TreeWriter | None = None
    try:
        writer = TreeWriter(staging / "backup")
        with paused_gc():  # a thousand JSON trees, none with a cycle: the collector would only walk them
            counts = write_manifest(writer, collect(grafana, folder, tag, writer))
        if archive:
            packed = staging / "backup.tar.gz"
            write_private(packed, b"")
            with tarfile.open(packed, "w:gz") as tar:
                tar.add(staging / "backup", arcname=final.name.removesuffix(".tar.gz"))
            source = packed
        else:
            source = staging / "backup"
        if before_rename:
            before_rename(source)
        os.replace(source, final)
    finally:
        if writer is not None:
            writer.close()
        shutil.rmtree(staging, ignore_errors=True)
    return BackupResult(final, counts)
