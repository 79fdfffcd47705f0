"""Bounded concurrent reads with a progress bar when a person is watching.

Reads run in a small thread pool (Grafana answers them in parallel happily); writes never come through here:
they go one at a time, in order, because Grafana's SQLite answers parallel writes with "database is locked".
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from typing import TypeVar

import click

In = TypeVar("In")
Out = TypeVar("Out")


def show_progress() -> bool:
    return sys.stderr.isatty()


def read_all(fn: Callable[[In], Out], items: Sequence[In], workers: int, label: str) -> list[Out]:
    """`[fn(item) for item in items]`, `workers` at a time; the first failure cancels the rest, is raised."""
    if not items:
        return []
    if len(items) == 1 or workers <= 1:  # no pool (nor bar) for what one thread does as fast
        return [fn(item) for item in items]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(fn, item) for item in items]
        if show_progress():
            with click.progressbar(length=len(futures), label=label, file=sys.stderr) as bar:
                pending = set(futures)
                while pending:
                    done, pending = wait(pending, return_when=FIRST_EXCEPTION, timeout=0.2)
                    bar.update(len(done))
                    if any(f.exception() for f in done):
                        break
        else:
            wait(futures, return_when=FIRST_EXCEPTION)
        for future in futures:
            if future.done() and future.exception():
                for other in futures:
                    other.cancel()
                raise future.exception()  # type: ignore[misc]
        return [f.result() for f in futures]
