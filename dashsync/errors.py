"""Exit codes, the one exception type every command turns into a single line on stderr, and the one place
that turns failures into those lines and codes for every dashsync command."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

EXIT_OK = 0
EXIT_DIFFERENT = 1  # diff found differences, or a command only partly succeeded
EXIT_USAGE = 2  # bad usage or input, unreachable Grafana, bad credentials
EXIT_CONFLICT = 3  # a dashboard was edited in Grafana since dashsync wrote it
EXIT_UNEXPECTED = EXIT_USAGE  # a failure nobody foresaw: never 1, which CI reads as "differences found"
EXIT_INTERRUPTED = 130


class DashsyncError(Exception):
    """An expected failure: its message is one line for a human, its exit code is what the shell sees."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


@contextmanager
def failures_as_one_line(prog: str) -> Iterator[None]:
    """Every failure inside becomes one line on stderr and an exit code: never a traceback."""
    try:
        yield
    except DashsyncError as exc:
        click.echo(f"{prog}: error: {exc.message}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        # Every finally on the way up already ran (a backup's temporary directory is gone); reads still in
        # flight in worker threads would only be thrown away, so the process ends now instead of joining them.
        click.echo(f"{prog}: interrupted", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(EXIT_INTERRUPTED)
    except Exception as exc:  # noqa: BLE001 - the promise is: never a traceback
        first_line = (str(exc).splitlines() or [""])[0]
        click.echo(f"{prog}: unexpected error: {type(exc).__name__}: {first_line}", err=True)
        sys.exit(EXIT_UNEXPECTED)
