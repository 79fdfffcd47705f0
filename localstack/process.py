"""Start a service as a child process, wait until it answers, and stop it with everything it spawned.

Why a helper: tests and the native local stack start real binaries (PostgreSQL, Prometheus, our exporters).
A service that forks (runuser, shells, postgres' own workers) must be stopped as a whole process group, a
service that dies at start must fail fast with its log, and nothing may listen anywhere but 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"
_LOG_TAIL_CHARS = 2000


class ServiceError(RuntimeError):
    """A service could not be started or did not answer in time; the message carries its log tail."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the kernel picks it by binding port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def require_binary(name: str) -> str:
    """The absolute path of `name`, or a ServiceError naming it and the make target that installs it."""
    path = shutil.which(name) if os.sep not in name else (name if os.access(name, os.X_OK) else None)
    if not path:
        raise ServiceError(f"required binary {name!r} not found: install it with `make system-deps`")
    return path


def port_answers(port: int, host: str = LOOPBACK, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def http_answers(url: str, timeout: float = 1.0) -> bool:
    """True when `url` answers with a 2xx status."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback URLs we built)
            return 200 <= response.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class ManagedProcess:
    """One child process in its own process group, with stdout and stderr going to `log_path`."""

    name: str
    argv: Sequence[str]
    log_path: Path
    env: Mapping[str, str] | None = None
    cwd: Path | None = None
    stop_signal: int = signal.SIGTERM
    _popen: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    def start(self) -> ManagedProcess:
        if self._popen is not None:
            raise ServiceError(f"{self.name} is already started (pid {self._popen.pid})")
        require_binary(self.argv[0])
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self._popen = subprocess.Popen(
                list(self.argv),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=dict(self.env) if self.env is not None else None,
                cwd=self.cwd,
                start_new_session=True,  # its own process group, so stop() reaches every descendant
            )
        return self

    def running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    def log_tail(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-_LOG_TAIL_CHARS:]
        except OSError:
            return ""

    def wait_until(self, check, what: str, timeout: float = 30.0, interval: float = 0.05) -> None:
        """Poll `check()` until true; fail early if the process exits, and with its log on timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running():
                code = self._popen.returncode if self._popen else None
                raise ServiceError(f"{self.name} exited (code {code}) before {what}:\n{self.log_tail()}")
            if check():
                return
            time.sleep(interval)
        raise ServiceError(f"{self.name} did not reach {what} within {timeout:g}s:\n{self.log_tail()}")

    def wait_for_port(self, port: int, timeout: float = 30.0) -> None:
        self.wait_until(lambda: port_answers(port), f"listening on {LOOPBACK}:{port}", timeout)

    def wait_for_http(self, url: str, timeout: float = 30.0) -> None:
        self.wait_until(lambda: http_answers(url), f"answering {url}", timeout)

    def stop(self, timeout: float = 10.0) -> int | None:
        """Signal the whole process group, escalate to SIGKILL after `timeout`; returns the exit code."""
        if self._popen is None:
            return None
        popen, self._popen = self._popen, None
        pgid = popen.pid  # start_new_session makes the child its group's leader
        for sig in (self.stop_signal, signal.SIGKILL):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            try:
                popen.wait(timeout=timeout)
                # The leader is gone; children that outlived it still share the group.
                try:
                    os.killpg(pgid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                break
            except subprocess.TimeoutExpired:
                continue
        popen.wait(timeout=timeout)
        return popen.returncode

    def __enter__(self) -> ManagedProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
