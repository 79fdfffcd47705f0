"""`dashsync review --pictures DIR --preview-prometheus URL`: a before/after preview with real data beside each
changed dashboard's layout SVG, linked from the markdown; the real review scenario of tests/dashsync/review."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from localstack import stack as st
from localstack.process import free_port
from tests.dashsync.review.conftest import base_repo, changed_repo, review

__all__ = ["base_repo", "changed_repo"]  # the review tests' fixtures: a throwaway repository before and after


def test_previews_beside_the_layout_pictures(changed_repo: Path, local_stack: st.Stack, tmp_path: Path) -> None:
    out = tmp_path / "pictures"
    args = ("--against", "git:HEAD", "--format", "markdown", "--pictures", str(out))
    result = review(*args, "--preview-prometheus", local_stack.prometheus_url)
    assert result.exit_code == 1, result.output
    names = sorted(p.name for p in out.iterdir())
    for uid in ("anonymeme-api", "anonymeme-business", "anonymeme-security"):
        assert {
            f"{uid}.svg",
            f"{uid}.before.html",
            f"{uid}.after.html",
            f"{uid}.before.png",
            f"{uid}.after.png",
        } <= set(names)
        assert f"`{uid}.before.png`, `{uid}.after.png`" in result.stdout
    after = (out / "anonymeme-api.after.html").read_text(encoding="utf-8")
    before = (out / "anonymeme-api.before.html").read_text(encoding="utf-8")
    assert "Requests in flight" in after and "Requests in flight" not in before  # the panel the change adds
    with Image.open(out / "anonymeme-api.after.png") as picture:
        assert picture.size[0] > 1000 and picture.getextrema() != ((17, 17), (18, 18), (23, 23))  # not blank


def test_an_unreachable_preview_prometheus_writes_nothing(changed_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "pictures"
    result = review(
        "--against", "git:HEAD", "--pictures", str(out), "--preview-prometheus", f"http://127.0.0.1:{free_port()}"
    )
    assert result.exit_code == 2 and "cannot reach Prometheus" in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_without_the_option_the_review_is_unchanged(changed_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "pictures"
    assert review("--against", "git:HEAD", "--pictures", str(out)).exit_code == 1
    assert all(p.suffix == ".svg" for p in out.iterdir())
