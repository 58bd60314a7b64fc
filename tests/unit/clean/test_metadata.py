"""What a page says about itself in its metadata: the JSON-LD article and the authors it names."""

from __future__ import annotations

import json

import pytest

from streams.clean import clean_html

_STORY = (
    "<article><h1>Council budget</h1><p>The council agreed the budget on Monday, with changes to roads, "
    "schools and parks across the city.</p><p>Officials said the figures for every district would be "
    "published within the month, after a review.</p></article>"
)


def _page(head: str) -> str:
    return f"<html><head><title>Council budget</title>{head}</head><body>{_STORY}</body></html>"


def _ld(data) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_a_webpage_whose_main_entity_is_the_article_gives_the_articles_authors_and_date():
    # a WebPage wrapping its NewsArticle (Nature, Ippen's sites): the article's fields, not the page's
    head = _ld(
        {
            "@type": "WebPage",
            "mainEntity": {
                "@type": "NewsArticle",
                "datePublished": "2026-02-06T00:00:00Z",
                "author": [{"@type": "Person", "name": "Rachel Brazil"}],
            },
        }
    )
    article = clean_html(_page(head), id="main-entity")
    assert [b.name for b in article.bylines] == ["Rachel Brazil"]
    assert article.published_at == "2026-02-06T09:00:00+09:00"


def test_a_webpage_without_an_article_inside_is_still_read():
    head = _ld({"@type": "WebPage", "datePublished": "2026-02-06T10:00:00+00:00", "author": {"name": "Ana Lee"}})
    article = clean_html(_page(head), id="web-page")
    assert [b.name for b in article.bylines] == ["Ana Lee"] and article.published_at.startswith("2026-02-06T19:00")


def test_a_webpage_in_a_script_of_its_own_gives_way_to_the_article_in_the_next():
    # Times of India: a WebPage (name and URL) in the first script, the NewsArticle in the second
    head = _ld({"@type": "WebPage", "name": "Council budget", "url": "https://example.com/a"}) + _ld(
        {
            "articleBody": "The council agreed ...",
            "@type": "NewsArticle",
            "datePublished": "2026-04-16T14:04:00+05:30",
            "author": {"@type": "Person", "name": "Ana Lee"},
        }
    )
    article = clean_html(_page(head), id="two-scripts")
    assert [b.name for b in article.bylines] == ["Ana Lee"]
    assert article.published_at == "2026-04-16T17:34:00+09:00"


def test_open_graphs_article_author_names_the_author_where_it_is_a_name_not_a_profile_url():
    named = clean_html(_page('<meta property="article:author" content="Stefan Grobe">'), id="og-name")
    assert [b.name for b in named.bylines] == ["Stefan Grobe"]
    linked = clean_html(_page('<meta property="article:author" content="https://www.facebook.com/x">'), id="og-url")
    assert linked.bylines == []


def test_the_json_ld_author_comes_before_the_meta_tags():
    head = '<meta name="author" content="Site Desk">' + _ld({"@type": "NewsArticle", "author": {"name": "Ana Lee"}})
    assert [b.name for b in clean_html(_page(head), id="order").bylines] == ["Ana Lee"]


def _with_box(box: str, authors: list[str]) -> str:
    head = _ld({"@type": "NewsArticle", "author": [{"@type": "Person", "name": n} for n in authors]})
    return (
        f"<html><head><title>Council budget</title>{head}</head><body>"
        f"<div class='article-author'>{box}</div>{_STORY}</body></html>"
    )


def test_a_byline_box_of_names_side_by_side_reads_as_the_people_its_json_ld_names():
    # `<a>Jasper Riemann</a><a>Barbara Schneider</a>`: one run of words on the page, two people
    page = _with_box("Von <a>Jasper Riemann</a><a>Barbara Schneider</a>", ["Jasper Riemann", "Barbara Schneider"])
    assert [b.name for b in clean_html(page, id="side-by-side").bylines] == ["Jasper Riemann", "Barbara Schneider"]


def test_json_ld_names_are_spelled_as_the_page_shows_them():
    page = _with_box("By <a>Jasper Riemann</a><a>Barbara Schneider</a>", ["jasper riemann", "barbara schneider"])
    assert [b.name for b in clean_html(page, id="spelling").bylines] == ["Jasper Riemann", "Barbara Schneider"]


def test_the_byline_box_wins_where_the_json_ld_names_fewer_people_or_someone_it_does_not_show():
    fewer = _with_box("By Ingrid Treborg and Marlene Holm", ["Marlene Holm"])
    assert [b.name for b in clean_html(fewer, id="fewer").bylines] == ["Ingrid Treborg", "Marlene Holm"]
    other = _with_box("By Ingrid Treborg", ["Sara Lindsay"])
    assert [b.name for b in clean_html(other, id="other").bylines] == ["Ingrid Treborg"]


@pytest.mark.parametrize(
    "written, read",
    [
        ("Veröffentlicht am 13. Mai 2026 um 15:44", "2026-05-13T15:44:00+02:00"),
        ("erstellt:  01. April 2025, 15:25", "2025-04-01T15:25:00+02:00"),
        ("25.04.2024 | 14:07 Uhr", "2024-04-25T14:07:00+02:00"),
        ("14. März 2024", "2024-03-14"),
        ("1 de abril de 2025", "2025-04-01"),
        ("13 mars 2026 à 15:44", "2026-03-13T15:44:00+01:00"),
        ("14 August 2025, 6:39 PM", "2025-08-14T18:39:00+02:00"),
        ("입력 2025.08.14. 오후 6:39", "2025-08-14T18:39:00+02:00"),  # year first stays year first
    ],
)
def test_european_dates_are_read_day_first(written, read):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from streams.clean.dates import parse_date

    got = parse_date(written, ZoneInfo("Europe/Berlin"))
    if "T" in read:
        assert datetime.fromisoformat(got) == datetime.fromisoformat(read)
    else:
        assert got == read


def test_a_pages_date_line_in_german_gives_its_publication_time():
    page = _page("").replace(
        "<h1>Council budget</h1>", "<h1>Council budget</h1><p class='meta_date'>erstellt: 01. April 2025, 15:25</p>"
    )
    article = clean_html(page, id="de-date", url="https://www.example.de/politik/budget.html")
    assert article.published_at == "2025-04-01T22:25:00+09:00"  # 15:25 in Germany, in Seoul's offset


def test_urls_with_a_damaged_host_are_passed_over_not_a_crash():
    """A bracketed host that is no IP address (`http://[data-name='slot']/`, as a page with a few
    bytes lost gives one: found by fuzzing fundus' Mirror page) makes urllib raise: in the page's
    og:url and canonical it names no host (no profile claims the page by it), and an image whose
    address has one is no image."""
    head = (
        "<meta property=\"og:url\" content=\"http://[data-name='div-gpt-ad-slot']/a\">"
        '<link rel="canonical" href="https://[::1/news/1">'
    )
    story = _STORY.replace("</h1>", '</h1><figure><img src="//[x]/a.jpg"><figcaption>Hall</figcaption></figure>')
    page = f"<html><head><title>Council budget</title>{head}</head><body>{story}</body></html>"
    article = clean_html(page, id="damaged-urls", url="https://[bad/page")
    assert article.title == "Council budget" and len(article.paragraphs) == 2
    assert article.images == []


@pytest.mark.parametrize(
    "declared",
    [
        "1970-01-01T01:00:00+01:00",  # a timestamp of 0 in a Polish shop's JSON-LD (trafilatura-eval's Eurocash page)
        "1969-12-31T19:00:00-05:00",  # the same instant shown in New York
        "1970-01-01T00:00:00Z",
        "1970-01-01",
        "1900-01-01T00:00:00+09:00",  # a database's empty date
    ],
)
def test_a_date_that_stands_for_no_date_gives_way_to_the_next_source(declared):
    """A CMS with no date writes the Unix epoch or 1900-01-01: the page's date comes from its next
    source (here a `<time>` in the story), and is absent where it has none; a wrong date would name
    the wrong ministries downstream, which are read by the names in force on it."""
    head = _ld({"@type": "NewsArticle", "datePublished": declared, "dateModified": declared})
    assert clean_html(_page(head), id="epoch").published_at is None
    dated = _page(head).replace("<article>", '<article><time datetime="2019-03-04T10:00:00+09:00">4 March</time>')
    assert clean_html(dated, id="epoch-then-time").published_at == "2019-03-04T10:00:00+09:00"


def test_an_old_real_date_is_kept():
    """An archive page's own date (the NYT's 1977 review pages carry `pdate` 19770526) is a date."""
    head = _ld({"@type": "NewsArticle", "datePublished": "1977-05-26"})
    assert clean_html(_page(head), id="archive").published_at == "1977-05-26"


def test_a_date_later_than_the_fetch_is_not_the_publication_date():
    """No page was published after it was read: a later date (an event's, a copyright's) gives way to
    the next source; without a fetch time nothing can be said, and the date stands."""
    head = _ld({"@type": "NewsArticle", "datePublished": "2031-05-01T10:00:00+09:00"})
    dated = _page(head).replace("<article>", '<article><time datetime="2026-03-04T10:00:00+09:00">4 March</time>')
    fetched = "2026-03-05T01:00:00Z"
    assert clean_html(dated, id="future", fetched_at=fetched).published_at == "2026-03-04T10:00:00+09:00"
    assert clean_html(dated, id="future-unknown-fetch").published_at == "2031-05-01T10:00:00+09:00"
    # a day's slack for zones: a page dated in Seoul's morning, fetched the evening before in UTC
    same = _page(_ld({"@type": "NewsArticle", "datePublished": "2026-03-05T08:00:00+09:00"}))
    assert clean_html(same, id="zones", fetched_at="2026-03-04T20:00:00Z").published_at == "2026-03-05T08:00:00+09:00"
    assert clean_html(same, id="bad-fetch-time", fetched_at="yesterday").published_at == "2026-03-05T08:00:00+09:00"


_KO_STORY = (
    "<article><h1>연천군, 아동복지 협약</h1><p>경기도 연천군은 20일 군청 상황실에서 어린이재단과 아동복지 "
    "협약을 체결했다고 밝혔다.</p><p>협약은 빈곤가정의 아이들이 건강하게 자랄 수 있도록 지원할 목적으로 "
    "추진됐다.</p></article>"
)


@pytest.mark.parametrize(
    "box, reporters",
    [
        ("우영식", ["우영식"]),  # Naver's 2017 article page: `div.byline > p.b_text`, the name alone
        ("우영식 기자", ["우영식"]),
        ("사회부", []),  # a desk, not a person
        ("연합뉴스", []),  # a press
        ("디지털", []),  # no common surname first
    ],
)
def test_a_byline_box_holding_a_korean_name_alone_names_the_reporter(box, reporters):
    page = (
        "<html><head><title>연천군, 아동복지 협약</title></head><body>"
        f'{_KO_STORY}<div class="byline"><p class="b_text"> {box} </p></div></body></html>'
    )
    assert [b.name for b in clean_html(page, id="bare-name").bylines] == reporters
