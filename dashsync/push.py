"""push: plan from a few reads, print the plan, then write only what changed, one write at a time.

Reads (live.py picks the API): on Grafana 12/13's resource API, one list walk for folders and one for
dashboards, whole objects with dashsync's marker as an annotation, so a no-op push of 1,000 dashboards takes a
few pages; on the legacy API, one search per kind, one GET per local dashboard that exists live and one version
GET per dashboard whose content differs. With --prune, the untagged candidates that only a managed folder
would make deletable are read too (their marker is the proof).
Writes: missing folders parents first, then creates and updates, then deletes. Each update carries what the
plan saw (the legacy version with overwrite=false, or the resourceVersion), so a concurrent edit between plan
and write, or a retried save that had already landed, is refused (412 on 11/12, 409 on 13 and on /apis)
instead of overwriting; the live content then tells which of the two happened. A create refused because the
dashboard exists (Grafana 12+'s search gives no search-after-write guarantee) is decided again on what is live.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .connection import Grafana, GrafanaError
from .errors import EXIT_CONFLICT, EXIT_DIFFERENT, EXIT_OK, EXIT_USAGE, DashsyncError
from .live import Live, WriteRefused, connect, landed
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


def make_plan(grafana: Grafana | Live, options: PushOptions) -> Plan:
    if options.prune and options.paths:
        raise DashsyncError("--prune works on the whole tree (optionally --folder), not on a PATH selection")
    live_api = connect(grafana) if isinstance(grafana, Grafana) else grafana
    local = load_dashboards(options.root, options.paths, options.folder)
    folders = live_api.folders()
    index = live_api.index()
    live = live_api.dashboards([d.uid for d in local if d.uid in index])
    differing = needs_provenance(local, live)
    provenance = live_api.provenance(live, differing)
    candidates: list[LiveDashboard] = []
    if options.prune:
        candidates = [entry for uid, entry in index.items() if uid not in live]
        # only candidates a managed folder alone would make deletable: their content and marker are read
        unproven = prune_needs_provenance(candidates, folders, {d.uid for d in local}, options.folder)
        unproven_live = live_api.dashboards(unproven)
        provenance |= live_api.provenance(unproven_live, sorted(unproven_live))
        candidates = [unproven_live.get(c.uid, c) for c in candidates]
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
        echo(f"{'create':<8} folder {'/'.join(folder.path)} ({folder.uid})")
    for step in plan.steps:
        quiet = step.action is Action.UNCHANGED or (step.action is Action.PROVISIONED and not step.changes)
        if quiet and not verbose:
            continue
        where = f" in {step.folder}" if step.folder else ""
        reason = f": {step.reason}" if step.reason else ""
        echo(f"{step.action.value:<8} {step.title} ({step.uid}){where}{reason}")
        if step.action in (Action.UPDATE, Action.CONFLICT, Action.PROVISIONED) or verbose:
            for change in step.changes:
                echo(f"           {change}")
    counts = plan.counts()
    echo(
        "plan: " + ", ".join(f"{n} {name}" for name, n in counts.items()) + f", {len(plan.folders)} folder(s)"
    )


def _body(local: LocalDashboard) -> dict:
    return {k: v for k, v in local.content.items() if k not in ("id", "version")}


def _save(live_api: Live, step: Step, note: str | None) -> None:
    """One create or update; a refusal is settled on what is live now, never by overwriting it."""
    local = step.local
    assert local is not None
    body = _body(local)
    digest = content_hash(body)
    message = save_message(digest, note)
    try:
        live_api.save(body, local.folder_uid, _planned(step), message)
    except WriteRefused:
        if landed(live_api, local.uid, digest, local.folder_uid):
            return  # a retried write that had landed, or someone wrote the same content
        if step.action is Action.CREATE:
            _create_met_existing(live_api, step, body, message)
            return
        raise


def _planned(step: Step) -> LiveDashboard | None:
    """What the plan saw of an update's target: the version (legacy) or resourceVersion (resources) to send."""
    if step.action is Action.CREATE:
        return None
    return step.live


def _create_met_existing(live_api: Live, step: Step, body: dict, message: str) -> None:
    """A create refused because the dashboard exists: search had not shown it yet (no search-after-write).

    Decided the way the plan decides: dashsync's own last write (its marker matches the live content) is updated
    in place; anything else was made by someone else and is a conflict.
    """
    local = step.local
    assert local is not None
    current = live_api.fresh(local.uid)
    if current is None:
        raise GrafanaError(f"dashboard {local.uid} could neither be created nor found", 0)
    recorded = live_api.provenance({local.uid: current}, [local.uid]).get(local.uid)
    if current.provisioned or current.stored_as_v2 or recorded != content_hash(current.content):
        raise WriteRefused(
            f"dashboard {local.uid} appeared in Grafana while pushing and was not written by dashsync", 409
        )
    live_api.save(body, local.folder_uid, current, message)


def execute(grafana: Grafana | Live, plan: Plan, note: str | None) -> tuple[int, list[str]]:
    """Apply the plan's writes in order; returns (writes done, failure lines). Stops at the first failure."""
    live_api = connect(grafana) if isinstance(grafana, Grafana) else grafana
    done = 0
    try:
        for folder in plan.folders:
            live_api.create_folder(folder.uid, folder.title, folder.parent_uid)
            done += 1
        for step in plan.steps:
            if step.action in (Action.CREATE, Action.UPDATE):
                _save(live_api, step, note)
                done += 1
            elif step.action is Action.DELETE:
                live_api.delete(step.uid)
                done += 1
    except WriteRefused as exc:
        return done, [f"conflict: a dashboard changed in Grafana while pushing ({exc.message})"]
    except GrafanaError as exc:
        if done == 0:
            raise
        return done, [f"{exc.message} (after {done} of {plan.writes} writes)"]
    return done, []


def push(grafana: Grafana, options: PushOptions, echo: Echo, confirm: Confirm) -> int:
    live_api = connect(grafana)
    plan = make_plan(live_api, options)
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
    done, failures = execute(live_api, plan, options.message)
    for line in failures:
        echo(line)
    if failures:
        return EXIT_CONFLICT if failures[0].startswith("conflict") else EXIT_DIFFERENT
    echo(f"pushed: {done} write(s)")
    return EXIT_OK


__all__ = ["PushOptions", "make_plan", "print_plan", "execute", "push", "replace"]
