"""The review's view of two sets of compiled dashboards: dashsync/diff.py's one comparison, told per dashboard and
per panel (added, removed, moved, changed) so that the markdown, the JSON and the pictures can all say which panel
changed and how. No comparison of its own: what the review calls a change is what `dashsync diff` and push's plan
call a change.
"""

from __future__ import annotations

from typing import Any

from ..diff import compare
from .model import DashboardReview

DashboardSet = dict[str, tuple[dict[str, Any], str]]


def diff_dashboard(
    old: dict[str, Any] | None, new: dict[str, Any] | None, old_folder: str = "", new_folder: str = ""
) -> DashboardReview | None:
    """None when both are the same dashboard (volatile fields aside)."""
    ref = new if new is not None else old
    if ref is None:
        return None
    uid, title = str(ref.get("uid", "")), str(ref.get("title", "")).strip()
    if old is None:
        return DashboardReview(uid, title, "added", new_folder=new_folder)
    if new is None:
        return DashboardReview(uid, title, "removed", old_folder=old_folder)
    found = compare(old, new, old_folder, new_folder)
    if found.empty:
        return None
    return DashboardReview(
        uid,
        title,
        "changed",
        old_title=found.old_title if found.renamed else "",
        old_folder=old_folder,
        new_folder=new_folder,
        details=tuple(sorted(found.details)),
        panels=found.panels,
    )


def diff_dashboard_sets(old: DashboardSet, new: DashboardSet) -> tuple[DashboardReview, ...]:
    found: list[DashboardReview] = []
    for uid in sorted(old.keys() | new.keys()):
        before, old_folder = old.get(uid, (None, ""))
        after, new_folder = new.get(uid, (None, ""))
        review = diff_dashboard(before, after, old_folder, new_folder)
        if review is not None:
            found.append(review)
    return tuple(found)
