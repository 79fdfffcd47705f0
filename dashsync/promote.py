"""promote: move what one Grafana holds (staging) to another (prod), under push's plan and conflict rules.

What is promoted is what dashsync put into the source: every dashboard there that dashsync manages (the
`dashsync` tag or a managed folder; or the uids named), read whole. A source dashboard that is not what dashsync
wrote (edited in the source's UI since, made there by hand, restored from a backup that cannot tell, or kept as
v2) is not promoted: unreviewed edits never travel to prod. It is listed as `blocked` and nothing is written
(exit 3); bring the edit into code (`dashsync pull`, then `python -m dashboards import`) or push code over it.
A dashboard owned by file provisioning in the source is promoted (its file is code).

Per-environment values: the source's values are replaced by the target's (envvalues.apply over the source's
JSON), which equals pushing the code to the target exactly when the target maps every key the source maps;
otherwise the source's value would be carried over, so that is refused before anything is read.

The target side is push's: the plan (create / update / unchanged / conflict), a dashboard edited in the
target's UI is a conflict (nothing written, exit 3; --force overwrites), writes guarded by version /
resourceVersion, and dashsync's marker in each save, so a later `dashsync push` from code recognises it. promote
never deletes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import push as push_core
from .envvalues import EnvValues, apply, unmapped
from .errors import EXIT_CONFLICT, DashsyncError
from .live import Live
from .local import LocalDashboard
from .normalise import RESTORED, content_hash, recorded_content
from .plan import MANAGED_TAG, LiveDashboard, LiveFolder, display, folder_path, is_managed_folder

Echo = Callable[[str], None]


@dataclass(frozen=True)
class Side:
    """One end of a promotion: the context's name, its Grafana, its values."""

    name: str
    live: Live = field(repr=False)
    values: EnvValues = field(default_factory=EnvValues)


@dataclass(frozen=True)
class Blocked:
    uid: str
    title: str
    folder: str
    reason: str


@dataclass(frozen=True)
class PromoteOptions:
    uids: tuple[str, ...] = ()
    folder: tuple[str, ...] = ()
    dry_run: bool = False
    force: bool = False
    message: str | None = None
    verbose: bool = False


def chosen(
    index: dict[str, LiveDashboard], folders: dict[str, LiveFolder], scope: tuple[str, ...], uids: tuple[str, ...]
) -> list[str]:
    """Pure: the source dashboards to promote (the named uids, else every managed one), within the folder scope."""
    missing = [uid for uid in uids if uid not in index]
    if missing:
        raise DashsyncError(f"no dashboard with uid {missing[0]!r} in the source Grafana")
    wanted = uids or tuple(
        uid for uid, e in index.items() if MANAGED_TAG in e.tags or is_managed_folder(e.folder_uid, folders)
    )
    return sorted(uid for uid in wanted if folder_path(index[uid].folder_uid, folders)[: len(scope)] == scope)


def why_blocked(dash: LiveDashboard, recorded: str | None, source: str) -> str | None:
    """Pure: why a source dashboard may not be promoted, or None when it is what dashsync (or a file) put there."""
    if dash.stored_as_v2:
        return f"kept in {source} as a {dash.stored_version or 'v2'} dashboard (dashsync promotes classic JSON)"
    if dash.file_managed:
        return None
    if recorded is None:  # push's rule too: its live version was saved by someone else
        return f"edited in {source}'s UI or made there by hand (its live version was not saved by dashsync)"
    if recorded.startswith(RESTORED):
        return f"restored into {source} from a backup that cannot tell who wrote it"
    if recorded_content(recorded) != content_hash(dash.content):
        return f"edited in {source}'s UI since dashsync wrote it"
    return None


def as_local(dash: LiveDashboard, folders: dict[str, LiveFolder], values: EnvValues, source: str) -> LocalDashboard:
    """Pure: a source dashboard as the target should hold it (the target's values in place of the source's)."""
    content = {k: v for k, v in dash.content.items() if k not in ("id", "version")}
    return LocalDashboard(
        dash.uid, dash.title, folder_path(dash.folder_uid, folders), apply(content, values), Path(source) / dash.uid
    )


def split(
    live: dict[str, LiveDashboard],
    provenance: dict[str, str | None],
    folders: dict[str, LiveFolder],
    target_values: EnvValues,
    source: str,
) -> tuple[list[LocalDashboard], list[Blocked]]:
    """Pure: the promotable dashboards (as the target gets them) and the blocked ones with their reason."""
    ready: list[LocalDashboard] = []
    blocked: list[Blocked] = []
    for uid in sorted(live):
        dash = live[uid]
        reason = why_blocked(dash, provenance.get(uid), source)
        if reason:
            blocked.append(Blocked(uid, dash.title, display(folder_path(dash.folder_uid, folders)), reason))
        else:
            ready.append(as_local(dash, folders, target_values, source))
    return ready, blocked


def check_ends(source: str, target: str, source_values: EnvValues, target_values: EnvValues) -> None:
    """Pure: refuse a promotion that cannot be right before either Grafana is asked anything.

    The same context at both ends moves nothing; a key the source maps and the target does not would carry
    the source's value (its datasource uid, its job) into the target.
    """
    if source == target:
        raise DashsyncError(f"--from and --to are both {source!r}: promote moves between two contexts")
    carried = unmapped(source_values, target_values)
    if carried:
        raise DashsyncError(
            f"context {source} maps {carried[0]} but {target} does not: {target} would get "
            f"{source}'s value; map it in {target} too (dashsync.yml)"
        )


def _read(
    source: Side, target_values: EnvValues, options: PromoteOptions
) -> tuple[list[LocalDashboard], list[Blocked], int]:
    folders = source.live.folders()
    index = source.live.index()
    uids = chosen(index, folders, options.folder, options.uids)
    live = source.live.dashboards(uids)
    provenance = source.live.provenance(live, [u for u in uids if u in live and not live[u].file_managed])
    ready, blocked = split(live, provenance, folders, target_values, source.name)
    return ready, blocked, len(uids)


def promote(
    source: Side, target: Side, options: PromoteOptions, echo: Echo, report: dict[str, Any] | None = None
) -> int:
    """Read the source, refuse what dashsync did not write there, plan against the target, then write."""
    check_ends(source.name, target.name, source.values, target.values)
    ready, blocked, read = _read(source, target.values, options)
    echo(f"promote {source.name} -> {target.name}: {read} dashboard(s) read from {source.name}")
    if target.values or source.values:
        echo(f"values of context {target.name} in place of {source.name}'s: {target.values.describe() or 'none'}")
    if report is not None:
        report.update(
            {
                "from": source.name,
                "to": target.name,
                "blocked": [b.__dict__ for b in blocked],
                "values": target.values.as_dict(),
                "written": 0,
                "failures": [],
            }
        )
    for item in blocked:
        where = f" in {item.folder}" if item.folder else ""
        echo(f"{'blocked':<8} {item.title} ({item.uid}){where}: {item.reason}")
    plan = push_core.plan_for(
        target.live, ready, push_core.PushOptions(root=Path("."), force=options.force, verbose=options.verbose)
    )
    if report is not None:
        report.update({"api": target.live.kind, "plan": push_core.plan_report(plan)})
    push_core.print_plan(plan, echo, options.verbose)
    if blocked:
        echo(
            f"{len(blocked)} dashboard(s) in {source.name} are not what dashsync wrote there; nothing written "
            f"(bring the change into code, or push code to {source.name} first)"
        )
        return EXIT_CONFLICT
    stop = push_core.nothing_to_write(plan, options.dry_run, echo, target.name)
    if stop is not None:
        return stop
    note = f"promoted from {source.name}" + (f": {options.message.strip()}" if options.message else "")
    return push_core.write(target.live, plan, note, echo, report, f"promoted to {target.name}")


__all__ = ["Blocked", "PromoteOptions", "Side", "check_ends", "chosen", "promote", "split", "why_blocked"]
