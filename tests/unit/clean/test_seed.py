"""The seed page (a community-board repost of a Daum copy of an 아시아경제 story), field by field.

Note on `paragraph_count`: the fixture says 12. The page has 10 body paragraphs plus 2 photo
captions, and the CleanArticle contract (schemas/events.py) defines `paragraphs` as body paragraphs with no captions (captions are
their own field), so the cleaner returns 10 paragraphs + 2 captions; the test checks that the
two together are the fixture's 12 and that no caption is repeated in `paragraphs`.
"""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest

from streams.clean import clean_event

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
HTML = (FIXTURES / "board-repost-asiae-msit-motie.html").read_bytes()
EXPECTED = json.loads((FIXTURES / "board-repost-asiae-msit-motie.expected.json").read_text("utf-8"))
EXACT = EXPECTED["exact"]


def _as_raw_bytes():
    return clean_event(HTML)


def _as_envelope():
    value = orjson.dumps(
        {
            "id": "seed-1",
            "url": "https://bbs.example.com/board/123",
            "source": "board",
            "fetched_at": "2025-08-14T20:00:00+09:00",
            "html": HTML.decode("utf-8"),
        }
    )
    return clean_event(value, b"seed-1")


@pytest.fixture(params=[_as_raw_bytes, _as_envelope], ids=["raw-bytes", "envelope"])
def article(request):
    return request.param()


def test_title_subtitle_press(article):
    assert article.title == EXACT["title"]
    assert article.subtitle == "\n".join(EXACT["subtitle_lines"])
    assert article.press == EXACT["press"]


def test_byline(article):
    assert [(b.name, b.email) for b in article.bylines] == [(EXACT["byline_name"], EXACT["byline_email"])]


def test_published_date(article):
    assert article.published_at == EXACT["published_date"]


def test_paragraphs(article):
    assert article.paragraphs[0] == EXACT["first_paragraph"]
    assert article.paragraphs[-1] == EXACT["last_paragraph"]
    assert len(article.paragraphs) + len(article.captions) == EXACT["paragraph_count"]
    assert len(article.paragraphs) == 10
    assert not set(article.paragraphs) & set(article.captions)


def test_captions_and_original_size_images(article):
    assert article.captions == EXACT["captions"]
    assert [i.url for i in article.images] == EXACT["image_urls"]
    assert [i.caption for i in article.images] == EXACT["captions"]


def test_nothing_forbidden_in_any_text_field(article):
    texts = [
        article.title,
        article.subtitle or "",
        article.press or "",
        *article.paragraphs,
        *article.captions,
        *(b.name for b in article.bylines),
    ]
    for needle in EXPECTED["must_not_contain"]:
        assert not [t for t in texts if needle in t], needle


def test_envelope_fields_pass_through():
    article = _as_envelope()
    assert (article.id, article.url, article.source, article.fetched_at) == (
        "seed-1",
        "https://bbs.example.com/board/123",
        "board",
        "2025-08-14T20:00:00+09:00",
    )
    assert article.extractor == "board-repost"
    assert article.language == "ko"


def test_same_article_same_fingerprint_under_another_id():
    assert _as_raw_bytes().fingerprint == _as_envelope().fingerprint
    assert clean_event(HTML, b"https://other.example/x").url == "https://other.example/x"
