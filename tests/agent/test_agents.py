"""The Faust agents, run with Faust's test_context (in-memory channels, no broker).

These check the wiring of the shell: which topic each agent sends what to, and that the counting
agent counts an article once per ministry. The pipeline on the real broker is in tests/integration.
"""
from __future__ import annotations

import base64

import pytest

from schemas import CleanArticle, DeadLetter, EnrichedArticle
from streams.app import create_app
from streams.inputs import read_record
from streams.settings import load_settings
from streams.steps import Mention, Output
from support import SEED_HTML


@pytest.fixture
def newsroom(tmp_path):
    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_HOME": str(tmp_path)})
    room = create_app(settings, store="memory://")
    room.app.finalize()
    room.app.flow_control.resume()
    sent: list[Output] = []

    async def capture(outputs, source_event=None):
        sent.extend(outputs)

    room.publish = capture
    room.sent = sent
    return room


async def test_clean_agent_sends_a_clean_article_keyed_by_id(newsroom):
    record = read_record(str(SEED_HTML))
    async with newsroom.app.agents["clean"].test_context() as agent:
        await agent.put(value=record.value, key=record.key)
    [out] = newsroom.sent
    assert out.topic == "news.cleaned"
    article = CleanArticle.model_validate_json(out.value)
    assert out.key == article.id.encode() == b"board-repost-asiae-msit-motie"


async def test_clean_agent_sends_bad_input_to_dead_letters_with_original_bytes(newsroom):
    async with newsroom.app.agents["clean"].test_context() as agent:
        await agent.put(value=b"\x1f\x8b\x08\x00binary", key=b"k1")
        await agent.put(value=b"", key=b"k2")
    letters = [DeadLetter.model_validate_json(o.value) for o in newsroom.sent]
    assert [o.topic for o in newsroom.sent] == ["news.deadletter", "news.deadletter"]
    assert base64.b64decode(letters[0].original) == b"\x1f\x8b\x08\x00binary"
    assert letters[0].reason == "not_html" and letters[1].reason == "empty"


async def test_dedup_enrich_and_fan_out_reach_each_ministry_and_topic_topic(newsroom):
    record = read_record(str(SEED_HTML))
    async with newsroom.app.agents["clean"].test_context() as agent:
        await agent.put(value=record.value, key=record.key)
    cleaned = newsroom.sent.pop()
    async with newsroom.app.agents["dedup"].test_context() as agent:
        await agent.put(value=cleaned.value, key=cleaned.key)
        await agent.put(value=cleaned.value, key=cleaned.key)  # the same article again: dropped
    [unique] = newsroom.sent
    newsroom.sent.clear()
    assert unique.topic == "news.unique"
    assert unique.key == CleanArticle.model_validate_json(cleaned.value).fingerprint.encode()
    async with newsroom.app.agents["enrich"].test_context() as agent:
        await agent.put(value=unique.value, key=unique.key)
    enriched = newsroom.sent.pop()
    assert enriched.topic == "news.enriched"
    article = EnrichedArticle.model_validate_json(enriched.value)
    async with newsroom.app.agents["fan_out"].test_context() as agent:
        await agent.put(value=enriched.value, key=enriched.key)
    by_topic = {o.topic: o for o in newsroom.sent}
    for m in article.ministries:
        assert by_topic[f"news.ministry.{m.id}"].value == enriched.value
    for t in article.topics:
        assert by_topic[f"news.topic.{t.id}"].value == enriched.value
    counted = [o for o in newsroom.sent if o.topic == "news.counts"]
    assert sorted(o.key for o in counted) == sorted([f"ministry:{m.id}".encode() for m in article.ministries]
                                                    + [f"topic:{t.id}".encode() for t in article.topics])


async def test_count_agent_counts_an_article_once_per_ministry(newsroom):
    async with newsroom.app.agents["count"].test_context() as agent:
        for article_id in ("a1", "a2", "a1"):
            await agent.put(value=Mention("ministry", "msit", article_id, "fp").to_bytes(), key=b"ministry:msit")
        await agent.put(value=Mention("ministry", "motie", "a1", "fp").to_bytes(), key=b"ministry:motie")
        await agent.put(value=Mention("topic", "ai", "a1", "fp").to_bytes(), key=b"topic:ai")
    assert newsroom.all_time_counts() == {"ministry:msit": 2, "ministry:motie": 1, "topic:ai": 1}
    assert newsroom.progress.counters["count_repeats"] == 1
