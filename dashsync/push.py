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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .connection import Grafana, GrafanaError
from .envvalues import EnvValues, apply_local, unused
from .errors import EXIT_CONFLICT, EXIT_DIFFERENT, EXIT_OK, EXIT_USAGE, DashsyncError
from .live import Live, WriteRefused, connect, landed
from .local import LocalDashboard, load_dashboards
from .normalise import content_hash, recorded_content, save_message
from .parallel import progress
from .plan import Action, LiveDashboard, Plan, Step, build_plan, needs_provenance, prune_needs_provenance

Echo = Callable[[str], None]
Confirm = Callable[[str], bool]
DEFAULT_MAX_DELETE = 5


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
    max_delete: int | None = None  # None: DEFAULT_MAX_DELETE, and an empty code tree may not prune at all
    values: EnvValues = field(default_factory=EnvValues)  # the context's per-environment values (envvalues.py)
    context: str = ""  # the context those values are of, for the plan's words


def load_local(options: PushOptions) -> list[LocalDashboard]:
    """The dashboards in code the push is about; a selection that prune could misread is refused first."""
    if options.prune and options.paths:
        raise DashsyncError("--prune works on the whole tree (optionally --folder), not on a PATH selection")
    local = load_dashboards(options.root, options.paths, options.folder)
    if options.prune and not local and options.max_delete is None:
        raise DashsyncError(
            f"refusing to prune: no dashboards under {options.root} (an empty or wrong --dir would delete every "
            "dashboard dashsync manages); if that is what you mean, say how many with --max-delete N"
        )
    return local


def make_plan(grafana: Grafana | Live, options: PushOptions) -> Plan:
    live_api = connect(grafana) if isinstance(grafana, Grafana) else grafana
    return plan_for(live_api, apply_local(load_local(options), options.values), options)


def print_values(local: list[LocalDashboard], options: PushOptions, echo: Echo) -> None:
    """The context's values, and each mapped key none of the dashboards has (a typo keeps the code's default)."""
    if not options.values:
        return
    echo(f"values of context {options.context}: {options.values.describe()}")
    for key in unused((d.content for d in local), options.values):
        echo(
            f"note: context {options.context} maps {key}, which none of these dashboards has "
            "(a typo, or renamed in code?)"
        )


def plan_for(live_api: Live, local: list[LocalDashboard], options: PushOptions) -> Plan:
    """The plan for these dashboards (from code, or promoted from another Grafana) against what is live."""
    folders = live_api.folders()
    index = live_api.index()
    live = live_api.dashboards([d.uid for d in local if d.uid in index])
    differing = needs_provenance(local, live)
    provenance = live_api.provenance(live, differing)
    candidates: list[LiveDashboard] = []
    if options.prune:
        listed = [entry for uid, entry in index.items() if uid not in live]
        # every dashboard that could be deleted is read: its content and marker decide, not its tag or folder
        wanted = prune_needs_provenance(listed, folders, {d.uid for d in local}, options.folder)
        candidates = list(live_api.dashboards(wanted).values())
        provenance |= live_api.provenance({c.uid: c for c in candidates}, [c.uid for c in candidates])
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
    echo("plan: " + ", ".join(f"{n} {name}" for name, n in counts.items()) + f", {len(plan.folders)} folder(s)")


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
    if current.file_managed or current.stored_as_v2 or recorded_content(recorded) != content_hash(current.content):
        raise WriteRefused(
            f"dashboard {local.uid} appeared in Grafana while pushing and was not written by dashsync", 409
        )
    live_api.save(body, local.folder_uid, current, message)


def execute(grafana: Grafana | Live, plan: Plan, note: str | None) -> tuple[int, list[str]]:
    """Apply the plan's writes in order; returns (writes done, failure lines). Stops at the first failure."""
    live_api = connect(grafana) if isinstance(grafana, Grafana) else grafana
    done = 0
    writes = [step for step in plan.steps if step.action in (Action.CREATE, Action.UPDATE, Action.DELETE)]
    try:
        with progress(len(plan.folders) + len(writes), "writing") as tick:
            for folder in plan.folders:
                live_api.create_folder(folder.uid, folder.title, folder.parent_uid)
                done += 1
                tick()
            for step in writes:
                if step.action is Action.DELETE:
                    live_api.delete(step.uid)
                else:
                    _save(live_api, step, note)
                done += 1
                tick()
    except WriteRefused as exc:
        return done, [f"conflict: a dashboard changed in Grafana while pushing ({exc.message})"]
    except GrafanaError as exc:
        if done == 0:
            raise
        return done, [f"{exc.message} (after {done} of {plan.writes} writes)"]
    return done, []


def plan_report(plan: Plan) -> dict[str, Any]:
    """The plan as plain data, for --json."""
    return {
        "folders": [
            {"uid": f.uid, "title": f.title, "parentUid": f.parent_uid, "path": "/".join(f.path)} for f in plan.folders
        ],
        "steps": [
            {
                "action": s.action.value,
                "uid": s.uid,
                "title": s.title,
                "folder": s.folder,
                "reason": s.reason,
                "changes": list(s.changes),
            }
            for s in plan.steps
        ],
        "counts": plan.counts(),
    }


def push(
    grafana: Grafana, options: PushOptions, echo: Echo, confirm: Confirm, report: dict[str, Any] | None = None
) -> int:
    """Plan, print, then write; `report` (when given) receives the plan and the outcome as data (--json)."""
    live_api = connect(grafana)
    local = load_local(options)
    print_values(local, options, echo)
    plan = plan_for(live_api, apply_local(local, options.values), options)
    if report is not None:
        report.update({"api": live_api.kind, "plan": plan_report(plan), "written": 0, "failures": []})
        if options.values:
            report["values"] = options.values.as_dict()
    print_plan(plan, echo, options.verbose)
    deletes = plan.of(Action.DELETE)
    bound = DEFAULT_MAX_DELETE if options.max_delete is None else options.max_delete
    if len(deletes) > bound:  # before --dry-run returns, so that a dry run in CI fails the same way
        raise DashsyncError(
            f"refusing to delete {len(deletes)} dashboards, more than --max-delete {bound}; nothing written "
            f"(check --dir; pass --max-delete {len(deletes)} if you mean it)"
        )
    stop = nothing_to_write(plan, options.dry_run, echo, "Grafana")
    if stop is not None:
        return stop
    if deletes and not options.yes and not confirm(f"Delete {len(deletes)} dashboard(s) from Grafana?"):
        echo("aborted: nothing written")
        return EXIT_USAGE
    return write(live_api, plan, options.message, echo, report, "pushed")


def nothing_to_write(plan: Plan, dry_run: bool, echo: Echo, edited_in: str) -> int | None:
    """The exit code when the plan stops before any write (a conflict, a dry run, nothing changed), else None."""
    conflicts = plan.of(Action.CONFLICT)
    if conflicts:
        echo(
            f"{len(conflicts)} conflict(s): dashboards edited in {edited_in}; nothing written "
            "(review the changes above; --force overwrites them)"
        )
        return EXIT_CONFLICT
    if dry_run or plan.writes == 0:
        echo("dry run: nothing written" if dry_run else "nothing to write")
        return EXIT_OK
    return None


def write(
    live_api: Live, plan: Plan, message: str | None, echo: Echo, report: dict[str, Any] | None, done_word: str
) -> int:
    """Execute the plan and say how it went (push and promote alike): the exit code."""
    done, failures = execute(live_api, plan, message)
    if report is not None:
        report.update({"written": done, "failures": failures})
    for line in failures:
        echo(line)
    if failures:
        return EXIT_CONFLICT if failures[0].startswith("conflict") else EXIT_DIFFERENT
    echo(f"{done_word}: {done} write(s)")
    return EXIT_OK


__all__ = [
    "PushOptions",
    "load_local",
    "make_plan",
    "plan_for",
    "print_plan",
    "print_values",
    "nothing_to_write",
    "execute",
    "write",
    "push",
]
