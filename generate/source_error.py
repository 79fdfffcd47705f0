"""A Python error in one of the project's modules, said as the one line a compiler would: `file:line: Type: message`.

The build imports every dashboard module and, through them, `signals/` (where thresholds validate themselves
when they are defined). A syntax error, a bad import or a value refused at import time would otherwise reach the
user as a traceback through importlib; what they need is the file and line they wrote, and exit 2 before
anything is written.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

EXIT_BAD_INPUT = 2


def _ours(filename: str, root: Path) -> bool:
    path = Path(filename)
    return path.is_absolute() and path.is_relative_to(root) and "site-packages" not in path.parts


def location(exc: BaseException, root: Path) -> tuple[str, int] | None:
    """The file (relative to `root`) and line the user wrote: for a syntax error, where the parser stopped;
    otherwise the innermost module-level line of a project file (the definition that was refused), else the
    innermost project frame at all."""
    if isinstance(exc, SyntaxError) and exc.filename and exc.lineno:
        filename, line = exc.filename, exc.lineno
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if _ours(f.filename, root)]
        if not frames:
            return None
        frame = ([f for f in frames if f.name == "<module>"] or frames)[-1]
        filename, line = frame.filename, frame.lineno or 0
    path = Path(filename)
    shown = path.relative_to(root).as_posix() if _ours(filename, root) else filename
    return shown, line


def one_line(exc: BaseException, root: Path) -> str:
    """`dashboards/api.py:12: SyntaxError: invalid syntax`, whatever the exception."""
    message = exc.msg if isinstance(exc, SyntaxError) and exc.msg else str(exc)
    message = " ".join(message.split())  # one line, even for a multi-line message
    where = location(exc, root)
    prefix = f"{where[0]}:{where[1]}: " if where else ""
    return f"{prefix}{type(exc).__name__}: {message}" if message else f"{prefix}{type(exc).__name__}"


@contextmanager
def exit_on_source_error(root: Path) -> Iterator[None]:
    """Around the imports of a command-line edge: any exception becomes one line on stderr and exit 2."""
    try:
        yield
    except Exception as exc:  # any exception at import is the user's source, not a crash of the tool
        click.echo(one_line(exc, root), err=True)
        sys.exit(EXIT_BAD_INPUT)
