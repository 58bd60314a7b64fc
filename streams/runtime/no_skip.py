"""Correctness: a Faust consumer that never leaves a record behind at a rebalance.

faust-streaming 0.15.3 loses track of records around rebalances in these ways (each seen here in
the kill -9 and takeover fault tests: an agent that sat still on a partition, articles missing):

1. `Consumer.getmany` takes a batch from aiokafka, whose position is then past it, and drops the
   rest of the batch without seeking back when the consumer generation changes under it (a worker
   joined, left or was killed) or a partition was paused meanwhile (table recovery).
2. When a rebalance begins, a stream *skips* the events it takes from then on (flow control is
   suspended, or the event was fetched in the previous generation) and acknowledges them as if
   processed, "so that the lag does not grow"; the rebalance's own commit then commits past them.
3. A record delivered to an agent's queue can vanish without being acknowledged (the queue is
   cleared when the stream resumes after a rebalance); the committed offset then stays before it
   while later records are processed: the partition looks stalled until a restart.
4. Its commit bookkeeping commits past holes: any jump in a partition's delivered offsets is a
   "gap" counted as done (meant for compaction and transaction markers, but records dropped as in
   1 make jumps too), and the check for a hole at the head of the acknowledged offsets lets a
   one-record hole through and is skipped when nothing was committed yet.
5. A seek does not stop the batch being handed over: its records fetched before the seek go on to
   the agents, and the record loop notes each as read after its hand-over, a seek made meanwhile
   included. Reading then resumes far past the sought offset, and every record the seek was to read
   again is dropped as already read (a restarted worker dropped up to 705 records a partition after
   table recovery's seek to the committed offsets; a watchdog re-read was dropped so, then taken
   for a hole without records, and 148 articles went uncounted).
6. `Consumer.seek` seeks from the worker's event loop, while aiokafka's fetcher runs in the
   consumer's own thread (faust's `AIOKafkaConsumerThread`): the seek deletes the partition's
   fetched records while that thread is iterating over them (aiokafka's `Fetcher.seek_to` against
   `fetched_records`), and the fetcher dies of a `KeyError`; the worker then reads nothing more.
   Seen here once in four runs of the kill -9 fault test, a re-read's seek 3 ms after flow resumed.

`NoSkipConsumer` answers 1 at the end of every batch: each still-assigned partition with records
the batch did not deliver is sought back to the first of them, or to its committed offset if that
is earlier (records delivered since may still be skipped), or to where it began reading the
partition if nothing was committed yet. It answers 2 by not recording an acknowledgement that comes
while flow control is suspended or from an earlier generation: the message counts as done (a
rebalance does not wait for it) but its offset is not committed, so it is read again once the
rebalance has sought every partition back to its committed offset. The app's streams are
`FullAckStream`s, whose acknowledgements all go through `Consumer.ack` (Faust's compiled stream
iterator writes them into the consumer's books itself). It answers 4 by never committing past a
hole, and 3 and 4 together with a watchdog (`unstick`, run every few seconds by
`watch_for_stalls`): a partition whose records from its committed offset on were neither
acknowledged, nor held by an agent (in its hands or its queue), nor in the batch being delivered,
for `grace` seconds while no rebalance is under way, is sought back to its committed offset; just
after flow resumes (table recovery empties the agents' queues then: `resume_flow`), once it is
found so on two passes in a row. A hole is committed past only on proof that it holds no
records: the re-read has fetched past its end and delivered none of its offsets. A re-read not
fetched yet is waited for; one that delivered records of the hole, lost again since (as in 5), is
made again. It answers 5 by counting every seek of a partition (`seek_count`): a record of a batch
fetched before its partition's latest seek is not handed over (it is fetched again from the sought
offset, in order), and the record loop (streams.runtime.prompt) does not note a record as read when
its partition was sought during its hand-over. It answers 6 by making every seek in the consumer's
thread (`_seek`), as faust already does for table recovery's seeks (`seek_wait`).

Re-reading is safe: every stage is idempotent (streams.dedup).

A send the producer gives up on (an output or a table changelog write) stops the commits and the
worker (`NoSkipConsumer.send_failed`, `FailStopTopic`). `NewsroomApp.before_commit` runs before
every commit (the counters' record cache is written then: streams.counting).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from typing import Any

import faust
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP, AppT
from faust.types.tuples import ack_lock
from mode.utils.futures import notify

from streams.runtime.internal_reads import ReadFailures

log = logging.getLogger("newsroom.consumer")


def first_unread(batch: dict, delivered: dict) -> dict:
    """{tp: offset of its first record in `batch` not delivered} for the tps where some were dropped.

    `batch` maps tp -> records in offset order (each with `.offset`); `delivered` maps tp -> the
    offset of the last record delivered from this batch."""
    unread = {}
    for tp, records in batch.items():
        if not records:
            continue
        last = delivered.get(tp)
        if last is None:
            unread[tp] = records[0].offset
        elif last < records[-1].offset:
            unread[tp] = last + 1
    return unread


def abandoned(
    committed: int | None, position: int | None, acked: list[int], alive: list[int], batch: tuple[int, int] | None
) -> tuple[int, int] | None:
    """The offsets [start, end) of a partition that nobody will ever finish, or None.

    From the committed offset up to the first acknowledged one (or the fetch position when none
    is), every record was taken from Kafka; they are abandoned when no agent holds any of them (in
    its queue or its hands, `alive`) and none is in the batch being delivered."""
    if committed is None or position is None:
        return None
    end = min(acked) if acked else position
    if end <= committed:
        return None
    if any(committed <= offset < end for offset in alive):
        return None
    if batch is not None and batch[0] < end and batch[1] >= committed:
        return None
    return committed, end


@dataclass
class Reread:
    """A range of a partition the watchdog sought back to: [start, end), and whether a record of it
    has been delivered since (so records are there: the range is not a hole without records)."""

    start: int
    end: int
    found: bool = False

    def saw(self, offset: int) -> None:
        if self.start <= offset < self.end:
            self.found = True

    def proves_empty(self, position: int | None) -> bool:
        """Read again through its end (the fetch position is past it) and no record of it delivered."""
        return not self.found and position is not None and position >= self.end


@dataclass
class StallWatch:
    """Which partitions have had the same abandoned range for `grace` seconds (or, with `grace=0`
    given, on two passes in a row: a range that an offset commit under way shows for a moment is gone
    by the next pass)."""

    grace: float
    since: dict = field(default_factory=dict)  # tp -> (range, first seen)

    def due(self, tp: TP, span: tuple[int, int] | None, now: float, grace: float | None = None) -> bool:
        grace = self.grace if grace is None else grace
        if span is None:
            self.since.pop(tp, None)
            return False
        seen = self.since.get(tp)
        if seen is None or seen[0] != span:
            self.since[tp] = (span, now)
            return False
        if now - seen[1] >= grace:
            del self.since[tp]
            return True
        return False


def ack_counts(app: AppT, message: Any) -> bool:
    """Whether an acknowledgement of `message` made now is recorded for the next commit: it was
    fetched in the consumer's current generation and no rebalance is under way. If not, the record
    is read again once the rebalance has sought its partition back (NoSkipConsumer.ack)."""
    generation = message.generation_id
    return (generation is None or generation == app.consumer_generation_id) and app.flow_control.is_active()


class NoSkipConsumer(faust_aiokafka.Consumer):
    """faust's aiokafka consumer, re-reading what a batch dropped or a queue lost (see module doc)."""

    _last_batch: Mapping[TP, list[Any]] | None = None  # tp -> records of the batch being delivered
    reread_records: Counter[str]  # records sought back to over the worker's life, by cause (/metrics)
    unrecorded_acks = 0  # acknowledgements left uncommitted because a rebalance was under way
    stall_watch: StallWatch | None = None
    send_failure: BaseException | None = None  # the first output the producer failed to send

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._rereads: dict[TP, Reread] = {}  # tp -> the range the watchdog last sought it back to
        self.reread_records = Counter()
        self._seeks: Counter[TP] = Counter()  # tp -> times it was sought (`seek_count`)
        self._batch_seeks: dict[TP, int] = {}  # tp -> its seeks when the batch being delivered came
        self._queues_emptied = False  # flow control resumed since the watchdog's last pass (`resume_flow`)
        self._after_resume_until = 0.0  # until then (monotonic), a range seen on two passes in a row is due
        self._start_offsets: dict = {}  # tp -> first offset fetched while nothing was committed
        self.read_failures = ReadFailures()

    async def _add_gap(self, tp: TP, offset_from: int, offset_to: int) -> None:
        """Replaces faust `Consumer._add_gap`, which counts the offsets between two delivered records
        as done. They are done only if no record is there (compaction, transaction markers): records
        a batch dropped are there too, and counting them done loses them. So nothing is counted done
        here; the watchdog re-reads such a hole, and only when the re-read finds nothing there either
        does it commit past it (see `unstick`)."""

    def ack(self, message: Any) -> bool:
        """Replaces faust `Consumer.ack`, which records every acknowledgement for the next commit,
        those of records its stream skipped at a rebalance included."""
        if ack_counts(self.app, message):
            return super().ack(message)
        # Skipped by its stream at a rebalance (or finished as one began): done with, but left
        # uncommitted, so the rebalance's seek to the committed offsets makes it be read again.
        with ack_lock:
            if message.acked:
                return False
            message.acked = True
            self._unacked_messages.discard(message)
            self.unrecorded_acks += 1
            notify(self._waiting_for_ack)
        return False

    def send_failed(self, exc: BaseException) -> None:
        """A record could not be sent (the producer gave up: NEWSROOM_PRODUCER_TIMEOUT). Nothing
        is committed from now on and the worker stops, so the records since the last commit, the
        one whose output or table write was lost among them, are read again when it restarts."""
        if self.send_failure is None:
            self.send_failure = exc
            log.error(
                "a record could not be sent (%r): stopping without committing further; "
                "the records since the last commit are read again on restart",
                exc,
            )
            asyncio.ensure_future(self.app.crash(exc))

    async def _commit_offsets(self, offsets: Any, start_new_transaction: bool = True) -> bool:
        """Wraps faust `Consumer._commit_offsets`: runs the app's `before_commit` callables first, and
        commits nothing once a send failed (faust commits regardless)."""
        if self.send_failure is not None:
            return False
        for before in getattr(self.app, "before_commit", ()):  # e.g. the counters' record cache
            await before()
        if self.send_failure is not None:
            return False
        return await super()._commit_offsets(offsets, start_new_transaction=start_new_transaction)

    def committed_offset(self, tp: TP) -> int | None:
        """tp's committed offset (the next record to read) as this consumer last committed or found it
        at its assignment, or None: no record before it is read again, here or by its next owner."""
        return self._committed_offset.get(tp)

    def _floor(self, tp: TP) -> int | None:
        """The first offset of tp not yet done: its committed offset, or where this consumer began
        reading it when nothing was committed yet."""
        committed = self._committed_offset.get(tp)
        return committed if committed is not None else self._start_offsets.get(tp)

    def _new_offset(self, tp: TP) -> int | None:
        """Wraps faust `Consumer._new_offset`, which commits past a hole at the head of the
        acknowledged offsets when nothing was committed yet, or when the hole is one record (its
        check is `min(acked) - committed > 1`, with `committed` the next offset to read): here no
        hole is ever committed past."""
        acked = self._acked[tp]
        floor = self._floor(tp)
        if acked and floor is not None and min(acked) > floor and not self._gap.get(tp):
            return None
        return super()._new_offset(tp)

    def resume_flow(self) -> None:
        """Wraps faust `Consumer.resume_flow`, which table recovery calls right after resuming flow
        control, which empties every agent's queue (problem 3): for one grace from the watchdog's
        next pass, a range it finds abandoned on two passes in a row is re-read, without waiting
        for the whole grace."""
        super().resume_flow()
        self._queues_emptied = True

    def seek_count(self, tp: TP) -> int:
        """How many times tp was sought (by any path) over the consumer's life: a record fetched
        before its partition's latest seek is not to be handed over (problem 5 of the module doc)."""
        return self._seeks[tp]

    async def seek(self, partition: TP, offset: int) -> None:
        """Wraps faust `Consumer.seek` to count the seek (`seek_count`)."""
        await super().seek(partition, offset)
        self._seeks[partition] += 1

    async def _seek(self, partition: TP, offset: int) -> None:
        """Replaces faust `ThreadDelegateConsumer._seek`, which seeks from the worker's event loop
        while the consumer's thread may be handing out the partition's fetched records (problem 6
        of the module doc): the seek is made in that thread, between two of its steps."""
        # mode's call_thread runs a plain function too (maybe_async), as faust's `position` relies on
        await self._thread.call_thread(self._thread.seek, partition, offset)  # type: ignore[arg-type]

    async def perform_seek(self) -> None:
        """Wraps faust `Consumer.perform_seek` (every partition to its committed offset, after a
        rebalance's table recovery) to count the seeks (`seek_count`)."""
        assigned = set(self.assignment())
        await super().perform_seek()
        self._seeks.update(assigned)

    async def seek_wait(self, partitions: Mapping[TP, int]) -> None:
        """Wraps faust `Consumer.seek_wait` (table recovery's changelog seeks) to count the seeks."""
        await super().seek_wait(partitions)
        self._seeks.update(partitions.keys())

    async def _wait_next_records(self, timeout: float) -> Any:
        """Wraps faust `Consumer._wait_next_records` to keep the batch (so `getmany` knows what it
        dropped), each partition's seeks when it came (so `getmany` knows which of its records a seek
        has made stale) and where reading began on partitions with nothing committed."""
        records, active = await super()._wait_next_records(timeout)
        for tp, batch in (records or {}).items():
            if batch and tp not in self._start_offsets and self._committed_offset.get(tp) is None:
                self._start_offsets[tp] = batch[0].offset  # nothing committed: fetching from its start
        self._last_batch = records
        self._batch_seeks = {tp: self._seeks[tp] for tp in records or ()}
        return records, active

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, faust.types.Message]]:
        """Wraps faust `Consumer.getmany`, which drops the rest of a batch at a generation change or
        a pause: what it did not deliver is sought back to (problem 1 of the module doc)."""
        self._last_batch = None
        delivered: dict = {}
        try:
            rereads, seeks = self._rereads, self._seeks
            async for tp, message in super().getmany(timeout):
                if seeks[tp] != self._batch_seeks.get(tp):
                    continue  # fetched before its partition was sought: read again from there
                delivered[tp] = message.offset
                if rereads:
                    reread = rereads.get(tp)
                    if reread is not None:
                        reread.saw(message.offset)
                yield tp, message
            batch = self._last_batch
            if batch:
                for tp, offset in first_unread(batch, delivered).items():
                    if seeks[tp] != self._batch_seeks.get(tp):
                        continue  # sought meanwhile: it reads from there
                    # never past the committed offset: what was delivered since may yet be skipped;
                    # nothing committed yet: from the start, as a new consumer would
                    floor = self._floor(tp)
                    await self._reread(
                        tp,
                        0 if floor is None else min(offset, floor),
                        sum(1 for r in batch[tp] if r.offset >= offset),
                        "batch_dropped",
                        "were dropped from a batch at a rebalance or pause",
                    )
        finally:
            self._last_batch = None

    async def unstick(self, now: float | None = None) -> list[TP]:
        """Seek back the partitions whose uncommitted records were abandoned (see module doc)."""
        app = self.app
        watch = self.stall_watch
        if watch is None or app.rebalancing or app.in_recovery or not self.flow_active:
            return []
        now = time.monotonic() if now is None else now
        if self._queues_emptied:
            self._queues_emptied = False
            self._after_resume_until = now + watch.grace
        after_resume = now < self._after_resume_until
        alive = self._held_offsets()
        delivering = {tp: (rs[0].offset, rs[-1].offset) for tp, rs in (self._last_batch or {}).items() if rs}
        stuck = []
        acking = self.app.topics.acks_enabled_for
        for tp in self.assignment():
            if not acking(tp.topic) or self._is_changelog_tp(tp) or tp in self._paused_partitions:
                continue  # only the agents' topics: changelogs are positioned by table recovery
            span = abandoned(
                self._floor(tp), self._position(tp), self._acked.get(tp) or [], alive.get(tp, []), delivering.get(tp)
            )
            if span is None:
                self._rereads.pop(tp, None)
            if span is None or not watch.due(tp, span, now, grace=0.0 if after_resume else None):
                continue
            reread = self._rereads.get(tp)
            if reread is not None and (reread.start, reread.end) == span:
                if reread.proves_empty(self._position(tp)):
                    # read again through its end and nothing delivered: offsets without records
                    # (transaction markers, compaction), the gap Faust would have filled at once
                    del self._rereads[tp]
                    await super()._add_gap(tp, span[0], span[1] - 1)
                    log.info(
                        "%s[%d]: offsets %d..%d hold no records; committing past them",
                        tp.topic,
                        tp.partition,
                        span[0],
                        span[1] - 1,
                    )
                    continue
                if not reread.found:
                    # not fetched again yet (the worker is behind, or the fetch is slow): the
                    # records may well be there, so wait for the re-read rather than commit past them
                    log.info(
                        "%s[%d]: still waiting to read offsets %d..%d again (fetch position %s)",
                        tp.topic,
                        tp.partition,
                        span[0],
                        span[1] - 1,
                        self._position(tp),
                    )
                    continue
                # records of the range were delivered and lost again: read them again
            self._rereads[tp] = Reread(*span)  # before the seek: what it delivers is seen
            if after_resume:
                cause, why = (
                    "unfinished_at_resume",
                    "were unfinished when flow resumed (Faust empties the agents' queues then)",
                )
            else:
                cause, why = (
                    "abandoned",
                    f"were never finished (uncommitted for {watch.grace:.0f}s, nothing processing them)",
                )
            if await self._reread(tp, span[0], span[1] - span[0], cause, why):
                stuck.append(tp)
            else:  # not sought back: nothing is proved by where the partition stands
                self._rereads.pop(tp, None)
        return stuck

    def _held_offsets(self) -> dict:
        """{tp: offsets} of the records some agent still holds: taken by its stream and not yet
        acknowledged, or waiting in its queue (not yet tracked as unacknowledged)."""
        held: dict = {}
        for message in list(self._unacked_messages):
            if not message.acked:
                held.setdefault(message.tp, []).append(message.offset)
        channels = set()
        tp_index = self.app.topics._tp_index  # type: ignore[attr-defined]  # faust's Conductor has no public view of it
        for subscribed in list(tp_index.values()):
            channels.update(subscribed)
        for channel in channels:
            try:
                waiting = list(channel.queue._queue)  # asyncio.Queue's deque: no public way to peek
            except Exception as exc:  # noqa: BLE001 - any failure here is an internals mismatch, counted
                self.read_failures.failed("agent queue contents", exc)
                continue
            for event in waiting:
                queued = getattr(event, "message", None)
                if queued is not None:
                    held.setdefault(queued.tp, []).append(queued.offset)
        return held

    def _position(self, tp: TP) -> int | None:
        """aiokafka's fetch position of tp, or None when it is not (or no longer) assigned."""
        try:
            consumer = self._thread._consumer
            subscription = consumer._subscription.subscription if consumer is not None else None
            assignment = subscription.assignment if subscription is not None else None
            state = assignment.state_value(tp) if assignment is not None else None
            return state._position if state is not None else None
        except Exception as exc:  # noqa: BLE001 - any failure here is an internals mismatch, counted
            self.read_failures.failed("aiokafka fetch position", exc)
            return None

    async def _reread(self, tp: TP, offset: int, records: int, cause: str, why: str) -> bool:
        """Seek tp back to `offset`, counting its `records` under `cause` (`batch_dropped`,
        `abandoned`, `unfinished_at_resume`) and logging `why`; whether it was sought."""
        if self._is_changelog_tp(tp) or tp not in self.assignment():
            return False  # changelogs are positioned by table recovery; a revoked tp by its new owner
        try:
            await self.seek(tp, offset)
        except Exception:  # a rebalance may have taken it meanwhile; its owner re-reads
            log.warning("could not seek %s back to %d (%d record(s) %s)", tp, offset, records, why, exc_info=True)
            return False
        self.reread_records[cause] += records
        log.warning(
            "re-reading %s[%d] from offset %d: %d record(s) %s; processing is idempotent",
            tp.topic,
            tp.partition,
            offset,
            records,
            why,
        )
        return True


class FullAckStream(faust.Stream):
    """faust.Stream iterated by Faust's pure-Python iterator, which acknowledges through
    `Consumer.ack`. Replaces faust `Stream.__aiter__`, which picks the compiled iterator when
    available: it inlines the consumer's bookkeeping, bypassing NoSkipConsumer.ack."""

    def __aiter__(self) -> Any:
        it = self._py_aiter()
        self._active_agens.add(it)  # type: ignore[arg-type]  # _py_aiter is an async generator
        return it


def report_failed_send(app: AppT, sent: Any) -> None:
    """Done-callback of a send: one the producer gave up on stops the commits and the worker
    (`NoSkipConsumer.send_failed`)."""
    failure = asyncio.CancelledError() if sent.cancelled() else sent.exception()
    if failure is not None and isinstance(app.consumer, NoSkipConsumer):
        app.consumer.send_failed(failure)


class FailStopTopic(faust.Topic):
    """faust.Topic whose failed sends stop the commits and the worker."""

    def _on_published(self, fut: Any, message: Any, producer: Any, state: Any) -> None:
        """Wraps faust `Topic._on_published`, which only logs a send that failed: a table changelog
        write lost so would leave the table behind its changelog while the offsets were committed
        past it."""
        super()._on_published(fut, message=message, producer=producer, state=state)
        report_failed_send(self.app, fut)


def watch_for_stalls(app: faust.App, *, grace: float, interval: float) -> None:
    """Run the consumer's `unstick` every `interval` seconds on this worker."""

    @app.timer(interval=interval)
    async def unstick_partitions() -> None:
        consumer = app.consumer
        if isinstance(consumer, NoSkipConsumer):
            if consumer.stall_watch is None:
                consumer.stall_watch = StallWatch(grace)
            await consumer.unstick()
