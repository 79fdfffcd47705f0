"""Gather both sides (working tree, and a git revision or another checkout) and build the Review. Thin I/O edge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import sources
from ..errors import DashsyncError
from . import svg
from .dashboards import DashboardSet, diff_dashboard_sets
from .model import Review
from .rules import RuleFiles, diff_rules, rules_from_directory, rules_from_git


@dataclass(frozen=True)
class Side:
    label: str
    dashboards: DashboardSet
    rules: RuleFiles


def working_tree(dashboards_dir: Path, rules_dir: Path) -> Side:
    return Side("working tree", sources.from_directory(dashboards_dir), rules_from_directory(rules_dir))


def other_side(against: str, dashboards_dir: Path, rules_dir: Path) -> Side:
    """git:REV (as committed), or DIR: another checkout whose layout is the same as this one."""
    if against.startswith("git:") and len(against) > 4:
        rev = against[4:]
        return Side(against, sources.from_git(rev, dashboards_dir), rules_from_git(rev, rules_dir))
    other = Path(against)
    if other.is_dir():
        dash, rules = other / dashboards_dir, other / rules_dir
        if dashboards_dir.is_absolute() or rules_dir.is_absolute():
            raise DashsyncError("--against DIR needs relative --dashboards-dir and --rules-dir")
        return Side(against, sources.from_directory(dash), rules_from_directory(rules))
    raise DashsyncError(f"--against {against!r}: expected git:REV or an existing checkout directory")


def build_review(old: Side, new: Side) -> Review:
    return Review(
        old.label, new.label, diff_dashboard_sets(old.dashboards, new.dashboards), diff_rules(old.rules, new.rules)
    )


def picture_texts(review: Review, old: Side, new: Side) -> dict[str, str]:
    out: dict[str, str] = {}
    for d in review.dashboards:
        before: Any = old.dashboards.get(d.uid, (None, ""))[0]
        after: Any = new.dashboards.get(d.uid, (None, ""))[0]
        out[f"{d.uid}.svg"] = svg.to_text(svg.render_side_by_side(before, after, d))
    return out
