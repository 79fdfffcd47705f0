"""Bounded concurrent reads with a progress bar when a person is watching, and a prompt stop on Ctrl-C.

Reads run in a small thread pool (Grafana answers them in parallel happily); writes never come through here:
they go one at a time, in order, because Grafana's SQLite answers parallel writes with "database is locked".

Ctrl-C: the main thread only ever waits with a short timeout, so the interrupt is seen at once; what is queued
is cancelled, the reads in flight get half a second to finish (so that a caller's cleanup, such as removing a
backup's staging directory, does not race them), and a hung one is left to its own timeout in a thread nobody
waits on: a command stops within a second instead of after every queued read.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import TypeVar

import click

In = TypeVar("In")
Out = TypeVar("Out")
TICK = 0.2  # seconds between looks at the futures (and the progress bar)
SETTLE = 0.5  # seconds the reads in flight get to finish when the queue is dropped (a hung one is left behind)


def show_progress() -> bool:
    return sys.stderr.isatty()


def read_all(fn: Callable[[In], Out], items: Sequence[In], workers: int, label: str) -> list[Out]:
    """`[fn(item) for item in items]`, `workers` at a time; the first failure cancels the rest, is raised."""
    if not items:
        return []
    if len(items) == 1 or workers <= 1:  # no pool (nor bar) for what one thread does as fast
        return [fn(item) for item in items]
    pool = ThreadPoolExecutor(max_workers=workers)
    futures = [pool.submit(fn, item) for item in items]
    try:
        _wait(futures, label)
    except BaseException:  # KeyboardInterrupt included: drop the queue, give what runs a moment, no more
        pool.shutdown(wait=False, cancel_futures=True)
        wait([f for f in futures if not f.done()], timeout=SETTLE)  # so cleanup after us does not race them
        raise
    pool.shutdown(wait=True)
    return [f.result() for f in futures]


def _wait(futures: list[Future[Out]], label: str) -> None:
    """Until all are done or one failed (then raise its exception); the main thread stays interruptible."""
    pending = set(futures)
    bar = click.progressbar(length=len(futures), label=label, file=sys.stderr) if show_progress() else None
    try:
        while pending:
            done, pending = wait(pending, timeout=TICK, return_when=FIRST_EXCEPTION)
            if bar is not None:
                bar.update(len(done))
            failed = next((f for f in done if f.exception() is not None), None)
            if failed is not None:
                raise failed.exception()  # type: ignore[misc]
    finally:
        if bar is not None:
            bar.render_finish()


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[], None]]:
    """A `tick()` that advances a bar on a terminal (for long write loops); on a pipe or in CI, silence."""
    if not show_progress() or total < 2:
        yield lambda: None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield lambda: bar.update(1)
