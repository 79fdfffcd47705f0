"""Pure parts: folder uids, normalisation, plan rules and diff wording, with plain data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dashsync.diff import diff_dashboard, render_markdown
from dashsync.local import LocalDashboard, folder_uid
from dashsync.normalise import content_hash, recorded_hash, save_message
from dashsync.plan import Action, LiveDashboard, LiveFolder, build_plan, prune_needs_provenance


def dash(uid: str = "u1", threshold: float = 0.05, expr: str = "up", **extra: Any) -> dict[str, Any]:
    panel = {
        "id": 1,
        "title": "Error rate",
        "type": "timeseries",
        "targets": [{"refId": "A", "expr": expr}],
        "fieldConfig": {"defaults": {"thresholds": {"steps": [{"value": None}, {"value": threshold}]}}},
    }
    return {"uid": uid, "title": "API", "panels": [panel], **extra}


def local(content: dict[str, Any], path: tuple[str, ...] = ("Team",)) -> LocalDashboard:
    return LocalDashboard(content["uid"], content["title"], path, content, Path("x.json"))


def live(content: dict[str, Any], folder: str, version: int = 3) -> LiveDashboard:
    return LiveDashboard(content["uid"], content["title"], folder, version, {**content, "id": 7, "version": version})


def test_folder_uid_is_deterministic_short_and_distinguishes_unicode() -> None:
    assert folder_uid(("Platform", "API")) == folder_uid(("Platform", "API"))
    assert folder_uid(("Ünïcode",)) != folder_uid(("Unicode",))
    long = folder_uid(("x" * 200, "y" * 200))
    assert len(long) <= 40 and long.replace("-", "").isalnum()


def test_volatile_fields_do_not_change_the_hash_and_the_marker_round_trips() -> None:
    assert content_hash(dash()) == content_hash({**dash(), "id": 4, "version": 9, "iteration": 123})
    digest = content_hash(dash())
    assert recorded_hash(save_message(digest, "note " * 200)) == digest
    assert len(save_message(digest, "note " * 200)) <= 500
    assert recorded_hash("edited in the UI") is None


def test_plan_unchanged_update_conflict_and_force() -> None:
    folders = {folder_uid(("Team",)): LiveFolder(folder_uid(("Team",)), "Team", None)}
    team = folder_uid(("Team",))
    same = build_plan([local(dash())], {"u1": live(dash(), team)}, {}, folders)
    assert [s.action for s in same.steps] == [Action.UNCHANGED] and same.writes == 0
    old = dash(threshold=0.01)
    ours = build_plan([local(dash())], {"u1": live(old, team)}, {"u1": content_hash(old)}, folders)
    assert ours.steps[0].action is Action.UPDATE
    edited = build_plan([local(dash())], {"u1": live(old, team)}, {"u1": content_hash(dash(threshold=9))}, folders)
    assert edited.steps[0].action is Action.CONFLICT
    assert "threshold 0.01 -> 0.05" in edited.steps[0].changes[0]
    forced = build_plan([local(dash())], {"u1": live(old, team)}, {"u1": None}, folders, force=True)
    assert forced.steps[0].action is Action.UPDATE


def test_plan_creates_missing_folders_parents_first() -> None:
    plan = build_plan([local(dash(), ("A", "B", "C"))], {}, {}, {})
    assert [f.path for f in plan.folders] == [("A",), ("A", "B"), ("A", "B", "C")]
    assert plan.folders[1].parent_uid == plan.folders[0].uid
    assert plan.steps[0].action is Action.CREATE


def test_prune_deletes_only_managed_dashboards_whose_content_dashsync_wrote() -> None:
    team = folder_uid(("Team",))
    folders = {team: LiveFolder(team, "Team", None), "hand-made": LiveFolder("hand-made", "Team", None)}
    candidates = [
        LiveDashboard("gone", "Gone", team, 1, {}),
        LiveDashboard("tagged", "Tagged", "", 1, {}, ("dashsync",)),
        LiveDashboard("tagged-by-hand", "Tagged by hand", "", 1, {}, ("dashsync",)),
        LiveDashboard("theirs", "Theirs", "hand-made", 1, {}),
        LiveDashboard("root", "Root", "", 1, {}),
    ]
    provenance = {"gone": content_hash({}), "tagged": content_hash({}), "tagged-by-hand": None}
    plan = build_plan([], {}, provenance, folders, prune_candidates=candidates)
    assert sorted(s.uid for s in plan.of(Action.DELETE)) == ["gone", "tagged"]
    assert [s.uid for s in plan.of(Action.KEEP)] == ["tagged-by-hand"]  # the tag alone proves nothing


def test_prune_keeps_what_was_made_by_hand_edited_since_restored_or_provisioned() -> None:
    team = folder_uid(("Team",))
    folders = {team: LiveFolder(team, "Team", None), "hand-made": LiveFolder("hand-made", "Team", None)}
    candidates = [
        LiveDashboard("ours", "Ours", team, 1, {}),
        LiveDashboard("by-hand", "By hand", team, 1, {}),
        LiveDashboard("edited", "Edited", team, 1, {"title": "edited in the UI"}),
        LiveDashboard("restored", "Restored", team, 1, {}),
        LiveDashboard("file", "File", team, 1, {}, file_managed=True),
        LiveDashboard("theirs", "Theirs", "hand-made", 1, {}),
    ]
    assert prune_needs_provenance(candidates, folders, {"x"}) == ["ours", "by-hand", "edited", "restored", "file"]
    assert prune_needs_provenance(candidates, folders, {"x"}, ("Other",)) == []
    provenance = {
        "ours": content_hash({}),
        "by-hand": None,
        "edited": content_hash({}),
        "restored": "restored:" + content_hash({}),
        "file": content_hash({}),
    }
    plan = build_plan([], {}, provenance, folders, prune_candidates=candidates)
    assert [s.uid for s in plan.of(Action.DELETE)] == ["ours"]
    assert {s.uid: s.reason for s in plan.of(Action.KEEP)} == {
        "by-hand": "not deleted: not written by dashsync",
        "edited": "not deleted: edited in Grafana since dashsync wrote it",
        "restored": "not deleted: restored from a backup that cannot tell whether dashsync wrote it",
        "file": "not deleted: owned by file provisioning",
    }
    assert plan.writes == 1


def test_diff_matches_panels_by_title_and_speaks_plainly() -> None:
    before = dash(expr="rate(a[5m])")
    after = dash(expr="rate(b[5m])", threshold=0.1)
    after["panels"].insert(0, {"id": 2, "title": "New panel", "type": "stat"})
    after["panels"][1]["id"] = 5  # renumbered: still the same panel
    found = diff_dashboard(before, after, "Old", "New")
    assert found is not None
    assert "panel 'Error rate': query A changed from `rate(a[5m])` to `rate(b[5m])`" in found.changes
    assert "panel 'Error rate': threshold 0.05 -> 0.1" in found.changes
    assert "panel 'New panel' added" in found.changes
    assert "moved to folder 'New' (was 'Old')" in found.changes
    assert diff_dashboard({**before, "version": 3, "id": 1}, before) is None
    assert "**API** (`u1`)" in render_markdown([found], "live", "code")


def test_a_panel_retitled_in_the_ui_reads_as_a_title_change_not_remove_and_add() -> None:
    before = dash()
    after = dash()
    after["panels"][0]["title"] = "Error rate (edited in UI)"
    after["panels"].append({"id": 9, "title": "Other", "type": "stat"})
    found = diff_dashboard(before, after)
    assert found is not None
    assert found.changes == (
        "panel 'Error rate': title changed from 'Error rate' to 'Error rate (edited in UI)'",
        "panel 'Other' added",
    )
    # A different panel type under the old id is a replacement, not a rename.
    after["panels"][0]["type"] = "stat"
    replaced = diff_dashboard(before, after)
    assert replaced is not None
    assert "panel 'Error rate' removed" in replaced.changes
    assert "panel 'Error rate (edited in UI)' added" in replaced.changes


def test_panels_in_another_order_are_a_difference_for_diff_as_for_push() -> None:
    """push writes on any normalised difference; diff must report it, and a conflict must show what."""
    before = dash()
    before["panels"].append({"id": 2, "title": "Latency", "type": "timeseries"})
    after = {**before, "panels": list(reversed(before["panels"]))}
    found = diff_dashboard(before, after)
    assert found is not None
    assert found.changes == ('panel order changed: ["Error rate", "Latency"] -> ["Latency", "Error rate"]',)
    queries = dash()
    queries["panels"][0]["targets"] = [{"refId": "A", "expr": "a"}, {"refId": "B", "expr": "b"}]
    swapped = dash()
    swapped["panels"][0]["targets"] = [{"refId": "B", "expr": "b"}, {"refId": "A", "expr": "a"}]
    assert diff_dashboard(queries, swapped) is not None
    team = folder_uid(("Team",))
    folders = {team: LiveFolder(team, "Team", None)}
    conflict = build_plan([local(after)], {"u1": live(before, team)}, {"u1": None}, folders)
    assert conflict.steps[0].action is Action.CONFLICT and conflict.steps[0].changes
