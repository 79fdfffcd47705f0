"""Dashboards we did not write survive backup -> restore: the importer's corpus of public dashboards
(tests/importer/corpus, 90 files of schemaVersion 0 to 42 from 12 projects) saved into Grafana as a user would
save them, backed up with `dashsync backup`, the org emptied, restored with `dashsync restore`, and read back.

Each must come back exactly as Grafana held it before (the dashboard JSON, apart from the `id` and `version`
Grafana assigns on every save), in its folder, and a second backup must be byte-identical to the first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import Target, wipe
from .test_backup_restore import content_of

CORPUS = Path(__file__).resolve().parents[1] / "importer" / "corpus"
FOLDER = {"uid": "corpus-public", "title": "Public dashboards"}
ASSIGNED = ("id", "version")  # Grafana's own on each save, never the author's


def _corpus() -> list[tuple[str, dict[str, Any]]]:
    return [(p.name, json.loads(p.read_text())) for p in sorted(CORPUS.glob("*.json")) if p.name != "MANIFEST.json"]


def _held(grafana: Target, uid: str) -> dict[str, Any]:
    response = grafana.api("GET", f"/dashboards/uid/{uid}")
    assert response.status_code == 200, response.text
    body = response.json()
    dashboard = {k: v for k, v in body["dashboard"].items() if k not in ASSIGNED}
    return {"dashboard": dashboard, "folder": body["meta"].get("folderUid")}


def _save_as_a_user_would(grafana: Target) -> dict[str, dict[str, Any]]:
    """Each file through the dashboard save API, `id` left to Grafana (the UI's import does the same)."""
    assert grafana.api("POST", "/folders", json=FOLDER).status_code == 200
    held = {}
    for name, dashboard in _corpus():
        body = {"dashboard": {**dashboard, "id": None}, "folderUid": FOLDER["uid"], "overwrite": True}
        response = grafana.api("POST", "/dashboards/db", json=body)
        assert response.status_code == 200, f"{name}: {response.text}"
        uid = response.json()["uid"]
        held[uid] = _held(grafana, uid)
    return held


def test_every_public_dashboard_survives_backup_and_restore_unchanged(grafana: Target, tmp_path: Path) -> None:
    before = _save_as_a_user_would(grafana)
    assert len(before) == len(_corpus())  # no two corpus files share a uid
    assert sum(len(h["dashboard"].get("panels") or h["dashboard"].get("rows") or []) for h in before.values()) > 900
    assert all(h["folder"] == FOLDER["uid"] for h in before.values())

    backed_up = grafana.dashsync("backup", "--out", str(tmp_path / "one"))
    assert backed_up.exit_code == 0, backed_up.output
    assert f"{len(before)} dashboards" in backed_up.output

    wipe(grafana)
    assert grafana.api("GET", "/search", params={"type": "dash-db"}).json() == []
    restored = grafana.dashsync("restore", str(tmp_path / "one"))
    assert restored.exit_code == 0, restored.output

    after = {uid: _held(grafana, uid) for uid in before}
    changed = sorted(uid for uid in before if after[uid] != before[uid])
    assert changed == [], f"{len(changed)} dashboards came back different, first: {changed[:3]}"

    again = grafana.dashsync("backup", "--out", str(tmp_path / "two"))
    assert again.exit_code == 0, again.output
    assert content_of(tmp_path / "one") == content_of(tmp_path / "two")
