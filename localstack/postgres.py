"""A throwaway PostgreSQL 15 cluster on 127.0.0.1:<free port>, for tests and the native local stack.

Why not the Debian service: it would share state between runs and listen on the default port. initdb and
postgres refuse to run as root, so as root the data directory belongs to the `postgres` system user and the
binaries run through `setpriv` (which execs in place, so stopping the process group stops the server).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from localstack.process import LOOPBACK, ManagedProcess, ServiceError, free_port

PG_BIN_DIR = Path(os.environ.get("PG_BIN_DIR", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"
_SERVICE_USER = "postgres"


def _binary(name: str) -> str:
    path = PG_BIN_DIR / name
    if not os.access(path, os.X_OK):
        raise ServiceError(f"PostgreSQL binary {path} not found: install PostgreSQL 15 with `make system-deps`")
    return str(path)


def _as_service_user(argv: list[str]) -> list[str]:
    """Prefix `argv` so it runs as the `postgres` user when we are root; unchanged otherwise."""
    if os.geteuid() != 0:
        return argv
    try:
        pwd.getpwnam(_SERVICE_USER)
    except KeyError:
        raise ServiceError("running as root needs the `postgres` system user: `make system-deps`") from None
    setpriv = shutil.which("setpriv")
    if setpriv:
        return [setpriv, f"--reuid={_SERVICE_USER}", f"--regid={_SERVICE_USER}", "--init-groups", "--", *argv]
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", _SERVICE_USER, "--", *argv]
    raise ServiceError("running as root needs setpriv or runuser (util-linux) to drop to the postgres user")


def _give_to_service_user(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam(_SERVICE_USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)


@dataclass
class PostgresCluster:
    """A started cluster; `dsn` connects as the superuser with a random password over TCP."""

    root: Path
    port: int
    password: str
    process: ManagedProcess
    owns_root: bool = field(default=True)

    @property
    def dsn(self) -> str:
        return self.dsn_for("postgres")

    def dsn_for(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}:{quote(self.password, safe='')}@{LOOPBACK}:{self.port}/{database}"

    def stop(self) -> None:
        self.process.stop(timeout=15)
        if self.owns_root:
            shutil.rmtree(self.root, ignore_errors=True)


def start_postgres(root: Path | None = None, timeout: float = 60.0) -> PostgresCluster:
    """initdb a cluster under `root` (a new temp dir by default), start it, wait until it accepts SQL."""
    initdb, postgres = _binary("initdb"), _binary("postgres")
    owns_root = root is None
    root = Path(tempfile.mkdtemp(prefix="anonymeme-pg-")) if root is None else root
    root.mkdir(parents=True, exist_ok=True)
    _give_to_service_user(root)  # mkdtemp is 0700 root: the server user must own it to traverse and write
    data, log_path, pwfile = root / "data", root / "postgres.log", root / "pwfile"
    password = secrets.token_urlsafe(18)
    pwfile.write_text(password + "\n")
    _give_to_service_user(pwfile)
    init = subprocess.run(
        _as_service_user(
            [
                initdb,
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "-E",
                "UTF8",
                "--locale=C",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--no-sync",
            ]
        ),
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    pwfile.unlink()
    if init.returncode != 0:
        if owns_root:
            shutil.rmtree(root, ignore_errors=True)
        raise ServiceError(f"initdb failed (code {init.returncode}):\n{init.stderr[-2000:]}")
    port = free_port()
    settings = {
        "listen_addresses": LOOPBACK,
        "port": str(port),
        "unix_socket_directories": "",
        "fsync": "off",
        "synchronous_commit": "off",
        "full_page_writes": "off",
        "shared_buffers": "32MB",
        "max_connections": "30",
    }
    argv = [postgres, "-D", str(data)] + [arg for k, v in settings.items() for arg in ("-c", f"{k}={v}")]
    log_path.touch()
    _give_to_service_user(log_path)
    # SIGINT is PostgreSQL's "fast" shutdown; SIGTERM ("smart") would wait for every client to leave.
    process = ManagedProcess("postgres", _as_service_user(argv), log_path, stop_signal=signal.SIGINT)
    process.start()
    cluster = PostgresCluster(root, port, password, process, owns_root)
    try:
        _wait_accepting_sql(cluster, timeout)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def _wait_accepting_sql(cluster: PostgresCluster, timeout: float) -> None:
    """The port opens before recovery ends ("the database system is starting up"): wait for a login."""
    import psycopg

    deadline = time.monotonic() + timeout
    last_error = ""
    while time.monotonic() < deadline:
        if not cluster.process.running():
            raise ServiceError(f"postgres exited during start:\n{cluster.process.log_tail()}")
        try:
            with psycopg.connect(cluster.dsn, connect_timeout=2):
                return
        except psycopg.OperationalError as exc:
            last_error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            time.sleep(0.1)
    raise ServiceError(
        f"postgres did not accept connections within {timeout:g}s ({last_error}):\n{cluster.process.log_tail()}"
    )
