"""Items out of recorded feeds and sitemaps (tests/fixtures/feed): links, dates, repeats."""

from __future__ import annotations

import gzip
from datetime import datetime, UTC
from pathlib import Path

from streams.feed.discover import discover

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "feed"


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_rss_items_with_korean_titles_dates_and_relative_links():
    found = discover("feed", read("yonhap-like.rss.xml"), "https://www.yna.co.kr/rss/news.xml")
    assert found.problem is None
    urls = [i.url for i in found.items]
    assert urls[0] == "https://www.yna.co.kr/view/AKR20260302000100017?input=1195m"
    assert urls.count(urls[0]) == 2, "the feed repeats it; the runner keeps one"
    assert "https://www.yna.co.kr/view/AKR20260302000300001" in urls, "relative link made absolute"
    assert len(urls) == 4, "the item without a link is skipped"
    assert found.items[0].title.startswith("과기정통부, AI 반도체")
    # the newer of dc:date (09:10) and pubDate (09:00)
    assert found.items[0].date == datetime(2026, 3, 2, 0, 10, tzinfo=UTC)


def test_atom_entries_take_the_alternate_link_and_the_updated_date():
    found = discover("feed", read("korea-kr-like.atom.xml"), "https://www.korea.kr/rss/dept_msit.xml")
    assert [i.url for i in found.items] == [
        "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156700001",
        "https://www.korea.kr/briefing/pressReleaseView.do?newsId=156700002&pWise=main",
    ]
    assert found.items[0].date == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_news_sitemap_gives_urls_titles_and_the_newest_date():
    found = discover("sitemap", read("news-sitemap.xml"), "https://news.example.kr/sitemap-news.xml")
    assert [i.url for i in found.items] == [
        "https://news.example.kr/article/2026/03/02/0001",
        "https://news.example.kr/article/2026/03/02/0002",
    ]
    assert found.items[0].title == "금융위, 가계부채 관리 방안 발표"
    assert found.items[1].date == datetime(2026, 3, 2, 2, 0, tzinfo=UTC), "lastmod after publication"


def test_a_sitemap_index_gives_its_sitemaps_and_gzip_is_read():
    found = discover("sitemap", read("sitemap-index.xml"), "https://news.example.kr/sitemap.xml")
    assert found.items == []
    assert found.sitemaps == [
        "https://news.example.kr/sitemap-news.xml",
        "https://news.example.kr/sitemap-2026-03.xml.gz",
    ]
    packed = discover("sitemap", gzip.compress(read("news-sitemap.xml")), "https://news.example.kr/s.xml.gz")
    assert len(packed.items) == 2


def test_a_document_that_is_not_its_kind_is_a_problem_not_a_crash():
    assert discover("feed", b"<html><body>503 busy</body>", "https://x.kr/rss").problem
    assert discover("sitemap", b"\x1f\x8bnot gzip", "https://x.kr/s.xml.gz").problem
    assert discover("sitemap", b"just words", "https://x.kr/s.txt").problem
    assert discover("feed", read("yonhap-like.rss.xml")[:300], "https://x.kr/rss").items == []
