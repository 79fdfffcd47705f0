"""`python -m bench [--only build|sync|diff|preview]`: run benchmark areas in turn; each prints its own figures and
ratios, then the process's peak memory.

The areas are imported only when they run, so `--help` (and a mistyped option) prints usage and does nothing else:
no emulator started, no dashboards compiled.
"""

from __future__ import annotations

import importlib
import resource
import sys

import click

AREAS = ("build", "sync", "diff", "preview")  # in the order they run


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--only",
    "only",
    type=click.Choice(AREAS),
    multiple=True,
    help="Run only this area (repeatable); default: all of them, in the order build, sync, diff.",
)
def main(only: tuple[str, ...]) -> None:
    """Print build, sync (backup and push) and review-diff figures, each against its reference tool."""
    for name in (a for a in AREAS if not only or a in only):
        importlib.import_module(f"bench.{name}").run()
        click.echo(f"  peak memory of the bench process so far: {_peak_rss_mib():.0f} MiB")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
