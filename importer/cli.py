"""`python -m dashboards import FILE`: a Grafana dashboard JSON -> `dashboards/<name>.py`.

Exit codes: 0 written (or printed with --dry-run); 2 bad input (unreadable or malformed JSON, not a dashboard,
an unknown panel type), an existing module without --force, or a module that would not compile back.
Nothing is written unless the module has been generated, formatted and verified.
"""

from __future__ import annotations

import keyword
import re
import sys
from pathlib import Path

import click

from atomicfile import write_text
from importer.module import ROOT, generate
from importer.source import ImportFailure, normalise, read
from panels.layout import LayoutError

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
_UID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def module_name(uid: str) -> str:
    """A Python module name from a dashboard uid ('anonymeme-api' -> 'anonymeme_api')."""
    name = re.sub(r"[^a-z0-9_]+", "_", uid.lower()).strip("_") or "imported"
    return f"d_{name}" if name[0].isdigit() or keyword.iskeyword(name) else name


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@click.command("import", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Module name to write (default: from the dashboard uid).")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=ROOT / "dashboards",
    show_default="dashboards/",
    help="Directory the module is written to.",
)
@click.option("--dry-run", is_flag=True, help="Print the module to stdout and the report to stderr; write nothing.")
@click.option("--force", is_flag=True, help="Overwrite an existing module of that name.")
@click.option("--uid", help="The dashboard's uid (default: the input's, else one derived from its title).")
def import_command(file: Path, name: str | None, out_dir: Path, dry_run: bool, force: bool, uid: str | None) -> None:
    """Turn a dashboard exported from Grafana (FILE.json) into a Python module on the project's panel builders.

    FILE is classic JSON of any schemaVersion (Grafana's migrations are applied step by step), or a v1 or v2
    dashboard resource (Grafana 12/13 exports). Datasource uids become the ${datasource} variable; ids,
    versions and iteration are dropped; Angular panels (graph, singlestat, table-old, the old piechart) are
    migrated as Grafana migrates them. Every problem of FILE is reported at once. The module is checked before
    it is written: compiling it must give exactly the canonical form of FILE. Each panel is reported as `builder`,
    `builder+extend` (keys the builder has no parameter for) or `raw` (kept as JSON).
    Registering it in dashboards/registry.py stays a reviewed, manual step.
    """
    try:
        if uid is not None and not _UID.match(uid):
            raise ImportFailure(f"--uid {uid!r} is not a Grafana uid (1 to 40 of A-Z a-z 0-9 - _)")
        raw, read_notes = read(file)
        source = normalise(raw, where=str(file), uid=uid, notes=read_notes)
        module = name or module_name(source.dashboard["uid"])
        if not _IDENTIFIER.match(module) or keyword.iskeyword(module):
            raise ImportFailure(f"--name {module!r} is not a valid Python module name (lowercase, digits, _)")
        target = out_dir / f"{module}.py"
        if not dry_run and target.exists() and not force:
            raise ImportFailure(f"{target} already exists; pass --force to overwrite it")
        imported = generate(source, name=module, origin=file.name)
    except ImportFailure as exc:
        _fail(str(exc))
        return
    except LayoutError as exc:  # positions that overlap or leave the grid
        _fail(f"{file}: {exc}")
        return
    except (AttributeError, TypeError, KeyError, ValueError, RecursionError) as exc:
        # A JSON shape the importer does not understand (a string where Grafana writes an object...): one line.
        _fail(f"{file}: unsupported dashboard structure ({type(exc).__name__}: {exc})")
        return
    for line in imported.summary():
        click.echo(line, err=True)
    if dry_run:
        click.echo(imported.text, nl=False)
        return
    try:
        write_text(target, imported.text)
    except OSError as exc:
        _fail(f"cannot write {target}: {exc}")
    click.echo(f"wrote {target}", err=True)
    click.echo("to compile it, add to DASHBOARDS in dashboards/registry.py (choose the folder):", err=True)
    click.echo(f'    Entry("{module}", "<Folder>", {module}.build),  # and: from dashboards import {module}', err=True)


def main() -> None:
    """`python -m importer`; the same command is `python -m dashboards import`."""
    import_command()


if __name__ == "__main__":
    main()
