"""dashsync on the Grafana versions people run: what differs between 11, 12 and 13 (tests/grafana_emulator/
PROFILES.md, each behaviour with the Grafana source it comes from), proved on every profile it applies to."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from dashsync import live as live_module
from tests.grafana_emulator import Emulator, service_account_token
from tests.grafana_emulator.v2 import sample_v2_spec

from .conftest import FIXTURES, Target, push_fixtures

COMPILED = Path(__file__).resolve().parents[2] / "provisioning" / "dashboards"  # what `make dashboards` wrote
V2_UID = "made-in-13-ui"


def whole_floats(value: object) -> int:
    if isinstance(value, dict):
        return sum(whole_floats(v) for v in value.values())
    if isinstance(value, list):
        return sum(whole_floats(v) for v in value)
    return int(isinstance(value, float) and value.is_integer())


def test_the_compiler_writes_numbers_as_grafana_12_gives_them_back() -> None:
    """No `5.0` in compiled output: a save and a read on 12+ give back exactly what was compiled."""
    assert sum(whole_floats(json.loads(p.read_text())) for p in COMPILED.rglob("*.json")) == 0


def test_numbers_compare_by_value_after_grafana_re_encodes_them(grafana: Target, tmp_path: Path) -> None:
    """Node Exporter Full (a third-party dashboard) carries `1000000000.0`; 12+ give it back as `1000000000`."""
    code = tmp_path / "code"
    shutil.copytree(FIXTURES, code)
    node = code / "Third party" / "Node exporter" / "node-full.json"
    sent = whole_floats(json.loads(node.read_text()))
    assert sent == 1
    assert grafana.dashsync("push", "--dir", str(code)).exit_code == 0
    stored = grafana.api("GET", "/dashboards/uid/tp-node-full").json()["dashboard"]
    assert whole_floats(stored) == (0 if grafana.version_major >= 12 else sent)
    same = grafana.dashsync("diff", "--against", "live", "--dir", str(code))
    assert same.exit_code == 0, same.output
    again = grafana.dashsync("push", "--dir", str(code))
    assert again.exit_code == 0 and "0 create, 0 update, 15 unchanged" in again.output, again.output
    changed = json.loads(node.read_text())
    changed["refresh"] = "1m"  # a code change after dashsync's push: an update, never a conflict
    node.write_text(json.dumps(changed))
    update = grafana.dashsync("push", "--dir", str(code))
    assert update.exit_code == 0, update.output
    assert "update   Node Exporter Full (tp-node-full) in Third party/Node exporter: changed in code" in update.output


def test_a_save_racing_a_ui_edit_is_a_conflict_through_412_or_409(grafana: Target, tmp_path: Path) -> None:
    """The edit lands between dashsync's plan and its write: legacy answers 412 (11/12) or 409 (13)."""
    from dashsync.connection import Grafana, Settings
    from dashsync.push import PushOptions, execute, make_plan

    push_fixtures(grafana)
    code = tmp_path / "code"
    shutil.copytree(FIXTURES, code)
    for api, uid, name in (("legacy", "anon-api", "api.json"), ("auto", "anon-security", "security.json")):
        path = code / "Anonymeme" / name
        content = json.loads(path.read_text())
        content["refresh"] = "5m"
        path.write_text(json.dumps(content))
        settings = Settings(
            url=grafana.url, token=grafana.token, user=grafana.user, password=grafana.password, api=api, backoff=0.001
        )
        plan = make_plan(Grafana(settings), PushOptions(root=code))
        assert [s.uid for s in plan.steps if s.action.value == "update"] == [uid]
        ui = grafana.api("GET", f"/dashboards/uid/{uid}").json()
        ui["dashboard"]["description"] = f"edited in the UI during a push ({api})"
        saved = grafana.api(
            "POST", "/dashboards/db", json={"dashboard": ui["dashboard"], "folderUid": ui["meta"]["folderUid"]}
        )
        assert saved.status_code == 200, saved.text
        done, failures = execute(Grafana(settings), plan, None)
        assert failures and failures[0].startswith("conflict"), (api, failures)
        live = grafana.api("GET", f"/dashboards/uid/{uid}").json()["dashboard"]
        assert live["description"] == f"edited in the UI during a push ({api})" and live.get("refresh") != "5m"


@pytest.mark.emulator_only
def test_no_op_push_and_backup_take_list_calls_not_one_get_per_dashboard(
    grafana_resources: Target, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grafana = grafana_resources
    assert grafana.emulator is not None
    code = tmp_path / "code"
    for n in range(120):
        folder = code / f"Team {n % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"d{n:03d}.json").write_text(
            json.dumps(
                {
                    "uid": f"d{n:03d}",
                    "title": f"D {n}",
                    "panels": [
                        {
                            "id": 1,
                            "type": "stat",
                            "title": "x",
                            "gridPos": {"h": 4, "w": 6, "x": 0, "y": 0},
                            "fieldConfig": {"defaults": {"thresholds": {"steps": [{"value": None}, {"value": 5.0}]}}},
                        }
                    ],
                }
            )
        )
    assert grafana.dashsync("push", "--dir", str(code)).exit_code == 0
    monkeypatch.setattr(live_module, "PAGE", 50)  # so that 120 dashboards take several pages
    traffic = grafana.emulator.traffic
    traffic.reset()
    again = grafana.dashsync("push", "--dir", str(code))
    assert again.exit_code == 0 and "120 unchanged" in again.output
    pages = math.ceil(120 / 50)
    assert traffic.by_route["GET apis.dashboards.list"] == pages, traffic.by_route
    assert traffic.writes == 0 and traffic.total <= pages + 4, traffic.by_route  # + discovery, org, folders
    traffic.reset()
    assert grafana.dashsync("backup", "--out", str(tmp_path / "b")).exit_code == 0
    assert traffic.by_route["GET apis.dashboards.list"] == pages
    assert not [route for route in traffic.by_route if "dashboards.get" in route or "versions" in route]
    assert len(list((tmp_path / "b" / "dashboards").glob("*.json"))) == 120


def test_legacy_api_on_11_and_the_resource_api_on_12_and_13(grafana: Target, tmp_path: Path) -> None:
    from dashsync.connection import Grafana, Settings
    from dashsync.live import connect

    settings = Settings(url=grafana.url, token=grafana.token, user=grafana.user, password=grafana.password)
    chosen = connect(Grafana(settings))
    assert chosen.kind == ("resources /apis" if grafana.version_major >= 12 else "legacy /api")
    forced = grafana.dashsync("health", "--api", "resources")
    if grafana.version_major < 12:
        assert forced.exit_code == 2 and "does not serve dashboard.grafana.app/v1beta1" in forced.output
    else:
        assert forced.exit_code == 0 and "api: resources /apis" in forced.output, forced.output
    legacy = grafana.dashsync("health", "--api", "legacy")
    assert legacy.exit_code == 0 and "api: legacy /api" in legacy.output


def make_v2(grafana: Target, uid: str = V2_UID, folder: str | None = None) -> dict:
    annotations = {"grafana.app/folder": folder} if folder else {}
    body = {
        "apiVersion": "dashboard.grafana.app/v2beta1",
        "kind": "Dashboard",
        "metadata": {"name": uid, "annotations": annotations},
        "spec": sample_v2_spec("Made in the 13 UI"),
    }
    created = grafana.apis("POST", "/dashboard.grafana.app/v2beta1/dashboards", json=body)
    assert created.status_code == 201, created.text
    return body


def test_a_v2_dashboard_is_backed_up_and_restored_as_itself(grafana_resources: Target, tmp_path: Path) -> None:
    grafana = grafana_resources
    push_fixtures(grafana)
    original = make_v2(grafana)
    legacy = grafana.api("GET", f"/dashboards/uid/{V2_UID}")
    if grafana.version_major == 12:
        assert legacy.status_code == 406 and "/apis/dashboard.grafana.app/v2beta1/" in legacy.json()["message"]
    else:  # 13 down-converts: the tabs are gone
        assert legacy.status_code == 200 and "Traffic" in json.dumps(legacy.json()["dashboard"])
        assert "TabsLayout" not in json.dumps(legacy.json())
    pushed = grafana.dashsync("push", "--dir", str(FIXTURES))  # an unmanaged v2 dashboard never stops a command
    assert pushed.exit_code == 0, pushed.output
    backed = grafana.dashsync("backup", "--out", str(tmp_path / "b"))
    assert backed.exit_code == 0, backed.output
    kept = json.loads((tmp_path / "b" / "dashboards" / f"{V2_UID}.json").read_text())
    assert kept["resource"]["apiVersion"] == "dashboard.grafana.app/v2beta1"
    assert kept["resource"]["spec"] == original["spec"]
    refused = grafana.dashsync("backup", "--api", "legacy", "--out", str(tmp_path / "legacy"))
    assert refused.exit_code == 2 and f"dashboard {V2_UID} is stored as a v2 dashboard" in refused.output
    assert not (tmp_path / "legacy").exists() and len(refused.output.strip().splitlines()) == 1
    if grafana.emulator is None:
        return
    token = service_account_token()
    with Emulator(token=token, grafana=grafana.major or 13) as empty:
        env = {"GRAFANA_URL": empty.url, "GRAFANA_TOKEN": token}
        restored = grafana.dashsync("restore", str(tmp_path / "b"), env=env)
        assert restored.exit_code == 0, restored.output
        assert "create v2 dashboard: Made in the 13 UI" in restored.output
        stored = empty.state.orgs[1].dashboards[V2_UID]
        assert stored.api_version == "v2beta1" and stored.data["layout"] == original["spec"]["layout"]
        writes = empty.traffic.writes
        assert grafana.dashsync("restore", str(tmp_path / "b"), env=env).exit_code == 0
        assert empty.traffic.writes == writes  # a second restore finds the v2 dashboard identical
        again = tmp_path / "again"
        assert grafana.dashsync("backup", "--out", str(again), env=env).exit_code == 0
        assert (again / "dashboards" / f"{V2_UID}.json").read_text() == (
            tmp_path / "b" / "dashboards" / f"{V2_UID}.json"
        ).read_text()


def test_a_v2_dashboard_push_would_overwrite_is_a_conflict(grafana_resources: Target, tmp_path: Path) -> None:
    grafana = grafana_resources
    code = tmp_path / "code"
    code.mkdir()
    (code / "mine.json").write_text(json.dumps({"uid": V2_UID, "title": "Mine, in code", "panels": []}))
    make_v2(grafana)
    for api in ("auto", "legacy"):
        result = grafana.dashsync("push", "--dir", str(code), "--api", api)
        assert result.exit_code == 3, result.output
        assert "stored in Grafana as a v2" in result.output and "--force replaces it" in result.output
        diff = grafana.dashsync("diff", "--against", "live", "--dir", str(code), "--api", api)
        assert diff.exit_code == 1 and "not comparable with classic JSON" in diff.output
    forced = grafana.dashsync("push", "--dir", str(code), "--force")
    assert forced.exit_code == 0, forced.output
    assert grafana.api("GET", f"/dashboards/uid/{V2_UID}").json()["dashboard"]["title"] == "Mine, in code"


@pytest.mark.emulator_only
def test_a_create_that_search_does_not_show_yet_is_recognised(grafana: Target, tmp_path: Path) -> None:
    """12+ give no search-after-write guarantee: a push right after a push plans creates for what exists."""
    assert grafana.emulator is not None
    grafana.emulator.state.search_lag = 3600.0  # never indexed during this test (no effect on 11: SQL search)
    code = tmp_path / "code"
    shutil.copytree(FIXTURES, code)
    first = grafana.dashsync("push", "--dir", str(code), "--api", "legacy")
    assert first.exit_code == 0, first.output
    path = code / "Anonymeme" / "api.json"
    content = json.loads(path.read_text())
    content["refresh"] = "2m"
    path.write_text(json.dumps(content))
    second = grafana.dashsync("push", "--dir", str(code), "--api", "legacy")
    assert second.exit_code == 0, second.output
    if grafana.version_major >= 12:
        assert "15 create" in second.output  # search showed none of them
    live = grafana.api("GET", "/dashboards/uid/anon-api").json()["dashboard"]
    assert live["refresh"] == "2m"
    assert len(grafana.emulator.state.orgs[1].dashboards) == 15  # recognised, not duplicated
    third = grafana.dashsync("push", "--dir", str(code))
    assert third.exit_code == 0 and "15 unchanged" in third.output, third.output


@pytest.mark.emulator_only
def test_an_answer_nobody_foresaw_is_one_line_naming_request_status_and_message(
    grafana: Target, tmp_path: Path
) -> None:
    assert grafana.emulator is not None
    push_fixtures(grafana)
    grafana.emulator.inject(rate=1.0, kinds=("error",), seed=3)
    result = grafana.dashsync("backup", "--out", str(tmp_path / "b"), "--retries", "2", "--backoff", "0.001")
    assert result.exit_code != 0
    [line] = result.output.strip().splitlines()
    assert "failed with 50" in line and ("emulated upstream failure" in line or "Internal Server Error" in line)
    assert not (tmp_path / "b").exists()
