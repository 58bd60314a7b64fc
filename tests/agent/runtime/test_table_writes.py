"""A table partition's writes as one batch (streams.runtime.table_writes): the store gets each value
and the changelog the very records Faust's `table[key] = value` sends, and the store's persisted
changelog offset is written once, from the last record's acknowledgement."""

from __future__ import annotations

import asyncio
import weakref
from types import SimpleNamespace

import pytest
from faust.streams import _current_event
from faust.types import TP

from streams.runtime.table_writes import persist_when_sent, write_partition
from streams.settings import load_settings


class Event:
    def __init__(self, topic: str, partition: int):
        self.message = SimpleNamespace(topic=topic, partition=partition)


class Producer:
    """Records the sends; each send's future is resolved by the test."""

    def __init__(self):
        self.sent: list[tuple] = []
        self.futures: list[asyncio.Future] = []

    async def send(self, topic, key, value, partition, timestamp, headers):
        self.sent.append((topic, key, value, partition))
        self.futures.append(asyncio.get_running_loop().create_future())
        return self.futures[-1]


@pytest.fixture
def table(tmp_path):
    from streams.app import create_app

    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_HOME": str(tmp_path)})
    app = create_app(settings, store="memory://").app
    app.finalize()
    return app.tables["article_versions"]


async def test_a_partitions_writes_go_out_as_fausts_table_writes_would(table, monkeypatch):
    producer = Producer()
    monkeypatch.setattr(type(table.app), "producer", property(lambda app: producer))
    persisted = []
    monkeypatch.setattr(table.data, "set_persisted_offset", lambda tp, offset: persisted.append((tp, offset)))
    event = Event("news.raw", 2)
    token = _current_event.set(weakref.ref(event))
    acknowledged = []
    try:
        items = [("a", {"fp": "f1", "rev": 1, "src": "news.raw/2/7"}), ("b", {"fp": "f2", "rev": 3, "src": "x/2/1"})]
        last = await write_partition(table, 2, items, acknowledged.append)
        persist_when_sent(table, 2, last)
    finally:
        _current_event.reset(token)
    assert dict(table.data.items()) == dict(items)  # the store has them
    name = table.changelog_topic.get_topic_name()
    for (key, value), sent in zip(items, producer.sent, strict=True):
        faust_sends = table.changelog_topic.as_future_message(
            key=key,
            value=value,
            partition=2,
            key_serializer=table.key_serializer,
            value_serializer=table.value_serializer,
        ).message
        assert sent == (name, faust_sends.key, faust_sends.value, 2)
    for offset, future in enumerate(producer.futures, start=40):
        future.set_result(SimpleNamespace(offset=offset))
    await asyncio.sleep(0)
    assert len(acknowledged) == 2  # each send's failure would stop the worker (report_failed_send)
    assert last is producer.futures[-1]
    assert persisted == [(TP(name, 2), 41)]  # once, the last record's offset
