"""Pure: what a push would do, from the dashboards in code and what Grafana holds.

Plain data in, plain data out: no HTTP here, so every rule (no spurious write, conflict on an edit made in
the UI, prune only what dashsync manages) is unit-testable with dictionaries.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .diff import diff_dashboard
from .foldertree import FolderTree
from .local import LocalDashboard, folder_uid
from .normalise import RESTORED, content_hash, normalise, recorded_content

MANAGED_TAG = "dashsync"  # a dashboard carrying this tag is managed wherever it lives


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    DELETE = "delete"
    KEEP = "keep"  # a prune candidate in a managed folder that dashsync never wrote: not deleted
    PROVISIONED = "provisioned"  # owned by Grafana's file provisioning: Grafana reads the file, dashsync writes nothing


@dataclass(frozen=True)
class LiveFolder:
    uid: str
    title: str
    parent_uid: str | None


@dataclass(frozen=True)
class LiveDashboard:
    uid: str
    title: str
    folder_uid: str  # "" at the General level
    version: int
    content: dict[str, Any] = field(compare=False)
    tags: tuple[str, ...] = ()
    provisioned: bool = False  # owned by a file provider that refuses API writes (allowUiUpdates: false)
    file_managed: bool = False  # written by a file provider at all (Grafana refuses to delete it either way)
    stored_as_v2: bool = False  # kept in Grafana in the v2 schema: `content` is not its classic JSON
    stored_version: str | None = None  # e.g. "v2beta1", as the resource API reports it
    resource_version: str = ""  # the resource API's optimistic-concurrency token
    recorded: str | None = None  # dashsync's marker as the listing carries it (resource API)
    updated: str = ""  # when Grafana last saved it (RFC 3339), "" when unknown


@dataclass(frozen=True)
class FolderCreate:
    uid: str
    title: str
    parent_uid: str | None
    path: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    action: Action
    uid: str
    title: str
    folder: str  # display path, "" for General
    reason: str = ""
    changes: tuple[str, ...] = ()
    live_version: int | None = None
    local: LocalDashboard | None = field(default=None, compare=False)
    live: LiveDashboard | None = field(default=None, compare=False)  # what the plan saw (version, resourceVersion)


@dataclass(frozen=True)
class Plan:
    folders: tuple[FolderCreate, ...]
    steps: tuple[Step, ...]

    def of(self, action: Action) -> list[Step]:
        return [s for s in self.steps if s.action is action]

    @property
    def writes(self) -> int:
        return len(self.folders) + sum(s.action in (Action.CREATE, Action.UPDATE, Action.DELETE) for s in self.steps)

    def counts(self) -> dict[str, int]:
        return {a.value: len(self.of(a)) for a in Action}


def live_tree(folders: dict[str, LiveFolder]) -> FolderTree:
    return FolderTree({u: f.parent_uid for u, f in folders.items()}, {u: f.title for u, f in folders.items()})


def folder_path(uid: str | None, folders: dict[str, LiveFolder]) -> tuple[str, ...]:
    """Titles from the root down to the folder `uid` (empty for General or unknown)."""
    return live_tree(folders).path(uid)


def display(path: Iterable[str]) -> str:
    return "/".join(path)


def is_managed_folder(uid: str, folders: dict[str, LiveFolder]) -> bool:
    """A folder dashsync created: its uid is the one derived from its own title path."""
    path = folder_path(uid, folders)
    return bool(path) and folder_uid(path) == uid


def differs(local: LocalDashboard, live: LiveDashboard) -> bool:
    return normalise(local.content) != normalise(live.content)


def needs_provenance(local: Iterable[LocalDashboard], live: dict[str, LiveDashboard]) -> list[str]:
    """Uids whose content differs from Grafana's: only for these is the last version's message read."""
    return [d.uid for d in local if d.uid in live and differs(d, live[d.uid])]


def _prunable(
    candidate: LiveDashboard, folders: dict[str, LiveFolder], local_uids: set[str], scope: tuple[str, ...]
) -> bool:
    """Not in code, managed by dashsync (the tag, or a managed folder) and inside the pruned scope."""
    return (
        candidate.uid not in local_uids
        and (MANAGED_TAG in candidate.tags or is_managed_folder(candidate.folder_uid, folders))
        and folder_path(candidate.folder_uid, folders)[: len(scope)] == scope
    )


def prune_needs_provenance(
    candidates: Iterable[LiveDashboard],
    folders: dict[str, LiveFolder],
    local_uids: set[str],
    scope: tuple[str, ...] = (),
) -> list[str]:
    """Prune candidates (tagged `dashsync`, or in a managed folder, within the scope): each is read in full.

    Neither the tag nor the folder proves that what is live now is what dashsync wrote: someone may have made it
    by hand, edited it since, or it may be owned by file provisioning or kept as v2. Only its content and the
    `dashsync sha256:` marker of its live version decide, so every dashboard that could be deleted is read.
    """
    return [c.uid for c in candidates if _prunable(c, folders, local_uids, scope)]


def _step(
    action: Action, dash: LocalDashboard, current: LiveDashboard, where: str, reason: str, changes: tuple[str, ...] = ()
) -> Step:
    """A step for a dashboard in code that Grafana already holds."""
    return Step(action, dash.uid, dash.title, where, reason, changes, current.version, dash, current)


def _over_v2(dash: LocalDashboard, current: LiveDashboard, where: str, force: bool) -> Step:
    """A dashboard Grafana keeps in the v2 schema (saved from 13's editor): never replaced silently."""
    if force:
        return _step(Action.UPDATE, dash, current, where, "forced over a v2 dashboard saved in Grafana")
    return _step(
        Action.CONFLICT,
        dash,
        current,
        where,
        f"stored in Grafana as a {current.stored_version or 'v2'} dashboard (saved from the new dashboard "
        "editor); dashsync writes classic JSON, --force replaces it",
    )


def _provisioned(dash: LocalDashboard, current: LiveDashboard, where: str, folders: dict[str, LiveFolder]) -> Step:
    """Owned by Grafana's file provisioning: Grafana refuses API writes and reloads the file itself."""
    if not differs(dash, current) and current.folder_uid == dash.folder_uid:
        return _step(Action.PROVISIONED, dash, current, where, "in sync (owned by file provisioning)")
    return _step(
        Action.PROVISIONED,
        dash,
        current,
        where,
        "file changed; Grafana reloads it from its provisioning files (not written through the API)",
        _changes(dash, current, where, folders),
    )


def _changes(
    dash: LocalDashboard, current: LiveDashboard, where: str, folders: dict[str, LiveFolder]
) -> tuple[str, ...]:
    """What the write would change, in dashsync diff's words (asked only when something differs)."""
    found = diff_dashboard(current.content, dash.content, display(folder_path(current.folder_uid, folders)), where)
    return found.changes if found else ()


def folder_creates(local: Iterable[LocalDashboard], folders: dict[str, LiveFolder]) -> tuple[FolderCreate, ...]:
    """Every folder the code's dashboards live in that Grafana lacks, parents before children."""
    creates: dict[str, FolderCreate] = {}
    for dash in local:
        for depth in range(1, len(dash.folder_path) + 1):
            prefix = dash.folder_path[:depth]
            uid = folder_uid(prefix)
            if uid not in folders and uid not in creates:
                creates[uid] = FolderCreate(uid, prefix[-1], folder_uid(prefix[:-1]) if depth > 1 else None, prefix)
    return tuple(sorted(creates.values(), key=lambda f: (len(f.path), f.path)))


def dashboard_step(
    dash: LocalDashboard,
    current: LiveDashboard | None,
    recorded: str | None,
    folders: dict[str, LiveFolder],
    force: bool = False,
) -> Step:
    """What push does with one dashboard in code, given what Grafana holds under its uid (None: nothing) and the
    hash dashsync recorded writing there (None: the live version was not written by dashsync)."""
    where = display(dash.folder_path)
    if current is None:
        return Step(Action.CREATE, dash.uid, dash.title, where, "new", local=dash)
    if current.stored_as_v2:
        return _over_v2(dash, current, where, force)
    if current.provisioned:
        return _provisioned(dash, current, where, folders)
    if not differs(dash, current):
        if current.folder_uid == dash.folder_uid:
            return _step(Action.UNCHANGED, dash, current, where, "")
        return _step(Action.UPDATE, dash, current, where, "moved", _changes(dash, current, where, folders))
    changes = _changes(dash, current, where, folders)
    if recorded is not None and recorded_content(recorded) == content_hash(current.content):
        return _step(Action.UPDATE, dash, current, where, "changed in code", changes)
    if force:
        return _step(Action.UPDATE, dash, current, where, "forced over changes made in Grafana", changes)
    reason = "edited in Grafana since dashsync wrote it" if recorded else "live version was not written by dashsync"
    return _step(Action.CONFLICT, dash, current, where, reason, changes)


def prune_step(candidate: LiveDashboard, recorded: str | None, folders: dict[str, LiveFolder]) -> Step:
    """Delete a managed dashboard no longer in code only when its live content is exactly what dashsync recorded
    writing; anything else (made by hand, edited since, file-provisioned, kept as v2) is kept and reported."""
    where = display(folder_path(candidate.folder_uid, folders))
    if candidate.file_managed or candidate.stored_as_v2:
        why = "owned by file provisioning" if candidate.file_managed else "a v2 dashboard dashsync never wrote"
    elif recorded is None:
        why = "not written by dashsync"
    elif recorded.startswith(RESTORED):
        why = "restored from a backup that cannot tell whether dashsync wrote it"
    elif recorded != content_hash(candidate.content):
        why = "edited in Grafana since dashsync wrote it"
    else:
        return Step(
            Action.DELETE,
            candidate.uid,
            candidate.title,
            where,
            "no longer in code",
            live_version=candidate.version,
            live=candidate,
        )
    return Step(
        Action.KEEP,
        candidate.uid,
        candidate.title,
        where,
        f"not deleted: {why}",
        live_version=candidate.version,
        live=candidate,
    )


def build_plan(
    local: list[LocalDashboard],
    live: dict[str, LiveDashboard],
    provenance: dict[str, str | None],
    folders: dict[str, LiveFolder],
    *,
    force: bool = False,
    prune_candidates: Iterable[LiveDashboard] = (),
    prune_scope: tuple[str, ...] = (),
) -> Plan:
    """Decide create / update / unchanged / conflict for each local dashboard, and delete when pruning.

    `provenance[uid]` is the hash dashsync recorded in the live version's save message (None: not written by
    dashsync). `prune_candidates` are live dashboards, read in full, to consider for deletion (pass none to not
    prune): one that carries the `dashsync` tag or sits in a managed folder is deleted only when its live
    content is exactly what dashsync recorded writing; one made by hand, edited since, file-provisioned or kept
    as v2 is kept and reported.
    """
    steps = [
        dashboard_step(dash, live.get(dash.uid), provenance.get(dash.uid), folders, force)
        for dash in sorted(local, key=lambda d: (d.folder_path, d.title.lower(), d.uid))
    ]
    local_uids = {d.uid for d in local}
    steps += [
        prune_step(candidate, provenance.get(candidate.uid), folders)
        for candidate in sorted(prune_candidates, key=lambda c: (c.title.lower(), c.uid))
        if _prunable(candidate, folders, local_uids, prune_scope)
    ]
    return Plan(folder_creates(local, folders), tuple(steps))
