"""push: plan from a few reads, print the plan, then write only what changed, one write at a time.

Reads: one folder search, one dashboard search, one GET per local dashboard that exists live, and one version
GET per dashboard whose content differs (to read dashsync's marker); with --prune, one GET and one version GET
per untagged dashboard that only its managed folder would make deletable (its marker is the proof).
Writes: missing folders parents first, then creates and updates, then deletes. Each save carries the live
version with overwrite=false, so a concurrent edit between plan and write, or a retried save that had already
landed, answers 412 instead of overwriting; the live content then tells which of the two happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .connection import Grafana, GrafanaError
from .errors import EXIT_CONFLICT, EXIT_DIFFERENT, EXIT_OK, EXIT_USAGE, DashsyncError
from .live import read_dashboards, read_folders, read_index, read_provenance
from .local import LocalDashboard, load_dashboards
from .normalize import content_hash, save_message
from .plan import Action, LiveDashboard, Plan, Step, build_plan, needs_provenance, prune_needs_provenance

Echo = Callable[[str], None]
Confirm = Callable[[str], bool]


@dataclass(frozen=True)
class PushOptions:
    root: Path
    paths: tuple[Path, ...] = ()
    folder: tuple[str, ...] = ()
    dry_run: bool = False
    force: bool = False
    prune: bool = False
    yes: bool = False
    message: str | None = None
    verbose: bool = False


def make_plan(grafana: Grafana, options: PushOptions) -> Plan:
    if options.prune and options.paths:
        raise DashsyncError("--prune works on the whole tree (optionally --folder), not on a PATH selection")
    local = load_dashboards(options.root, options.paths, options.folder)
    folders = read_folders(grafana)
    index = read_index(grafana)
    workers = grafana.settings.concurrency
    live = read_dashboards(grafana, [d.uid for d in local if d.uid in index], workers)
    differing = needs_provenance(local, live)
    provenance = read_provenance(grafana, live, differing, workers)
    candidates: list[LiveDashboard] = []
    if options.prune:
        candidates = [
            LiveDashboard(h["uid"], h["title"], h.get("folderUid") or "", 0, {}, tuple(h.get("tags", [])))
            for uid, h in index.items()
            if uid not in live
        ]
        # only candidates a managed folder alone would make deletable: one GET and one version GET each
        unproven = prune_needs_provenance(candidates, folders, {d.uid for d in local}, options.folder)
        unproven_live = read_dashboards(grafana, unproven, workers)
        provenance |= read_provenance(grafana, unproven_live, sorted(unproven_live), workers)
    return build_plan(
        local,
        live,
        provenance,
        folders,
        force=options.force,
        prune_candidates=candidates,
        prune_scope=options.folder,
    )


def print_plan(plan: Plan, echo: Echo, verbose: bool) -> None:
    for folder in plan.folders:
        echo(f"create   folder {'/'.join(folder.path)} ({folder.uid})")
    for step in plan.steps:
        if step.action is Action.UNCHANGED and not verbose:
            continue
        where = f" in {step.folder}" if step.folder else ""
        reason = f": {step.reason}" if step.reason else ""
        echo(f"{step.action.value:<9}{step.title} ({step.uid}){where}{reason}")
        if step.action in (Action.UPDATE, Action.CONFLICT) or verbose:
            for change in step.changes:
                echo(f"           {change}")
    counts = plan.counts()
    echo(
        "plan: " + ", ".join(f"{n} {name}" for name, n in counts.items()) + f", {len(plan.folders)} folder(s)"
    )


def _save(grafana: Grafana, step: Step, note: str | None) -> None:
    local = step.local
    assert local is not None
    body = {k: v for k, v in local.content.items() if k not in ("id", "version")}
    if step.live_version is not None:
        body["version"] = step.live_version
    digest = content_hash(body)
    try:
        grafana.save_dashboard(body, local.folder_uid, save_message(digest, note))
    except GrafanaError as exc:
        if exc.status != 412 or not _landed(grafana, local, digest):
            raise


def _landed(grafana: Grafana, local: LocalDashboard, digest: str) -> bool:
    """After a 412: is what we meant to write live already (a retried save that had landed)?"""
    found = grafana.get_dashboard(local.uid)
    if found is None:
        return False
    return (
        content_hash(found["dashboard"]) == digest
        and (found.get("meta", {}).get("folderUid") or "") == local.folder_uid
    )


def execute(grafana: Grafana, plan: Plan, note: str | None) -> tuple[int, list[str]]:
    """Apply the plan's writes in order; returns (writes done, failure lines). Stops at the first failure."""
    done = 0
    try:
        for folder in plan.folders:
            grafana.create_folder(folder.uid, folder.title, folder.parent_uid)
            done += 1
        for step in plan.steps:
            if step.action in (Action.CREATE, Action.UPDATE):
                _save(grafana, step, note)
                done += 1
            elif step.action is Action.DELETE:
                grafana.delete_dashboard(step.uid)
                done += 1
    except GrafanaError as exc:
        if exc.status == 412:
            return done, [f"conflict: a dashboard changed in Grafana while pushing ({exc.message})"]
        if done == 0:
            raise
        return done, [f"{exc.message} (after {done} of {plan.writes} writes)"]
    return done, []


def push(grafana: Grafana, options: PushOptions, echo: Echo, confirm: Confirm) -> int:
    plan = make_plan(grafana, options)
    print_plan(plan, echo, options.verbose)
    conflicts = plan.of(Action.CONFLICT)
    if conflicts:
        echo(
            f"{len(conflicts)} conflict(s): dashboards edited in Grafana; nothing written "
            "(review the changes above; --force overwrites them)"
        )
        return EXIT_CONFLICT
    if options.dry_run or plan.writes == 0:
        echo("dry run: nothing written" if options.dry_run else "nothing to write")
        return EXIT_OK
    deletes = plan.of(Action.DELETE)
    if deletes and not options.yes and not confirm(f"Delete {len(deletes)} dashboard(s) from Grafana?"):
        echo("aborted: nothing written")
        return EXIT_USAGE
    done, failures = execute(grafana, plan, options.message)
    for line in failures:
        echo(line)
    if failures:
        return EXIT_CONFLICT if failures[0].startswith("conflict") else EXIT_DIFFERENT
    echo(f"pushed: {done} write(s)")
    return EXIT_OK
