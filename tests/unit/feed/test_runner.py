"""The feed loop over the local news site, writing to lists: what is sent, what is remembered,
what a restart and a changed feed cost. (On the real broker: tests/integration/test_feed.py.)"""

from __future__ import annotations

import orjson

from tests.feed_support import config_for
from schemas import RawArticle
from streams.feed.urls import article_id


def sources(site, silent=None) -> list[dict]:
    entries = [
        {"name": "rss", "kind": "feed", "url": f"{site.base}/rss.xml", "about": "RSS 2.0"},
        {"name": "atom", "kind": "feed", "url": f"{site.base}/atom.xml", "about": "Atom"},
        {"name": "news-sitemap", "kind": "sitemap", "url": f"{site.base}/sitemap-index.xml", "about": "index"},
    ]
    if silent is not None:
        entries.append({"name": "silent", "kind": "feed", "url": f"{silent.base}/rss.xml", "about": "never answers"})
    return entries


def page_requests(site, start: int = 0) -> list[str]:
    return [p for p in site.paths_requested()[start:] if not p.endswith((".xml", "robots.txt"))]


async def test_every_allowed_article_is_sent_once_as_a_raw_article(site, silent, harness):
    run = harness(config_for(sources(site, silent), timeout_seconds=0.5, retries=1))
    assert await run.run() is False, "the silent source failed, and says so"
    keys = [key.decode() for key, _ in run.output.articles]
    expected = site.expected_ids()
    assert sorted(keys) == sorted(expected), "each page once: repeats, AMP, redirects, two feeds"
    assert article_id(site.article_url(site.roles.amp)) in expected, "the AMP page's id is its canonical's"
    for key, value in run.output.articles:
        article = RawArticle.model_validate_json(value)
        assert article.id == key.decode() and article.url.startswith(site.base)
        assert article.source in {"rss", "atom", "news-sitemap"} and article.fetched_at
        body = site.pages[expected[article.id]].body
        if article.encoding:  # the charset the server named, and the page decoded with it
            assert article.encoding == "utf-8" and article.html == body.decode("utf-8")
    # the silent source failed without stopping the others
    assert run.runner.states["silent"].failures_in_a_row == 1
    assert all(run.runner.states[s].failures_in_a_row == 0 for s in ("atom", "news-sitemap"))
    assert run.metrics.value("newsroom_feed_source_up", source="silent") == 0
    assert run.metrics.value("newsroom_feed_source_up", source="atom") == 1


async def test_politeness_seen_from_the_site(site, silent, harness):
    run = harness(config_for(sources(site, silent), timeout_seconds=0.5, retries=1, per_host_concurrency=2))
    await run.run()
    paths = site.paths_requested()
    assert not [p for p in paths if p.startswith("/private/")], "robots.txt forbids /private/"
    assert site.max_in_flight <= 2
    assert paths.count(f"/flaky/{site.roles.flaky}") == 2, "503, then 200"
    assert paths.count(f"/article/{site.roles.repeated}") == 1, "an item repeated in a feed and across feeds"
    assert run.metrics.value("newsroom_feed_robots_refusals_total", source="rss") == 2
    assert run.metrics.total("newsroom_feed_fetches_total", kind="page", status="too_large") == 2
    assert run.metrics.value("newsroom_feed_bytes_total", kind="page") > 0
    assert run.metrics.value("newsroom_feed_lag_seconds_count", source="rss") > 0


async def test_a_restart_fetches_nothing_twice(site, harness):
    site.silent_url = None  # every page of the feeds answers
    first = harness(config_for(sources(site)))
    assert await first.run() is True
    mark = len(site.requests)
    again = first.restarted()
    assert await again.run() is True
    assert page_requests(site, mark) == [], "no page fetched again"
    assert again.output.articles == []
    conditional = [h for p, h in site.requests[mark:] if p.endswith(".xml")]
    assert conditional and all("If-None-Match" in h for h in conditional), "feeds asked for with their ETag"


async def test_a_newer_date_asks_again_and_304_costs_nothing(site, harness):
    site.silent_url = None
    first = harness(config_for(sources(site)))
    await first.run()
    name = site.roles.atom[0]
    site.touch(name)
    mark = len(site.requests)
    again = first.restarted()
    await again.run()
    assert page_requests(site, mark) == [f"/article/{name}"], "only the page whose item is newer"
    assert [h.get("If-None-Match") for p, h in site.requests[mark:] if p == f"/article/{name}"] == [
        site.pages[name].etag
    ]
    assert again.output.articles == [], "a 304 sends nothing"
    assert again.metrics.value("newsroom_feed_articles_total", source="atom", outcome="unchanged") == 1


async def test_a_changed_page_is_sent_again_under_its_id(site, harness):
    site.silent_url = None
    first = harness(config_for(sources(site)))
    await first.run()
    name = site.roles.atom[0]
    site.edit(name, "정정: 기사 내용을 바로잡습니다.")
    again = first.restarted()
    await again.run()
    assert [k.decode() for k, _ in again.output.articles] == [article_id(site.article_url(name))]
    assert "정정: 기사 내용을 바로잡습니다." in orjson.loads(again.output.articles[0][1])["html"]


async def test_a_failed_page_is_found_again_at_the_next_poll(site, silent, harness):
    """The feed's ETag is remembered only once all its pages are done with: pages that failed (the
    flaky page's 503 without retries, the silent host's) are tried again though the feed did not change."""
    first = harness(config_for(sources(site, silent)[:1], timeout_seconds=0.3, retries=0))
    await first.run()
    flaky = article_id(f"{site.base}/flaky/{site.roles.flaky}")
    assert flaky not in [k.decode() for k, _ in first.output.articles]
    connections = silent.connections
    again = first.restarted()
    await again.run()
    assert silent.connections > connections
    assert [k.decode() for k, _ in again.output.articles] == [flaky], "sent at the next poll, and only it"


async def test_the_synthetic_pages_are_each_sent_once_too(harness):
    """Where the real corpora are absent the site serves tests/fixtures/pages (UTF-8 and EUC-KR)."""
    from streams.feed.site import NewsSite, default_pages

    site = NewsSite(default_pages(None))
    await site.start()
    try:
        run = harness(config_for(sources(site)))
        assert await run.run() is True
        assert sorted(k.decode() for k, _ in run.output.articles) == sorted(site.expected_ids())
        legacy = [v for _, v in run.output.articles if b'"encoding"' not in v]
        assert legacy, "a page served without a charset is sent without an encoding (the cleaner detects it)"
    finally:
        await site.stop()
