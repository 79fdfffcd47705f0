"""restore: validate a whole backup first, check it against the live Grafana, then write folders (parents
first), library panels, datasources and dashboards, skipping whatever is already identical, so running it twice
changes nothing the second time and a restore stopped part-way finishes when run again.

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
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from grafana_json.walk import dashboard_panels

from .backup import KINDS, READABLE_FORMATS
from .connection import Grafana, GrafanaError
from .errors import EXIT_CONFLICT, EXIT_DIFFERENT, EXIT_OK, DashsyncError
from .foldertree import FolderTree
from .live import Live, WriteRefused, connect, landed
from .local import UID_PATTERN, parse_folder_path
from .normalise import by_value, content_hash, normalise, save_message
from .parallel import progress
from .plan import LiveDashboard, LiveFolder

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
        or manifest.get("format") not in READABLE_FORMATS
        or not isinstance(manifest.get("files"), dict)
    ):
        raise _fail(source, f"manifest.json is not a {' or '.join(READABLE_FORMATS)} manifest")
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
        dash, resource = value.get("dashboard"), value.get("resource")
        if isinstance(resource, dict):  # a v2 dashboard, kept native
            meta = resource.get("metadata")
            ok = (
                isinstance(meta, dict)
                and meta.get("name") == uid
                and str(resource.get("apiVersion", "")).startswith("dashboard.grafana.app/")
                and isinstance(resource.get("spec"), dict)
                and isinstance(resource["spec"].get("title"), str)
            )
        else:
            ok = isinstance(dash, dict) and dash.get("uid") == uid and isinstance(dash.get("title"), str)
        ok = ok and isinstance(value.get("folderUid"), str)
    elif ok and kind == "datasources":
        ok = value.get("uid") == uid and isinstance(value.get("name"), str)
    elif ok and kind == "library-panels":
        ok = (
            value.get("uid") == uid
            and isinstance(value.get("model"), dict)
            and isinstance(value.get("name"), str)
            and isinstance(value.get("kind"), int)
            and isinstance(value.get("folderUid"), str)
        )
    if not ok:
        raise _fail(source, f"{rel} does not look like a {kind[:-1]} of uid {uid}")


def select(backup: Backup, folder: str | None, uid: str | None) -> Backup:
    """Narrow to one folder subtree (uid or title path) and/or one dashboard; keep the folder chains above."""
    if not folder and not uid:
        return backup
    tree = backup_tree(backup.folders)
    dashboards, library, needed = backup.dashboards, backup.library, set[str]()
    if folder:
        root = folder if folder in tree else tree.find(parse_folder_path(folder))
        if root is None:
            raise DashsyncError(f"no folder {folder!r} in the backup")
        keep = tree.subtree(root)
        dashboards = {u: d for u, d in dashboards.items() if d["folderUid"] in keep}
        library = {u: e for u, e in library.items() if e["folderUid"] in keep}
        if not uid:  # the whole subtree, with its chain up to the top
            needed = _with_ancestors(tree, keep)
    if uid:
        if uid not in dashboards:
            raise DashsyncError(f"dashboard {uid} is not in the backup" + (" under that folder" if folder else ""))
        dashboards = {uid: dashboards[uid]}
        refs = _library_refs(dashboards[uid])
        library = {u: e for u, e in backup.library.items() if u in refs}  # what the dashboard uses, wherever
        needed = _with_ancestors(tree, {e["folderUid"] for e in library.values() if e["folderUid"]})
    needed |= _with_ancestors(tree, {d["folderUid"] for d in dashboards.values() if d["folderUid"]})
    folders = {u: f for u, f in backup.folders.items() if u in needed}
    return Backup(folders, dashboards, {}, library, backup.manifest)  # datasources only in a whole restore


def _with_ancestors(tree: FolderTree, uids: set[str]) -> set[str]:
    """The folders and every folder above them (a restored folder needs its parents first)."""
    return set(uids).union(*(tree.ancestors(u) for u in uids))


def backup_tree(folders: dict[str, dict[str, Any]]) -> FolderTree:
    return FolderTree(
        {u: f.get("parentUid") or None for u, f in folders.items()}, {u: f["title"] for u, f in folders.items()}
    )


def _library_refs(entry: dict[str, Any]) -> set[str]:
    """Library panels a backed-up dashboard uses: classic `libraryPanel` references, or v2 LibraryPanel elements."""
    refs: set[str] = set()
    resource = entry.get("resource")
    if isinstance(resource, dict):
        for element in (resource.get("spec", {}).get("elements") or {}).values():
            spec = element.get("spec", {}) if isinstance(element, dict) else {}
            lib = spec.get("libraryPanel") if isinstance(spec.get("libraryPanel"), dict) else {}
            if element.get("kind") == "LibraryPanel" and lib.get("uid"):
                refs.add(lib["uid"])
        return refs
    for panel in dashboard_panels(entry.get("dashboard", {})):
        lp = panel.get("libraryPanel")
        if isinstance(lp, dict) and lp.get("uid"):
            refs.add(lp["uid"])
    return refs


def title_of(entry: dict[str, Any]) -> str:
    resource = entry.get("resource")
    return str(resource["spec"]["title"] if isinstance(resource, dict) else entry["dashboard"]["title"])


@dataclass(frozen=True)
class LiveState:
    """What the target Grafana holds of what a backup would write: read once, before anything is planned."""

    folders: dict[str, LiveFolder]
    library: dict[str, dict[str, Any] | None]  # by the backup's uids
    library_names: dict[tuple[str, str], str]  # (name, folder uid) -> uid, every live library panel
    datasources: list[dict[str, Any]]
    dashboards: dict[str, LiveDashboard]
    natives: dict[str, dict[str, Any]]  # live v2 resources among the backup's uids


@dataclass(frozen=True)
class Write:
    verb: str
    title: str
    act: Callable[[], Any] = field(compare=False)


@dataclass(frozen=True)
class RestorePlan:
    writes: tuple[Write, ...]
    conflicts: tuple[str, ...]  # refuse the whole restore, before any write
    skipped: tuple[str, ...]  # left as Grafana has them, said why


def read_state(grafana: Grafana, live_api: Live, backup: Backup) -> LiveState:
    dash_uids = sorted(backup.dashboards)
    dashboards = live_api.dashboards(dash_uids) if dash_uids else {}
    natives = {
        u: live_api.native(u) or {}
        for u in dash_uids
        if u in dashboards and dashboards[u].stored_as_v2 and "resource" in backup.dashboards[u]
    }
    library = {u: grafana.get_library_panel(u) for u in sorted(backup.library)}
    names = {
        (str(e.get("name")), str(e.get("folderUid") or "")): str(e.get("uid"))
        for e in (grafana.list_library_panels() if backup.library else [])
    }
    return LiveState(
        folders=live_api.folders() if backup.folders else {},
        library=library,
        library_names=names,
        datasources=grafana.list_datasources() if backup.datasources else [],
        dashboards=dashboards,
        natives=natives,
    )


@dataclass
class _Planned:
    """What the per-kind planners gather, in the order they run (folders before what lives in them)."""

    writes: list[Write] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def plan_restore(grafana: Grafana, live_api: Live, backup: Backup, state: LiveState, force: bool) -> RestorePlan:
    """Pure but for the writes it describes: what to write, what refuses the restore, what is left alone.

    Refused before any write: a datasource whose name Grafana holds under another uid (Grafana answers 409), a
    library panel whose name its folder already holds under another uid (400), a folder whose title its parent
    already holds under another uid (a second folder of that name), and a dashboard changed in Grafana since
    the backup was taken (unless --force). Left alone: dashboards owned by file provisioning.
    """
    out = _Planned()
    started = str(backup.manifest.get("started") or backup.manifest.get("created") or "")
    _plan_folders(live_api, backup, state, force, out)
    _plan_library_panels(grafana, backup, state, force, started, out)
    _plan_datasources(grafana, backup, state, out)
    _plan_dashboards(live_api, backup, state, force, started, out)
    return RestorePlan(tuple(out.writes), tuple(out.conflicts), tuple(out.skipped))


def _plan_folders(live_api: Live, backup: Backup, state: LiveState, force: bool, out: _Planned) -> None:
    """Parents before children; a folder is never moved (its parent in Grafana wins), only created or renamed."""
    tree = backup_tree(backup.folders)
    taken = {(f.parent_uid, f.title): uid for uid, f in state.folders.items()}
    for u in sorted(backup.folders, key=lambda u: (len(tree.ancestors(u)), u)):
        f, live = backup.folders[u], state.folders.get(u)
        parent = f.get("parentUid") or None
        if live is None:
            other = taken.get((parent, f["title"]))
            if other is not None and not force:
                out.conflicts.append(
                    f"folder {f['title']!r} exists in Grafana under uid {other}, the backup has it "
                    f"as {u}: restoring would make a second folder of that name (--force does)"
                )
                continue
            create = partial(live_api.create_folder, f["uid"], f["title"], f.get("parentUid"))
            out.writes.append(Write("create folder", f["title"], create))
        elif live.parent_uid != parent:
            out.skipped.append(f"folder {f['title']} ({u}) has another parent in Grafana; left where it is")
        elif live.title != f["title"]:
            out.writes.append(Write("rename folder", f["title"], partial(live_api.rename_folder, f["uid"], f["title"])))


def _plan_library_panels(
    grafana: Grafana, backup: Backup, state: LiveState, force: bool, started: str, out: _Planned
) -> None:
    for u, e in sorted(backup.library.items()):
        live_el = state.library.get(u)
        body = {"uid": u, "name": e["name"], "kind": e["kind"], "folderUid": e["folderUid"], "model": e["model"]}
        holder = state.library_names.get((e["name"], e["folderUid"]))
        if live_el is None:
            if holder is not None and holder != u:
                out.conflicts.append(
                    f"library panel {e['name']!r} exists in that folder under uid {holder}, the "
                    f"backup has it as {u} (Grafana refuses a second one)"
                )
                continue
            out.writes.append(Write("create library panel", e["name"], partial(grafana.create_library_panel, body)))
            continue
        live_shape = (live_el.get("model"), live_el.get("name"), live_el.get("folderUid") or "")
        if live_shape == (e["model"], e["name"], e["folderUid"]):
            continue
        if not force and changed_since(str((live_el.get("meta") or {}).get("updated") or ""), started):
            out.conflicts.append(
                f"library panel {e['name']!r} ({u}) was changed in Grafana since the backup was "
                "taken; --force restores over it"
            )
            continue
        patch = {**body, "version": live_el.get("version", 1)}
        update = partial(grafana.update_library_panel, u, patch)
        out.writes.append(Write("update library panel", e["name"], update))


def _plan_datasources(grafana: Grafana, backup: Backup, state: LiveState, out: _Planned) -> None:
    """Only datasources Grafana lacks are created (never with secrets: a backup holds none)."""
    live_ds = {d.get("uid") for d in state.datasources}
    live_ds_names = {d.get("name"): d.get("uid") for d in state.datasources}
    for u, ds in sorted(backup.datasources.items()):
        if u in live_ds:
            continue
        if ds["name"] in live_ds_names:
            out.conflicts.append(
                f"datasource {ds['name']!r} exists in Grafana under uid {live_ds_names[ds['name']]}, "
                f"the backup has it as {u} (rename or delete one first)"
            )
            continue
        out.writes.append(Write("create datasource (no secrets)", ds["name"], partial(grafana.create_datasource, ds)))


def _plan_dashboards(
    live_api: Live, backup: Backup, state: LiveState, force: bool, started: str, out: _Planned
) -> None:
    for u, entry in sorted(backup.dashboards.items()):
        live = state.dashboards.get(u)
        if _same(entry, live, state.natives.get(u)):
            continue
        title = title_of(entry)
        if live is not None and live.provisioned:
            out.skipped.append(f"dashboard {title} ({u}) is owned by file provisioning in Grafana: not restored")
        elif "resource" in entry and not live_api.serves_v2:
            out.conflicts.append(
                f"dashboard {title} ({u}) is a v2 dashboard and this Grafana serves no "
                "dashboard.grafana.app/v2 API to restore it into (Grafana 12 or later does)"
            )
        elif live is not None and not force and changed_since(live.updated, started):
            out.conflicts.append(
                f"dashboard {title} ({u}) was changed in Grafana since the backup was taken "
                f"({live.updated or 'time unknown'}, backup started {started}); --force restores "
                "over it"
            )
        else:
            verb = ("update" if live else "create") + (" v2 dashboard" if "resource" in entry else " dashboard")
            out.writes.append(Write(verb, title, partial(_write, live_api, entry, live)))


def restore(
    grafana: Grafana,
    validated: Backup,
    echo: Echo,
    dry_run: bool = False,
    folder: str | None = None,
    uid: str | None = None,
    force: bool = False,
    report: dict[str, Any] | None = None,
) -> int:
    """Check everything against the live Grafana, then write what it lacks (the backup is not read again).

    As push: read the live state once, plan (pure), print the plan, then execute it in order."""
    backup = select(validated, folder, uid)
    live_api: Live = connect(grafana)
    plan = plan_restore(grafana, live_api, backup, read_state(grafana, live_api, backup), force)
    if report is not None:
        report.update(
            {
                "api": live_api.kind,
                "writes": [{"action": w.verb, "title": w.title} for w in plan.writes],
                "conflicts": list(plan.conflicts),
                "skipped": list(plan.skipped),
                "written": 0,
            }
        )
    if not print_restore_plan(plan, echo):
        return EXIT_CONFLICT if plan.conflicts else EXIT_OK
    if dry_run:
        echo(f"dry run: {len(plan.writes)} write(s) planned, nothing written")
        return EXIT_OK
    return execute_restore(plan, echo, report)


def print_restore_plan(plan: RestorePlan, echo: Echo) -> bool:
    """Say what the plan skips, refuses and writes; False when there is nothing to execute."""
    for line in plan.skipped:
        echo(f"skip: {line}")
    for line in plan.conflicts:
        echo(f"conflict: {line}")
    if plan.conflicts:
        echo(f"{len(plan.conflicts)} conflict(s): nothing written")
        return False
    for w in plan.writes:
        echo(f"{w.verb}: {w.title}")
    if not plan.writes:
        echo("nothing to restore: Grafana already matches the backup")
        return False
    return True


def execute_restore(plan: RestorePlan, echo: Echo, report: dict[str, Any] | None = None) -> int:
    """The writes, in the plan's order; a failure after the first write says how far it got (run it again)."""
    done = 0
    with progress(len(plan.writes), "restoring") as tick:
        for w in plan.writes:
            try:
                w.act()
            except GrafanaError as exc:
                if done == 0:
                    raise
                echo(
                    f"{w.verb} {w.title} failed: {exc.message} (after {done} of {len(plan.writes)} writes; "
                    "run the restore again to finish)"
                )
                return EXIT_DIFFERENT
            done += 1
            if report is not None:
                report["written"] = done
            tick()
    echo(f"restored: {done} write(s)")
    return EXIT_OK


def changed_since(when: str, started: str) -> bool:
    """Did Grafana save it at or after the backup started? Unknown or unreadable times count as yes."""
    try:
        return datetime.fromisoformat(when) >= datetime.fromisoformat(started)
    except ValueError:
        return True


def _same(entry: dict[str, Any], live: LiveDashboard | None, native: dict[str, Any] | None) -> bool:
    """Is the backed-up dashboard what Grafana holds now (content by value, folder, and schema)?"""
    if live is None or live.folder_uid != entry["folderUid"]:
        return False
    resource = entry.get("resource")
    if resource is None:
        return not live.stored_as_v2 and normalise(live.content) == normalise(entry["dashboard"])
    return live.stored_as_v2 and by_value((native or {}).get("spec")) == by_value(resource["spec"])


def _write(live_api: Live, entry: dict[str, Any], live: LiveDashboard | None) -> None:
    """Save one dashboard as it was backed up: classic JSON, or a v2 dashboard through the v2 API."""
    if "resource" in entry:
        resource = {**entry["resource"]}
        annotations = dict(resource["metadata"].get("annotations") or {})
        annotations.pop("grafana.app/folder", None)
        if entry["folderUid"]:
            annotations["grafana.app/folder"] = entry["folderUid"]
        resource["metadata"] = {**resource["metadata"], "annotations": annotations}
        live_api.save_native(resource, live)
        return
    body = dict(entry["dashboard"])
    digest = content_hash(body)
    # the full marker only where the backup knows dashsync wrote it; else one that never makes it prunable
    message = save_message(digest, "restored by dashsync", restored=entry.get("writtenByDashsync") is not True)
    try:
        live_api.save(body, entry["folderUid"], live, message)
    except WriteRefused:
        if not landed(live_api, body["uid"], digest, entry["folderUid"]):
            raise
