"""Docs true: every relative link in README.md, docs/ and runbooks/ points at a file that exists, and the team
docs answer at the paths the platform's monitoring README links, each pointer page sending the reader to the one
page that holds the content (never a second copy of it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "runbooks").glob("*.md")])
# Inline links `[text](target "title")` or `(<target>)`, and reference definitions `[name]: target`.
INLINE = re.compile(r"\]\(\s*(?:<([^>]*)>|([^)\s]*))(?:\s+[\"'(][^)]*)?\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
# The platform's monitoring README links these paths; where the content lives under another name, the page at
# the linked path points there.
PLATFORM_LINKS = {
    "oncall-guide.md": "on-call.md",
    "dashboard-creation.md": "dashboard-development.md",
    "alert-tuning.md": None,  # the content itself
    "performance-analysis.md": None,
}


def relative_links(text: str) -> list[str]:
    """Targets of the page's links that name a file of this repository: no scheme, no bare #anchor, no code."""
    prose = FENCE.sub("", text)
    targets = [angled or bare for angled, bare in INLINE.findall(prose)] + REFERENCE.findall(prose)
    return [t.split("#", 1)[0] for t in targets if t and not t.startswith("#") and not re.match(r"^[a-z]+:", t)]


def test_the_link_finder_sees_every_form() -> None:
    text = (
        '[a](x.md) [b](y.md#part "title") [c](<z w.md>) [d](#anchor) [e](https://example.com)\n'
        "[ref]: r.md\n```\n[code](not-a-link.md)\n```\n"
    )
    assert relative_links(text) == ["x.md", "y.md", "z w.md", "r.md"]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_resolves(page: Path) -> None:
    broken = [target for target in relative_links(page.read_text()) if not (page.parent / target).exists()]
    assert not broken, f"{page.relative_to(ROOT)}: {broken}"


@pytest.mark.parametrize("name", sorted(PLATFORM_LINKS))
def test_the_team_docs_answer_where_the_platform_links_them(name: str) -> None:
    page = ROOT / "docs" / name
    assert page.is_file(), f"docs/{name} is linked by the platform's monitoring README"
    real = PLATFORM_LINKS[name]
    if real:
        text = page.read_text()
        assert real in relative_links(text), f"docs/{name} does not point at docs/{real}"
        assert len(text.splitlines()) <= 10, f"docs/{name} should point at docs/{real}, not repeat it"
