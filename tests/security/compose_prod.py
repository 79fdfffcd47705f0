"""The base compose file with the production override applied, the way `docker compose -f a -f b` merges them.

Only the merge rules these files use: mappings merge key by key (environment, depends_on, healthcheck),
`command` and `test` are replaced, `volumes` merge by their container path (an override mount at the same
target replaces the base one, which is how the production profile swaps in prometheus-tls.yml and the TLS
datasources), `expose` is appended, and `!reset` (Compose 2.24+) empties a field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

COMPOSE_DIR = Path(__file__).resolve().parents[2] / "compose"
BASE = COMPOSE_DIR / "docker-compose.yml"
PROD = COMPOSE_DIR / "docker-compose.prod.yml"
EXPORTERS = (
    "node-exporter",
    "cadvisor",
    "postgres-exporter",
    "redis-exporter",
    "blackbox-exporter",
    "solana-exporter",
    "business-collector",
    "elasticsearch-exporter",
    "logstash-exporter",
)


class Reset(list):
    """A field the override marks `!reset`: the merged value is empty, whatever the base said."""


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_constructor("!reset", lambda loader, node: Reset())


def load(path: Path) -> dict:
    return yaml.load(path.read_text(), Loader=_Loader)  # noqa: S506 (SafeLoader subclass)


def plain(value: Any) -> Any:
    """The override as the compose JSON schema sees it (the `!reset` tag dropped, its value kept)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


MOUNT_MODES = frozenset({"ro", "rw", "z", "Z", "cached", "delegated", "consistent", "nocopy"})


def volume_target(volume: str | dict) -> str:
    """The container path of a volume entry; the short form's source may hold `${VAR:?message}` colons."""
    if isinstance(volume, dict):
        return volume["target"]
    parts = volume.rsplit(":", 2)
    if parts[-1] in MOUNT_MODES and len(parts) > 1:
        parts = parts[:-1]
    return parts[-1]


def _merge_volumes(base: list, override: list) -> list:
    replaced = {volume_target(v): v for v in override}
    kept = [replaced.pop(volume_target(v), v) for v in base]
    return kept + [v for v in override if volume_target(v) in replaced]


def _merge(base: Any, override: Any, key: str = "") -> Any:
    if isinstance(override, Reset):
        return []
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for k, v in override.items():
            merged[k] = _merge(base[k], v, k) if k in base else ([] if isinstance(v, Reset) else v)
        return merged
    if key == "volumes" and isinstance(base, list) and isinstance(override, list):
        return _merge_volumes(base, override)
    if key == "expose" and isinstance(base, list) and isinstance(override, list):
        return base + [v for v in override if v not in base]
    return override


def merged() -> dict:
    return _merge(load(BASE), load(PROD))
