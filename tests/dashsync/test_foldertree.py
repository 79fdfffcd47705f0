"""The one folder-tree walk push, backup and restore share."""

from __future__ import annotations

from dashsync.foldertree import FolderTree

TREE = FolderTree(
    parents={"p": None, "a": "p", "b": "a", "other": None, "loop1": "loop2", "loop2": "loop1", "orphan": "gone"},
    titles={
        "p": "Platform",
        "a": "API",
        "b": "Deep",
        "other": "Other",
        "loop1": "L1",
        "loop2": "L2",
        "orphan": "Orphan",
    },
)


def test_ancestors_nearest_first_and_paths_root_down() -> None:
    assert TREE.ancestors("b") == ["a", "p"]
    assert TREE.path("b") == ("Platform", "API", "Deep")
    assert TREE.path("") == () and TREE.path("unknown") == () and TREE.ancestors(None) == []


def test_a_missing_parent_is_the_root_and_a_cycle_is_cut() -> None:
    assert TREE.path("orphan") == ("Orphan",)
    assert TREE.ancestors("loop1") == ["loop2"]
    assert TREE.path("loop1") == ("L2", "L1")


def test_subtree_and_find_by_title_path() -> None:
    assert TREE.subtree("p") == {"p", "a", "b"}
    assert TREE.subtree("b") == {"b"}
    assert TREE.find(("Platform", "API")) == "a"
    assert TREE.find(("API",)) is None and TREE.find(()) is None
