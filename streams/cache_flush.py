"""The tables' record caches written at each commit, in a Faust app (streams.record_cache is the pure part).

Before every offset commit (`NewsroomApp.before_commit`, ahead of the producer flush that precedes
the commit), for each table's cache, for each partition with pending writes:
1. its pending writes are taken aside (`RecordCache.take`); for the publish stage's counters, the
   changed counters are sent to the counts topic, keyed `kind:subject|partition`, on the counts
   topic's partition of their subject, and the brokers' acknowledgements awaited (the agents go on
   meanwhile, into the next flush's pending);
2. then what was taken is written to its table, so to its changelog, each key once
   (`RecordCache.write`), without the logs of records already committed (streams.dedup).
In that order the counts topic is never behind the changelog: after a crash, a counter the
changelog lacks is counted again by the replay and so sent again, and one it holds was sent already.
The commit that follows covers only records whose writes were taken by then (its offsets were
computed before the take), and Faust flushes the producer before it commits: a committed record's
writes are in the changelog.

A Faust table writes to the changelog partition of the current event, so each partition's writes
are made in the context of the latest event an agent writing that table took from it (any of the
table's source topics: their partition numbers are the table's). What is pending for a partition
the worker loses at a rebalance is dropped: the rebalance commits first (Faust's `wait_empty`, so
this flush runs), and its new owner reads any record after that commit again. Flushes run one at a
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

from streams.counting import COUNTER, split_counter_key, topic_key
from streams.live.spikes import counts_partition
from streams.record_cache import RecordCache
from streams.runtime import report_failed_send
from streams.runtime.table_writes import write_partition
from streams.steps import Output


@dataclass
class Cached:
    """One table's record cache and what its flush needs."""

    cache: RecordCache
    topics: frozenset[str]  # the source topics whose records write the table
    # the records to send, and have acknowledged, before a partition's taken writes are written
    updates: Callable[[int, list[tuple[str, dict]]], list[Output]] | None = None
    events: dict[int, object] = field(default_factory=dict)  # partition -> latest event of a writing agent

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
        app.before_commit.append(self.flush)
        app.on_partitions_revoked.connect(self.forget_revoked)

    def add(
        self,
        cache: RecordCache,
        topics: Iterable[str],
        updates: Callable[[int, list[tuple[str, dict]]], list[Output]] | None = None,
    ) -> Cached:
        cached = Cached(cache, frozenset(topics), updates)
        self.caches.append(cached)
        return cached

    def dirty(self) -> dict[str, list[int]]:
        """{table name: partitions with pending writes} (for logs and the fault tests)."""
        return {
            getattr(c.cache.table, "name", str(i)): c.cache.dirty()
            for i, c in enumerate(self.caches)
            if c.cache.dirty()
        }

    async def flush(self) -> None:
        async with self.lock:
            await self._flush()

    async def _flush(self) -> None:
        flushing = [(c, [p for p in c.cache.dirty() if p in c.events]) for c in self.caches]
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
        sent = functools.partial(report_failed_send, self.app)
        for cached, partitions in flushing:
            for partition in partitions:
                event = cached.events.get(partition)
                if event is None:  # revoked meanwhile: its new owner re-reads it
                    continue
                token = _current_event.set(weakref.ref(event))
                try:
                    cache = cached.cache
                    if self.app.producer.started:  # one batch, not one Faust table write per key
                        await write_partition(cache.table, partition, cache.to_write(partition, committed), sent)
                        cache.written(partition)
                    else:  # an app in Faust's test context
                        cache.write(partition, committed)
                finally:
                    _current_event.reset(token)

    def committed(self) -> Callable[[str], bool]:
        """Whether a source record ("topic/partition/offset") is below its partition's committed
        offset: no replay, by this worker or the partition's next owner, reads it again."""
        offsets = getattr(self.app.consumer, "_committed_offset", {})  # faust's: tp -> next offset to read

        def is_committed(src: str) -> bool:
            topic, partition, offset = src.rsplit("/", 2)
            floor = offsets.get(TP(topic, int(partition)))
            return floor is not None and int(offset) < floor

        return is_committed

    async def forget_revoked(self, app, revoked, **kwargs) -> None:
        for cached in self.caches:
            mine = {tp.partition for tp in revoked if tp.topic in cached.topics}
            cached.cache.forget(mine)
            for partition in mine:
                cached.events.pop(partition, None)


def counter_updates(counts_topic: str, partitions: int) -> Callable[[int, list[tuple[str, dict]]], list[Output]]:
    """The counts topic's records of a partition's taken counters (without the offsets, which only
    the table needs), on the counts topic's partition of their subject (of `partitions`)."""

    def updates(partition: int, taken: list[tuple[str, dict]]) -> list[Output]:
        out = []
        for key, counter in taken:
            if not key.startswith(COUNTER):
                continue
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
