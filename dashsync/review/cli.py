"""`dashsync review`: what a change does to the dashboards and rules, as a pull-request comment and pictures.

Exit codes: 0 nothing differs, 1 differences found, 2 bad input (one line on stderr, nothing written).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from atomicfile import write_text

from ..errors import EXIT_DIFFERENT, EXIT_OK, failures_as_one_line
from ..local import DEFAULT_ROOT
from . import compare
from .render import RENDERERS, render_markdown, truncate

DEFAULT_RULES = Path("compose/prometheus")


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.option(
    "--against",
    default="git:origin/main",
    show_default=True,
    help="The base to compare the working tree with: git:REV, or the root of another checkout.",
)
@click.option(
    "--dashboards-dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_ROOT,
    show_default=True,
    help="Compiled dashboards (directory names are folder titles).",
)
@click.option(
    "--rules-dir",
    type=click.Path(path_type=Path),
    default=DEFAULT_RULES,
    show_default=True,
    help="Generated Prometheus rule files (every *.yml with a top-level 'groups').",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    show_default=True,
    help="markdown is a ready pull-request comment; json is for tools.",
)
@click.option("--output", type=click.Path(path_type=Path), help="Write the report to this file instead of stdout.")
@click.option(
    "--pictures",
    "pictures_dir",
    type=click.Path(path_type=Path),
    help="Write a before/after SVG of each changed dashboard into this directory.",
)
@click.option(
    "--preview-prometheus",
    metavar="URL",
    help="With --pictures: also UID.before/after.html and .png, drawn by `dashsync preview` with this Prometheus.",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=0),
    default=0,
    help="Cut a text/markdown report at a line to at most this many characters (GitHub comments: 65536); 0: none.",
)
@click.option("--dry-run", is_flag=True, help="Print the report, list the files it would write, write nothing.")
def review(
    against: str,
    dashboards_dir: Path,
    rules_dir: Path,
    fmt: str,
    output: Path | None,
    pictures_dir: Path | None,
    preview_prometheus: str | None,
    max_chars: int,
    dry_run: bool,
) -> None:
    """Review the compiled dashboards and generated rules of the working tree against a base revision.

    Per dashboard: panels added, removed, moved or changed, with query, unit and threshold changes shown
    before -> after, renames and folder moves; per alert or recording rule: added, removed, or expr / for /
    labels / annotations changed. Exit 0 when nothing differs, 1 when something does, 2 on bad input.
    """
    with failures_as_one_line("dashsync review"):
        new = compare.working_tree(dashboards_dir, rules_dir)
        old = compare.other_side(against, dashboards_dir, rules_dir)
        found = compare.build_review(old, new)
        files = compare.picture_texts(found, old, new) if pictures_dir else {}
        names = {d.uid: f"{d.uid}.svg" for d in found.dashboards} if pictures_dir else {}
        pages: dict[str, tuple[Any, ...]] = {}
        if pictures_dir and preview_prometheus:
            from . import previews  # the preview's rendering loads only when asked for

            pages = previews.plan(found, old, new, preview_prometheus)
        if pages and fmt == "markdown":
            report = render_markdown(found, names, previews.names(pages))
        else:
            report = RENDERERS[fmt](found, names)
        if fmt != "json":  # cutting JSON would make it unreadable; tools take it whole
            report = truncate(report, max_chars, "in the `dashboard-review` artifact")
        if dry_run:
            click.echo(report, nl=False)
            for name in sorted(files) + sorted(
                f"{p.name}.{ext}" for v in pages.values() for p in v for ext in ("html", "png")
            ):
                click.echo(f"would write {pictures_dir / name}" if pictures_dir else name, err=True)
            if output:
                click.echo(f"would write {output}", err=True)
        else:
            for name, text in sorted(files.items()):
                write_text(pictures_dir / name, text)  # type: ignore[operator]
            if pages and pictures_dir:
                previews.write(pictures_dir, pages)  # imported above: pages is only ever filled there
            if output:
                write_text(output, report)
            else:
                click.echo(report, nl=False)
    sys.exit(EXIT_OK if found.empty else EXIT_DIFFERENT)


def main() -> None:
    review()
