"""The backup's writer thread: every file handed over is on disk before the manifest, a failure to write one
fails the backup (and stops the reads), and nothing is written once the backup is closed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dashsync.backup import TreeWriter


def test_every_file_handed_over_is_written_before_finish_returns(tmp_path: Path) -> None:
    writer = TreeWriter(tmp_path / "b")
    for n in range(50):
        writer.put(f"dashboards/d{n}.json", {"dashboard": {"uid": f"d{n}"}, "folderUid": ""})
    writer.finish()
    written = sorted((tmp_path / "b" / "dashboards").iterdir())
    assert len(written) == 50 and sorted(writer.hashes) == sorted(f"dashboards/{p.name}" for p in written)
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in written)
    assert json.loads((tmp_path / "b" / "dashboards" / "d7.json").read_text())["dashboard"]["uid"] == "d7"
    writer.put("manifest-like.json", {"after": "finish"})  # written directly from now on
    assert (tmp_path / "b" / "manifest-like.json").exists()


def test_a_file_that_cannot_be_written_fails_the_backup_and_the_reads_after_it(tmp_path: Path) -> None:
    writer = TreeWriter(tmp_path / "b")
    shutil.rmtree(tmp_path / "b" / "dashboards")  # so the writer's open fails
    writer.put("dashboards/lost.json", {"dashboard": {}})
    with pytest.raises(FileNotFoundError):
        writer.finish()
    with pytest.raises(FileNotFoundError):  # a reader still handing over dashboards hears of it too
        writer.put("folders/f.json", {"uid": "f"})
    writer.close()


def test_nothing_is_written_once_the_backup_is_closed(tmp_path: Path) -> None:
    writer = TreeWriter(tmp_path / "b")
    writer.close()
    writer.put("dashboards/late.json", {"dashboard": {}})
    assert list((tmp_path / "b" / "dashboards").iterdir()) == []
