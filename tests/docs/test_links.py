"""Docs true: every relative link in README.md, docs/ and runbooks/ points at a file that exists, and the team
docs answer at the paths the platform's monitoring README links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "runbooks").glob("*.md")])


def test_the_team_docs_answer_where_the_platform_links_them() -> None:
    for name in ("oncall-guide.md", "dashboard-creation.md", "alert-tuning.md", "performance-analysis.md"):
        assert (ROOT / "docs" / name).is_file(), name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    broken = [target for target in LINK.findall(page.read_text())
              if not re.match(r"^[a-z]+:", target) and not (page.parent / target).exists()]
    assert not broken, f"{page.name}: {broken}"
