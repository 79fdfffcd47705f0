"""Contexts: the Grafanas a team works with (dev, staging, prod), named in a file, chosen with --context.

Two files, the shape of gcx's configuration in spirit (`contexts.<name>.grafana.server`, `org-id`,
`tls.ca-file`, `tls.insecure-skip-verify`, a per-kind `datasources` map, `current-context`):

- `dashsync.yml` in the repository root (or `--config FILE` / `DASHSYNC_CONFIG`): the team's contexts;
- `$XDG_CONFIG_HOME/dashsync/config.yml` (default `~/.config/dashsync/config.yml`): one user's override. Its
  `current-context` wins (that is what `dashsync context use` writes), and a context it names replaces the
  repository's context of that name whole, so a server and the credential meant for it always come from the
  same file (gcx does the same for its named entries).

Credentials are never in either file: a context names where they come from (`token-env: VAR`,
`token-file: PATH`, `password-env`, `password-file`; a user name may be literal or `user-env`). A file with a
literal `token:` or `password:` is refused whole, before anything else is read. Secrets are read only when a
command connects, and are printed nowhere (`context show` prints the source and whether it is set).

Which Grafana a command talks to, in order:
1. `--context NAME` (or `DASHSYNC_CONTEXT`): that context; GRAFANA_* variables are not read (a token meant for
   one Grafana is never sent to another), and `--url`/`--token`/... beside it is a usage error.
2. `GRAFANA_URL`, or a connection option on the command line: that connection, as before contexts existed
   (it is the context named `env`).
3. The default context (`current-context` of the user's file, else of dashsync.yml).
4. Otherwise `http://127.0.0.1:3030` (the bundled stack) with GRAFANA_TOKEN / GRAFANA_USER / GRAFANA_PASSWORD.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .envvalues import EnvValues
from .errors import DashsyncError

REPO_FILE = Path("dashsync.yml")
USER_FILE_NAME = "config.yml"
ENV_CONTEXT = "env"  # GRAFANA_URL and the connection options: a context of its own
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}\Z")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}\Z")
UID = re.compile(r"^[A-Za-z0-9_-]{1,40}\Z")
VARIABLE = re.compile(r"^[A-Za-z0-9_]{1,100}\Z")
# Fields that would hold a secret itself. gcx has token/password/oauth-*; the rest are what people try.
SECRET_KEYS = frozenset(
    {
        "token",
        "password",
        "api-key",
        "apikey",
        "api_key",
        "secret",
        "oauth-token",
        "oauth-refresh-token",
        "key-data",
        "client-secret",
        "basic-auth-password",
    }
)
TOP_KEYS = frozenset({"contexts", "current-context"})
CONTEXT_KEYS = frozenset({"grafana", "development", "datasources", "variables", "description"})
GRAFANA_KEYS = frozenset(
    {"server", "org-id", "user", "user-env", "token-env", "token-file", "password-env", "password-file", "tls"}
)
TLS_KEYS = frozenset({"ca-file", "insecure-skip-verify"})


@dataclass(frozen=True)
class Source:
    """Where one credential comes from: an environment variable or a file. Never the value."""

    kind: str  # "env" | "file"
    where: str  # the variable's name, or the file's path
    label: str  # "token", "password", "user"

    def describe(self) -> str:
        if self.kind == "env":
            return f"env {self.where} ({'set' if os.environ.get(self.where) else 'not set'})"
        path = Path(self.where)
        return f"file {self.where} ({'readable' if path.is_file() and os.access(path, os.R_OK) else 'missing'})"

    def read(self, context: str) -> str | None:
        """The value, or None when the variable is unset or empty; a named file that cannot be read is an error."""
        if self.kind == "env":
            return os.environ.get(self.where) or None
        try:
            text = Path(self.where).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
            raise DashsyncError(
                f"context {context}: {self.label}-file {self.where}: cannot read it ({reason})"
            ) from None
        return text.strip() or None


@dataclass(frozen=True)
class Context:
    """One named Grafana: where it is, how to authenticate (sources only), and its per-environment values."""

    name: str
    origin: Path  # the file that defined it
    server: str
    org_id: int | None = None
    ca_file: str | None = None
    insecure: bool = False
    user: str | None = None  # a literal user name (not a secret)
    user_source: Source | None = None
    token: Source | None = None
    password: Source | None = None
    development: bool = False
    description: str = ""
    values: EnvValues = field(default_factory=EnvValues)

    def credentials(self) -> tuple[str | None, str | None, str | None]:
        """(token, user, password) read from their sources now; one line naming the sources when none is set."""
        token = self.token.read(self.name) if self.token else None
        if token:
            return token, None, None
        user = self.user or (self.user_source.read(self.name) if self.user_source else None)
        password = self.password.read(self.name) if self.password else None
        if user and password:
            return None, user, password
        named = [s.describe() for s in (self.token, self.user_source, self.password) if s is not None]
        raise DashsyncError(f"context {self.name}: no credentials: {', '.join(named)}")


@dataclass(frozen=True)
class Config:
    """Every context, merged from the repository file and the user's override."""

    contexts: dict[str, Context]
    current: str | None
    files: tuple[Path, ...]  # the files read, repository first
    user_file: Path

    def get(self, name: str) -> Context:
        if name not in self.contexts:
            known = ", ".join(sorted(self.contexts)) or "none"
            where = " and ".join(str(f) for f in self.files) or f"{REPO_FILE} (absent)"
            raise DashsyncError(f"unknown context {name!r} (known in {where}: {known})")
        return self.contexts[name]


# ---------------------------------------------------------------------- reading the files


def user_file(env: Mapping[str, str] | None = None) -> Path:
    """$XDG_CONFIG_HOME/dashsync/config.yml; a relative or empty XDG_CONFIG_HOME is ignored (XDG spec)."""
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or ""
    root = Path(base) if base and Path(base).is_absolute() else Path(env.get("HOME") or Path.home()) / ".config"
    return root / "dashsync" / USER_FILE_NAME


def _fail(path: Path, where: str, message: str) -> DashsyncError:
    return DashsyncError(f"{path}: {where}: {message}" if where else f"{path}: {message}")


def _find_secret(value: Any, where: str) -> str | None:
    """The dotted path of the first field that would hold a secret itself, anywhere in the document."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{where}.{key}" if where else str(key)
            if str(key).lower() in SECRET_KEYS:
                return here
            found = _find_secret(item, here)
            if found:
                return found
    return None


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DashsyncError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise DashsyncError(f"{path}: cannot read it ({exc.strerror or type(exc).__name__})") from None
    return document(path, text)


def document(path: Path, text: str) -> dict[str, Any]:
    """The YAML document of a contexts file; refused whole when any field would hold a secret itself."""
    import yaml  # here: a command that reads no contexts file (most runs without one) starts without it

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise DashsyncError(f"{path}: not valid YAML{line}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DashsyncError(f"{path}: expected a mapping with `contexts:` at the top")
    secret = _find_secret(data, "")
    if secret:
        leaf = secret.rsplit(".", 1)[-1]
        raise _fail(
            path,
            secret,
            f"a secret written into the file is refused; name where it comes from instead ({leaf}-env: VARIABLE "
            f"or {leaf}-file: PATH)",
        )
    return data


def _keys(path: Path, where: str, value: Any, allowed: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, where, "expected a mapping")
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise _fail(path, where, f"unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")
    return value


def _string(path: Path, where: str, value: Any, pattern: re.Pattern[str] | None = None, what: str = "") -> str:
    if not isinstance(value, str) or not value.strip() or "\n" in value:
        raise _fail(path, where, "expected a non-empty one-line string")
    if pattern is not None and not pattern.match(value):
        raise _fail(path, where, f"{value!r} is not {what}")
    return value


def _local_path(path: Path, text: str) -> str:
    """A path in a context, relative to the file that names it (so the repository's paths work from anywhere)."""
    expanded = Path(text).expanduser()
    return str(expanded if expanded.is_absolute() else (path.parent / expanded).resolve())


def _source(path: Path, where: str, grafana: dict[str, Any], label: str) -> Source | None:
    env_key, file_key = f"{label}-env", f"{label}-file"
    if env_key in grafana and file_key in grafana:
        raise _fail(path, where, f"{env_key} and {file_key} both given: name one source")
    if env_key in grafana:
        return Source("env", _string(path, f"{where}.{env_key}", grafana[env_key], ENV_NAME, "a variable name"), label)
    if file_key in grafana:
        return Source("file", _local_path(path, _string(path, f"{where}.{file_key}", grafana[file_key])), label)
    return None


def _values(path: Path, where: str, raw: dict[str, Any]) -> EnvValues:
    """`datasources: {plugin type: uid}` and `variables: {name: default or [defaults]}`."""
    datasources: dict[str, str] = {}
    raw_datasources = raw.get("datasources") or {}
    if not isinstance(raw_datasources, dict):
        raise _fail(path, f"{where}.datasources", "expected a mapping of plugin type to datasource uid")
    for plugin, uid in raw_datasources.items():
        key = f"{where}.datasources.{plugin}"
        _string(path, key, plugin, VARIABLE, "a plugin type")
        datasources[plugin] = _string(path, key, uid, UID, "a datasource uid (1-40 of a-z A-Z 0-9 _ -)")
    variables: dict[str, str | tuple[str, ...]] = {}
    raw_variables = raw.get("variables") or {}
    if not isinstance(raw_variables, dict):
        raise _fail(path, f"{where}.variables", "expected a mapping of variable name to default")
    for name, value in raw_variables.items():
        key = f"{where}.variables.{name}"
        _string(path, key, name, VARIABLE, "a variable name")
        if isinstance(value, list):
            if not value:
                raise _fail(path, key, "expected a value or a non-empty list of values")
            variables[name] = tuple(_string(path, key, item) for item in value)
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            raise _fail(path, key, "expected a value or a non-empty list of values")
        else:
            variables[name] = _string(path, key, str(value))
    return EnvValues.of(datasources, variables)


def _context(path: Path, name: str, raw: Any) -> Context:
    where = f"contexts.{name}"
    if not NAME.match(name) or name == ENV_CONTEXT:
        raise _fail(path, where, f"invalid context name (letters, digits, _ . -; {ENV_CONTEXT!r} is reserved)")
    raw = _keys(path, where, raw, CONTEXT_KEYS)
    if "grafana" not in raw:
        raise _fail(path, where, "missing `grafana:` (server and credential sources)")
    gwhere = f"{where}.grafana"
    grafana = _keys(path, gwhere, raw["grafana"], GRAFANA_KEYS)
    server = _string(path, f"{gwhere}.server", grafana.get("server"))
    parts = urlsplit(server)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise _fail(path, f"{gwhere}.server", "expected http(s)://host[:port][/path] without user:password@")
    org = grafana.get("org-id")
    if org is not None and (isinstance(org, bool) or not isinstance(org, int) or org < 1):
        raise _fail(path, f"{gwhere}.org-id", "expected a positive integer")
    tls = _keys(path, f"{gwhere}.tls", grafana.get("tls") or {}, TLS_KEYS)
    insecure = tls.get("insecure-skip-verify", False)
    development = raw.get("development", False)
    for key, flag in ((f"{gwhere}.tls.insecure-skip-verify", insecure), (f"{where}.development", development)):
        if not isinstance(flag, bool):
            raise _fail(path, key, "expected true or false")
    ca_file = _local_path(path, _string(path, f"{gwhere}.tls.ca-file", tls["ca-file"])) if "ca-file" in tls else None
    if "user" in grafana and "user-env" in grafana:
        raise _fail(path, gwhere, "user and user-env both given: name one")
    user = _string(path, f"{gwhere}.user", grafana["user"]) if "user" in grafana else None
    user_source = (
        Source("env", _string(path, f"{gwhere}.user-env", grafana["user-env"], ENV_NAME, "a variable name"), "user")
        if "user-env" in grafana
        else None
    )
    token, password = _source(path, gwhere, grafana, "token"), _source(path, gwhere, grafana, "password")
    if token is None and password is None:
        raise _fail(path, gwhere, "no credential source: name token-env or token-file (or user + password-env/-file)")
    if password is not None and user is None and user_source is None:
        raise _fail(path, gwhere, "a password source without user or user-env")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise _fail(path, f"{where}.description", "expected a string")
    return Context(
        name=name,
        origin=path,
        server=server.rstrip("/"),
        org_id=org,
        ca_file=ca_file,
        insecure=insecure,
        user=user,
        user_source=user_source,
        token=token,
        password=password,
        development=development,
        description=description,
        values=_values(path, where, raw),
    )


def parse(path: Path, data: dict[str, Any]) -> tuple[dict[str, Context], str | None]:
    """Validate one file's document; any problem is one line naming the file and the field."""
    data = _keys(path, "", data, TOP_KEYS)
    contexts = data.get("contexts") or {}
    if not isinstance(contexts, dict):
        raise _fail(path, "contexts", "expected a mapping of context name to context")
    parsed = {str(name): _context(path, str(name), raw) for name, raw in contexts.items()}
    current = data.get("current-context")
    if current is not None:
        current = _string(path, "current-context", current, NAME, "a context name")
    return parsed, current


def load(config: Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """The repository's file (or `config`) and the user's override, validated and merged."""
    repo = config or REPO_FILE
    if config is not None and not config.is_file():
        raise DashsyncError(f"--config {config}: no such file")
    contexts: dict[str, Context] = {}
    current: str | None = None
    files: list[Path] = []
    override = user_file(env)
    for path in (repo, override):
        if not path.is_file():
            continue
        found, chosen = parse(path, _read_yaml(path))
        contexts.update(found)  # the user's context of a name replaces the repository's whole
        current = chosen or current
        files.append(path)
    if current is not None and current not in contexts:
        raise DashsyncError(f"current-context {current!r} names no context (in {' and '.join(map(str, files))})")
    return Config(contexts, current, tuple(files), override)


__all__ = ["Config", "Context", "Source", "ENV_CONTEXT", "REPO_FILE", "document", "load", "parse", "user_file"]
