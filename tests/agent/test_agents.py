"""The Faust agents, run with Faust's test_context (in-memory channels, no broker).

These check the wiring of the shell: one agent per declared stage, which topic each agent sends
what to, and that the publish agent counts an article once per ministry. The pipeline on the real
broker is in tests/integration.
"""

from __future__ import annotations

import base64

import pytest

from schemas import CleanArticle, DeadLetter, EnrichedArticle
from streams.app import create_app
from streams.graph import STAGES
from streams.inputs import read_record
from streams.settings import load_settings
from streams.steps import Output
from tests.support import SEED_HTML


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


def test_one_agent_per_declared_stage(newsroom):
    assert sorted(newsroom.app.agents) == sorted(stage.name for stage in STAGES)


async def test_clean_agent_dedups_by_id_and_sends_to_unique_keyed_by_fingerprint(newsroom):
    record = read_record(str(SEED_HTML))
    assert record.key == b"board-repost-asiae-msit-motie"
    async with newsroom.app.agents["clean"].test_context() as agent:
        await agent.put(value=record.value, key=record.key)
        await agent.put(value=record.value, key=record.key)  # the same article again: dropped
    [out] = newsroom.sent
    assert out.topic == "news.unique"
    article = CleanArticle.model_validate_json(out.value)
    assert out.key == article.fingerprint.encode() and article.id == "board-repost-asiae-msit-motie"


async def test_a_record_not_keyed_by_its_id_is_rekeyed_then_deduplicated(newsroom):
    record = read_record(str(SEED_HTML))
    async with newsroom.app.agents["clean"].test_context() as agent:
        await agent.put(value=record.value, key=b"https://example.kr/some/url")
    [rekeyed] = newsroom.sent
    assert (rekeyed.topic, rekeyed.key) == ("news.rekeyed", b"board-repost-asiae-msit-motie")
    newsroom.sent.clear()
    async with newsroom.app.agents["rekeyed"].test_context() as agent:
        await agent.put(value=rekeyed.value, key=rekeyed.key)
        await agent.put(value=rekeyed.value, key=rekeyed.key)  # a repeat: dropped
    [unique] = newsroom.sent
    assert unique.topic == "news.unique"


async def test_clean_agent_sends_bad_input_to_dead_letters_with_original_bytes(newsroom):
    async with newsroom.app.agents["clean"].test_context() as agent:
        await agent.put(value=b"\x1f\x8b\x08\x00binary", key=b"k1")
        await agent.put(value=b"", key=b"k2")
    letters = [DeadLetter.model_validate_json(o.value) for o in newsroom.sent]
    assert [o.topic for o in newsroom.sent] == ["news.deadletter", "news.deadletter"]
    assert base64.b64decode(letters[0].original) == b"\x1f\x8b\x08\x00binary"
    assert letters[0].reason == "not_html" and letters[1].reason == "empty"


async def test_enrich_and_publish_reach_each_ministry_and_topic_topic_and_count(newsroom):
    record = read_record(str(SEED_HTML))
    async with newsroom.app.agents["clean"].test_context() as agent:
        await agent.put(value=record.value, key=record.key)
    unique = newsroom.sent.pop()
    async with newsroom.app.agents["enrich"].test_context() as agent:
        await agent.put(value=unique.value, key=unique.key)
    enriched = newsroom.sent.pop()
    assert enriched.topic == "news.enriched"
    article = EnrichedArticle.model_validate_json(enriched.value)
    async with newsroom.app.agents["publish"].test_context() as agent:
        await agent.put(value=enriched.value, key=enriched.key)
        await agent.put(value=enriched.value, key=enriched.key)  # a repeat: neither published nor counted
    by_topic = {o.topic: o for o in newsroom.sent}
    assert len(newsroom.sent) == len(article.ministries) + len(article.topics)
    for m in article.ministries:
        assert by_topic[f"news.ministry.{m.id}"].value == enriched.value
    for t in article.topics:
        assert by_topic[f"news.topic.{t.id}"].value == enriched.value
    assert newsroom.all_time_counts() == {
        **{f"ministry:{m.id}": 1 for m in article.ministries},
        **{f"topic:{t.id}": 1 for t in article.topics},
    }
