"""The dashsync command line: parse options, call the core, map results to exit codes.

Exit codes: 0 success; 1 differences found (diff) or partial failure; 2 usage error, unreachable Grafana,
bad credentials, invalid input, an unexpected error; 3 conflict (a dashboard edited in Grafana since dashsync
wrote it).
Every failure is one line on stderr, never a traceback, never a credential.
"""

from __future__ import annotations

import functools
import importlib
import json
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from atomicfile import write_text

from . import backup as backup_core
from . import diff as diff_core
from . import envvalues, selection, sources
from . import health as health_core
from . import push as push_core
from . import restore as restore_core
from .connection import Grafana, GrafanaError, Settings
from .context_cli import context_command
from .environment_cli import environment_commands
from .errors import EXIT_DIFFERENT, EXIT_OK, EXIT_USAGE, DashsyncError, failures_as_one_line
from .gcpause import paused_gc
from .live import API_CHOICES
from .local import DEFAULT_ROOT, UID_PATTERN, parse_folder_path


def connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command shares; each also read from its GRAFANA_* environment variable."""
    options = [
        click.option(
            "--url",
            envvar="GRAFANA_URL",
            default="http://127.0.0.1:3030",  # the bundled stack's Grafana (compose/docker-compose.yml)
            show_default=True,
            help="Grafana base URL [env GRAFANA_URL].",
        ),
        click.option("--token", envvar="GRAFANA_TOKEN", help="Service-account token [env GRAFANA_TOKEN]."),
        click.option("--user", envvar="GRAFANA_USER", help="Basic-auth user [env GRAFANA_USER]."),
        click.option("--password", envvar="GRAFANA_PASSWORD", help="Basic-auth password [env GRAFANA_PASSWORD]."),
        click.option("--org-id", envvar="GRAFANA_ORG_ID", type=int, help="Organisation id [env GRAFANA_ORG_ID]."),
        click.option(
            "--ca-cert",
            type=click.Path(exists=True, dir_okay=False),
            help="CA bundle to verify Grafana's TLS certificate.",
        ),
        click.option("--insecure", is_flag=True, help="Do not verify TLS certificates (explicit only)."),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            default=10.0,
            show_default=True,
            help="Seconds to wait for each answer.",
        ),
        click.option(
            "--retries",
            type=click.IntRange(min=1),
            default=8,
            show_default=True,
            help="Attempts for requests that are safe to repeat (connection errors, 429, 5xx).",
        ),
        click.option(
            "--backoff",
            type=click.FloatRange(min=0),
            default=0.2,
            show_default=True,
            hidden=True,
            help="First retry delay in seconds; doubles each attempt.",
        ),
        click.option(
            "--retry-budget",
            type=click.FloatRange(min=0),
            default=30.0,
            show_default=True,
            help="Seconds one retry sequence may take, waits included (429 Retry-After is honoured within it).",
        ),
        click.option(
            "--concurrency",
            type=click.IntRange(min=1, max=64),
            default=Settings.concurrency,  # 16: a legacy backup is a GET per dashboard; 8 at a time waited (bench/)
            show_default=True,
            help="Parallel reads.",
        ),
        click.option(
            "--api",
            envvar="DASHSYNC_API",
            type=click.Choice(API_CHOICES),
            default="auto",
            show_default=True,
            help="auto: Grafana 12/13's resource API (/apis) where served, else the legacy /api [env DASHSYNC_API].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _settings(kw: dict[str, Any]) -> Settings:
    names = (
        "url",
        "token",
        "user",
        "password",
        "org_id",
        "ca_cert",
        "insecure",
        "timeout",
        "retries",
        "backoff",
        "retry_budget",
        "concurrency",
        "api",
    )
    return selection.for_command({name: kw.pop(name) for name in names})  # a context, or the GRAFANA_* environment


def run(core: Callable[..., int]) -> Callable[..., None]:
    """Build the connection, call the core, exit with its code; expected failures become one line."""

    @functools.wraps(core)
    def wrapper(**kw: Any) -> None:
        with failures_as_one_line("dashsync"):
            code = core(_settings(kw), **kw)
        sys.exit(code)

    return wrapper


def echo(line: str) -> None:
    click.echo(line)


def with_json(core: Callable[..., int]) -> Callable[..., int]:
    """`--json`: the command's lines are collected and one JSON document is printed instead (report, messages,
    exit code), for CI. The core takes `out` (where lines go) and `report` (a dict it fills, or None)."""

    @click.option("--json", "as_json", is_flag=True, help="Print one JSON document instead of lines.")
    @functools.wraps(core)
    def wrapper(settings: Settings, as_json: bool, **kw: Any) -> int:
        if not as_json:
            return core(settings, out=echo, report=None, **kw)
        lines: list[str] = []
        report: dict[str, Any] = {}
        try:
            code = core(settings, out=lines.append, report=report, **kw)
        except DashsyncError as exc:  # a failure is a JSON document too (and still the one line on stderr)
            report["error"], code = exc.message, exc.exit_code
            click.echo(f"dashsync: error: {exc.message}", err=True)
        click.echo(
            json.dumps({**report, "messages": lines, "exit": code}, indent=2, sort_keys=True, ensure_ascii=False)
        )
        return code

    return wrapper


LAZY_COMMANDS = {  # name: (module, attribute), imported only when the command runs or --help lists it
    "review": ("dashsync.review.cli", "review"),  # dashsync/review/: pull-request review of dashboards and rules
    "preview": ("dashsync.preview.cli", "preview"),  # dashsync/preview/: dashboards drawn with real data, offline HTML
}


class LazyGroup(click.Group):
    """review and preview are a quarter of dashsync's start-up time (rules, SVG, layout); the Grafana commands
    never need them, so they are imported when asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            module, attribute = LAZY_COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(module), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option(
    "--context",
    "context_name",
    envvar="DASHSYNC_CONTEXT",
    metavar="NAME",
    help="The Grafana to talk to, as named in dashsync.yml (see `dashsync context list`) [env DASHSYNC_CONTEXT].",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="DASHSYNC_CONFIG",
    help="The contexts file instead of ./dashsync.yml [env DASHSYNC_CONFIG].",
)
@click.pass_context
def main(ctx: click.Context, context_name: str | None, config: Path | None) -> None:
    """Move Grafana dashboards between this repository and a live Grafana.

    Exit codes: 0 success, 1 differences found or partial failure, 2 usage error / unreachable Grafana /
    bad credentials / invalid input / unexpected error, 3 conflict (a dashboard was edited in Grafana).
    """
    ctx.ensure_object(dict).update({"context": context_name, "config": config})


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--dir",
    "root",
    type=click.Path(path_type=Path),
    default=DEFAULT_ROOT,
    show_default=True,
    help="Root of the compiled dashboards; directory names are folder titles.",
)
@click.option("--folder", help="Only dashboards under this folder path, e.g. 'Platform/API'.")
@click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
@click.option("--force", is_flag=True, help="Overwrite dashboards edited in Grafana (conflicts).")
@click.option("--prune", is_flag=True, help="Delete managed dashboards that no longer exist in code.")
@click.option("--yes", is_flag=True, help="Do not ask before deleting (with --prune).")
@click.option(
    "--max-delete",
    type=click.IntRange(min=0),
    default=None,
    help="With --prune: refuse to delete more than N dashboards [default: 5]; also needed to prune "
    "with an empty code tree.",
)
@click.option("--message", help="Note recorded in each version dashsync writes.")
@click.option("-v", "--verbose", is_flag=True, help="Also list unchanged dashboards and every change.")
@connection_options
@run
@with_json
def push(
    settings: Settings,
    out: Callable[[str], None],
    report: dict[str, Any] | None,
    paths: tuple[Path, ...],
    root: Path,
    folder: str | None,
    dry_run: bool,
    force: bool,
    prune: bool,
    yes: bool,
    message: str | None,
    verbose: bool,
    max_delete: int | None,
) -> int:
    """Push the compiled dashboards (PATH... limits to files or directories) to Grafana.

    Prints a plan (create / update / unchanged / conflict / delete) and writes only what changed: missing
    folders first, parents before children. A dashboard edited in Grafana since dashsync wrote it is a
    conflict: nothing is written, the changes are shown, exit 3; --force overwrites.
    """
    options = push_core.PushOptions(
        root=root,
        paths=paths,
        folder=parse_folder_path(folder or ""),
        dry_run=dry_run,
        force=force,
        prune=prune,
        yes=yes,
        message=message,
        verbose=verbose,
        max_delete=max_delete,
        values=selection.current_values(),
        context=target.name if (target := selection.current()) else "",
    )

    def confirm(question: str) -> bool:
        if not sys.stdin.isatty():
            raise DashsyncError("refusing to delete without confirmation: pass --yes")
        return click.confirm(question, default=False, err=True)

    return push_core.push(Grafana(settings), options, out, confirm, report)


@main.command()
@click.option(
    "--out",
    "target",
    type=click.Path(path_type=Path),
    help="Backup directory to create; it must not exist (default backups/grafana-<UTC time>).",
)
@click.option("--folder", help="Only this folder (uid or title path 'A/B') and its subfolders.")
@click.option("--tag", help="Only dashboards carrying this tag.")
@click.option("--archive", is_flag=True, help="Write one .tar.gz instead of a directory.")
@connection_options
@run
@with_json
def backup(
    settings: Settings,
    out: Callable[[str], None],
    report: dict[str, Any] | None,
    target: Path | None,
    folder: str | None,
    tag: str | None,
    archive: bool,
) -> int:
    """Back up dashboards, the folder tree, datasources (without secrets) and library panels.

    One JSON file per object named by uid, plus manifest.json with sha256 of every file. Written to a
    temporary directory and renamed into place only when complete.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = target or Path("backups") / f"grafana-{stamp}"
    result = backup_core.backup(Grafana(settings), target, folder, tag, archive)
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts.items())
    if report is not None:
        report.update({"path": str(result.path), "counts": result.counts})
    out(f"backup written to {result.path}: {counts}")
    return EXIT_OK


@main.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and print what would be written; write nothing.")
@click.option("--folder", help="Only this folder (uid or title path) and its subfolders.")
@click.option("--uid", help="Only this dashboard (and the folders and library panels it needs).")
@click.option(
    "--force",
    is_flag=True,
    help="Restore over dashboards changed in Grafana since the backup, and folders of the same title.",
)
@connection_options
@run
@with_json
def restore(
    settings: Settings,
    out: Callable[[str], None],
    report: dict[str, Any] | None,
    source: Path,
    dry_run: bool,
    folder: str | None,
    uid: str | None,
    force: bool,
) -> int:
    """Restore a backup (directory or .tar.gz) into Grafana.

    The whole backup is validated (manifest, sha256, JSON) before the first write, and so is the live Grafana:
    a datasource, library panel or folder name held under another uid, or a dashboard changed in Grafana since
    the backup, is a conflict (exit 3, nothing written; --force for the last two). Folders are restored parents
    first, then library panels, datasources (without secrets) and dashboards. What is already identical is
    skipped, so a second run writes nothing and a restore stopped part-way finishes when run again.
    """
    validated = restore_core.load_backup(source)  # validate before even connecting
    return restore_core.restore(Grafana(settings), validated, out, dry_run, folder, uid, force, report)


@main.command()
@click.option(
    "--against",
    default="live",
    show_default=True,
    help="What to compare the code with: live, git:REV, or a directory of compiled dashboards.",
)
@click.option(
    "--dir",
    "root",
    type=click.Path(path_type=Path),
    default=DEFAULT_ROOT,
    show_default=True,
    help="Root of the compiled dashboards (the 'code' side).",
)
@click.option("--folder", help="Only dashboards under this folder path.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(diff_core.RENDERERS)),
    default="text",
    show_default=True,
    help="markdown is what a pull-request comment shows.",
)
@connection_options
@run
def diff(settings: Settings, against: str, root: Path, folder: str | None, fmt: str) -> int:
    """Semantic diff of dashboards: exit 0 when equal, 1 when different.

    Volatile fields (id, version, iteration) are ignored, panels are matched by title or id rather than
    position, and changes are told in words ("panel 'Errors': threshold 0.05 -> 0.1").
    """
    with paused_gc():  # two trees of 40 MB each: the cycle collector would take most of the time
        return _diff(settings, against, root, folder, fmt)


def _diff(settings: Settings, against: str, root: Path, folder: str | None, fmt: str) -> int:
    scope = parse_folder_path(folder or "")
    code = sources.from_directory(root, scope)
    code_label = "code"
    if against == "live":
        values = selection.current_values()
        if values:  # compared as push would write it to this context
            code = {uid: (envvalues.apply(content, values), path) for uid, (content, path) in code.items()}
            code_label = f"code with context {selection.current().name}'s values"
        other, label = sources.from_live(Grafana(settings), scope, frozenset(code)), "live"
    elif against.startswith("git:"):
        other, label = sources.from_git(against[4:], root, scope), against
    elif Path(against).is_dir():
        other, label = sources.from_directory(Path(against), scope), against
    else:
        raise DashsyncError(f"--against {against!r}: expected live, git:REV or an existing directory")
    found = diff_core.diff_sets(other, code)
    click.echo(diff_core.RENDERERS[fmt](found, label, code_label), nl=False)
    return EXIT_DIFFERENT if found else EXIT_OK


@main.command()
@connection_options
@run
@with_json
def health(settings: Settings, out: Callable[[str], None], report: dict[str, Any] | None) -> int:
    """Check reachability, Grafana version, the API dashsync will use, and whether the credentials can write."""
    return health_core.health(Grafana(settings), out, report)


@main.command()
@click.argument("uid")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default <uid>.json in the current directory).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@connection_options
@run
def pull(settings: Settings, uid: str, out: Path | None, force: bool) -> int:
    """Fetch one live dashboard's JSON into a file, e.g. to bring a dashboard made in the UI back into code.

    Then: python -m dashboards import FILE (see docs/dashboard-development.md). The file is written
    atomically; an existing one is kept unless --force.
    """
    if not UID_PATTERN.fullmatch(uid):  # it goes into the URL path and the default file name
        raise DashsyncError(f"invalid uid {uid!r}: expected 1-40 characters of a-z A-Z 0-9 _ -")
    target = out or Path(f"{uid}.json")
    if target.exists() and not force:
        raise DashsyncError(f"{target} already exists; pass --force to overwrite it")
    try:
        found = Grafana(settings).get_dashboard(uid)
    except GrafanaError as exc:
        if exc.status != 406:
            raise
        found = {"dashboard": {}, "meta": {"apiVersion": "v2"}}  # Grafana 12: "dashboard api version not supported"
    if found is not None and str((found.get("meta") or {}).get("apiVersion", "")).startswith("v2"):
        raise DashsyncError(
            f"dashboard {uid!r} is stored as a v2 dashboard: its classic JSON would be a lossy down-conversion "
            "(tabs, auto grids and layout lost), so nothing was written; `dashsync backup` keeps it native"
        )
    if found is None or not isinstance(found.get("dashboard"), dict):
        raise DashsyncError(f"no dashboard with uid {uid!r} in Grafana")
    text = json.dumps(found["dashboard"], indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    try:
        write_text(target, text)
    except OSError as exc:
        raise DashsyncError(f"cannot write {target}: {exc}") from None
    click.echo(
        f"wrote {target} ({found['dashboard'].get('title', '')!r}); "
        f"next: .venv/bin/python -m dashboards import {target}"
    )
    return EXIT_OK


main.add_command(context_command, "context")  # dashsync/context_cli.py: list, show, use
for _command in environment_commands(connection_options, run, with_json):  # promote, watch, export
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["main", "EXIT_USAGE"]
