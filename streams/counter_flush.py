"""The counters' record cache written at each commit, in a Faust app (streams.counting is the pure part).

Before every offset commit (`NewsroomApp.before_commit`, ahead of the producer flush that precedes
the commit), for each partition with pending changes:
1. its pending writes are taken aside (`Counters.take`), its changed counters sent to the counts
   topic, keyed `kind:subject|partition`, on the counts topic's partition of their subject, and the
   brokers' acknowledgements awaited (the agents go on meanwhile, into the next flush's pending);
2. then what was taken, counters and markers, is written to their table, so to its changelog, each
   key once (`Counters.write`).
In that order the counts topic is never behind the changelog: after a crash, a counter the
changelog lacks is counted again by the replay and so sent again, and one it holds was sent already.
A Faust table writes to the changelog partition of the current event, so each partition's writes
are made in the context of the latest event the counting agent took from it. What is pending for a
partition the worker loses at a rebalance is dropped: its new owner reads those records again from
the last commit. Flushes run one at a time, so an overlapping commit waits for the writes of the
flush under way, which hold records its offsets cover.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable

import orjson
from faust.streams import _current_event

from streams.counting import Counters, split_counter_key, topic_key
from streams.live.spikes import counts_partition
from streams.steps import Output


class CounterFlush:
    def __init__(
        self,
        app,
        counters: Counters,
        source_topic: str,
        counts_topic: str,
        partitions: int,
        send: Callable[[list[Output]], Awaitable[None]],
    ):
        self.app = app
        self.counters = counters
        self.source_topic = source_topic
        self.counts_topic = counts_topic
        self.partitions = partitions  # of the counts topic
        self.send = send
        self.events: dict[int, object] = {}  # partition -> latest event of the counting agent
        # Faust's commits can overlap (its timer's, the rebalance's, the stop's): a commit must not pass
        # records whose writes another flush has taken and not yet written
        self.lock = asyncio.Lock()
        app.before_commit.append(self.flush)
        app.on_partitions_revoked.connect(self.forget_revoked)

    def took(self, event) -> None:
        """The counting agent took `event`: its partition's writes are made in its context."""
        self.events[event.message.partition] = event

    async def flush(self) -> None:
        async with self.lock:
            await self._flush()

    async def _flush(self) -> None:
        partitions = [p for p in self.counters.dirty() if p in self.events]
        updates = [
            self.update(key, counter, partition)
            for partition in partitions
            for key, counter in self.counters.take(partition)
        ]
        if updates:  # the agents go on meanwhile: their changes are pending for the next flush
            await self.send(updates)
            await self.app.producer.flush()  # acknowledged before the table's own writes are made
            if getattr(self.app.consumer, "send_failure", None) is not None:
                return  # not sent: leave the table behind it, the worker stops (streams.runtime.no_skip)
        for partition in partitions:
            event = self.events.get(partition)
            if event is None:  # revoked meanwhile: its new owner re-reads it
                continue
            token = _current_event.set(weakref.ref(event))
            try:
                self.counters.write(partition)
            finally:
                _current_event.reset(token)

    def update(self, key: str, counter: dict, partition: int) -> Output:
        """The counts topic's record of a counter (without the offsets, which only the table needs)."""
        subject_key, _ = split_counter_key(key)
        return Output(
            self.counts_topic,
            topic_key(subject_key, partition).encode(),
            orjson.dumps({k: v for k, v in counter.items() if k != "new"}),
            partition=counts_partition(subject_key, self.partitions),
        )

    async def forget_revoked(self, app, revoked, **kwargs) -> None:
        mine = {tp.partition for tp in revoked if tp.topic == self.source_topic}
        self.counters.forget(mine)
        for partition in mine:
            self.events.pop(partition, None)
