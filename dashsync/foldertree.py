"""The folder tree, walked in one place: ancestors, title paths, subtrees and lookup by title path.

Grafana's folders arrive as flat records that each name their parent (live search hits, backup files). push,
backup and restore all need the same walks over them; one implementation means one answer to questions like
"what if a parent is missing or the records form a cycle" (the walk stops: a missing parent is the root,
a cycle is cut where it repeats).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class FolderTree:
    """Folders by uid: each one's parent uid (None at the top) and title."""

    parents: Mapping[str, str | None]
    titles: Mapping[str, str]

    def __contains__(self, uid: object) -> bool:
        return uid in self.parents

    def ancestors(self, uid: str | None) -> list[str]:
        """Uids above the folder `uid`, nearest first (empty for a top folder, General or an unknown uid)."""
        out: list[str] = []
        parent = self.parents.get(uid) if uid else None
        while parent and parent in self.parents and parent not in out and parent != uid:
            out.append(parent)
            parent = self.parents[parent]
        return out

    def path(self, uid: str | None) -> tuple[str, ...]:
        """Titles from the root down to the folder `uid` (empty for General or an unknown uid)."""
        if not uid or uid not in self.parents:
            return ()
        return tuple(self.titles[u] for u in [*reversed(self.ancestors(uid)), uid])

    def subtree(self, root: str) -> set[str]:
        """`root` and every folder below it, at any depth."""
        return {uid for uid in self.parents if uid == root or root in self.ancestors(uid)}

    def find(self, path: tuple[str, ...]) -> str | None:
        """The uid of the first folder (in uid order) whose title path is `path`, or None."""
        return next((uid for uid in sorted(self.parents) if path and self.path(uid) == path), None)
