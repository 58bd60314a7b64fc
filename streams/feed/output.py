"""Where the feed writes: pages to news.raw, records to the fetched-URL memory (one producer).

Both topics are made if missing: news.raw with the spec the worker gives it (streams.topology),
the memory topic compacted, with the same partitions and replication.
"""

from __future__ import annotations

import logging

from aiokafka import AIOKafkaProducer

from schemas import FetchedURL

from .memory import memory_key

log = logging.getLogger("newsroom.feed.output")


def memory_topic_spec(settings, topic: str):
    from streams.topology import TopicSpec

    return TopicSpec(
        topic,
        settings.partitions,
        settings.replication,
        "newsroom feed: FetchedURL per URL fetched (compacted)",
        {"cleanup.policy": "compact", "max.message.bytes": str(settings.max_message_bytes)},
    )


async def ensure_feed_topics(settings, memory_topic: str) -> None:
    from streams.topology import ensure_topics, topic_specs

    raw = [s for s in topic_specs(settings, ministries=[], topic_ids=[], tables={}) if s.name == settings.topics.raw]
    await ensure_topics(settings, raw + [memory_topic_spec(settings, memory_topic)])


class KafkaOutput:
    """send_article and remember, each acknowledged by the broker (acks=all) before it returns."""

    def __init__(self, settings, memory_topic: str):
        self.settings = settings
        self.raw_topic = settings.topics.raw
        self.memory_topic = memory_topic
        self._producer: AIOKafkaProducer | None = None

    async def __aenter__(self) -> KafkaOutput:
        self._producer = AIOKafkaProducer(
            **self.settings.kafka_client_options(),
            acks="all",
            enable_idempotence=True,
            linger_ms=5,
            max_request_size=self.settings.max_message_bytes,
        )
        await self._producer.start()
        return self

    async def __aexit__(self, *exc) -> None:
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    async def send_article(self, key: bytes, value: bytes) -> None:
        await self._producer.send_and_wait(self.raw_topic, value=value, key=key)

    async def remember(self, record: FetchedURL) -> None:
        await self._producer.send_and_wait(
            self.memory_topic,
            value=record.model_dump_json(exclude_none=True).encode(),
            key=memory_key(record.kind, record.url).encode(),
        )
