"""The pull-request comment of the scenario's real change, held to a golden file.

After an intended change of wording: REVIEW_UPDATE_GOLDEN=1 pytest tests/dashsync/review, then read the diff of the
golden file in review like any other change (docs/review.md shows the same comment).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashsync.diff import DashboardDiff, PanelDifference
from dashsync.diff import render_markdown as render_diff
from dashsync.markdown import escape
from dashsync.review.model import DashboardReview, Review
from dashsync.review.render import render_markdown as render_review

from .conftest import review

GOLDEN = Path(__file__).parent / "golden" / "review.md"


def test_markdown_comment_matches_the_golden_file(changed_repo: Path, tmp_path: Path) -> None:
    result = review("--against", "git:HEAD", "--format", "markdown", "--pictures", str(tmp_path / "pictures"))
    assert result.exit_code == 1, result.output
    if os.environ.get("REVIEW_UPDATE_GOLDEN") and GOLDEN.read_text() != result.stdout:
        GOLDEN.write_text(result.stdout)
        pytest.fail("golden review.md rewritten: review its diff, then run again without REVIEW_UPDATE_GOLDEN")
    assert result.stdout == GOLDEN.read_text()


def test_markdown_structure(changed_repo: Path) -> None:
    text = review("--against", "git:HEAD", "--format", "markdown").stdout
    assert text.startswith("<!-- dashsync-review -->\n")  # the marker a sticky comment is found by
    assert "| Panel | Type | Change | Details |" in text
    assert "| Error ratio | timeseries | :pencil2: changed | threshold 0.1 -> 0.2 |" in text
    assert "workflow artifact" not in text  # no pictures asked for, none announced
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = line.replace("\\|", "").count("|")
            assert cells in (5, 7), line  # escaped pipes in PromQL never break a table row


def test_no_change_comment(base_repo: Path) -> None:
    result = review("--against", "git:HEAD", "--format", "markdown")
    assert result.exit_code == 0
    assert "No dashboard, alert or recording rule changes." in result.stdout


def test_docs_show_the_real_comment() -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "review.md").read_text()
    assert GOLDEN.read_text() in docs, "docs/review.md is stale: paste tests/dashsync/review/golden/review.md into it"


def test_a_long_comment_is_cut_at_a_line_and_says_so(changed_repo: Path) -> None:
    full = review("--against", "git:HEAD", "--format", "markdown").stdout
    cut = review("--against", "git:HEAD", "--format", "markdown", "--max-chars", "1500")
    assert cut.exit_code == 1
    assert len(cut.stdout) <= 1500 < len(full)
    kept, note = cut.stdout.split("\n\n**Truncated: ")
    assert full.startswith(kept + "\n")
    assert note.endswith("the full review is in the `dashboard-review` artifact.**\n")
    assert int(note.split()[0]) == full.count("\n") - kept.count("\n")
    whole_json = review("--against", "git:HEAD", "--format", "json", "--max-chars", "100").stdout
    assert len(whole_json) > 100 and whole_json.rstrip().endswith("}")  # JSON is never cut


def test_review_and_diff_escape_free_text_the_same_way() -> None:
    """A title or query with |, < or a newline neither breaks a table row nor opens HTML, in both comments."""
    nasty = "Errors | 5xx <b>\nrate(x[5m]) < 0.5"
    safe = "Errors \\| 5xx &lt;b> rate(x[5m]) &lt; 0.5"
    assert escape(nasty) == safe
    panel = PanelDifference("panel 'x'", nasty, "timeseries", "changed", (nasty,))
    comment = render_review(Review("HEAD", "work", (DashboardReview("u1", nasty, "changed", panels=(panel,)),)))
    row = next(line for line in comment.splitlines() if line.startswith(f"| {safe} "))
    assert row == f"| {safe} | timeseries | :pencil2: changed | {safe} |"
    assert f" {safe} (`u1`" in comment
    found = DashboardDiff("u1", nasty, "changed", (nasty,))
    diff_comment = render_diff([found], "live", "code")
    assert f"**{safe}** (`u1`)" in diff_comment and f"  - {safe}" in diff_comment
    assert "<b>" not in comment + diff_comment
