"""Plain aiokafka producer and consumer helpers for the CLI, the demo and the tests."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Iterable

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.contract.headers import Headers
from streams.settings import Settings


async def produce_records(
    settings: Settings, topic: str, records: Iterable[tuple[bytes | None, bytes] | tuple[bytes | None, bytes, Headers]]
) -> int:
    """Send (key, value) or (key, value, headers) records and wait until the broker has acknowledged every one."""
    producer = AIOKafkaProducer(
        **settings.kafka_client_options(),
        acks="all",
        enable_idempotence=True,
        max_request_size=settings.max_message_bytes,
        linger_ms=5,
    )
    await producer.start()
    try:
        futures = []
        for key, value, *headers in records:
            futures.append(
                await producer.send(topic, value=value, key=key, headers=list(headers[0]) if headers else None)
            )
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return len(futures)


async def tail_topic(
    settings: Settings,
    topic: str,
    on_event: Callable[[bytes | None, bytes | None, dict], None],
    *,
    max_events: int | None = None,
    timeout: float | None = None,
    from_end: bool = False,
    stop: asyncio.Event | None = None,
) -> int:
    """Call on_event for each event of topic, without joining a consumer group.

    Stops after max_events, after `timeout` seconds with no new event, or when `stop` is set.
    """
    consumer = AIOKafkaConsumer(
        topic,
        **settings.kafka_client_options(),
        group_id=None,
        auto_offset_reset="latest" if from_end else "earliest",
        enable_auto_commit=False,
        fetch_max_bytes=settings.max_message_bytes,
        max_partition_fetch_bytes=settings.max_message_bytes,
        client_id=f"newsroom-tail-{uuid.uuid4().hex[:8]}",
    )
    await consumer.start()
    seen = 0
    last = time.monotonic()
    try:
        while not (stop and stop.is_set()):
            batch = await consumer.getmany(timeout_ms=200)
            for messages in batch.values():
                for msg in messages:
                    on_event(
                        msg.key,
                        msg.value,
                        {
                            "topic": msg.topic,
                            "partition": msg.partition,
                            "offset": msg.offset,
                            "timestamp": msg.timestamp,
                            "headers": {
                                k: v.decode("utf-8", "replace") if v is not None else None for k, v in msg.headers or ()
                            },
                        },
                    )
                    seen += 1
                    last = time.monotonic()
                    if max_events is not None and seen >= max_events:
                        return seen
            if timeout is not None and time.monotonic() - last > timeout:
                return seen
    finally:
        await consumer.stop()
    return seen
