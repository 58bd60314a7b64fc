"""End to end on the real local Kafka broker: news.raw -> worker -> every output topic and the web view."""

from __future__ import annotations

import asyncio
import base64
import json
import time

import orjson
import pytest

from schemas import DeadLetter, EnrichedArticle
from streams.enrich import ministry_catalogue
from streams.inputs import read_record
from streams.kafka_io import produce_records, tail_topic
from tests.support import SEED_BODY_PARAGRAPHS, SEED_EXPECTED, SEED_HTML, read_all, wait_until

pytestmark = pytest.mark.integration

MALFORMED = b'{"id": "broken-1", "html": "<p>unterminated'


def collect(settings, topic: str, n: int, timeout: float = 60.0) -> list[tuple[bytes | None, bytes]]:
    events: list[tuple[bytes | None, bytes]] = []
    asyncio.run(tail_topic(settings, topic, lambda k, v, m: events.append((k, v)), max_events=n, timeout=timeout))
    return events


def test_seed_page_flows_to_every_output_and_bad_input_to_dead_letters(worker, pipeline_settings):
    settings = pipeline_settings
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    seed = read_record(str(SEED_HTML))
    worker.start()
    sent = asyncio.run(
        produce_records(settings, settings.topics.raw, [(seed.key, seed.value), (b"broken-1", MALFORMED)])
    )
    assert sent == 2

    enriched = collect(settings, settings.topics.enriched, 1)
    assert len(enriched) == 1, f"no enriched event; worker log:\n{worker.log_tail()}"
    key, value = enriched[0]
    article = EnrichedArticle.model_validate_json(value)
    assert key == article.id.encode()
    assert article.title == expected["exact"]["title"]
    assert article.press == expected["exact"]["press"]
    assert len(article.paragraphs) == SEED_BODY_PARAGRAPHS
    assert sorted(m.name_ko for m in article.ministries) == sorted(expected["ministries_exactly"])

    for ministry in article.ministries:  # the same event on each per-ministry topic
        fanned = collect(settings, settings.topics.ministry(ministry.id), 1)
        assert [v for _, v in fanned] == [value], f"nothing on the topic of {ministry.id}"
    top_topic = article.topics[0].id
    assert [v for _, v in collect(settings, settings.topics.topic(top_topic), 1)] == [value]

    letters = collect(settings, settings.topics.deadletter, 1)
    assert len(letters) == 1
    letter = DeadLetter.model_validate_json(letters[0][1])
    assert base64.b64decode(letter.original) == MALFORMED
    assert letter.reason == "malformed_json"
    assert letter.topic == settings.topics.raw and letter.offset >= 0
    assert base64.b64decode(letter.original_key) == b"broken-1"

    def both_counted():
        counts = worker.get("/counts/ministries")
        return (
            counts if {mid: c["count"] for mid, c in counts.items()} == {m.id: 1 for m in article.ministries} else None
        )

    counts = wait_until(both_counted, timeout=30, message="/counts/ministries to show both ministries once")
    # a counter is keyed by the stable id and labelled with the body's name in force today
    today = {m["id"]: m["name_ko"] for m in ministry_catalogue()}
    assert {mid: c["name_ko"] for mid, c in counts.items()} == {m.id: today[m.id] for m in article.ministries}


def test_same_article_twice_is_published_and_counted_once(worker, pipeline_settings):
    settings = pipeline_settings
    seed = read_record(str(SEED_HTML))
    worker.start()
    asyncio.run(produce_records(settings, settings.topics.raw, [(seed.key, seed.value)] * 2))
    health = wait_until(
        lambda: (h := worker.get("/healthz"))["progress"].get("by_id_repeat") == 1 and h,
        timeout=30,
        message="the repeat to be recognised",
    )
    assert health["progress"]["clean_in"] == 2
    assert len(collect(settings, settings.topics.enriched, 2, timeout=5)) == 1

    def settled():
        counts = worker.get("/counts/ministries")
        return counts if len(counts) == 2 else None

    counts = wait_until(settled, timeout=30, message="both ministries counted")
    assert all(c["count"] == 1 for c in counts.values()), counts


def test_an_updated_article_is_republished_as_an_update_and_not_counted_again(worker, pipeline_settings):
    settings = pipeline_settings
    first = orjson.loads(read_record(str(SEED_HTML)).value)
    changed = dict(first, html=first["html"].replace("양 부처는 이날 합의한", "양 부처는 이날 최종 합의한"))
    worker.start()
    asyncio.run(produce_records(settings, settings.topics.raw, [(b"seed", orjson.dumps(first))]))
    assert len(collect(settings, settings.topics.enriched, 1)) == 1
    asyncio.run(produce_records(settings, settings.topics.raw, [(b"seed", orjson.dumps(changed))]))
    versions = [EnrichedArticle.model_validate_json(v) for _, v in collect(settings, settings.topics.enriched, 2)]
    assert [(a.revision, a.update) for a in versions] == [(1, False), (2, True)]
    assert "최종 합의한" in versions[1].paragraphs[-1]
    for ministry in versions[0].ministries:  # the update reaches the ministry feeds too
        assert len(collect(settings, settings.topics.ministry(ministry.id), 2)) == 2
    counts = wait_until(
        lambda: len(c := worker.get("/counts/ministries")) == 2 and c, timeout=30, message="both ministries counted"
    )
    time.sleep(2)
    assert {mid: c["count"] for mid, c in worker.get("/counts/ministries").items()} == {m: 1 for m in counts}


def test_revisions_reach_consumers_in_increasing_order(worker, pipeline_settings):
    """Bodies of one article travel on the partitions of their fingerprints, so two revisions sent
    at once can overtake each other; consumers still never see an older one after a newer one."""
    settings = pipeline_settings
    first = orjson.loads(read_record(str(SEED_HTML)).value)
    bodies = [dict(first, html=first["html"].replace("양 부처는", f"양 부처는 ({n}차)")) for n in range(1, 6)]
    worker.start()
    asyncio.run(produce_records(settings, settings.topics.raw, [(b"seed", orjson.dumps(b)) for b in bodies]))
    wait_until(
        lambda: worker.get("/healthz")["progress"].get("publish_in", 0) == 5,
        timeout=60,
        message="five revisions through the fan-out stage",
    )
    for topic in [settings.topics.ministry("msit"), settings.topics.topic("ai")]:
        seen = [EnrichedArticle.model_validate_json(v).revision for _, v in read_all(settings, topic, idle=2.0)]
        assert seen and seen == sorted(seen) and seen[-1] == 5, seen


def test_worker_gives_clear_error_without_a_broker(tmp_path):
    from tests.support import newsroom

    env = {"PATH": "/usr/bin:/bin", "NEWSROOM_HOME": str(tmp_path)}
    proc = newsroom("worker", env=env, timeout=60)
    assert proc.returncode == 2
    assert "KAFKA_BOOTSTRAP_SERVERS" in proc.stderr and "newsroom broker start" in proc.stderr


def test_produce_and_tail_commands_round_trip(pipeline_env, pipeline_settings, tmp_path):
    from tests.support import newsroom

    topic = pipeline_settings.topics.raw
    out = newsroom("produce", str(SEED_HTML), env=pipeline_env, timeout=60)
    assert out.returncode == 0, out.stderr
    assert f"sent 1 event(s) to {topic}" in out.stderr
    tail = newsroom("tail", topic, "--max", "1", "--timeout", "30", env=pipeline_env, timeout=90)
    assert tail.returncode == 0, tail.stderr
    event = orjson.loads(tail.stdout.splitlines()[0])
    assert event["id"] == "board-repost-asiae-msit-motie"
    assert event["html"] == SEED_HTML.read_text(encoding="utf-8")
