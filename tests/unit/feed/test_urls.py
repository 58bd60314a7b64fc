"""One article, one id: tracking parameters, fragments, case, ports and AMP/mobile variants."""

from __future__ import annotations

import pytest

from streams.feed.canonical import article_url, named_canonical
from streams.feed.urls import BadURL, article_id, is_tracking, normalise, same_site, site_of, url_rules


@pytest.mark.parametrize(
    "url, expected",
    [
        ("HTTPS://WWW.Yna.co.kr:443/view/AKR1?input=1195m#top", "https://www.yna.co.kr/view/AKR1"),
        ("https://news.example.kr/a?utm_source=rss&utm_medium=feed&id=7&fbclid=x", "https://news.example.kr/a?id=7"),
        ("https://news.example.kr/a?b=2&a=1", "https://news.example.kr/a?a=1&b=2"),
        ("http://news.example.kr:80", "http://news.example.kr/"),
        ("http://127.0.0.1:8080/article/x?from=rss", "http://127.0.0.1:8080/article/x"),
        ("https://news.example.kr/%ec%95%88", "https://news.example.kr/%EC%95%88"),
    ],
)
def test_normal_form_drops_what_never_names_the_article(url, expected):
    assert normalise(url) == expected


def test_query_parameters_that_name_the_article_stay():
    url = "https://n.news.naver.com/mnews/article/001/0012345678?sid=100&oid=001&aid=0012345678"
    assert "aid=0012345678" in normalise(url) and "oid=001" in normalise(url)


@pytest.mark.parametrize(
    "url",
    ["ftp://x.kr/a", "javascript:alert(1)", "/relative/path", "", "https://", "http://[not-an-ip]/a", "http://[::1/a"],
)
def test_only_absolute_http_urls(url):
    with pytest.raises(BadURL):
        normalise(url)


def test_the_same_article_under_two_urls_is_one_id():
    assert article_id("https://www.yna.co.kr/view/AKR1?input=1195m") == article_id("https://www.yna.co.kr/view/AKR1#x")
    assert article_id("https://www.yna.co.kr/view/AKR1") != article_id("https://www.yna.co.kr/view/AKR2")


def test_mobile_and_amp_hosts_are_the_same_site_and_other_sites_are_not():
    assert site_of("m.news.example.kr") == site_of("amp.news.example.kr") == site_of("news.example.kr")
    assert same_site("https://m.yna.co.kr/view/A", "https://www.yna.co.kr/view/A")
    assert not same_site("https://www.yna.co.kr/view/A", "https://www.chosun.com/a")
    assert not same_site("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a"), "a port is another origin"


def test_a_page_names_its_canonical_on_the_main_host_and_that_gives_the_id():
    amp = (
        '<html><head><link rel="amphtml" href="/amp/1"><link rel="canonical" '
        'href="https://www.yna.co.kr/view/AKR1?input=1195m"></head><body>x</body></html>'
    )
    assert article_url(amp, "https://m.yna.co.kr/amp/view/AKR1") == "https://www.yna.co.kr/view/AKR1"
    og_only = '<html><head><meta property="og:url" content="/view/AKR1"></head></html>'
    assert article_url(og_only, "https://m.yna.co.kr/view/AKR1?from=x") == "https://m.yna.co.kr/view/AKR1"


def test_a_canonical_on_another_site_is_not_believed():
    page = '<html><head><link rel="canonical" href="https://www.chosun.com/politics/1/"></head></html>'
    assert named_canonical(page, "https://news.example.kr/a/1") == "https://www.chosun.com/politics/1/"
    assert article_url(page, "https://news.example.kr/a/1?utm_source=x") == "https://news.example.kr/a/1"


def test_a_damaged_canonical_is_passed_over_for_the_next_one():
    """A bracketed host that is no IP address makes urllib raise a plain ValueError: a page (or a
    sitemap's item) naming one is read on, not a failure of the feed."""
    page = (
        '<html><head><link rel="canonical" href="http://[data-name=\'slot\']/a">'
        '<meta property="og:url" content="https://news.example.kr/a/1"></head></html>'
    )
    assert named_canonical(page, "https://news.example.kr/a/1?x=1") == "https://news.example.kr/a/1"


def test_the_url_data_file_is_lower_case_and_used():
    rules = url_rules()
    assert {"fbclid", "gclid", "input"} <= rules["tracking_parameters"]
    assert all(is_tracking(p) for p in rules["tracking_parameters"])
    assert all(is_tracking(prefix + "x") for prefix in rules["tracking_prefixes"])
    assert {"www", "m", "amp"} <= rules["variant_host_labels"]
    assert not is_tracking("id") and not is_tracking("aid") and not is_tracking("newsId")
