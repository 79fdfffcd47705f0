"""`dashsync pull UID --out x.json && python -m dashboards import x.json` against the Grafana emulator (or the
real Grafana at GRAFANA_URL, like dashsync's own contract tests): what comes back from Grafana, with its ids and
versions, imports into a module that compiles to the committed JSON byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compiler.compile import compile_entry
from dashboards.registry import DASHBOARDS
from tests.dashsync.conftest import Target, grafana, refuse_unsafe_real_grafana  # noqa: F401 - the fixture
from tests.importer.helpers import compile_module, import_file

refuse_unsafe_real_grafana()  # at collection: this module wipes a real Grafana like the contract tests do
PROVISIONING = Path(__file__).resolve().parents[2] / "provisioning" / "dashboards"


def test_pull_then_import_gives_back_the_compiled_dashboard(grafana: Target, tmp_path: Path) -> None:  # noqa: F811
    pushed = grafana.dashsync("push", "--dir", str(PROVISIONING))
    assert pushed.exit_code == 0, pushed.output
    entry = next(e for e in DASHBOARDS if e.name == "api")
    expected = compile_entry(entry)
    pulled_file = tmp_path / "pulled.json"
    pulled = grafana.dashsync("pull", expected.uid, "--out", str(pulled_file))
    assert pulled.exit_code == 0, pulled.output
    assert '"version"' in pulled_file.read_text()  # live state is there before the import drops it
    import_file(pulled_file, "pulled_api", tmp_path)
    assert compile_module(tmp_path / "pulled_api.py", "pulled_api") == expected.text


def test_pull_of_a_missing_uid_or_onto_an_existing_file_fails_cleanly(grafana: Target, tmp_path: Path) -> None:  # noqa: F811
    missing = grafana.dashsync("pull", "no-such-dashboard", "--out", str(tmp_path / "x.json"))
    assert missing.exit_code == 2 and "no dashboard with uid 'no-such-dashboard'" in missing.output
    assert not (tmp_path / "x.json").exists()
    existing = tmp_path / "keep.json"
    existing.write_text("{}\n")
    refused = grafana.dashsync("pull", "anything", "--out", str(existing))
    assert refused.exit_code == 2 and "already exists" in refused.output
    assert existing.read_text() == "{}\n"


@pytest.mark.parametrize("uid", ["a?x=1", "../x", "a/b", "a\n", "", "x" * 41, "sp ace"])
def test_pull_refuses_an_invalid_uid_before_asking_grafana_or_writing(
    grafana: Target,  # noqa: F811 - the imported fixture
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    uid: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    refused = grafana.dashsync("pull", uid)
    assert refused.exit_code == 2 and "invalid uid" in refused.output, refused.output
    assert refused.output.count("\n") == 1
    assert list(tmp_path.iterdir()) == []
    assert not (tmp_path.parent / "x.json").exists()


def test_pull_writes_uid_json_atomically_with_no_temporary_left(
    grafana: Target,  # noqa: F811 - the imported fixture
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    saved = grafana.api("POST", "/dashboards/db", json={"dashboard": {"uid": "ui_made-1", "title": "UI made"}})
    assert saved.status_code == 200, saved.text
    monkeypatch.chdir(tmp_path)
    pulled = grafana.dashsync("pull", "ui_made-1")
    assert pulled.exit_code == 0, pulled.output
    assert [p.name for p in tmp_path.iterdir()] == ["ui_made-1.json"]
    assert json.loads((tmp_path / "ui_made-1.json").read_text())["title"] == "UI made"
