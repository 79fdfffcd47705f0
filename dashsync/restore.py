"""restore: validate a whole backup first, then write folders (parents first), library panels, datasources
and dashboards, skipping whatever is already identical, so running it twice changes nothing the second time.

Validation before the first write: the manifest parses and has the expected format; every listed file exists
and matches its sha256; every file parses and has the fields its kind needs; no stray files; every parent
folder and every dashboard's folder is in the backup. A backup that fails any check is refused whole.
Datasources are created only when missing, without secrets (a backup never holds them): re-enter those.
"""

from __future__ import annotations

import hashlib
import json
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .backup import FORMAT, KINDS
from .connection import Grafana, GrafanaError
from .errors import EXIT_DIFFERENT, EXIT_OK, DashsyncError
from .foldertree import FolderTree
from .local import UID_PATTERN, parse_folder_path
from .normalize import content_hash, normalize, save_message
from .parallel import read_all

Echo = Callable[[str], None]


@dataclass(frozen=True)
class Backup:
    folders: dict[str, dict[str, Any]]
    dashboards: dict[str, dict[str, Any]]
    datasources: dict[str, dict[str, Any]]
    library: dict[str, dict[str, Any]]
    manifest: dict[str, Any] = field(compare=False)


def _fail(source: Path, why: str) -> DashsyncError:
    return DashsyncError(f"backup {source} refused before any write: {why}")


def load_backup(source: Path) -> Backup:
    """Read and validate a whole backup (directory or .tar.gz); any problem refuses it in one line."""
    if source.is_file() and source.name.endswith((".tar.gz", ".tgz")):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                with tarfile.open(source) as tar:
                    # "data" refuses absolute paths, links leaving the archive, devices: FilterError (a TarError)
                    tar.extractall(tmp, filter="data")
            except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
                first_line = (str(exc).splitlines() or [""])[0]
                raise _fail(source, f"not a readable backup archive ({type(exc).__name__}: {first_line})") from None
            roots = [p for p in Path(tmp).iterdir() if p.is_dir()]
            if len(roots) != 1:
                raise _fail(source, "the archive must hold one backup directory")
            return _load_directory(roots[0], source)
    if not source.is_dir():
        raise DashsyncError(f"{source}: no such backup directory or .tar.gz archive")
    return _load_directory(source, source)


def _load_directory(root: Path, source: Path) -> Backup:
    try:
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _fail(source, f"manifest.json unreadable ({exc})") from None
    if (
        not isinstance(manifest, dict)
        or manifest.get("format") != FORMAT
        or not isinstance(manifest.get("files"), dict)
    ):
        raise _fail(source, f"manifest.json is not a {FORMAT} manifest")
    listed: dict[str, str] = manifest["files"]
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - {"manifest.json"}
    stray = sorted(present - listed.keys())
    if stray:
        raise _fail(source, f"{stray[0]} is not listed in the manifest")
    parsed: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
    for rel, expected in sorted(listed.items()):
        kind, _, name = rel.partition("/")
        if kind not in KINDS or "/" in name or not name.endswith(".json"):
            raise _fail(source, f"unexpected entry {rel!r} in the manifest")
        path = root / rel
        if not path.is_file():
            raise _fail(source, f"{rel} is missing")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != expected:
            raise _fail(source, f"{rel} does not match its sha256 in the manifest (corrupted or edited)")
        try:
            value = json.loads(data)
        except ValueError as exc:
            raise _fail(source, f"{rel} is not valid JSON ({exc})") from None
        uid = name.removesuffix(".json")
        _check_shape(kind, uid, value, rel, source)
        parsed[kind][uid] = value
    folders = parsed["folders"]
    for uid, f in folders.items():
        if f.get("parentUid") and f["parentUid"] not in folders:
            raise _fail(source, f"folder {uid} has parent {f['parentUid']} which is not in the backup")
    for uid, d in parsed["dashboards"].items():
        if d["folderUid"] and d["folderUid"] not in folders:
            raise _fail(source, f"dashboard {uid} is in folder {d['folderUid']} which is not in the backup")
    return Backup(folders, parsed["dashboards"], parsed["datasources"], parsed["library-panels"], manifest)


def _check_shape(kind: str, uid: str, value: Any, rel: str, source: Path) -> None:
    ok = isinstance(value, dict) and UID_PATTERN.match(uid) is not None
    if ok and kind == "folders":
        ok = value.get("uid") == uid and isinstance(value.get("title"), str) and bool(value["title"].strip())
    elif ok and kind == "dashboards":
        dash = value.get("dashboard")
        ok = (
            isinstance(dash, dict)
            and dash.get("uid") == uid
            and isinstance(dash.get("title"), str)
            and isinstance(value.get("folderUid"), str)
        )
    elif ok and kind == "datasources":
        ok = value.get("uid") == uid and isinstance(value.get("name"), str)
    elif ok and kind == "library-panels":
        ok = (
            value.get("uid") == uid
            and isinstance(value.get("model"), dict)
            and isinstance(value.get("name"), str)
        )
    if not ok:
        raise _fail(source, f"{rel} does not look like a {kind[:-1]} of uid {uid}")


def select(backup: Backup, folder: str | None, uid: str | None) -> Backup:
    """Narrow to one folder subtree (uid or title path) and/or one dashboard; keep the folder chains above."""
    folders, dashboards, library = backup.folders, backup.dashboards, backup.library
    tree = backup_tree(folders)
    if folder:
        found = folder if folder in tree else tree.find(parse_folder_path(folder))
        if found is None:
            raise DashsyncError(f"no folder {folder!r} in the backup")
        root = found
        keep = tree.subtree(root)
        dashboards = {u: d for u, d in dashboards.items() if d["folderUid"] in keep}
        library = {u: e for u, e in library.items() if e["folderUid"] in keep}
    if uid:
        if uid not in dashboards:
            raise DashsyncError(
                f"dashboard {uid} is not in the backup" + (" under that folder" if folder else "")
            )
        dashboards = {uid: dashboards[uid]}
    needed: set[str] = set()
    for d in dashboards.values():
        if d["folderUid"]:
            needed |= {d["folderUid"], *tree.ancestors(d["folderUid"])}
    if folder and not uid:
        needed |= tree.subtree(root)
        needed |= set().union(*(tree.ancestors(u) for u in set(needed)))
        library = {u: e for u, e in library.items() if not e["folderUid"] or e["folderUid"] in needed}
    elif not folder and not uid:
        needed = set(folders)
    if uid:
        lib_refs = _library_refs(dashboards[uid]["dashboard"])
        library = {u: e for u, e in backup.library.items() if u in lib_refs}
        for e in library.values():
            if e["folderUid"]:
                needed |= {e["folderUid"], *tree.ancestors(e["folderUid"])}
    return Backup(
        {u: f for u, f in folders.items() if u in needed},
        dashboards,
        backup.datasources if not (folder or uid) else {},
        library,
        backup.manifest,
    )


def backup_tree(folders: dict[str, dict[str, Any]]) -> FolderTree:
    return FolderTree(
        {u: f.get("parentUid") or None for u, f in folders.items()}, {u: f["title"] for u, f in folders.items()}
    )


def _library_refs(dashboard: dict[str, Any]) -> set[str]:
    refs: set[str] = set()
    stack = list(dashboard.get("panels") or [])
    while stack:
        panel = stack.pop()
        if isinstance(panel, dict):
            lp = panel.get("libraryPanel")
            if isinstance(lp, dict) and lp.get("uid"):
                refs.add(lp["uid"])
            stack.extend(panel.get("panels") or [])
    return refs


def restore(
    grafana: Grafana,
    validated: Backup,
    echo: Echo,
    dry_run: bool = False,
    folder: str | None = None,
    uid: str | None = None,
) -> int:
    """Write what Grafana lacks from a backup `load_backup` already validated (it is not read again)."""
    backup = select(validated, folder, uid)
    workers = grafana.settings.concurrency
    tree = backup_tree(backup.folders)
    folder_order = sorted(backup.folders, key=lambda u: (len(tree.ancestors(u)), u))
    live_folders = dict(
        zip(folder_order, read_all(grafana.get_folder, folder_order, workers, "reading folders"), strict=True)
    )
    lib_uids = sorted(backup.library)
    live_lib = dict(
        zip(lib_uids, read_all(grafana.get_library_panel, lib_uids, workers, "reading library"), strict=True)
    )
    live_ds = {d["uid"] for d in grafana.list_datasources()} if backup.datasources else set()
    dash_uids = sorted(backup.dashboards)
    live_dash = dict(
        zip(dash_uids, read_all(grafana.get_dashboard, dash_uids, workers, "reading dashboards"), strict=True)
    )

    actions: list[tuple[str, str, Callable[[], Any]]] = []
    for u in folder_order:
        f, live = backup.folders[u], live_folders[u]
        if live is None:
            actions.append(
                (
                    "create folder",
                    f["title"],
                    lambda f=f: grafana.create_folder(f["uid"], f["title"], f.get("parentUid")),
                )
            )
        elif (live.get("parentUid") or None) != f.get("parentUid"):
            echo(f"warning: folder {f['title']} ({u}) has another parent in Grafana; left where it is")
        elif live.get("title") != f["title"]:
            actions.append(
                (
                    "rename folder",
                    f["title"],
                    lambda f=f, v=live["version"]: grafana.request(
                        "PUT",
                        f"/folders/{f['uid']}",
                        json={"title": f["title"], "version": v},
                        repeatable=False,
                    ),
                )
            )
    for u in lib_uids:
        e, live = backup.library[u], live_lib[u]
        body = {
            "uid": u,
            "name": e["name"],
            "kind": e["kind"],
            "folderUid": e["folderUid"],
            "model": e["model"],
        }
        if live is None:
            actions.append(
                ("create library panel", e["name"], lambda b=body: grafana.create_library_panel(b))
            )
        elif (live.get("model"), live.get("name"), live.get("folderUid") or "") != (
            e["model"],
            e["name"],
            e["folderUid"],
        ):
            patch = {**body, "version": live.get("version", 1)}
            actions.append(
                ("update library panel", e["name"], lambda p=patch: grafana.update_library_panel(p["uid"], p))
            )
    for u, ds in sorted(backup.datasources.items()):
        if u not in live_ds:
            actions.append(
                ("create datasource (no secrets)", ds["name"], lambda ds=ds: grafana.create_datasource(ds))
            )
    for u in dash_uids:
        entry, live = backup.dashboards[u], live_dash[u]
        dash = entry["dashboard"]
        if (
            live is not None
            and normalize(live["dashboard"]) == normalize(dash)
            and (live.get("meta", {}).get("folderUid") or "") == entry["folderUid"]
        ):
            continue
        body = dict(dash)
        if live is not None:
            body["version"] = live["dashboard"].get("version", live.get("meta", {}).get("version"))
        verb = "update dashboard" if live else "create dashboard"
        actions.append((verb, dash["title"], lambda b=body, f=entry["folderUid"]: _save(grafana, b, f)))

    for verb, title, _ in actions:
        echo(f"{verb}: {title}")
    if not actions:
        echo("nothing to restore: Grafana already matches the backup")
        return EXIT_OK
    if dry_run:
        echo(f"dry run: {len(actions)} write(s) planned, nothing written")
        return EXIT_OK
    done = 0
    for verb, title, act in actions:
        try:
            act()
        except GrafanaError as exc:
            if done == 0:
                raise
            echo(f"{verb} {title} failed: {exc.message} (after {done} of {len(actions)} writes)")
            return EXIT_DIFFERENT
        done += 1
    echo(f"restored: {done} write(s)")
    return EXIT_OK


def _save(grafana: Grafana, body: dict[str, Any], folder_uid: str) -> None:
    digest = content_hash(body)
    try:
        grafana.save_dashboard(body, folder_uid, save_message(digest, "restored by dashsync"))
    except GrafanaError as exc:
        live = grafana.get_dashboard(body["uid"]) if exc.status == 412 else None
        if not live or content_hash(live["dashboard"]) != digest:
            raise
