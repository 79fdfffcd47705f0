"""The collector's configuration from environment variables, validated before anything connects.

The database is DATABASE_URL, or libpq's own PGHOST/PGPORT/PGUSER/PGDATABASE/PGPASSWORD when it is unset. A
password can come from a file (DATABASE_PASSWORD_FILE, e.g. a Docker secret) so it never sits in the
environment; it is kept apart from the connection string, which is only ever shown without its password.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

from exporters.business.queries import DEFAULT_QUERIES_FILE
from exporters.runtime import ConfigError, env_log_level, env_number, env_port

DEFAULT_PORT = 9300  # signals.jobs.BUSINESS.port


@dataclass(frozen=True)
class Config:
    conninfo: str  # DATABASE_URL, or "" to let libpq read the PG* variables
    password: str | None = field(default=None, repr=False)
    queries_file: Path = DEFAULT_QUERIES_FILE
    refresh_interval: float = 10.0
    default_query_timeout: float = 5.0
    connect_timeout: int = 5
    listen_address: str = "0.0.0.0"  # noqa: S104 (a container must be reachable by Prometheus)
    listen_port: int = DEFAULT_PORT
    log_level: str = "INFO"

    def describe_database(self) -> str:
        """host:port/dbname for logs, never the user's password."""
        try:
            parts = conninfo_to_dict(self.conninfo)
        except Exception:  # noqa: BLE001 (validated at start; this is only for a log line)
            return "<database>"
        host, port = parts.get("host", "$PGHOST"), parts.get("port", "$PGPORT")
        return f"{host}:{port}/{parts.get('dbname', '$PGDATABASE')}"


def from_env(env: Mapping[str, str]) -> Config:
    conninfo = env.get("DATABASE_URL", "").strip()
    if conninfo:
        try:
            conninfo_to_dict(conninfo)
        except Exception:  # noqa: BLE001 (psycopg's message would echo the DSN, password included)
            raise ConfigError("DATABASE_URL is not a valid PostgreSQL connection string") from None
    elif not env.get("PGHOST", "").strip():
        raise ConfigError("set DATABASE_URL, or PGHOST (with PGPORT, PGUSER, PGDATABASE) for the database")
    password = None
    password_file = env.get("DATABASE_PASSWORD_FILE", "").strip()
    if password_file:
        try:
            password = Path(password_file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise ConfigError(f"DATABASE_PASSWORD_FILE: cannot read {password_file} ({exc.strerror})") from None
        if not password:
            raise ConfigError(f"DATABASE_PASSWORD_FILE: {password_file} is empty")
    queries = env.get("QUERIES_FILE", "").strip()
    return Config(
        conninfo=conninfo,
        password=password,
        queries_file=Path(queries) if queries else DEFAULT_QUERIES_FILE,
        refresh_interval=env_number(env, "REFRESH_INTERVAL_SECONDS", 10.0, 0.1),
        default_query_timeout=env_number(env, "QUERY_TIMEOUT_SECONDS", 5.0, 0.01),
        connect_timeout=env_number(env, "CONNECT_TIMEOUT_SECONDS", 5, 1, integer=True),
        listen_address=env.get("LISTEN_ADDRESS", "").strip() or "0.0.0.0",  # noqa: S104
        listen_port=env_port(env, "LISTEN_PORT", DEFAULT_PORT),
        log_level=env_log_level(env),
    )
