"""push end to end: no spurious writes, UI edits are conflicts, --force, --prune, --dry-run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import FIXTURES, Target, push_fixtures


def edit_in_ui(grafana: Target, uid: str, title: str) -> None:
    found = grafana.api("GET", f"/dashboards/uid/{uid}").json()
    found["dashboard"]["title"] = title
    r = grafana.api(
        "POST",
        "/dashboards/db",
        json={"dashboard": found["dashboard"], "message": "tweak", "folderUid": found["meta"]["folderUid"]},
    )
    assert r.status_code == 200, r.text


def test_push_creates_folders_and_dashboards(grafana: Target) -> None:
    result = push_fixtures(grafana)
    assert "15 create" in result.output
    kid = grafana.api("GET", "/dashboards/uid/tp-k8s-ns").json()["meta"]
    folder = grafana.api("GET", f"/folders/{kid['folderUid']}").json()
    assert [p["title"] for p in folder["parents"]] + [folder["title"]] == ["Third party", "Kubernetes", "Namespaces"]
    home = grafana.api("GET", "/dashboards/uid/tp-home").json()
    assert home["meta"]["folderUid"] == "" and home["dashboard"]["title"] == "Home (General level)"


def test_second_push_detects_no_change(grafana: Target) -> None:
    push_fixtures(grafana)
    versions_before = grafana.api("GET", "/dashboards/uid/anon-api").json()["meta"]["version"]
    again = push_fixtures(grafana)
    assert "0 create, 0 update, 15 unchanged" in again.output
    assert grafana.api("GET", "/dashboards/uid/anon-api").json()["meta"]["version"] == versions_before


@pytest.mark.emulator_only
def test_second_push_makes_no_write_request(grafana: Target) -> None:
    push_fixtures(grafana)
    writes = grafana.writes
    push_fixtures(grafana)
    assert grafana.writes == writes


def test_ui_edit_is_a_conflict_and_nothing_is_overwritten(grafana: Target, tmp_path: Path) -> None:
    push_fixtures(grafana)
    edit_in_ui(grafana, "anon-api", "API (edited in UI)")
    code = tmp_path / "dashboards"
    shutil.copytree(FIXTURES, code)
    changed = code / "Anonymeme" / "security.json"
    content = json.loads(changed.read_text())
    content["refresh"] = "1m"
    changed.write_text(json.dumps(content))
    result = grafana.dashsync("push", "--dir", str(code))
    assert result.exit_code == 3, result.output
    assert "conflict API (anon-api)" in result.output
    assert "title changed from 'API (edited in UI)' to 'API'" in result.output
    assert grafana.api("GET", "/dashboards/uid/anon-api").json()["dashboard"]["title"] == "API (edited in UI)"
    assert grafana.api("GET", "/dashboards/uid/anon-security").json()["dashboard"]["refresh"] == "30s"
    forced = grafana.dashsync("push", "--dir", str(code), "--force", "--message", "reset")
    assert forced.exit_code == 0, forced.output
    assert grafana.api("GET", "/dashboards/uid/anon-api").json()["dashboard"]["title"] == "API"
    assert grafana.api("GET", "/dashboards/uid/anon-security").json()["dashboard"]["refresh"] == "1m"
    assert grafana.dashsync("push", "--dir", str(code)).exit_code == 0


def test_code_change_after_a_dashsync_write_is_an_update(grafana: Target, tmp_path: Path) -> None:
    code = tmp_path / "dashboards"
    shutil.copytree(FIXTURES, code)
    push_fixtures(grafana)
    path = code / "Anonymeme" / "api.json"
    content = json.loads(path.read_text())
    content["panels"][0]["fieldConfig"]["defaults"]["thresholds"]["steps"][1]["value"] = 0.1
    path.write_text(json.dumps(content))
    result = grafana.dashsync("push", "--dir", str(code))
    assert result.exit_code == 0, result.output
    assert "update   API (anon-api)" in result.output and "panel 'Error rate': threshold 0.05 -> 0.1" in result.output
    assert "1 update, 14 unchanged" in result.output


def test_dry_run_and_prune_only_touch_managed_dashboards(grafana: Target, tmp_path: Path) -> None:
    dry = grafana.dashsync("push", "--dir", str(FIXTURES), "--dry-run")
    assert dry.exit_code == 0 and "15 create" in dry.output
    assert grafana.api("GET", "/search", params={"type": "dash-db"}).json() == []
    push_fixtures(grafana)
    hand_made = grafana.api("POST", "/dashboards/db", json={"dashboard": {"uid": "mine", "title": "Mine"}})
    assert hand_made.status_code == 200
    code = tmp_path / "dashboards"
    shutil.copytree(FIXTURES, code)
    (code / "Anonymeme" / "security.json").unlink()
    (code / "general-home.json").unlink()
    refused = grafana.dashsync("push", "--dir", str(code), "--prune")
    assert refused.exit_code == 2 and "--yes" in refused.output
    pruned = grafana.dashsync("push", "--dir", str(code), "--prune", "--yes")
    assert pruned.exit_code == 0, pruned.output
    remaining = {h["uid"] for h in grafana.api("GET", "/search", params={"type": "dash-db"}).json()}
    assert "anon-security" not in remaining  # managed folder, gone from code
    assert {"mine", "tp-home"} <= remaining  # root level and untagged: not dashsync's to delete


def test_prune_deletes_in_a_managed_folder_only_what_dashsync_wrote(grafana: Target, tmp_path: Path) -> None:
    push_fixtures(grafana)
    security = grafana.api("GET", "/dashboards/uid/anon-security").json()["meta"]["folderUid"]
    by_hand = grafana.api(
        "POST", "/dashboards/db", json={"dashboard": {"uid": "by-hand", "title": "By hand"}, "folderUid": security}
    )
    assert by_hand.status_code == 200, by_hand.text
    code = tmp_path / "dashboards"
    shutil.copytree(FIXTURES, code)
    (code / "Anonymeme" / "security.json").unlink()
    pruned = grafana.dashsync("push", "--dir", str(code), "--prune", "--yes")
    assert pruned.exit_code == 0, pruned.output
    assert "By hand (by-hand)" in pruned.output and "not deleted: not written by dashsync" in pruned.output
    assert grafana.api("GET", "/dashboards/uid/by-hand").status_code == 200
    assert grafana.api("GET", "/dashboards/uid/anon-security").status_code == 404


def test_invalid_local_json_is_one_line_and_writes_nothing(grafana: Target, tmp_path: Path) -> None:
    (tmp_path / "Team").mkdir()
    (tmp_path / "Team" / "ok.json").write_text(json.dumps({"uid": "ok", "title": "OK"}))
    (tmp_path / "Team" / "broken.json").write_text("{not json")
    result = grafana.dashsync("push", "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "broken.json: not valid JSON" in result.output
    assert grafana.api("GET", "/search").json() == []


def test_diff_and_push_agree_when_only_the_panel_order_changed(grafana: Target, tmp_path: Path) -> None:
    push_fixtures(grafana)
    code = tmp_path / "dashboards"
    shutil.copytree(FIXTURES, code)
    path = next(p for p in sorted(code.rglob("*.json")) if len(json.loads(p.read_text()).get("panels", [])) > 1)
    content = json.loads(path.read_text())
    content["panels"].reverse()
    path.write_text(json.dumps(content))
    planned = grafana.dashsync("push", "--dir", str(code), "--dry-run")
    assert planned.exit_code == 0 and "1 update" in planned.output, planned.output
    assert "panel order changed" in planned.output
    found = grafana.dashsync("diff", "--dir", str(code))
    assert found.exit_code == 1, found.output
    assert "panel order changed" in found.output
