"""Write a file so that no reader ever sees half of it: a temporary file in the same directory, then a rename.

A leaf utility: it imports nothing of ours, so every package (the compilers, dashsync, the exporters' tools,
the local stack) can use the one implementation.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _read_umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


_UMASK = _read_umask()  # read once: changing the umask is process-wide and not thread-safe
DEFAULT_MODE = 0o666 & ~_UMASK  # what `open(path, "w")` would give (mkstemp alone gives 0o600)


def write_text(path: Path, text: str, *, mode: int | None = None) -> None:
    """Replace `path` with `text` (UTF-8, newlines as given) in one rename.

    Permissions are `mode`, or what a plain `open(path, "w")` would give: generated files are read by other
    users (Grafana and Prometheus in their containers), so mkstemp's owner-only 0o600 would be wrong for them.
    """
    write_bytes(path, text.encode("utf-8"), mode=mode)


def write_bytes(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace `path` with `data` in one rename (a PNG, or text already encoded); permissions as write_text's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, DEFAULT_MODE if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
