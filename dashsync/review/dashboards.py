"""Semantic diff of two sets of compiled dashboards, fast enough for hundreds of dashboards in a pull request.

It says what the dashsync diff says (panels matched by title or id, queries by refId, volatile fields ignored,
changes in words: see dashsync/diff.py, whose matching and wording it reuses), but structured per panel so that
the markdown, the JSON and the pictures can all say which panel changed and how (added, removed, moved, changed).

Why it is fast: most of a large change set is unchanged, so whole dashboards and then single panels are first
compared with plain `==` (C speed, stops at the first difference); only what differs is walked, by a small
structural walk instead of DeepDiff, whose per-call setup dominates when thousands of small panels are compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import diff as wording
from ..normalize import VOLATILE_KEYS
from .model import DashboardReview, PanelChange

DashboardSet = dict[str, tuple[dict[str, Any], str]]
Change = tuple[list[str], str, Any, Any]


def walk(old: Any, new: Any, tokens: list[str] | None = None) -> Iterator[Change]:
    """Every leaf difference as (path tokens, changed|added|removed, old, new); lists are compared by position."""
    tokens = tokens or []
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in old.keys() | new.keys():
            path = [*tokens, str(key)]
            if key not in new:
                yield path, "removed", old[key], None
            elif key not in old:
                yield path, "added", None, new[key]
            else:
                yield from walk(old[key], new[key], path)
    elif isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            path = [*tokens, str(index)]
            if index >= len(new):
                yield path, "removed", old[index], None
            elif index >= len(old):
                yield path, "added", None, new[index]
            else:
                yield from walk(old[index], new[index], path)
    else:
        yield tokens, "changed", old, new


def _say(tokens: list[str], kind: str, old: Any, new: Any) -> str:
    """dashsync's wording, plus threshold steps added or removed told as thresholds rather than list items."""
    step = new if kind == "added" else old
    if kind != "changed" and "thresholds" in tokens and isinstance(step, dict) and "value" in step:
        return f"threshold {step.get('value')} ({step.get('color', 'no colour')}) {kind}"
    return wording._describe("", tokens, kind, old, new)


def describe(old: Any, new: Any) -> tuple[str, ...]:
    return tuple(sorted(_say(t, kind, a, b) for t, kind, a, b in walk(old, new)))


def _grid(panel: dict[str, Any]) -> str:
    g = panel.get("gridPos") or {}
    return f"x={g.get('x', 0)} y={g.get('y', 0)} {g.get('w', 0)}x{g.get('h', 0)}"


def diff_panels(old_panels: Any, new_panels: Any) -> tuple[PanelChange, ...]:
    changes: list[PanelChange] = []
    for label, before, after in wording.match_panels(old_panels, new_panels):
        ref = after if after is not None else before
        assert ref is not None
        title, kind = str(ref.get("title") or ""), str(ref.get("type") or "")
        if before is None:
            changes.append(PanelChange(label, title, kind, "added", (f"at {_grid(ref)}",)))
            continue
        if after is None:
            changes.append(PanelChange(label, title, kind, "removed"))
            continue
        a, b = wording._comparable_panel(before), wording._comparable_panel(after)
        if a == b:
            continue
        if {k: v for k, v in a.items() if k != "gridPos"} == {k: v for k, v in b.items() if k != "gridPos"}:
            changes.append(PanelChange(label, title, kind, "moved", (f"{_grid(before)} -> {_grid(after)}",)))
        else:
            changes.append(PanelChange(label, title, kind, "changed", describe(a, b)))
    return tuple(changes)


def _top(dashboard: dict[str, Any]) -> dict[str, Any]:
    """Everything but the panels, volatile fields and the title (a rename is reported on its own)."""
    return {k: v for k, v in dashboard.items() if k not in ("panels", "title", *VOLATILE_KEYS)}


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
    old_title = str(old.get("title", "")).strip()
    details: tuple[str, ...] = ()
    top_old, top_new = _top(old), _top(new)
    if top_old != top_new:
        details = describe(wording._comparable_top(top_old), wording._comparable_top(top_new))
    panels = () if old.get("panels") == new.get("panels") else diff_panels(old.get("panels"), new.get("panels"))
    if not details and not panels and old_title == title and old_folder == new_folder:
        return None
    return DashboardReview(
        uid,
        title,
        "changed",
        old_title=old_title if old_title != title else "",
        old_folder=old_folder,
        new_folder=new_folder,
        details=details,
        panels=panels,
    )


def diff_dashboard_sets(old: DashboardSet, new: DashboardSet) -> tuple[DashboardReview, ...]:
    found: list[DashboardReview] = []
    for uid in sorted(old.keys() | new.keys()):
        before, old_folder = old.get(uid, (None, ""))
        after, new_folder = new.get(uid, (None, ""))
        if before is not None and after is not None and before == after and old_folder == new_folder:
            continue
        review = diff_dashboard(before, after, old_folder, new_folder)
        if review is not None:
            found.append(review)
    return tuple(found)
