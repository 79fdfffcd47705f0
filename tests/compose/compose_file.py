"""Reading compose/docker-compose.yml the way `docker compose` does, for the checks that run without Docker.

Only what the tests need: YAML load and the `${VAR}`, `${VAR:-default}`, `${VAR:?error}` and `$$` interpolation
forms the file uses, with the values of compose/.env.example.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_DIR = ROOT / "compose"
COMPOSE_FILE = COMPOSE_DIR / "docker-compose.yml"
ENV_EXAMPLE = COMPOSE_DIR / ".env.example"

_VARIABLE = re.compile(r"\$\$|\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def load() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def env_example() -> dict[str, str]:
    """KEY=value lines of .env.example (comments and blank lines skipped)."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            assert sep, f".env.example: not KEY=value: {line!r}"
            values[key] = value
    return values


def variables(text: str) -> list[tuple[str, str | None]]:
    """(name, operator) of every `${...}` reference in `text`."""
    return [(m["name"], m["op"]) for m in _VARIABLE.finditer(text) if m["name"]]


def interpolate(value: str, env: dict[str, str]) -> str:
    """Resolve a compose string; a `${VAR:?msg}` with VAR unset or empty raises ValueError(msg), like compose."""

    def one(m: re.Match) -> str:
        if m.group(0) == "$$":
            return "$"
        name, op, arg = m["name"], m["op"], m["arg"]
        current = env.get(name)
        if op in (":-", "-"):
            return current if current or (op == "-" and current is not None) else arg
        if op in (":?", "?"):
            if current is None or (op == ":?" and current == ""):
                raise ValueError(arg or f"{name} is required")
            return current
        return current or ""

    return _VARIABLE.sub(one, value)


def published_ports(service: dict, env: dict[str, str]) -> list[tuple[str, int, int]]:
    """(host address, host port, container port) of each `ports:` entry."""
    out = []
    for entry in service.get("ports", []):
        parts = interpolate(str(entry), env).split("/")[0].split(":")
        if len(parts) == 3:
            address, host, container = parts
        elif len(parts) == 2:
            address, (host, container) = "0.0.0.0", parts
        else:
            raise AssertionError(f"publish the port explicitly (host:container): {entry!r}")
        out.append((address, int(host), int(container)))
    return out


def bind_mounts(service: dict, env: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(host path, container path) of the short-syntax bind mounts (a source starting with . or /), each
    interpolated with `env` first (a `${VAR:-default}` source holds a colon of its own)."""
    out = []
    for volume in service.get("volumes", []):
        text = interpolate(str(volume), env if env is not None else env_example())
        source, _, rest = text.partition(":")
        if source.startswith((".", "/")):
            out.append((source, rest.split(":")[0]))
    return out
