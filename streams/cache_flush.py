"""The tables' record caches written to their tables, in a Faust app (streams.record_cache is the pure part).

The publish stage's table (counters and revision markers) is written once per commit: before every
offset commit (`NewsroomApp.before_commit`, ahead of the producer flush that precedes the commit),
for each partition with pending writes:
1. its pending writes are taken aside (`RecordCache.take`), its changed counters sent to the counts
   topic, keyed `kind:subject|partition`, on the counts topic's partition of their subject, and the
   brokers' acknowledgements awaited (the agents go on meanwhile, into the next flush's pending);
2. then what was taken is written to the table, so to its changelog, each key once, counters first.
In that order the counts topic is never behind the changelog: after a crash, a counter the
changelog lacks is counted again by the replay and so sent again, and one it holds was sent already.
The commit that follows covers only records whose writes were taken by then (its offsets were
computed before the take), and Faust flushes the producer before it commits: a committed record's
writes are in the changelog.

The dedup tables are written through (`write_now`): what a record changed is written right after
its step, before its outputs are sent, as Faust's own table writes were. Their keys are article ids
and fingerprints, one per article, so writing them once per commit would save no record; and a
kill -9 would then lose up to a commit interval of writes of records whose outputs were sent, while
a restarted worker re-reads some records after later ones (streams.runtime.no_skip): the replay
could decide them otherwise (a body published under two ids was seen so in the kill -9 fault test).

Either way a partition's writes go out as one batch, not one Faust table write per key
(streams.runtime.table_writes), without the logs of committed records (streams.dedup), and the
stores' persisted changelog offsets are written once per partition per commit. A Faust table
writes to the changelog partition of the current event, so each partition's writes are made in
the context of the latest event an agent writing that table took from it (any of the table's
source topics: their partition numbers are the table's). What is pending for a partition the
worker loses at a rebalance is dropped: the rebalance commits first (Faust's `wait_empty`, so the
flush runs), and its new owner reads any record after that commit again. Flushes run one at a
time, so an overlapping commit waits for the writes of the flush under way, which hold records its
offsets cover.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field

import orjson
from faust.streams import _current_event
from faust.types import TP

from streams.counting import split_counter_key, topic_key
from streams.live.spikes import counts_partition
from streams.record_cache import RecordCache
from streams.runtime import report_failed_send
from streams.runtime.table_writes import persist_when_sent, write_partition
from streams.steps import Output


@dataclass
class Cached:
    """One table's record cache and what its writes need."""

    cache: RecordCache
    topics: frozenset[str]  # the source topics whose records write the table
    # the records to send, and have acknowledged, before a partition's taken writes are written
    updates: Callable[[int, list[tuple[str, dict]]], list[Output]] | None = None
    # written after each record, before its outputs (`CacheFlush.write_now`), instead of once per commit
    write_through: bool = False
    events: dict[int, object] = field(default_factory=dict)  # partition -> latest event of a writing agent
    last_sent: dict[int, object] = field(default_factory=dict)  # partition -> last changelog send to persist

    def took(self, event) -> None:
        """An agent writing this table took `event`: its partition's writes are made in its context."""
        self.events[event.message.partition] = event


class CacheFlush:
    def __init__(self, app, send: Callable[[list[Output]], Awaitable[None]]):
        self.app = app
        self.send = send
        self.caches: list[Cached] = []
        # Faust's commits can overlap (its timer's, the rebalance's, the stop's): a commit must not pass
        # records whose writes another flush has taken and not yet written
        self.lock = asyncio.Lock()
        self.sent = functools.partial(report_failed_send, app)
        app.before_commit.append(self.flush)
        app.on_partitions_revoked.connect(self.forget_revoked)

    def add(
        self,
        cache: RecordCache,
        topics: Iterable[str],
        updates: Callable[[int, list[tuple[str, dict]]], list[Output]] | None = None,
        *,
        write_through: bool = False,
    ) -> Cached:
        cached = Cached(cache, frozenset(topics), updates, write_through)
        self.caches.append(cached)
        return cached

    async def write_now(self, cached: Cached, event) -> None:
        """Write what the record of `event` changed in a write-through table, before its outputs are sent."""
        partition = event.message.partition
        if cached.cache.pending.get(partition):
            cached.cache.take(partition)  # at once: no flush takes it meanwhile
            await self._write(cached, partition, self.committed())

    async def flush(self) -> None:
        async with self.lock:
            await self._flush()

    async def _flush(self) -> None:
        flushing = [(c, [p for p in c.cache.dirty() if p in c.events]) for c in self.caches if not c.write_through]
        updates: list[Output] = []
        for cached, partitions in flushing:
            for partition in partitions:
                taken = cached.cache.take(partition)
                if cached.updates is not None and taken:
                    updates += cached.updates(partition, taken)
        if updates:  # the agents go on meanwhile: their changes are pending for the next flush
            await self.send(updates)
            await self.app.producer.flush()  # acknowledged before the table's own writes are made
            if getattr(self.app.consumer, "send_failure", None) is not None:
                return  # not sent: leave the table behind it, the worker stops (streams.runtime.no_skip)
        committed = self.committed()
        for cached, partitions in flushing:
            for partition in partitions:
                await self._write(cached, partition, committed)
        for cached in self.caches:  # the stores' persisted changelog offsets, once per partition per commit
            for partition, last in cached.last_sent.items():
                persist_when_sent(cached.cache.table, partition, last)
            cached.last_sent.clear()

    async def _write(self, cached: Cached, partition: int, committed: Callable[[str], bool]) -> None:
        """Write what was taken of the partition to its table: one batch, not one Faust table write per key."""
        event = cached.events.get(partition)
        if event is None:  # revoked meanwhile: its new owner re-reads it
            return
        cache = cached.cache
        token = _current_event.set(weakref.ref(event))
        try:
            if self.app.producer.started:
                last = await write_partition(cache.table, partition, cache.to_write(partition, committed), self.sent)
                if last is not None:
                    cached.last_sent[partition] = last
                cache.written(partition)
            else:  # an app in Faust's test context
                cache.write(partition, committed)
        finally:
            _current_event.reset(token)

    def committed(self) -> Callable[[str], bool]:
        """Whether a source record ("topic/partition/offset") is below its partition's committed
        offset: no replay, by this worker or the partition's next owner, reads it again."""
        committed_offset = getattr(self.app.consumer, "committed_offset", None)

        def is_committed(src: str) -> bool:
            topic, partition, offset = src.rsplit("/", 2)
            floor = committed_offset(TP(topic, int(partition))) if committed_offset is not None else None
            return floor is not None and int(offset) < floor

        return is_committed

    async def forget_revoked(self, app, revoked, **kwargs) -> None:
        for cached in self.caches:
            mine = {tp.partition for tp in revoked if tp.topic in cached.topics}
            cached.cache.forget(mine)
            for partition in mine:
                cached.events.pop(partition, None)
                cached.last_sent.pop(partition, None)


def counter_updates(counts_topic: str, partitions: int) -> Callable[[int, list[tuple[str, dict]]], list[Output]]:
    """The counts topic's records of a partition's taken counters (`Counters.take` gives the counters
    only, not the revision markers; without the offsets, which only the table needs), on the counts
    topic's partition of their subject (of `partitions`)."""

    def updates(partition: int, taken: list[tuple[str, dict]]) -> list[Output]:
        out = []
        for key, counter in taken:
            subject_key, _ = split_counter_key(key)
            out.append(
                Output(
                    counts_topic,
                    topic_key(subject_key, partition).encode(),
                    orjson.dumps({k: v for k, v in counter.items() if k != "new"}),
                    partition=counts_partition(subject_key, partitions),
                )
            )
        return out

    return updates
