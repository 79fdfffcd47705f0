"""The commands that work across environments: promote (one Grafana to another), watch (live editing against
a development Grafana) and export (resource files for Grafana 13's Git Sync and gcx).

They are built by `environment_commands`, handed cli.py's shared decorators (connection options, the
one-line-failure runner, --json), so this module needs nothing from cli.py at import time.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import export as export_core
from . import promote as promote_core
from . import push as push_core
from . import watch as watch_core
from .connection import Grafana, Settings
from .contexts import ENV_CONTEXT, load
from .envvalues import EnvValues
from .errors import EXIT_OK, DashsyncError, failures_as_one_line
from .live import API_CHOICES, connect
from .local import DEFAULT_ROOT, parse_folder_path
from .selection import current, group_choice, target_of

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def transport_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """How to talk to both Grafanas of a promotion (where and who come from the two contexts)."""
    options = [
        click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
                     help="Seconds to wait for each answer."),
        click.option("--retries", type=click.IntRange(min=1), default=8, show_default=True,
                     help="Attempts for requests that are safe to repeat."),
        click.option("--backoff", type=click.FloatRange(min=0), default=0.2, hidden=True),
        click.option("--retry-budget", type=click.FloatRange(min=0), default=30.0, show_default=True,
                     help="Seconds one retry sequence may take."),
        click.option("--concurrency", type=click.IntRange(min=1, max=64), default=Settings.concurrency,
                     show_default=True,
                     help="Parallel reads."),
        click.option("--api", type=click.Choice(API_CHOICES), default="auto", show_default=True,
                     help="auto: the resource API (/apis) where served, else the legacy /api."),
    ]  # fmt: skip
    for option in reversed(options):
        command = option(command)
    return command


def without_connection(core: Callable[..., int]) -> Callable[..., None]:
    """Run a core that builds its own connections: one line and an exit code for every failure."""

    @functools.wraps(core)
    def wrapper(**kw: Any) -> None:
        with failures_as_one_line("dashsync"):
            code = core(None, **kw)
        sys.exit(code)

    return wrapper


def environment_commands(connection_options: Decorator, run: Decorator, with_json: Decorator) -> list[click.Command]:
    @click.command("promote")
    @click.argument("uids", nargs=-1, metavar="[UID]...")
    @click.option("--from", "source", required=True, metavar="CONTEXT", help="The context to promote from.")
    @click.option("--to", "target", required=True, metavar="CONTEXT", help="The context to promote to.")
    @click.option("--folder", help="Only dashboards under this folder path, e.g. 'Platform'.")
    @click.option("--dry-run", is_flag=True, help="Print the plan and write nothing.")
    @click.option("--force", is_flag=True, help="Overwrite dashboards edited in the target's UI (conflicts).")
    @click.option("--message", help="Note recorded in each version written to the target.")
    @click.option("-v", "--verbose", is_flag=True, help="Also list unchanged dashboards.")
    @transport_options
    @without_connection
    @with_json
    def promote(
        _settings: None,
        out: Callable[[str], None],
        report: dict[str, Any] | None,
        uids: tuple[str, ...],
        source: str,
        target: str,
        folder: str | None,
        dry_run: bool,
        force: bool,
        message: str | None,
        verbose: bool,
        **transport: Any,
    ) -> int:
        """Promote what dashsync put into one context (--from) to another (--to).

        The source's managed dashboards (or the UIDs given) are read whole; one not as dashsync wrote it there
        (edited in its UI) is blocked: nothing is written, exit 3. The target gets its own per-environment values
        and push's plan: a dashboard edited in the target's UI is a conflict (exit 3; --force overwrites).
        promote never deletes.
        """
        if ENV_CONTEXT in (source, target):
            raise DashsyncError(f"promote moves between two named contexts of dashsync.yml, not {ENV_CONTEXT!r}")
        _, config_path = group_choice()
        config = load(config_path)
        chosen = [target_of(config.get(name), transport) for name in (source, target)]  # unknown names first
        promote_core.check_ends(source, target, chosen[0].values, chosen[1].values)  # before any request
        grafanas = [Grafana(c.settings) for c in chosen]  # both ends' credentials, still before any request
        ends = [promote_core.Side(c.name, connect(g), c.values) for c, g in zip(chosen, grafanas, strict=True)]
        options = promote_core.PromoteOptions(uids, parse_folder_path(folder or ""), dry_run, force, message, verbose)
        return promote_core.promote(ends[0], ends[1], options, out, report)

    @click.command("watch")
    @click.option(
        "--repo",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The repository root: where dashboards/, panels/, signals/ are and `python -m dashboards build` runs.",
    )
    @click.option("--debounce", "debounce_ms", type=click.IntRange(min=50, max=10_000), default=500,
                  show_default=True, help="Milliseconds a burst of saves may take to become one rebuild.")  # fmt: skip
    @click.option("--force", is_flag=True, help="Overwrite dashboards edited in the development Grafana's UI.")
    @connection_options
    @run
    def watch(settings: Any, repo: Path, debounce_ms: int, force: bool) -> int:
        """Rebuild on every save of a dashboard, panel or signal module and push the changed dashboards.

        Only to a development context (`development: true` in dashsync.yml, chosen with --context). The build is
        `python -m dashboards build` in a subprocess; a build error is one line and nothing is pushed. Ctrl-C stops.
        """
        chosen = current()
        if chosen is None or chosen.name == ENV_CONTEXT:
            raise DashsyncError(
                "watch pushes on every save, so only to a development context: pass --context NAME of one marked "
                "`development: true` in dashsync.yml"
            )
        if not chosen.development:
            raise DashsyncError(
                f"context {chosen.name} is not a development context (`development: true` in dashsync.yml): "
                "watch pushes on every save"
            )
        repo = repo.resolve()
        watch_core.source_dirs(repo)
        grafana = Grafana(settings)  # credentials and URL checked now, before the first build

        def push(paths: tuple[Path, ...]) -> int:
            options = push_core.PushOptions(
                root=repo / DEFAULT_ROOT, paths=paths, force=force, values=chosen.values, message="dashsync watch"
            )
            return push_core.push(grafana, options, click.echo, lambda _q: False)

        click.echo(f"context {chosen.name}: {settings.display_url}")
        options = watch_core.WatchOptions(repo, repo / DEFAULT_ROOT, debounce_ms=debounce_ms)
        return watch_core.watch(options, push, click.echo)

    @click.command("export")
    @click.option("--out", "target", required=True, type=click.Path(path_type=Path), help="New directory to write.")
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(export_core.FORMATS),
        default="resource",
        show_default=True,
        help="resource: dashboard.grafana.app/v1beta1 objects (Git Sync, gcx); classic: the dashboard JSON.",
    )
    @click.option(
        "--dir",
        "root",
        type=click.Path(path_type=Path),
        default=DEFAULT_ROOT,
        show_default=True,
        help="Root of the compiled dashboards.",
    )
    def export(target: Path, fmt: str, root: Path) -> None:
        """Write the compiled dashboards as files for Grafana 13's Git Sync and gcx, one per dashboard.

        Environment-free unless --context NAME is given before the command (then with that context's values).
        Nothing is sent to Grafana and no credential is read.
        """
        with failures_as_one_line("dashsync"):
            selected, config_path = group_choice()
            values = load(config_path).get(selected).values if selected and selected != ENV_CONTEXT else None
            written = export_core.export(root, target, fmt, values or EnvValues())
            described = f" with context {selected}'s values" if values else ""
            click.echo(f"exported {written} dashboard(s) as {fmt} files{described} to {target}")
        sys.exit(EXIT_OK)

    return [promote, watch, export]


__all__ = ["environment_commands", "transport_options"]
