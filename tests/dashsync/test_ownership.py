"""What dashsync may overwrite or delete, on every path that could get it wrong: only what it can prove it wrote,
never what was edited since, made by hand, restored from a backup that cannot tell, kept as v2 or owned by files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.grafana_emulator import Emulator, service_account_token
from tests.grafana_emulator.state import Provisioned

from .conftest import FIXTURES, Target, push_fixtures
from .test_grafana_versions import V2_UID, make_v2

pytestmark = pytest.mark.emulator_only


def without(code: Path, *names: str) -> None:
    for name in names:
        (code / name).unlink()


def test_prune_keeps_a_dashboard_edited_through_the_resource_api(grafana_resources: Target, tmp_path: Path) -> None:
    """kubectl, grafanactl or terraform: GET, change, PUT keeps dashsync's old message annotation."""
    g = grafana_resources
    push_fixtures(g)
    item = g.apis("GET", "/dashboard.grafana.app/v1beta1/dashboards/anon-api").json()
    assert "dashsync sha256:" in item["metadata"]["annotations"]["grafana.app/message"]
    item["spec"]["description"] = "edited with kubectl"
    assert g.apis("PUT", "/dashboard.grafana.app/v1beta1/dashboards/anon-api", json=item).status_code == 200
    code = tmp_path / "code"
    shutil.copytree(FIXTURES, code)
    without(code / "Anonymeme", "api.json")
    result = g.dashsync("push", "--dir", str(code), "--prune", "--yes")
    assert result.exit_code == 0, result.output
    kept = "keep     API (anon-api) in Anonymeme: not deleted: edited in Grafana since dashsync wrote it"
    assert kept in result.output
    assert g.api("GET", "/dashboards/uid/anon-api").status_code == 200


def test_a_restored_hand_made_dashboard_never_becomes_prunable(grafana: Target, tmp_path: Path) -> None:
    push_fixtures(grafana)
    folder = grafana.api("GET", "/dashboards/uid/anon-api").json()["meta"]["folderUid"]
    made = grafana.api(
        "POST", "/dashboards/db", json={"dashboard": {"uid": "by-hand", "title": "By hand"}, "folderUid": folder}
    )
    assert made.status_code == 200
    assert grafana.dashsync("backup", "--out", str(tmp_path / "b")).exit_code == 0
    token = service_account_token()
    with Emulator(token=token, grafana=grafana.major or 11) as other:
        env = {"GRAFANA_URL": other.url, "GRAFANA_TOKEN": token}
        assert grafana.dashsync("restore", str(tmp_path / "b"), env=env).exit_code == 0
        pruned = grafana.dashsync("push", "--dir", str(FIXTURES), "--prune", "--yes", env=env)
        assert pruned.exit_code == 0, pruned.output
        assert "by-hand" in other.state.orgs[1].dashboards
        assert "keep     By hand (by-hand) in Anonymeme: not deleted:" in pruned.output
        # what the restore brought back from dashsync's own writes is still updated from code, not a conflict
        code = tmp_path / "code"
        shutil.copytree(FIXTURES, code)
        path = code / "Anonymeme" / "api.json"
        changed = json.loads(path.read_text())
        changed["refresh"] = "2m"
        path.write_text(json.dumps(changed))
        update = grafana.dashsync("push", "--dir", str(code), env=env)
        assert update.exit_code == 0 and "changed in code" in update.output, update.output


def test_a_tagged_v2_dashboard_is_kept_on_both_apis(grafana_resources: Target, tmp_path: Path) -> None:
    g = grafana_resources
    body = make_v2(g)
    body["spec"]["tags"] = ["dashsync"]
    item = g.apis("GET", f"/dashboard.grafana.app/v2beta1/dashboards/{V2_UID}").json()
    item["spec"]["tags"] = ["dashsync"]
    assert g.apis("PUT", f"/dashboard.grafana.app/v2beta1/dashboards/{V2_UID}", json=item).status_code == 200
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "other.json").write_text(json.dumps({"uid": "other", "title": "Other"}))
    for api in ("auto", "legacy"):
        result = g.dashsync("push", "--dir", str(tmp_path / "code"), "--prune", "--yes", "--api", api)
        assert result.exit_code == 0, result.output
        assert f"delete   Made in the 13 UI ({V2_UID})" not in result.output, (api, result.output)
        # 12's v1beta1 listing of a v2 dashboard has an empty spec (no tags): not even a candidate there
        assert f"({V2_UID})" not in result.output or "not deleted" in result.output, (api, result.output)
        assert g.apis("GET", f"/dashboard.grafana.app/v2beta1/dashboards/{V2_UID}").status_code == 200


def test_a_file_dashboard_that_allows_ui_edits_gets_one_plan_on_both_apis(grafana: Target, tmp_path: Path) -> None:
    assert grafana.emulator is not None
    state = grafana.emulator.state
    org = state.orgs[1]
    state.store_dashboard(
        org,
        "Anonymous",
        {"uid": "editable", "title": "Editable", "tags": ["dashsync"]},
        "Editable",
        "editable",
        None,
        None,
        "",
        provisioned=Provisioned("files", "editable.json", True, "abc"),
    )
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "editable.json").write_text(json.dumps({"uid": "editable", "title": "Editable v2"}))
    (tmp_path / "none").mkdir()
    (tmp_path / "none" / "x.json").write_text(json.dumps({"uid": "x", "title": "X"}))
    apis = ("auto", "legacy") if grafana.version_major >= 12 else ("legacy",)
    plans = set()
    for api in apis:
        dry = grafana.dashsync("push", "--dir", str(tmp_path / "code"), "--dry-run", "--api", api)
        plans.add(dry.output.splitlines()[-2])
        pruned = grafana.dashsync("push", "--dir", str(tmp_path / "none"), "--prune", "--yes", "--api", api)
        assert pruned.exit_code == 0 and "not deleted: owned by file provisioning" in pruned.output, pruned.output
    assert len(plans) == 1, plans
    gone = grafana.api("DELETE", "/dashboards/uid/editable")
    assert (gone.status_code, gone.json()["message"]) == (400, "provisioned dashboard cannot be deleted")


def test_restoring_a_v2_dashboard_into_grafana_11_is_refused_before_any_write(tmp_path: Path) -> None:
    token13, token11 = service_account_token(), service_account_token()
    with Emulator(token=token13, grafana=13) as g13, Emulator(token=token11, grafana=11) as g11:
        t13 = Target(g13.url, token13, None, None, g13, 13)
        push_fixtures(t13)
        make_v2(t13)
        assert t13.dashsync("backup", "--out", str(tmp_path / "b")).exit_code == 0
        env = {"GRAFANA_URL": g11.url, "GRAFANA_TOKEN": token11}
        dry = t13.dashsync("restore", str(tmp_path / "b"), "--dry-run", env=env)
        real = t13.dashsync("restore", str(tmp_path / "b"), env=env)
        assert dry.exit_code == real.exit_code == 3 and dry.output == real.output
        assert "is a v2 dashboard and this Grafana serves no dashboard.grafana.app/v2" in real.output
        assert g11.traffic.writes == 0


def test_pull_refuses_to_write_a_lossy_copy_of_a_v2_dashboard(grafana_resources: Target, tmp_path: Path) -> None:
    make_v2(grafana_resources)
    pulled = grafana_resources.dashsync("pull", V2_UID, "--out", str(tmp_path / "x.json"))
    assert pulled.exit_code == 2 and "stored as a v2 dashboard" in pulled.output
    assert not (tmp_path / "x.json").exists()


def test_json_says_a_refusal_too(grafana: Target, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = grafana.dashsync("push", "--dir", str(tmp_path / "empty"), "--prune", "--json")
    assert result.exit_code == 2
    document = json.loads(result.output[result.output.index("{") :])
    assert document["exit"] == 2 and document["error"].startswith("refusing to prune")
