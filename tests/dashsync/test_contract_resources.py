"""The emulator's fidelity to Grafana 12/13's resource API (/apis), run unchanged against a real Grafana 12+ with
GRAFANA_URL: the shapes and answers dashsync relies on (tests/grafana_emulator/PROFILES.md)."""

from __future__ import annotations

import niquests

from .conftest import Target

DASH = "/dashboard.grafana.app/v1beta1/dashboards"
FOLDERS = "/folder.grafana.app/v1beta1/folders"


def resource(name: str, title: str, **annotations: str) -> dict:
    return {
        "apiVersion": "dashboard.grafana.app/v1beta1",
        "kind": "Dashboard",
        "metadata": {"name": name, "annotations": annotations},
        "spec": {"title": title, "schemaVersion": 41},
    }


def test_discovery_names_the_groups_and_versions(grafana_resources: Target) -> None:
    session = grafana_resources.session()
    groups = {
        g["name"]: [v["version"] for v in g["versions"]]
        for g in session.get(f"{grafana_resources.url}/apis").json()["groups"]
    }
    assert "v1beta1" in groups["dashboard.grafana.app"] and "v1beta1" in groups["folder.grafana.app"]


def test_list_pages_carry_whole_objects_until_continue_is_absent(grafana_resources: Target) -> None:
    g = grafana_resources
    for n in range(5):
        assert g.apis("POST", DASH, json=resource(f"page-{n}", f"Page {n}")).status_code == 201
    seen, token, pages = [], "", 0
    while True:
        page = g.apis("GET", DASH, params={"limit": 2, **({"continue": token} if token else {})}).json()
        pages += 1
        assert page["kind"] == "DashboardList"
        seen += [(i["metadata"]["name"], i["spec"]["title"]) for i in page["items"]]
        token = page["metadata"].get("continue", "")
        if not token:
            break
    assert pages == 3 and sorted(seen) == [(f"page-{n}", f"Page {n}") for n in range(5)]


def test_resource_version_guards_updates_and_names_are_unique(grafana_resources: Target) -> None:
    g = grafana_resources
    created = g.apis("POST", DASH, json=resource("rv-1", "RV", **{"grafana.app/message": "first save"})).json()
    assert created["metadata"]["generation"] == 1 and "uid" not in created["spec"]
    again = g.apis("POST", DASH, json=resource("rv-1", "RV"))
    assert again.status_code == 409 and again.json()["reason"] == "AlreadyExists"
    update = resource("rv-1", "RV 2")
    update["metadata"]["resourceVersion"] = created["metadata"]["resourceVersion"]
    assert g.apis("PUT", f"{DASH}/rv-1", json=update).status_code == 200
    stale = g.apis("PUT", f"{DASH}/rv-1", json=update)  # the resourceVersion moved with the first update
    assert stale.status_code == 409 and stale.json()["kind"] == "Status"
    got = g.apis("GET", f"{DASH}/rv-1").json()
    assert got["spec"]["title"] == "RV 2" and got["metadata"]["generation"] == 2
    missing = g.apis("GET", f"{DASH}/nope")
    assert missing.status_code == 404 and missing.json()["reason"] == "NotFound"


def test_the_save_message_stays_on_the_object(grafana_resources: Target) -> None:
    g = grafana_resources
    assert g.apis("POST", DASH, json=resource("msg-1", "M", **{"grafana.app/message": "dashsync sha256:ab"})).ok
    listed = g.apis("GET", DASH).json()["items"]
    [item] = [i for i in listed if i["metadata"]["name"] == "msg-1"]
    assert item["metadata"]["annotations"]["grafana.app/message"] == "dashsync sha256:ab"


def test_folders_nest_through_the_folder_annotation(grafana_resources: Target) -> None:
    g = grafana_resources
    top = {
        "apiVersion": "folder.grafana.app/v1beta1",
        "kind": "Folder",
        "metadata": {"name": "top-f"},
        "spec": {"title": "Top"},
    }
    kid = {
        "apiVersion": "folder.grafana.app/v1beta1",
        "kind": "Folder",
        "metadata": {"name": "kid-f", "annotations": {"grafana.app/folder": "top-f"}},
        "spec": {"title": "Kid"},
    }
    assert g.apis("POST", FOLDERS, json=top).status_code == 201
    assert g.apis("POST", FOLDERS, json=kid).status_code == 201
    legacy = g.api("GET", "/folders/kid-f").json()
    assert legacy["parentUid"] == "top-f" and legacy["title"] == "Kid"
    dash = resource("in-kid", "In kid", **{"grafana.app/folder": "kid-f"})
    assert g.apis("POST", DASH, json=dash).status_code == 201
    assert g.api("GET", "/dashboards/uid/in-kid").json()["meta"]["folderUid"] == "kid-f"


def test_the_legacy_save_message_shows_on_the_resource(grafana_resources: Target) -> None:
    g = grafana_resources
    saved = g.api(
        "POST", "/dashboards/db", json={"dashboard": {"uid": "both-1", "title": "Both"}, "message": "via /api"}
    )
    assert saved.status_code == 200
    item = g.apis("GET", f"{DASH}/both-1").json()
    assert item["metadata"]["annotations"]["grafana.app/message"] == "via /api"
    assert niquests.get(f"{g.url}/api/health").json()["database"] == "ok"
