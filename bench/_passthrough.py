"""Baseline (a): plain aiokafka consume-to-produce passthrough, no processing. The ceiling of this stack.

Run by bench/e2e.py as its own process:  python bench/_passthrough.py SOURCE_TOPIC TARGET_TOPIC
Connection settings come from the environment like the worker's (KAFKA_BOOTSTRAP_SERVERS,
NEWSROOM_APP_ID as the consumer group). Like the worker (Faust, at least once, acks=all), it commits
offsets every second, once the broker has acknowledged every send made before. Stops on SIGTERM/SIGINT.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.broker.local import with_local_broker
from streams.settings import load_settings

COMMIT_INTERVAL = 1.0  # seconds, like the worker's NEWSROOM_COMMIT_INTERVAL default


async def run(source: str, target: str) -> None:
    settings = load_settings(with_local_broker())
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    consumer = AIOKafkaConsumer(
        source,
        **settings.kafka_client_options(),
        group_id=settings.app_id,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        fetch_max_bytes=settings.max_message_bytes,
        max_partition_fetch_bytes=settings.max_message_bytes,
        session_timeout_ms=30_000,
        heartbeat_interval_ms=3_000,
    )
    producer = AIOKafkaProducer(
        **settings.kafka_client_options(), acks="all", max_request_size=settings.max_message_bytes
    )
    await producer.start()
    await consumer.start()
    print(f"passthrough {source} -> {target} running", flush=True)
    futures: list = []
    last_commit = time.monotonic()
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=100)
            futures += [
                await producer.send(target, key=msg.key, value=msg.value)
                for messages in batch.values()
                for msg in messages
            ]
            if futures and time.monotonic() - last_commit >= COMMIT_INTERVAL:
                await asyncio.gather(*futures)  # every send acknowledged before its offset is committed
                await consumer.commit()
                futures, last_commit = [], time.monotonic()
        if futures:
            await asyncio.gather(*futures)
            await consumer.commit()
    finally:
        await consumer.stop()
        await producer.stop()


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1], sys.argv[2]))
