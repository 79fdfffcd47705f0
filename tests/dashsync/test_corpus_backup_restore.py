"""Dashboards we did not write survive backup -> restore: the importer's corpus of public dashboards
(tests/importer/corpus: classic JSON of schemaVersion 0 to 42 from 12 projects, and Grafana 12/13 v2 exports)
saved into Grafana as a user would save them, backed up with `dashsync backup`, the org emptied, restored with
`dashsync restore`, and read back.

A classic file is saved through the dashboard API; a resource file through the resource API at its own
apiVersion, where that Grafana serves it (a Grafana 11 has no resources, a Grafana 12 no `v2`: a user could not
save those files there either, so they are not saved on it). Each must come back exactly as Grafana held it
before (apart from what Grafana assigns on every save), in its folder, and a second backup must be
byte-identical to the first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import Target, wipe
from .test_backup_restore import content_of

CORPUS = Path(__file__).resolve().parents[1] / "importer" / "corpus"
FOLDER = {"uid": "corpus-public", "title": "Public dashboards"}
ASSIGNED = ("id", "version")  # Grafana's own on each save of a classic dashboard, never the author's
GROUP = "dashboard.grafana.app"
FOLDER_ANNOTATION = "grafana.app/folder"


def _corpus() -> list[tuple[str, dict[str, Any]]]:
    return [(p.name, json.loads(p.read_text())) for p in sorted(CORPUS.glob("*.json")) if p.name != "MANIFEST.json"]


def _resource_version(data: dict[str, Any]) -> str | None:
    api = data.get("apiVersion")
    return api.split("/", 1)[1] if isinstance(api, str) and api.startswith(f"{GROUP}/") else None


def _served(grafana: Target) -> set[str]:
    """The dashboard versions this Grafana's resource API lists (/apis discovery); none on a Grafana 11."""
    response = grafana.session().get(f"{grafana.url}/apis")
    if response.status_code != 200:
        return set()
    groups = {g["name"]: g for g in response.json().get("groups", [])}
    return {v["version"] for v in groups.get(GROUP, {}).get("versions", [])}


def _held(grafana: Target, uid: str, version: str | None) -> dict[str, Any]:
    if version is None:
        response = grafana.api("GET", f"/dashboards/uid/{uid}")
        assert response.status_code == 200, response.text
        body = response.json()
        return {
            "dashboard": {k: v for k, v in body["dashboard"].items() if k not in ASSIGNED},
            "folder": body["meta"].get("folderUid"),
        }
    response = grafana.apis("GET", f"/{GROUP}/{version}/dashboards/{uid}")
    assert response.status_code == 200, response.text
    body = response.json()
    return {"dashboard": body["spec"], "folder": (body["metadata"].get("annotations") or {}).get(FOLDER_ANNOTATION)}


def _save_as_a_user_would(grafana: Target) -> dict[str, tuple[str | None, dict[str, Any]]]:
    """Each file as a user saves it: classic JSON through the save API, `id` left to Grafana (as the UI's
    import does); a resource created at its apiVersion with its name and the folder, no server fields (as
    `kubectl create` or gcx would). By uid: (the resource version or None, what Grafana holds)."""
    assert grafana.api("POST", "/folders", json=FOLDER).status_code == 200
    served = _served(grafana)
    held = {}
    for name, data in _corpus():
        version = _resource_version(data)
        if version is None:
            body = {"dashboard": {**data, "id": None}, "folderUid": FOLDER["uid"], "overwrite": True}
            response = grafana.api("POST", "/dashboards/db", json=body)
            assert response.status_code == 200, f"{name}: {response.text}"
            uid = response.json()["uid"]
        elif version in served:
            uid = data["metadata"]["name"]
            resource = {
                "apiVersion": data["apiVersion"],
                "kind": "Dashboard",
                "metadata": {"name": uid, "annotations": {FOLDER_ANNOTATION: FOLDER["uid"]}},
                "spec": data["spec"],
            }
            response = grafana.apis("POST", f"/{GROUP}/{version}/dashboards", json=resource)
            assert response.status_code == 201, f"{name}: {response.text}"
        else:
            continue
        held[uid] = (version, _held(grafana, uid, version))
    return held


def test_every_public_dashboard_survives_backup_and_restore_unchanged(grafana: Target, tmp_path: Path) -> None:
    before = _save_as_a_user_would(grafana)
    classic = [uid for uid, (version, _) in before.items() if version is None]
    assert len(classic) == sum(1 for _, data in _corpus() if _resource_version(data) is None)
    assert (
        sum(
            len(held["dashboard"].get("panels") or held["dashboard"].get("rows") or [])
            for _, held in (before[uid] for uid in classic)
        )
        > 900
    )
    assert all(held["folder"] == FOLDER["uid"] for _, held in before.values())
    if grafana.version_major >= 13:  # every v2 export of the corpus is a v2, v2beta1 or v2alpha1 resource
        assert len(before) == len(_corpus())

    backed_up = grafana.dashsync("backup", "--out", str(tmp_path / "one"))
    assert backed_up.exit_code == 0, backed_up.output
    assert f"{len(before)} dashboards" in backed_up.output

    wipe(grafana)
    assert grafana.api("GET", "/search", params={"type": "dash-db"}).json() == []
    restored = grafana.dashsync("restore", str(tmp_path / "one"))
    assert restored.exit_code == 0, restored.output

    after = {uid: _held(grafana, uid, version) for uid, (version, _) in before.items()}
    changed = sorted(uid for uid, (_, held) in before.items() if after[uid] != held)
    assert changed == [], f"{len(changed)} dashboards came back different, first: {changed[:3]}"

    again = grafana.dashsync("backup", "--out", str(tmp_path / "two"))
    assert again.exit_code == 0, again.output
    assert content_of(tmp_path / "one") == content_of(tmp_path / "two")
