"""One diff engine: `dashsync diff`, `dashsync review` and push's plan read the same comparison (dashsync/diff.py),
so they agree on what changed; equal panels are skipped by `==` before any detailed walk."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from dashsync import diff
from dashsync.local import LocalDashboard
from dashsync.plan import Action, LiveDashboard, LiveFolder, dashboard_step
from dashsync.review.dashboards import diff_dashboard as review_dashboard


def panel(pid: int, title: str, expr: str, x: int = 0) -> dict[str, Any]:
    return {
        "id": pid,
        "type": "timeseries",
        "title": title,
        "gridPos": {"x": x, "y": 0, "w": 12, "h": 8},
        "targets": [{"refId": "A", "expr": expr}],
        "fieldConfig": {"defaults": {"thresholds": {"mode": "absolute", "steps": [{"color": "green", "value": None}]}}},
    }


def board(title: str = "", panels: int = 40) -> dict[str, Any]:
    return {"uid": "u1", "title": title, "panels": [panel(i, f"P{i}", f"up{{i='{i}'}}") for i in range(panels)]}


def edited(old: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(old)
    new["title"] = "Renamed"
    new["panels"][3]["targets"][0]["expr"] = "rate(x[5m])"
    new["panels"][5]["gridPos"]["x"] = 12
    new["panels"][7]["fieldConfig"]["defaults"]["thresholds"]["steps"].append({"color": "red", "value": 90})
    return new


def test_diff_review_and_plan_say_the_same_changes() -> None:
    old = board()  # an untitled dashboard given a title is a rename too
    new = edited(old)
    words = diff.diff_dashboard(old, new, "Team", "Team")
    assert words is not None and set(words.changes) == {
        "title changed from '' to 'Renamed'",
        "panel 'P3': query A changed from `up{i='3'}` to `rate(x[5m])`",
        "panel 'P5': layout gridPos.x 0 -> 12",
        "panel 'P7': threshold 90 (red) added",
    }
    review = review_dashboard(old, new, "Team", "Team")
    assert review is not None and review.old_title == ""
    assert {(p.label, p.kind) for p in review.panels} == {
        ("panel 'P3'", "changed"),
        ("panel 'P5'", "moved"),
        ("panel 'P7'", "changed"),
    }
    assert dict((p.label, p.details) for p in review.panels)["panel 'P7'"] == ("threshold 90 (red) added",)
    local = LocalDashboard(uid="u1", title="Renamed", folder_path=("Team",), content=new, source=Path("u1.json"))
    live = LiveDashboard("u1", "", local.folder_uid, 3, old)
    folders = {local.folder_uid: LiveFolder(local.folder_uid, "Team", None)}
    step = dashboard_step(local, live, recorded=None, folders=folders, force=True)
    assert step.action is Action.UPDATE and set(step.changes) == set(words.changes)


def test_equal_panels_are_never_walked(monkeypatch: pytest.MonkeyPatch) -> None:
    walked: list[Any] = []
    real = diff.changes_between
    monkeypatch.setattr(diff, "changes_between", lambda a, b, prefix="": walked.append(a) or real(a, b, prefix))
    old = board(panels=400)
    diff.diff_dashboard(old, edited(old))
    assert len(walked) == 3  # the three changed panels; the top level (the title aside) is equal, so not walked


def test_the_same_dashboard_is_no_difference_to_any_of_them() -> None:
    old = board("Same")
    assert diff.diff_dashboard(old, copy.deepcopy(old), "A", "A") is None
    assert review_dashboard(old, copy.deepcopy(old), "A", "A") is None
    assert diff.compare(old, copy.deepcopy(old)).empty
