"""The emulator's fidelity to Grafana's legacy /api: run unchanged against a real Grafana with GRAFANA_URL."""

from __future__ import annotations

import niquests

from .conftest import Target


def test_health_needs_no_credentials(grafana: Target) -> None:
    r = niquests.get(f"{grafana.url}/api/health")
    assert r.status_code == 200
    assert r.json()["database"] == "ok" and "version" in r.json()


def test_missing_and_invalid_credentials_answer_401_in_errutil_shape(grafana: Target) -> None:
    anonymous = niquests.get(f"{grafana.url}/api/search")
    assert anonymous.status_code == 401
    assert anonymous.json()["statusCode"] == 401 and "messageId" in anonymous.json()
    bad = niquests.get(f"{grafana.url}/api/search", headers={"Authorization": "Bearer glsa_nope_00000000"})
    assert bad.status_code == 401
    assert bad.json()["messageId"] == "api-key.invalid"


def test_dashboard_save_rules(grafana: Target) -> None:
    created = grafana.api("POST", "/dashboards/db", json={"dashboard": {"uid": "c-1", "title": " T "}})
    assert created.status_code == 200
    assert created.json()["version"] == 1 and created.json()["status"] == "success"
    assert created.json()["folderUid"] == ""
    stale = grafana.api("POST", "/dashboards/db", json={"dashboard": {"uid": "c-1", "title": "T"}})
    if grafana.version_major >= 13:  # the legacy save goes through the resource API (saveDashboardViaK8s)
        assert stale.status_code == 409
        assert stale.json() == {"message": "Dashboard already exists. Use overwrite flag to update."}
    else:
        assert stale.status_code == 412
        assert stale.json() == {
            "message": "The dashboard has been changed by someone else",
            "status": "version-mismatch",
        }
    current = grafana.api("POST", "/dashboards/db", json={"dashboard": {"uid": "c-1", "title": "T2", "version": 1}})
    assert current.status_code == 200 and current.json()["version"] == 2
    bad_uid = grafana.api("POST", "/dashboards/db", json={"dashboard": {"uid": "a b", "title": "T"}})
    assert (bad_uid.status_code, bad_uid.json()["message"]) == (400, "uid contains illegal characters")
    no_folder = grafana.api(
        "POST", "/dashboards/db", json={"dashboard": {"uid": "c-2", "title": "T"}, "folderUid": "missing-folder"}
    )
    assert (no_folder.status_code, no_folder.json()["message"]) == (400, "folder not found")
    unknown_id = grafana.api("POST", "/dashboards/db", json={"dashboard": {"id": 987654, "title": "T"}})
    assert unknown_id.status_code == 404 and unknown_id.json()["message"] == "Dashboard not found"
    same = grafana.api("POST", "/dashboards/db", json={"dashboard": {"uid": "c-1", "title": "T2", "version": 2}})
    # 13 counts generations (prepare.go: only a changed spec moves it); 11 and 12 count every save
    assert same.status_code == 200 and same.json()["version"] == (2 if grafana.version_major >= 13 else 3)
    got = grafana.api("GET", "/dashboards/uid/c-1").json()
    assert got["dashboard"]["title"] == "T2" and got["meta"]["version"] == got["dashboard"]["version"]
    assert got["meta"]["folderTitle"] == "General"
    gone = grafana.api("DELETE", "/dashboards/uid/c-1")
    assert gone.status_code == 200 and gone.json()["uid"] == "c-1"
    assert grafana.api("GET", "/dashboards/uid/c-1").status_code == 404


def test_versions_keep_the_raw_message_but_the_list_rewrites_the_first(grafana: Target) -> None:
    grafana.api("POST", "/dashboards/db", json={"dashboard": {"uid": "v-1", "title": "V"}, "message": "first"})
    listed = grafana.api("GET", "/dashboards/uid/v-1/versions").json()
    items = listed["versions"] if isinstance(listed, dict) else listed
    assert items[0]["message"] == "Initial save"
    assert grafana.api("GET", "/dashboards/uid/v-1/versions/1").json()["message"] == "first"
    assert grafana.api("GET", "/dashboards/uid/v-1/versions/9").status_code == 500


def test_search_paging_and_limits(grafana: Target) -> None:
    for n in range(5):
        grafana.api("POST", "/dashboards/db", json={"dashboard": {"uid": f"p-{n}", "title": f"Page {n}"}})
    first = grafana.api("GET", "/search", params={"type": "dash-db", "limit": 2, "page": 1}).json()
    third = grafana.api("GET", "/search", params={"type": "dash-db", "limit": 2, "page": 3}).json()
    assert [h["title"] for h in first] == ["Page 0", "Page 1"] and [h["title"] for h in third] == ["Page 4"]
    assert first[0]["slug"] == "" and first[0]["type"] == "dash-db"
    too_many = grafana.api("GET", "/search", params={"limit": 5001})
    assert too_many.status_code == 422


def test_nested_folders_and_taken_uid(grafana: Target) -> None:
    assert grafana.api("POST", "/folders", json={"uid": "top", "title": "Top"}).status_code == 200
    child = grafana.api("POST", "/folders", json={"uid": "kid", "title": "Kid", "parentUid": "top"}).json()
    assert child["parentUid"] == "top" and [p["uid"] for p in child["parents"]] == ["top"]
    taken = grafana.api("POST", "/folders", json={"uid": "top", "title": "Again"})
    assert taken.status_code in (409, 412)
    assert grafana.api("GET", "/folders").json()[0]["uid"] == "top"
    assert grafana.api("DELETE", "/folders/top").status_code == 200
    assert grafana.api("GET", "/folders/kid").status_code == 404
