"""A set of generated files (repo-relative path -> text): compare it with the working tree, write what changed.

It imports only `atomicfile`: the build (`generate.files`) keeps every generated file with it, so "stale" means
one thing (bytes differ) and writes are done one way.

Files are replaced in place, each by one atomic rename, never by swapping in a fresh directory: the compose
stack bind-mounts `provisioning/dashboards` into Grafana, and a bind mount stays attached to the directory it was
given, so a swapped-in directory would be invisible to a running Grafana.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from atomicfile import write_text


@dataclass(frozen=True)
class Staleness:
    changed: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]  # files under an owned directory that the build no longer produces

    @property
    def stale(self) -> bool:
        return bool(self.changed or self.missing or self.extra)


def _existing(root: Path, owned_dirs: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for directory in owned_dirs:
        base = root / directory
        if base.is_dir():
            found |= {p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file()}
    return found


def staleness(files: Mapping[str, str], root: Path, owned_dirs: Iterable[str] = ()) -> Staleness:
    """What differs, byte for byte, between `files` and the tree under `root`."""
    changed, missing = [], []
    for rel, text in sorted(files.items()):
        path = root / rel
        if not path.is_file():
            missing.append(rel)
        elif path.read_bytes() != text.encode():
            changed.append(rel)
    extra = sorted(_existing(root, owned_dirs) - set(files))
    return Staleness(tuple(changed), tuple(missing), tuple(extra))


def write(files: Mapping[str, str], root: Path, owned_dirs: Iterable[str] = ()) -> Staleness:
    """Bring the tree in line with `files` (validate everything before calling this); returns what changed."""
    state = staleness(files, root, owned_dirs)
    for rel in (*state.changed, *state.missing):
        write_text(root / rel, files[rel])
    for rel in state.extra:
        path = root / rel
        path.unlink()
        for parent in path.parents:
            if parent == root or any(parent.iterdir()):
                break
            parent.rmdir()
    return state
