"""backup and restore: complete or absent, validated before writing, idempotent, round-trip identical."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest

from dashsync.backup import backup
from dashsync.connection import Grafana, Settings
from dashsync.errors import failures_as_one_line
from dashsync.local import folder_uid
from dashsync.restore import load_backup, restore
from tests.grafana_emulator import Emulator, service_account_token

from .conftest import TEST_PASSWORD, Target, create_library_panels, push_fixtures, wipe


def content_of(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): p.read_text()
        for p in directory.rglob("*.json")
        if p.name != "manifest.json"
    }


def seed(grafana: Target) -> None:
    push_fixtures(grafana)
    create_library_panels(grafana)
    r = grafana.api(
        "POST",
        "/datasources",
        json={
            "name": "Prometheus test",
            "type": "prometheus",
            "uid": "prom-test",
            "url": "http://127.0.0.1:9090",
            "access": "proxy",
            "basicAuth": True,
            "basicAuthUser": "scraper",
            "secureJsonData": {"basicAuthPassword": TEST_PASSWORD},
        },
    )
    assert r.status_code == 200, r.text


def test_backup_restore_backup_is_identical(grafana: Target, tmp_path: Path) -> None:
    seed(grafana)
    first = grafana.dashsync("backup", "--out", str(tmp_path / "one"))
    assert first.exit_code == 0, first.output
    assert "8 folders, 15 dashboards, 1 datasources, 2 library-panels" in first.output
    manifest = json.loads((tmp_path / "one" / "manifest.json").read_text())
    assert manifest["counts"]["dashboards"] == 15 and len(manifest["files"]) == 26
    assert TEST_PASSWORD not in "".join(content_of(tmp_path / "one").values())
    wipe(grafana)
    grafana.api("DELETE", "/datasources/uid/prom-test")
    restored = grafana.dashsync("restore", str(tmp_path / "one"))
    assert restored.exit_code == 0, restored.output
    again = grafana.dashsync("restore", str(tmp_path / "one"))
    assert again.exit_code == 0 and "nothing to restore" in again.output
    assert grafana.dashsync("backup", "--out", str(tmp_path / "two")).exit_code == 0
    assert content_of(tmp_path / "one") == content_of(tmp_path / "two")


def test_archive_round_trip_and_dry_run(grafana: Target, tmp_path: Path) -> None:
    push_fixtures(grafana)
    result = grafana.dashsync("backup", "--out", str(tmp_path / "b"), "--archive", "--folder", "Anonymeme")
    assert result.exit_code == 0, result.output
    archive = tmp_path / "b.tar.gz"
    assert archive.is_file() and not (tmp_path / "b").exists()
    wipe(grafana)
    dry = grafana.dashsync("restore", str(archive), "--dry-run")
    assert dry.exit_code == 0 and "create dashboard: Business" in dry.output
    assert grafana.api("GET", "/search").json() == []
    assert grafana.dashsync("restore", str(archive), "--uid", "anon-business").exit_code == 0
    business = grafana.api("GET", "/dashboards/uid/anon-business").json()["meta"]
    assert business["folderTitle"] == "Business"
    assert grafana.api("GET", "/dashboards/uid/anon-api").status_code == 404


@pytest.mark.parametrize("damage", ["edit", "missing", "stray", "manifest"])
def test_corrupted_backup_is_refused_before_any_write(grafana: Target, tmp_path: Path, damage: str) -> None:
    push_fixtures(grafana)
    assert grafana.dashsync("backup", "--out", str(tmp_path / "b")).exit_code == 0
    wipe(grafana)
    target = tmp_path / "b" / "dashboards" / "tp-russian.json"
    if damage == "edit":
        target.write_text(target.read_text().replace("Мониторинг", "Monitoring"))
    elif damage == "missing":
        target.unlink()
    elif damage == "stray":
        (tmp_path / "b" / "dashboards" / "extra.json").write_text("{}")
    else:
        (tmp_path / "b" / "manifest.json").write_text("{")
    result = grafana.dashsync("restore", str(tmp_path / "b"))
    assert result.exit_code == 2
    assert "refused before any write" in result.output and result.output.count("\n") == 1
    assert grafana.api("GET", "/search").json() == []


def test_interrupted_backup_leaves_no_partial_directory(grafana: Target, tmp_path: Path) -> None:
    push_fixtures(grafana)
    settings = Settings(url=grafana.url, token=grafana.token, user=grafana.user, password=grafana.password)

    def interrupt(_: Path) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backup(Grafana(settings), tmp_path / "out", before_rename=interrupt)
    assert list(tmp_path.iterdir()) == []


def test_backup_refuses_an_existing_destination(grafana: Target, tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    result = grafana.dashsync("backup", "--out", str(tmp_path / "taken"))
    assert result.exit_code == 2 and "already exists" in result.output


@pytest.mark.emulator_only
def test_restore_into_another_emulator_keeps_nested_folders(grafana: Target, tmp_path: Path) -> None:
    seed(grafana)
    assert grafana.dashsync("backup", "--out", str(tmp_path / "b")).exit_code == 0
    token = service_account_token()
    with Emulator(token=token, grafana=grafana.major or 11) as empty:
        env = {"GRAFANA_URL": empty.url, "GRAFANA_TOKEN": token}
        assert grafana.dashsync("restore", str(tmp_path / "b"), env=env).exit_code == 0
        writes = empty.traffic.writes
        assert grafana.dashsync("restore", str(tmp_path / "b"), env=env).exit_code == 0
        assert empty.traffic.writes == writes
        folders = empty.state.orgs[1].folders
        assert folders["third-party-kubernetes-n-e9bb385d9b"].parent_uid == "third-party-kubernetes-eef0bb3eeb"


def _archive_with(path: Path, member: tarfile.TarInfo, data: bytes = b"") -> Path:
    with tarfile.open(path, "w:gz") as tar:
        tar.addfile(member, io.BytesIO(data) if data else None)
    return path


@pytest.mark.parametrize("kind", ["garbage", "truncated", "absolute", "symlink-out", "hardlink-out"])
def test_a_bad_archive_is_refused_in_one_line_before_any_write(grafana: Target, tmp_path: Path, kind: str) -> None:
    archive = tmp_path / "b.tar.gz"
    if kind == "garbage":
        archive.write_bytes(b"this is not a tar archive at all\n" * 10)
    elif kind == "truncated":
        _archive_with(archive, _member("b/manifest.json", b"{}" * 5000), b"{}" * 5000)
        archive.write_bytes(archive.read_bytes()[:60])
    elif kind == "absolute":
        _archive_with(archive, _member("/tmp/evil-dashsync-test.json", b"{}"), b"{}")
    elif kind == "symlink-out":
        link = tarfile.TarInfo("b/manifest.json")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        _archive_with(archive, link)
    else:
        link = tarfile.TarInfo("b/manifest.json")
        link.type, link.linkname = tarfile.LNKTYPE, "../../outside"
        _archive_with(archive, link)
    result = grafana.dashsync("restore", str(archive))
    assert result.exit_code == 2, result.output
    assert "refused before any write" in result.output and result.output.count("\n") == 1
    assert "unexpected error" not in result.output
    assert not Path("/tmp/evil-dashsync-test.json").exists()
    assert grafana.api("GET", "/search").json() == []


def _member(name: str, data: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    return info


def test_an_unexpected_error_exits_2_not_1_which_means_differences(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited, failures_as_one_line("dashsync"):
        raise ValueError("boom\nsecond line")
    assert exited.value.code == 2
    assert capsys.readouterr().err == "dashsync: unexpected error: ValueError: boom\n"


def test_restore_writes_from_the_validated_backup_without_reading_it_again(grafana: Target, tmp_path: Path) -> None:
    push_fixtures(grafana)
    assert grafana.dashsync("backup", "--out", str(tmp_path / "b"), "--folder", "Anonymeme").exit_code == 0
    validated = load_backup(tmp_path / "b")
    shutil.rmtree(tmp_path / "b")  # what is restored is what was validated, not a second read of the files
    wipe(grafana)
    settings = Settings(url=grafana.url, token=grafana.token, user=grafana.user, password=grafana.password)
    lines: list[str] = []
    assert restore(Grafana(settings), validated, lines.append, uid="anon-business") == 0
    assert grafana.api("GET", "/dashboards/uid/anon-business").status_code == 200


def test_restore_of_a_nested_folder_by_title_path_brings_its_subtree_and_the_chain_above(
    grafana: Target, tmp_path: Path
) -> None:
    push_fixtures(grafana)
    backed = grafana.dashsync("backup", "--out", str(tmp_path / "b"), "--folder", "Third party/Kubernetes")
    assert backed.exit_code == 0, backed.output
    paths = [("Third party",), ("Third party", "Kubernetes"), ("Third party", "Kubernetes", "Namespaces")]
    backed_up = sorted(p.name for p in (tmp_path / "b" / "folders").iterdir())
    assert backed_up == sorted(f"{folder_uid(path)}.json" for path in paths)  # the subtree and the chain above
    wipe(grafana)
    missing = grafana.dashsync("restore", str(tmp_path / "b"), "--folder", "Third party/Nope")
    assert missing.exit_code == 2 and "no folder 'Third party/Nope' in the backup" in missing.output
    restored = grafana.dashsync("restore", str(tmp_path / "b"), "--folder", "Third party/Kubernetes/Namespaces")
    assert restored.exit_code == 0, restored.output
    titles = sorted(h["title"] for h in grafana.api("GET", "/search", params={"type": "dash-folder"}).json())
    assert titles == ["Kubernetes", "Namespaces", "Third party"]
    dashboards = [h["uid"] for h in grafana.api("GET", "/search", params={"type": "dash-db"}).json()]
    assert dashboards == ["tp-k8s-ns"]
