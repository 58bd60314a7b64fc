"""The README is the user's door: every page it (or a page under docs/) links to is in the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
ANCHORED = re.compile(r"\]\(([^)#\s]*)#([^)\s]+)\)")  # [text](page.md#section) or [text](#section)


def anchors(page: Path) -> set[str]:
    """The #anchors of a markdown page's headings, as GitHub makes them."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_points_at_a_file_in_the_repository(page):
    for target in LINK.findall(page.read_text()):
        if re.match(r"[a-z]+://", target):
            continue
        resolved = (page.parent / target).resolve()
        assert resolved.is_relative_to(ROOT) and resolved.exists(), f"{page.name} links to {target}"


def test_the_readme_links_the_pages_that_left_it():
    readme = (ROOT / "README.md").read_text()
    for page in ("architecture", "cleaning", "tagging", "feed", "performance", "operating"):
        assert f"(docs/{page}.md)" in readme


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_to_a_section_finds_its_heading(page):
    for target, anchor in ANCHORED.findall(page.read_text()):
        if re.match(r"[a-z]+://", target):
            continue
        linked = (page.parent / target).resolve() if target else page
        assert anchor in anchors(linked), f"{page.name} links to {target}#{anchor}: no such heading"
