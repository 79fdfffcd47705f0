"""`python -m alerting`: write or check the generated rule and routing files; write Alertmanager's secrets.

Exit codes: 0 ok, 1 stale files (check), 2 bad input (missing variables, unreadable files).
The dashboards build writes the same files through `alerting.render.render_all()`; this CLI is the thin
stand-alone edge for this package.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

import generated
from alerting.render import render_all
from alerting.routing import SECRET_FILES
from atomicfile import write_text

REPO_ROOT = Path(__file__).resolve().parent.parent


def _render() -> dict[str, str]:
    """Every generated alerting file, or one line and exit 2 when something cannot be rendered."""
    try:
        return render_all()  # everything is rendered and validated before the first write
    except (ValueError, KeyError) as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(2)


@click.group()
def main() -> None:
    """Prometheus rules, prometheus.yml and alertmanager.yml generated from signals/."""


_ROOT = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=REPO_ROOT,
    show_default=True,
    help="Repository root the generated paths are relative to.",
)


@main.command()
@_ROOT
@click.option("--dry-run", is_flag=True, help="Print the paths that would change; write nothing.")
def build(root: Path, dry_run: bool) -> None:
    """Render every generated file and write the ones that changed (atomically)."""
    files = _render()
    state = generated.staleness(files, root) if dry_run else generated.write(files, root)
    for rel in (*state.changed, *state.missing):
        click.echo(f"{'would write' if dry_run else 'wrote'} {rel}")
    if not state.stale:
        click.echo("generated alerting files are up to date")


@main.command()
@_ROOT
def check(root: Path) -> None:
    """Exit 1 when a committed generated file differs from what signals/ renders (run `make dashboards`)."""
    state = generated.staleness(_render(), root)
    for rel in (*state.changed, *state.missing):
        click.echo(f"stale: {rel} (run `make dashboards`)", err=True)
    sys.exit(1 if state.stale else 0)


PLACEHOLDER = "change-me"  # what compose/.env.example ships in place of every secret


def _read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as docker compose reads .env (comments, blank lines, optional quotes).

    As in compose, ` #` starts a comment after an unquoted value; inside quotes it is part of the value.
    """
    values = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ValueError(f"{path}:{number}: expected KEY=VALUE")
        key, value = line.split("=", 1)
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        elif " #" in value:
            value = value.split(" #", 1)[0].rstrip()
        values[key] = value
    return values


def _unwritable(directory: Path) -> str | None:
    """Why secret files cannot be written in `directory` (or it cannot be created), checked before the first
    write so that a refusal leaves no half-written set behind; None when they can."""
    existing = directory
    while not existing.exists():
        if existing.is_symlink():
            return f"{existing} is a dangling symbolic link"
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a directory"
    if not os.access(existing, os.W_OK | os.X_OK):  # a read-only filesystem refuses root too
        return f"{existing} is not writable (read-only or permission denied)"
    return None


@main.command()
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A .env file; variables set in the environment win over it.",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(path_type=Path),
    help="Directory mounted as /etc/alertmanager/secrets (created 0700; files 0600).",
)
@click.option("--dry-run", is_flag=True, help="List the files that would be written; write nothing.")
def secrets(env_file: Path | None, out_dir: Path, dry_run: bool) -> None:
    """Write Alertmanager's secret files (webhook URLs, PagerDuty keys, SMTP password) from .env variables.

    Alertmanager never expands environment variables in its configuration, so the stack writes each secret to
    the file its *_file field names. Values are never printed.
    """
    try:
        values = _read_env_file(env_file) if env_file else {}
    except (OSError, ValueError, UnicodeDecodeError) as e:
        click.echo(f"error: cannot read env file: {e}", err=True)
        sys.exit(2)
    values.update({k: v for k, v in os.environ.items() if k in {s.env for s in SECRET_FILES}})
    missing = [s.env for s in SECRET_FILES if not values.get(s.env)]
    if missing:
        click.echo(f"error: missing or empty variables: {', '.join(missing)}", err=True)
        sys.exit(2)
    placeholders = [s.env for s in SECRET_FILES if PLACEHOLDER in values[s.env]]
    if placeholders:
        click.echo(f"error: still the .env.example placeholder ({PLACEHOLDER}): {', '.join(placeholders)}", err=True)
        sys.exit(2)
    problem = _unwritable(out_dir)
    if problem:
        click.echo(f"error: --out {out_dir}: {problem}", err=True)
        sys.exit(2)
    for s in SECRET_FILES:
        if not dry_run:
            try:
                out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
                write_text(out_dir / s.file, values[s.env], mode=0o600)
            except OSError as e:  # what the check above cannot foresee (e.g. a full disk)
                click.echo(f"error: --out {out_dir}: cannot write {s.file}: {e.strerror or e}", err=True)
                sys.exit(2)
        click.echo(f"{'would write' if dry_run else 'wrote'} {out_dir / s.file} from ${s.env}")


if __name__ == "__main__":
    main()
