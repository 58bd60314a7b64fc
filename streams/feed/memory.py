"""What the feed fetched: a compacted topic (`feed.memory_topic`, default news.feed.fetched).

Every URL the feed fetched (a page, a feed, a sitemap) has one `FetchedURL` record there, keyed by
kind and URL; compaction keeps the last one. A feed process reads the topic whole when it starts,
so a process on any machine picks up where the last one stopped: a URL it has is not fetched
again unless its feed or sitemap gives it a newer date, and then only with a conditional GET.

Order makes it safe: a page is sent to news.raw (acknowledged by every replica) before its record
is written here. A crash between the two sends the page once more after the restart; the
pipeline's dedup by id makes that harmless. The other way round could lose the page.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid

from aiokafka import AIOKafkaConsumer
from pydantic import ValidationError

from schemas import FetchedURL

log = logging.getLogger("newsroom.feed.memory")

# A page's statuses: sent (its body went to news.raw), unchanged (the same body again), not_modified
# (a 304), duplicate (another URL of an article already sent: not sent), alias (not fetched itself:
# the URL a fetched page redirected to or named as canonical), robots, too_large, http_<4xx>, ...
# The first three name the article's "home": the URL whose body was sent under its id.
HOME = frozenset({"sent", "unchanged", "not_modified"})


def memory_key(kind: str, url: str) -> str:
    return f"{'page' if kind == 'page' else 'doc'}|{url}"


class FetchMemory:
    """The records by key, and for each article id the body hash sent and the URL it was read at."""

    def __init__(self) -> None:
        self._records: dict[str, FetchedURL] = {}
        self._sent: dict[str, tuple[str, str]] = {}

    def __len__(self) -> int:
        return len(self._records)

    def get(self, kind: str, url: str) -> FetchedURL | None:
        return self._records.get(memory_key(kind, url))

    def apply(self, record: FetchedURL) -> None:
        self._records[memory_key(record.kind, record.url)] = record
        if record.kind == "page" and record.status in HOME and record.id and record.sha256:
            self._sent[record.id] = (record.sha256, record.url)

    def sent(self, article_id: str) -> tuple[str, str] | None:
        """(sha256 of the body last sent under this id, the URL it was read at), if it was sent."""
        return self._sent.get(article_id)


async def load_memory(settings, topic: str) -> FetchMemory:
    """Read the memory topic from its beginning to its end as of now (no consumer group)."""
    memory = FetchMemory()
    consumer = AIOKafkaConsumer(
        topic,
        **settings.kafka_client_options(),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        client_id=f"newsroom-feed-memory-{uuid.uuid4().hex[:8]}",
    )
    await consumer.start()
    try:
        deadline = time.monotonic() + 30
        while not consumer.assignment():  # without a group, every partition, once metadata knows them
            if time.monotonic() > deadline:
                raise RuntimeError(f"the memory topic {topic} has no partitions the consumer can see")
            await asyncio.sleep(0.1)
        partitions = sorted(consumer.assignment())
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        remaining = {tp for tp in partitions if ends[tp] > 0}
        bad = 0
        while remaining:
            batch = await consumer.getmany(*remaining, timeout_ms=1000)
            for messages in batch.values():
                for message in messages:
                    if message.value is not None:
                        try:
                            memory.apply(FetchedURL.model_validate_json(message.value))
                        except ValidationError:
                            bad += 1
            for tp in list(remaining):
                if await consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
        if bad:
            log.warning("%d record(s) of %s are not FetchedURL JSON: ignored", bad, topic)
    finally:
        await consumer.stop()
    log.info("fetched-URL memory: %d URL(s) from %s", len(memory), topic)
    return memory
