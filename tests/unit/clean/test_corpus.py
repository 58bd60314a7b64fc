"""Every field of every page of the corpus (tests/fixtures/pages/), as a reader sees it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.clean import clean_event

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
NAMES = sorted(p.name[: -len(".expected.json")] for p in PAGES.glob("*.expected.json"))
FIELDS = [
    "title",
    "subtitle",
    "paragraphs",
    "captions",
    "images",
    "bylines",
    "press",
    "published_at",
    "language",
    "extractor",
]


def load(name: str):
    page = PAGES / f"{name}.json"
    if not page.exists():
        page = PAGES / f"{name}.html"
    return page.read_bytes(), json.loads((PAGES / f"{name}.expected.json").read_text("utf-8"))


def test_corpus_is_big_and_varied():
    layouts = {json.loads((PAGES / f"{n}.expected.json").read_text("utf-8"))["extractor"] for n in NAMES}
    assert len(NAMES) >= 30
    assert len(layouts) >= 8
    languages = {json.loads((PAGES / f"{n}.expected.json").read_text("utf-8"))["language"] for n in NAMES}
    assert {"ko", "en"} <= languages


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("field", FIELDS)
def test_field(name, field):
    value, expected = load(name)
    article = clean_event(value, name.encode()).model_dump()
    assert article[field] == expected[field]


@pytest.mark.parametrize("name", NAMES)
def test_no_markup_or_chrome_in_text(name):
    value, _ = load(name)
    article = clean_event(value, name.encode())
    texts = [article.title, article.subtitle or "", *article.paragraphs, *article.captions]
    for needle in ["<", "무단", "Copyright", "댓글", "열애설", "로또", "Celebrity chef", "광고", "gtag", "트래킹"]:
        assert not [t for t in texts if needle in t], needle
