"""`python -m alerting secrets`: write Alertmanager's secret files from `.env` (a deploy-time step, not the build).

Exit codes: 0 ok, 2 bad input (missing variables, unreadable files). The rule and routing files are built and
checked with everything else by `python -m dashboards build|check` (`generate.files` calls `render_all()`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from alerting.routing import SECRET_FILES
from atomicfile import write_text


@click.group()
def main() -> None:
    """Alertmanager's secret files, written from environment variables at deploy time.

    The generated rule and routing files are part of the one build: `make dashboards`
    (`python -m dashboards build|check`)."""


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
