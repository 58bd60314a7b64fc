"""The desk feed without Kafka: summaries, filters, the hub's rings and bounded client queues, SSE."""

from __future__ import annotations

import asyncio
import json

import orjson
import pytest

from streams.desk.feed import FeedFilter, FilterError, Hub, alert_summary, article_summary, safe_url, sse_frame


def enriched(article_id="a1", ministries=("msit",), topics=("ai",), **extra) -> bytes:
    article = {
        "id": article_id,
        "title": "과기정통부 AI 회의",
        "press": "아시아경제",
        "published_at": "2025-08-14T11:00:00+09:00",
        "url": "https://example.com/a",
        "paragraphs": ["본문"] * 3,
        "ministries": [
            {
                "id": m,
                "name_ko": f"부처 {m}",
                "name_en": m,
                "kind": "부",
                "mentions": 1,
                "primary": True,
                "evidence": [],
            }
            for m in ministries
        ],
        "topics": [{"id": t, "label_ko": f"주제 {t}", "label_en": t, "score": 1.0, "evidence": []} for t in topics],
    }
    article.update(extra)
    return orjson.dumps(article)


def parse_frames(raw: bytes) -> list[dict]:
    events = []
    for block in raw.decode().split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":") and ": " in line
        )
        if "data" in fields:
            events.append({"id": fields.get("id"), "event": fields.get("event"), "data": json.loads(fields["data"])})
    return events


def test_article_summary_keeps_what_the_page_shows_and_no_body():
    summary = article_summary(enriched(), timestamp_ms=1234)
    assert summary == {
        "id": "a1",
        "title": "과기정통부 AI 회의",
        "press": "아시아경제",
        "published_at": "2025-08-14T11:00:00+09:00",
        "url": "https://example.com/a",
        "ministries": [{"id": "msit", "name_ko": "부처 msit", "primary": True}],
        "topics": [{"id": "ai", "label_ko": "주제 ai"}],
        "ts": 1234,
    }


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<b>x</b>",
        "//evil.example/x",
        "ftp://x/y",
        " ",
        None,
        42,
        "https://a b",
    ],
)
def test_only_http_urls_survive(url):
    assert safe_url(url) is None
    assert article_summary(enriched(url=url))["url"] is None


def test_http_urls_pass():
    assert safe_url("http://news.example/a?b=1") == "http://news.example/a?b=1"
    assert safe_url("HTTPS://news.example/") == "HTTPS://news.example/"


@pytest.mark.parametrize("value", [b"", b"not json", b"[1,2]", b'{"title": "no id"}', None])
def test_values_that_are_not_articles_are_skipped(value):
    assert article_summary(value) is None


def test_hostile_title_is_data_in_the_frame():
    title = '<img src=x onerror=alert(1)>\n\nevent: alert\ndata: {}'
    frame = sse_frame("article", article_summary(enriched(title=title)), 7)
    events = parse_frames(frame)
    assert len(events) == 1 and events[0]["event"] == "article"
    assert events[0]["data"]["title"] == title  # newlines escaped by JSON: no injected SSE fields


def test_alert_summary_checks_types():
    alert = alert_summary(
        orjson.dumps(
            {
                "kind": "spike",
                "subject": "msit",
                "window": "1h",
                "observed": 12,
                "baseline": 2.5,
                "threshold": "8",
                "at": "2025-08-14T11:00:00+09:00",
            }
        )
    )
    assert alert["kind"] == "spike" and alert["observed"] == 12 and alert["threshold"] is None
    assert alert_summary(b"[]") is None


def test_filter_from_query_rejects_what_is_not_an_id():
    assert FeedFilter.from_query({"ministry": "msit", "topic": "ai"}) == FeedFilter("msit", "ai")
    assert FeedFilter.from_query({}) == FeedFilter()
    for bad in ("<script>", "a b", "x" * 65, "../etc"):
        with pytest.raises(FilterError):
            FeedFilter.from_query({"ministry": bad})


async def test_hub_fans_out_by_filter_and_replays_recent_on_connect():
    hub = Hub(ring_sizes={"article": 2, "alert": 2})
    everything, _ = hub.connect(FeedFilter())
    only_moef, _ = hub.connect(FeedFilter(ministry="moef"))
    hub.publish("article", article_summary(enriched("a1", ministries=("msit",))))
    hub.publish("article", article_summary(enriched("a2", ministries=("moef", "msit"), topics=("energy",))))
    hub.publish("alert", alert_summary(b'{"kind": "spike", "subject": "msit"}'))
    assert [e["data"].get("id") for f in everything.drain() for e in parse_frames(f)] == ["a1", "a2", None]
    assert [e["event"] for f in only_moef.drain() for e in parse_frames(f)] == ["article", "alert"]

    hub.publish("article", article_summary(enriched("a3")))  # the ring keeps the last two articles
    late, backlog = hub.connect(FeedFilter(topic="energy"))
    assert [(e["event"], e["data"].get("id")) for f in backlog for e in parse_frames(f)] == [
        ("alert", None),
        ("article", "a2"),
    ]
    _, after_reconnect = hub.connect(FeedFilter(), last_event_id="3")  # seen up to the alert
    assert [e["data"]["id"] for f in after_reconnect for e in parse_frames(f)] == ["a3"]
    _, after_restart = hub.connect(FeedFilter(), last_event_id="999")  # an id from a previous worker
    assert len(after_restart) == 3


async def test_an_article_seen_again_is_kept_once():
    hub = Hub()
    hub.publish("article", article_summary(enriched("a1")))
    hub.publish("article", article_summary(enriched("a2")))
    hub.publish("article", article_summary(enriched("a1")))
    _, backlog = hub.connect(FeedFilter())
    assert [e["data"]["id"] for f in backlog for e in parse_frames(f)] == ["a2", "a1"]


async def test_replayed_events_fill_the_ring_in_time_order_and_reach_pages_already_open():
    hub = Hub(ring_sizes={"article": 2, "alert": 1})
    early, _ = hub.connect(FeedFilter())  # a page opened before the desk had replayed anything
    for article_id, ts in (("new", 300), ("old", 100), ("mid", 200)):
        hub.publish("article", article_summary(enriched(article_id), ts), live=False)
    assert [e["data"]["id"] for f in early.drain() for e in parse_frames(f)] == ["new", "old", "mid"]
    _, backlog = hub.connect(FeedFilter())
    assert [e["data"]["id"] for f in backlog for e in parse_frames(f)] == ["mid", "new"]


async def test_a_slow_client_loses_its_oldest_events_and_never_blocks():
    hub = Hub(queue_size=3)
    slow, _ = hub.connect(FeedFilter())
    for n in range(10):
        hub.publish("article", article_summary(enriched(f"a{n}")))
    assert [e["data"]["id"] for f in slow.drain() for e in parse_frames(f)] == ["a7", "a8", "a9"]
    assert slow.dropped == 7
    hub.disconnect(slow)
    assert hub.dropped == 7 and not hub.clients


async def test_close_ends_every_stream_even_a_full_one():
    hub = Hub(queue_size=2)
    client, _ = hub.connect(FeedFilter())
    for n in range(5):
        hub.publish("article", article_summary(enriched(f"a{n}")))
    hub.close()
    assert client.drain()[-1] is None
    late, _ = hub.connect(FeedFilter())  # connecting while closing ends at once
    assert late.drain() == [None]


async def test_publish_from_another_thread_reaches_the_clients_loop():
    hub = Hub()
    client, _ = hub.connect(FeedFilter())
    summary = article_summary(enriched("t1"))
    await asyncio.get_running_loop().run_in_executor(None, hub.publish, "article", summary)
    frame = await asyncio.wait_for(client.queue.get(), 2)
    assert parse_frames(frame)[0]["data"]["id"] == "t1"
