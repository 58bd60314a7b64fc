"""Follow every partition of a topic with a plain aiokafka consumer, outside any consumer group.

Workers split the pipeline's partitions between them, but each worker's desk must see every
enriched article and every alert, so the desk reads all partitions itself. It never commits and
never creates topics: it waits until the topic exists (the worker creates the topics it owns, the
alerts topic may come later), starts `replay` records before the end of each partition (to fill
the page's "recent" list), and continues from where it was after a reconnect.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer, TopicPartition

from streams.settings import Settings

log = logging.getLogger("newsroom.desk")

OnRecord = Callable[[object, bool], None]  # (aiokafka ConsumerRecord, live) -> None


async def follow(
    settings: Settings,
    topic: str,
    on_record: OnRecord,
    *,
    replay: int = 50,
    positions: dict[int, int] | None = None,
    poll_interval: float = 2.0,
) -> None:
    """Call `on_record(record, live)` for each record of `topic`, forever (cancel to stop).

    `live` is False for the records replayed from before the start. `positions` (partition ->
    next offset) is updated as records are read; pass the same dict again to resume.
    """
    positions = {} if positions is None else positions
    consumer = AIOKafkaConsumer(
        **settings.kafka_client_options(),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        fetch_max_wait_ms=100,
        fetch_max_bytes=settings.max_message_bytes,
        max_partition_fetch_bytes=settings.max_message_bytes,
        client_id=f"newsroom-desk-{uuid.uuid4().hex[:8]}",
    )
    await consumer.start()
    try:
        existed, partitions = await _wait_for_topic(consumer, topic, poll_interval)
        tps = [TopicPartition(topic, p) for p in partitions]
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)
        starts = await consumer.beginning_offsets(tps)
        replay_until = {}
        for tp in tps:
            if tp.partition in positions:  # resuming after an error
                consumer.seek(tp, positions[tp.partition])
            elif existed:  # the recent past, then live
                consumer.seek(tp, max(starts[tp], ends[tp] - replay))
                replay_until[tp.partition] = ends[tp]
            else:  # the topic appeared after we started: all of it is new
                consumer.seek(tp, starts[tp])
        log.info("desk follows %s (%d partitions)", topic, len(tps))
        while True:
            batch = await consumer.getmany(timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    positions[tp.partition] = record.offset + 1
                    on_record(record, record.offset >= replay_until.get(tp.partition, 0))
    finally:
        await consumer.stop()


async def _wait_for_topic(consumer: AIOKafkaConsumer, topic: str, poll_interval: float) -> tuple[bool, list[int]]:
    """(whether the topic existed at once, its partitions), waiting until it exists.

    Asks for the metadata of all topics, which never creates one (the local broker auto-creates
    topics that a client asks about by name, with one partition).
    """
    waited = False
    while True:
        cluster = await consumer._client.fetch_all_metadata()  # aiokafka has no public call for this
        partitions = cluster.partitions_for_topic(topic)
        if partitions:
            return not waited, sorted(partitions)
        waited = True
        await asyncio.sleep(poll_interval)


async def follow_forever(
    settings: Settings, topic: str, on_record: OnRecord, *, replay: int = 50, retry_after: float = 5.0
) -> None:
    """`follow`, restarted after any error (a broker restart, a lost connection) from where it was."""
    positions: dict[int, int] = {}
    while True:
        try:
            await follow(settings, topic, on_record, replay=replay, positions=positions)
        except asyncio.CancelledError:
            raise
        except Exception:  # the desk must never take the worker down
            log.exception("desk tail of %s failed; retrying in %.0fs", topic, retry_after)
            await asyncio.sleep(retry_after)
