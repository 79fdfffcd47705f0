"""`python -m dashboards`: build, check, lint (and import) the project's dashboards.

Exit codes: 0 success; 1 stale files (check) or lint findings; 2 bad input (a dashboard that does not compile,
a Python error in a dashboard or signals module, an unsupported option value), always as one line on stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generate.source_error import exit_on_source_error

ROOT = Path(__file__).resolve().parent.parent

# Importing these imports every dashboard module and signals/: a syntax error or a threshold refused at import
# is the user's source, said as `file:line: Type: message`, exit 2, before anything is read or written.
with exit_on_source_error(ROOT):
    from compiler.compile import CompileError
    from generate import resources
    from generate.files import generated_files, staleness, write
    from grafana_json.schema import SCHEMA_VERSION, SCHEMA_VERSION_FLOOR, check_schema_version
    from importer.cli import import_command
    from lint.cli import lint_command


def _schema_version(ctx: click.Context, _param: click.Parameter, value: str) -> int:
    """The option, checked before anything is built: one line and exit 2 for a version the linter or the
    carried Grafana schema would not accept (click's own error would be a usage screen)."""
    try:
        return check_schema_version(int(value))
    except ValueError as exc:
        reason = str(exc) if value.strip().lstrip("+-").isdigit() else f"{value!r} is not an integer"
        click.echo(f"error: --schema-version: {reason}", err=True)
        ctx.exit(2)


def _build_files(schema_version: int) -> dict[str, str]:
    try:
        return generated_files(schema_version=schema_version)
    except CompileError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Anonymeme dashboards as code: compile to Grafana provisioning, check staleness, lint."""


@cli.command()
@click.option(
    "--schema-version",
    type=str,
    metavar="N",
    default=str(SCHEMA_VERSION),
    show_default=True,
    callback=_schema_version,
    help=f"Grafana dashboard schemaVersion to write ({SCHEMA_VERSION_FLOOR} to {SCHEMA_VERSION}).",
)
@click.option("--dry-run", is_flag=True, help="Build and validate, print what would change, write nothing.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["provisioning", "resource"]),
    default="provisioning",
    show_default=True,
    help="provisioning: every generated file of the repository; resource: only the dashboards, as "
    "dashboard.grafana.app/v1beta1 resource files under --out (Grafana 13's Git Sync, gcx).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --format resource: the directory of resource files, kept in step in place.",
)
@click.pass_context
def build(ctx: click.Context, schema_version: int, dry_run: bool, fmt: str, out: Path | None) -> None:
    """Compile dashboards, provisioning YAML and Prometheus/Alertmanager files (all or nothing)."""
    if (fmt == "resource") != (out is not None):
        click.echo("error: --format resource and --out DIR go together (resource files are written to DIR)", err=True)
        ctx.exit(2)
    files = _build_files(schema_version)
    if out is not None:  # the dashboards as resource files, in DIR; the repository is not written
        files = resources.resource_files(files)
        state = resources.staleness(files, out)
    else:
        state = staleness(files, ROOT)
    for label, paths in (("update", state.changed), ("create", state.missing), ("delete", state.extra)):
        for path in paths:
            click.echo(f"{label} {path}")
    if not dry_run and state.stale and out is not None:
        try:
            resources.write(files, out)
        except OSError as exc:
            click.echo(f"error: cannot write {out}: {exc.strerror or type(exc).__name__}", err=True)
            ctx.exit(2)
    elif not dry_run and state.stale:
        write(files, ROOT)
    click.echo(
        f"{len(files)} files {'checked' if dry_run else 'built'}, "
        f"{len(state.changed) + len(state.missing) + len(state.extra)} "
        f"{'would change' if dry_run else 'changed'}"
    )


@cli.command()
def check() -> None:
    """Exit 1, listing the files, when committed generated files differ from what the sources produce."""
    state = staleness(_build_files(SCHEMA_VERSION), ROOT)
    if state.stale:
        for label, paths in (("stale", state.changed), ("missing", state.missing), ("unexpected", state.extra)):
            for path in paths:
                click.echo(f"{label}: {path}", err=True)
        click.echo("generated files are out of date: run `make dashboards` and commit the result", err=True)
        sys.exit(1)
    click.echo("generated files are up to date")


cli.add_command(lint_command, "lint")
cli.add_command(import_command, "import")


if __name__ == "__main__":
    cli()
