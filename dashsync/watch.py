"""watch: rebuild on every save of a dashboard, panel or signal module, and push what changed to a dev Grafana.

dashsync never imports the Python definitions (docs/architecture.md): each rebuild is the user's own command,
`python -m dashboards build`, in a subprocess in the repository root, and what is pushed is the compiled JSON it
wrote, exactly as `dashsync push` would push it. The file-system events come from watchfiles (the OS's
notification API through Rust's notify; no polling loop), grouped: a burst of saves (an editor's write-rename,
a formatter run) is one rebuild, once no new event came for `step` ms (at most `debounce` ms after the first).

Each round:
- the build fails: its last line (`dashboards/api.py:12: SyntaxError: ...`) is shown as one line, nothing is
  pushed, watching goes on; the build writes all or nothing, so the compiled files stay the last good ones;
- otherwise the compiled dashboards whose bytes changed are pushed (push's plan: a dashboard edited in the dev
  Grafana's UI is a conflict, not overwritten, unless --force); one that is gone from code is said, not deleted;
- the line ends with the time since the save (the newest mtime of the saved files) and the build's share of it.
The first round, at start, builds and pushes every dashboard so the dev Grafana starts in step with the code;
`watching ...` is said once the OS watch is in place (watchfiles' first empty batch), so a save after that line
is never missed. Ctrl-C stops between or inside rounds (a build in flight is killed; its output is all or
nothing): `watch: stopped`, exit 0, or `dashsync: interrupted`, exit 130, when it lands inside a push.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import EXIT_OK, DashsyncError

Echo = Callable[[str], None]
Push = Callable[[tuple[Path, ...]], int]  # push these compiled files (all when empty); returns push's exit code
SOURCES = ("dashboards", "panels", "signals")  # the Python that the build turns into dashboards
BUILD_TIMEOUT = 300
READY_MS = 200  # watchfiles hands back an empty batch after this long without events: the watch is in place


@dataclass(frozen=True)
class WatchOptions:
    repo: Path  # the repository root (where `python -m dashboards build` runs)
    root: Path  # its compiled dashboards
    debounce_ms: int = 500  # at most this long to group a burst of events
    step_ms: int = 50  # a burst ends when no event came for this long


@dataclass(frozen=True)
class Build:
    ok: bool
    line: str  # the build's last line (its error, on failure)
    seconds: float


def compiled_state(root: Path) -> dict[Path, str]:
    """sha256 of every compiled dashboard under `root` (what a round compares before and after the build)."""
    if not root.is_dir():
        return {}
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.json")) if p.is_file()}


def changes(before: dict[Path, str], after: dict[Path, str]) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """Pure: (compiled files new or changed, files gone) between two states."""
    changed = tuple(sorted(p for p, digest in after.items() if before.get(p) != digest))
    gone = tuple(sorted(p for p in before if p not in after))
    return changed, gone


def is_source(path: str) -> bool:
    """A Python module (not bytecode, not an editor's temporary file)."""
    name = os.path.basename(path)
    return name.endswith(".py") and not name.startswith((".", "#")) and "__pycache__" not in path


def build(repo: Path) -> Build:
    """`python -m dashboards build` in the repository, with dashsync's interpreter (the project's virtualenv)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo), *filter(None, [os.environ.get("PYTHONPATH")])])}
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "dashboards", "build"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Build(False, f"no result within {BUILD_TIMEOUT} s", time.monotonic() - started)
    except OSError as exc:
        raise DashsyncError(f"cannot run the build: {exc.strerror or type(exc).__name__}") from None
    lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
    last = lines[-1].strip() if lines else f"exit {done.returncode}"
    return Build(done.returncode == 0, last.removeprefix("error: "), time.monotonic() - started)


def since_save(saved: Iterable[str]) -> float | None:
    """Seconds since the newest of the saved files was written (None when none is left to look at)."""
    mtimes = []
    for path in saved:
        try:
            mtimes.append(os.stat(path).st_mtime)
        except OSError:
            continue
    return time.time() - max(mtimes) if mtimes else None


def source_dirs(repo: Path) -> list[Path]:
    """The directories watched; a repository without them is refused before anything is built or pushed."""
    dirs = [repo / name for name in SOURCES]
    missing = [d for d in dirs if not d.is_dir()]
    if missing:
        raise DashsyncError(f"{missing[0]}: no such directory (--repo must be the repository root)")
    return dirs


def round_(options: WatchOptions, push: Push, echo: Echo, saved: Iterable[str] = (), first: bool = False) -> int:
    """One rebuild and push; returns the push's exit code (0 when nothing was pushed)."""
    saved = list(saved)
    if saved:
        shown = ", ".join(sorted({os.path.relpath(p, options.repo) for p in saved})[:3])
        echo(f"saved: {shown}{' ...' if len(set(saved)) > 3 else ''}")
    before = compiled_state(options.root)
    result = build(options.repo)
    if not result.ok:
        echo(f"build failed: {result.line}; nothing pushed")
        return EXIT_OK
    changed, gone = changes(before, compiled_state(options.root))
    for path in gone:
        echo(f"gone from code: {path.relative_to(options.root)} (not deleted from Grafana; `dashsync push --prune`)")
    if first:
        changed = ()  # push everything: the Grafana starts in step with the code
    elif not changed:
        echo(f"built in {result.seconds:.2f} s: no dashboard changed")
        return EXIT_OK
    try:
        code = push(changed)
    except DashsyncError as exc:
        echo(f"push failed: {exc.message}")
        return exc.exit_code
    delay = since_save(saved)
    what = "every dashboard" if first else f"{len(changed)} changed dashboard(s)"
    after = f", {delay:.2f} s after the save" if delay is not None else ""
    echo(f"pushed {what}{after} (build {result.seconds:.2f} s)")
    return code


def watch(options: WatchOptions, push: Push, echo: Echo, stop: Any = None) -> int:
    """Watch until Ctrl-C (or `stop.is_set()`); each burst of saves is one round."""
    import watchfiles  # here, not at the top: every other dashsync command starts without loading it

    dirs = source_dirs(options.repo)
    try:
        round_(options, push, echo, first=True)
        ready = False
        for batch in watchfiles.watch(
            *dirs,
            watch_filter=lambda _change, path: is_source(path),
            debounce=options.debounce_ms,
            step=options.step_ms,
            stop_event=stop,
            raise_interrupt=True,
            rust_timeout=READY_MS,
            yield_on_timeout=True,  # the first (empty) batch says the OS watch is in place
        ):
            if not ready:
                ready = True  # said only now: a save before this line could have gone unseen
                echo(f"watching {', '.join(f'{n}/' for n in SOURCES)} (*.py) in {options.repo}; Ctrl-C stops")
            if batch:
                round_(options, push, echo, saved=[path for _change, path in batch])
    except KeyboardInterrupt:
        echo("watch: stopped")
    return EXIT_OK


__all__ = ["WatchOptions", "build", "changes", "compiled_state", "is_source", "round_", "source_dirs", "watch"]
