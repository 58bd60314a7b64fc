"""Speed: a table's writes made without Faust's per-write machinery.

`table[key] = value` in Faust (faust `Table.on_key_set`, then the store's `__setitem__`) sends the
changelog record through the topic's buffer as a FutureMessage with a callback, and once the
brokers acknowledge it writes the record's offset to RocksDB (`Collection._on_changelog_sent`):
per write, a buffered future, a callback and a second RocksDB write. Here each key is written to
the store and its changelog record, the same bytes Faust sends, goes straight to the producer;
the store's persisted changelog offset (where a restart's recovery resumes reading) is written
once per partition when the caller asks (`persist_when_sent`, at each commit: streams.cache_flush),
from the last record it sent (Kafka acknowledges a partition's records in order). A failed send
stops the commits and the worker, as every other send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from faust.types import TP


async def write_partition(
    table: Any,
    partition: int,
    items: Iterable[tuple[str, Any]],
    on_sent: Callable[[Any], None],
) -> Any:
    """Write each (key, value) of `items` to `table`'s store and to partition `partition` of its
    changelog, as `table[key] = value` in an event of that partition does, but for the persisted
    offset. The current event must be one of that partition (the RocksDB store picks its database by
    it). Returns the future of the last record sent, or None."""
    producer = table.app.producer
    topic = table.changelog_topic
    name = topic.get_topic_name()
    store = table.data
    key_serializer, value_serializer = table.key_serializer, table.value_serializer
    last = None
    for key, value in items:
        store[key] = value
        key_bytes, _ = topic.prepare_key(key, key_serializer)
        value_bytes, _ = topic.prepare_value(value, value_serializer)
        last = await producer.send(name, key_bytes, value_bytes, partition, None, None)
        last.add_done_callback(on_sent)
    return last


def persist_when_sent(table: Any, partition: int, sent: Any) -> None:
    """Once `sent` (the future of a record sent to the changelog partition) is acknowledged, write its
    offset as the store's persisted offset of that partition: every earlier record of it is in the store."""
    tp = TP(table.changelog_topic.get_topic_name(), partition)
    store = table.data

    def persisted(fut: Any) -> None:
        if not fut.cancelled() and fut.exception() is None:
            store.set_persisted_offset(tp, fut.result().offset)

    sent.add_done_callback(persisted)
