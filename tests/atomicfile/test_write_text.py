"""One atomic write for the whole project: complete or untouched, with the permissions a plain write gives."""

from __future__ import annotations

import os
import stat

import pytest

from atomicfile import DEFAULT_MODE, write_text


def test_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "deep" / "file.yml"
    write_text(target, "one\n")
    write_text(target, "two\r\n")
    assert target.read_bytes() == b"two\r\n"
    assert [p.name for p in target.parent.iterdir()] == ["file.yml"]


def test_permissions_follow_the_umask_unless_a_mode_is_given(tmp_path):
    write_text(tmp_path / "public", "x")
    write_text(tmp_path / "secret", "x", mode=0o600)
    assert stat.S_IMODE((tmp_path / "public").stat().st_mode) == DEFAULT_MODE
    assert DEFAULT_MODE & stat.S_IROTH, "generated files must be readable by the containers' users"
    assert stat.S_IMODE((tmp_path / "secret").stat().st_mode) == 0o600


def test_a_failed_write_keeps_the_old_content(tmp_path, monkeypatch):
    target = tmp_path / "file"
    write_text(target, "old")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["file"]
