"""NoSkipConsumer: records Faust drops from a batch, or loses from a queue, at a rebalance are read
again, never skipped.

Faust's own `Consumer.getmany` runs here unchanged; only the Kafka side (the fetch, the seek, the
assignment) is replaced, so the test shows what the worker's consumer does with a real batch when
the consumer generation changes in the middle of it. The fault tests on the real broker
(tests/integration/test_faults.py) show the effect end to end.
"""

from __future__ import annotations

from collections import namedtuple

import pytest

from faust.types import TP
from streams.runtime.no_skip import NoSkipConsumer, StallWatch, abandoned, first_unread
from streams.settings import load_settings

Record = namedtuple(
    "Record",
    "topic partition offset timestamp timestamp_type headers key value checksum "
    "serialized_key_size serialized_value_size",
)


def records(topic: str, partition: int, offsets) -> list[Record]:
    return [Record(topic, partition, o, 0, 0, [], b"k", b"v", None, 1, 1) for o in offsets]


def test_first_unread_is_the_record_after_the_last_delivered():
    a, b, c = TP("t", 0), TP("t", 1), TP("t", 2)
    batch = {a: records("t", 0, range(10, 15)), b: records("t", 1, range(3, 6)), c: records("t", 2, [7])}
    assert first_unread(batch, {a: 12, c: 7}) == {a: 13, b: 3}
    assert first_unread(batch, {a: 14, b: 5, c: 7}) == {}


def kafka_side(consumer, monkeypatch, assigned, *, positions=None, acking=lambda topic: True) -> list:
    """Replace the Kafka side of `consumer` (assignment, positions, which topics ack, seeks); returns
    the list the seeks are recorded in, as (tp, offset)."""
    sought: list = []

    async def seek(partition, offset):
        sought.append((partition, offset))

    monkeypatch.setattr(consumer, "_seek", seek)
    monkeypatch.setattr(consumer, "assignment", lambda: set(assigned))
    monkeypatch.setattr(consumer.app.topics, "acks_enabled_for", acking)
    if positions is not None:
        monkeypatch.setattr(consumer, "_position", positions)
    consumer.stall_watch = StallWatch(grace=10)
    return sought


@pytest.fixture
def consumer(tmp_path):
    from streams.app import create_app

    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_HOME": str(tmp_path)})
    app = create_app(settings, store="memory://").app
    app.finalize()
    consumer = app.consumer
    assert isinstance(consumer, NoSkipConsumer), "the worker's app must use the NoSkipConsumer"
    return consumer


async def test_a_generation_change_mid_batch_seeks_back_to_the_first_dropped_record(consumer, monkeypatch):
    tp = TP("news.enriched", 2)
    batch = {tp: records(tp.topic, tp.partition, range(52, 60))}
    app = consumer.app
    app.consumer_generation_id = 7

    async def fetch(active_partitions, timeout):
        return batch

    sought = kafka_side(consumer, monkeypatch, {tp})
    monkeypatch.setattr(consumer, "_getmany", fetch)
    monkeypatch.setattr(consumer, "highwater", lambda tp: 60)
    consumer._active_partitions = {tp}
    consumer._committed_offset[tp] = 60  # committed ahead of the batch (another worker's work): seek 55

    got = []
    async for _, message in consumer.getmany(timeout=0.1):
        got.append(message.offset)
        if len(got) == 3:
            app.consumer_generation_id = 8  # a rebalance while the batch is being delivered
    assert got == [52, 53, 54], "Faust stops delivering the batch at the generation change"
    assert sought == [(tp, 55)], "the rest of the batch is read again from its first dropped record"
    assert consumer._read_offset[tp] == 55
    assert consumer.reread_records == {"batch_dropped": 5}

    sought.clear()
    del consumer._committed_offset[tp]  # nothing committed yet: 52..54 may still be skipped, so from
    # where this consumer began reading the partition (its first batch began at 52)
    app.consumer_generation_id = 9
    got = []
    async for _, message in consumer.getmany(timeout=0.1):
        got.append(message.offset)
        if len(got) == 3:
            app.consumer_generation_id = 10
    assert sought == [(tp, 52)]


async def test_a_paused_partition_records_are_read_again_and_revoked_ones_left(consumer, monkeypatch):
    paused, revoked, active = TP("news.raw", 0), TP("news.raw", 1), TP("news.raw", 3)
    batch = {
        paused: records("news.raw", 0, [5, 6]),
        revoked: records("news.raw", 1, [9]),
        active: records("news.raw", 3, [1, 2]),
    }

    async def fetch(active_partitions, timeout):
        return batch

    sought = kafka_side(consumer, monkeypatch, {paused, active})
    monkeypatch.setattr(consumer, "_getmany", fetch)
    monkeypatch.setattr(consumer, "highwater", lambda tp: 10)
    consumer._active_partitions = {active}  # `paused` was paused (table recovery) after the fetch
    consumer._committed_offset[paused] = 4  # committed earlier than the batch: never seek past it

    got = [(tp, m.offset) async for tp, m in consumer.getmany(timeout=0.1)]
    assert got == [(active, 1), (active, 2)]
    assert sought == [(paused, 4)]


def test_abandoned_is_the_uncommitted_range_nobody_holds():
    # records 30 and 31 were taken and lost; 32.. were processed and acknowledged
    assert abandoned(30, 560, [32, 33, 34], [], None) == (30, 32)
    # taken from Kafka (position 538) but never delivered, nothing acknowledged
    assert abandoned(52, 538, [], [], None) == (52, 538)
    assert abandoned(30, 560, [30, 31, 32], [], None) is None, "acknowledged, waiting for the next commit"
    assert abandoned(30, 560, [32], [31], None) is None, "31 is still in an agent's queue"
    assert abandoned(52, 538, [], [], (52, 537)) is None, "the batch being delivered holds them"
    assert abandoned(538, 538, [], [], None) is None, "all committed"
    assert abandoned(None, 538, [], [], None) is None


def test_stall_watch_waits_for_the_same_range_for_the_whole_grace():
    watch = StallWatch(grace=10)
    tp = TP("t", 0)
    assert not watch.due(tp, (30, 32), now=0)
    assert not watch.due(tp, (30, 32), now=9)
    assert not watch.due(tp, (30, 33), now=9.5), "a changed range starts the clock again"
    assert not watch.due(tp, None, now=12), "no longer abandoned"
    assert not watch.due(tp, (30, 33), now=13)
    assert watch.due(tp, (30, 33), now=23.5)


async def test_unstick_re_reads_a_partition_whose_head_records_were_lost(consumer, monkeypatch):
    tp, other = TP("news.enriched", 3), TP("news.enriched", 1)
    sought = kafka_side(
        consumer,
        monkeypatch,
        {tp, other, TP("app-__assignor-__leader", 0)},
        positions=lambda p: {tp: 560, other: 613}.get(p, 9),
        acking=lambda topic: topic == "news.enriched",
    )
    consumer._committed_offset.update({tp: 30, other: 613})
    consumer._acked[tp] = list(range(32, 560))
    assert await consumer.unstick(now=100.0) == []
    assert await consumer.unstick(now=105.0) == []
    consumer.app.rebalancing = True
    assert await consumer.unstick(now=200.0) == [], "never during a rebalance"
    consumer.app.rebalancing = False
    assert await consumer.unstick(now=210.0) == [tp]
    assert sought == [(tp, 30)], "sought back to the committed offset; the healthy partition left alone"
    assert consumer._read_offset[tp] == 30


async def test_an_ack_during_a_rebalance_is_not_committed_so_the_record_is_read_again(consumer, monkeypatch):
    from faust.types.tuples import ConsumerMessage

    tp = TP("news.enriched", 0)
    app = consumer.app
    monkeypatch.setattr(app.topics, "acks_enabled_for", lambda topic: True)
    app.consumer_generation_id = 1
    app.flow_control.resume()

    def message(offset: int) -> ConsumerMessage:
        m = ConsumerMessage(tp.topic, tp.partition, offset, 0.0, 0, [], b"k", b"v", None, 1, 1, tp=tp, generation_id=1)
        consumer._unacked_messages.add(m)
        return m

    processed, skipped, late = message(0), message(1), message(2)
    assert consumer.ack(processed) is True
    app.flow_control.suspend()  # a rebalance begins: the stream skips what it takes now and acks it
    assert consumer.ack(skipped) is False
    app.flow_control.resume()
    app.consumer_generation_id = 2  # a message fetched in the previous generation
    assert consumer.ack(late) is False
    assert skipped.acked and late.acked, "done with: a rebalance does not wait for them"
    assert not consumer._unacked_messages
    assert consumer._acked[tp] == [0], "only the processed offset may be committed"
    assert consumer._new_offset(tp) == 1, "the commit stops before the skipped record"
    assert consumer.unrecorded_acks == 2


def test_agent_streams_ack_through_the_consumer(consumer):
    """Faust's compiled stream iterator writes acks into the consumer's books itself; the app's
    streams use the pure-Python one, whose acks (skipped events' included) reach NoSkipConsumer.ack."""
    from streams.runtime.no_skip import FullAckStream

    app = consumer.app
    stream = app.stream(app.channel())
    assert isinstance(stream, FullAckStream)
    iterator = stream.__aiter__()
    try:
        assert iterator.ag_code.co_name == "_py_aiter"
    finally:
        iterator.aclose().close()  # never started: nothing to clean up


async def test_a_jump_in_offsets_is_committed_past_only_when_a_re_read_finds_nothing_there(consumer, monkeypatch):
    tp = TP("news.raw", 1)
    sought = kafka_side(consumer, monkeypatch, {tp}, positions=lambda p: 40)
    consumer._committed_offset[tp] = 24
    await consumer._add_gap(tp, 24, 36)  # Faust saw offset 36 right after 23
    assert not consumer._gap[tp], "not counted done: records 24..35 may be there"
    consumer._acked[tp] = list(range(36, 40))
    assert consumer._new_offset(tp) is None, "the commit waits at the hole"
    consumer._acked[tp] = list(range(36, 40))
    await consumer.unstick(now=0.0)
    assert await consumer.unstick(now=11.0) == [tp] and sought == [(tp, 24)], "first: read them again"
    # the re-read delivered nothing below 36 (no records there): the hole is the same
    await consumer.unstick(now=12.0)
    assert await consumer.unstick(now=23.0) == [] and sought == [(tp, 24)]
    assert consumer._new_offset(tp) == 40, "then committed past, as Faust would have at once"


async def test_a_re_read_the_worker_has_not_got_to_yet_is_waited_for_never_committed_past(consumer, monkeypatch):
    """A re-read not fetched yet (the worker behind, the agents' queues full) leaves the hole as it
    was. It must not be taken for a hole without records; nor must one whose records came and were
    lost again (as a seek undone by the record loop lost them: 148 articles went uncounted so in the
    fault test)."""
    tp = TP("news.unique", 0)
    position = {tp: 562}
    sought = kafka_side(consumer, monkeypatch, {tp}, positions=position.get)
    consumer._committed_offset[tp] = 414
    consumer._acked[tp] = list(range(562, 600))
    await consumer.unstick(now=0.0)
    assert await consumer.unstick(now=11.0) == [tp] and sought == [(tp, 414)]
    position[tp] = 414  # sought back; the fetch has not got there yet: the worker is busy
    await consumer.unstick(now=12.0)
    assert await consumer.unstick(now=23.0) == [] and sought == [(tp, 414)], "no second seek: it is coming"
    assert consumer._new_offset(tp) is None, "not committed past: records 414..561 are there"

    batch = {tp: records(tp.topic, tp.partition, range(414, 420))}

    async def fetch(active_partitions, timeout):
        position[tp] = 420
        return batch

    monkeypatch.setattr(consumer, "_getmany", fetch)
    monkeypatch.setattr(consumer, "highwater", lambda tp: 600)
    consumer._active_partitions = {tp}
    got = [m.offset async for _, m in consumer.getmany(timeout=0.1)]
    assert got == list(range(414, 420))
    # the records came and were lost again before being acknowledged (a queue cleared): once past
    # the range, the same hole is read again, never committed past
    position[tp] = 562
    await consumer.unstick(now=30.0)
    assert await consumer.unstick(now=41.0) == [tp] and sought == [(tp, 414), (tp, 414)]
    assert consumer._new_offset(tp) is None


async def test_records_waiting_in_an_agent_queue_are_not_abandoned(consumer, monkeypatch):
    from faust.types.tuples import ConsumerMessage

    tp = TP("news.enriched", 0)
    sought = kafka_side(consumer, monkeypatch, {tp}, positions=lambda p: 12)
    consumer._committed_offset[tp] = 10
    channel = consumer.app.channel()
    message = ConsumerMessage(tp.topic, 0, 10, 0.0, 0, [], b"k", b"v", None, 1, 1, tp=tp, generation_id=None)
    channel.queue.put_nowait(await channel.decode(message))  # queued behind a slow agent, not yet taken
    consumer.app.topics._tp_index[tp].add(channel)
    await consumer.unstick(now=0.0)
    assert await consumer.unstick(now=30.0) == [] and sought == []


def test_a_hole_at_the_head_is_never_committed_past(consumer):
    tp, fresh = TP("news.enriched", 1), TP("news.enriched", 2)
    consumer._committed_offset[tp] = 30
    consumer._acked[tp] = [31, 32, 33]  # record 30 was skipped; Faust's own check lets one pass
    assert consumer._new_offset(tp) is None
    consumer._acked[tp] = [30, 31, 32, 33]
    assert consumer._new_offset(tp) == 34
    # nothing committed yet: the floor is where this consumer began reading the partition
    consumer._start_offsets[fresh] = 0
    consumer._acked[fresh] = [4, 5, 6]  # 0..3 skipped at a rebalance
    assert consumer._new_offset(fresh) is None
    consumer._acked[fresh] = [0, 1, 2, 3, 4, 5, 6]
    assert consumer._new_offset(fresh) == 7


async def test_records_a_seek_made_stale_are_not_handed_over(consumer, monkeypatch):
    """A seek of a partition while its batch is being handed over (the watchdog's re-read, a
    rebalance's seek to the committed offsets) makes the rest of its records in that batch stale:
    they are fetched again from the sought offset, in order, and the other partitions go on."""
    sought_tp, other = TP("news.unique", 0), TP("news.unique", 1)
    batch = {sought_tp: records(sought_tp.topic, 0, range(600, 606)), other: records(other.topic, 1, range(10, 14))}

    async def fetch(active_partitions, timeout):
        return batch

    sought = kafka_side(consumer, monkeypatch, {sought_tp, other})
    monkeypatch.setattr(consumer, "_getmany", fetch)
    monkeypatch.setattr(consumer, "highwater", lambda tp: 700)
    consumer._active_partitions = {sought_tp, other}
    consumer._committed_offset.update({sought_tp: 442, other: 10})
    got = []
    async for tp, message in consumer.getmany(timeout=0.1):
        got.append((tp.partition, message.offset))
        if (tp, message.offset) == (sought_tp, 601):
            await consumer.seek(sought_tp, 442)  # the watchdog re-reads 442.. meanwhile
    assert [o for p, o in got if p == 0] == [600, 601], "none of 602..605: they come again after 442..601"
    assert [o for p, o in got if p == 1] == [10, 11, 12, 13]
    assert sought == [(sought_tp, 442)], "no second seek for the records left out: the first stands"
    assert consumer._read_offset[sought_tp] == 442


async def test_a_seek_during_a_hand_over_is_not_undone_by_it(consumer, monkeypatch):
    """The record loop notes each record it handed over as read, so that an earlier offset is not
    handed over twice. A seek made while a record waits for room in an agent's queue must stand:
    noting that record as read afterwards would drop every record the seek reads again (before
    this, a restarted worker dropped up to 705 records a partition)."""
    import asyncio

    tp = TP("news.raw", 2)
    batches = [{tp: records(tp.topic, 2, [1323])}, {tp: records(tp.topic, 2, range(618, 622))}]

    async def fetch(active_partitions, timeout):
        return batches.pop(0) if batches else {}

    sought = kafka_side(consumer, monkeypatch, {tp})
    monkeypatch.setattr(consumer, "_getmany", fetch)
    monkeypatch.setattr(consumer, "highwater", lambda tp: 2000)
    monkeypatch.setattr(consumer, "_deliverable", lambda tp: True)
    consumer._active_partitions = {tp}
    consumer._committed_offset[tp] = 618
    handed = []
    fetcher = type("Fetcher", (), {"_stopped": asyncio.Event()})()

    async def callback(message):
        handed.append(message.offset)
        if message.offset == 1323:  # its hand-over waits; meanwhile a seek to the committed offset
            await consumer.seek(tp, 618)
        if len(handed) == 5:
            consumer._stopped.set()

    monkeypatch.setattr(consumer, "callback", callback)
    await asyncio.wait_for(consumer._drain_messages(fetcher), timeout=10)
    assert sought == [(tp, 618)]
    assert handed == [1323, 618, 619, 620, 621], "the records read again after the seek are handed over"


async def test_records_emptied_from_the_queues_when_flow_resumes_are_read_again_at_once(consumer, monkeypatch):
    """Table recovery seeks to the committed offsets, then resumes flow control, which empties the
    agents' queues of what was fetched meanwhile: those records are read again on the watchdog's next
    pass, not after its 10 s grace (a restarted worker sat idle on such partitions for 12 s)."""
    tp, healthy = TP("news.raw", 0), TP("news.raw", 1)
    sought = kafka_side(consumer, monkeypatch, {tp, healthy}, positions={tp: 1209, healthy: 40}.get)
    consumer._committed_offset.update({tp: 614, healthy: 40})
    consumer.app.flow_control.resume()
    consumer.resume_flow()
    assert await consumer.unstick(now=0.0) == [], "seen once: it may be a commit under way"
    assert await consumer.unstick(now=2.0) == [tp] and sought == [(tp, 614)], "seen twice in a row"
    consumer._committed_offset[tp] = 650  # part done; the rest lost again: the grace applies again
    assert await consumer.unstick(now=12.0) == [] and await consumer.unstick(now=14.0) == []
    assert await consumer.unstick(now=24.5) == [tp] and sought == [(tp, 614), (tp, 650)]


async def test_a_range_an_offset_commit_shows_for_a_moment_is_not_read_again(consumer, monkeypatch):
    """While an offset commit is under way, the acknowledged offsets are taken out of the books
    before the committed offset moves: for a moment the range between looks abandoned. Right after
    flow resumes, the watchdog re-reads a range only when the next pass finds it still so."""
    tp = TP("news.enriched", 0)
    sought = kafka_side(consumer, monkeypatch, {tp}, positions=lambda p: 31)
    consumer._committed_offset[tp] = 1
    consumer.app.flow_control.resume()
    consumer.resume_flow()
    assert await consumer.unstick(now=0.0) == []  # offsets 1..30 acknowledged, their commit under way
    consumer._committed_offset[tp] = 31  # committed
    assert await consumer.unstick(now=2.0) == [] and sought == []


async def test_a_seek_is_made_in_the_consumers_thread_not_the_workers_loop(consumer, monkeypatch):
    """aiokafka's fetcher hands out fetched records in the consumer's own thread, and a seek drops
    the partition's fetched records: made from the worker's event loop, it raced that thread, whose
    fetcher died of a KeyError (the worker then read nothing more; once in four kill -9 fault runs).
    Every seek, the watchdog's and a dropped batch's re-reads included, goes through the thread's
    queue of calls. The thread here is a plain one standing in for faust's consumer thread."""
    import asyncio
    import threading

    tp = TP("news.raw", 3)
    seeks_in: list = []
    through_queue: list = []
    thread = consumer._thread

    async def call_thread(fun, *args):
        through_queue.append(fun)
        return await asyncio.to_thread(fun, *args)

    monkeypatch.setattr(
        thread, "seek", lambda partition, offset: seeks_in.append((threading.get_ident(), partition, offset))
    )
    monkeypatch.setattr(thread, "call_thread", call_thread)
    await consumer.seek(tp, 618)
    assert [(p, o) for _, p, o in seeks_in] == [(tp, 618)]
    assert seeks_in[0][0] != threading.get_ident(), "the seek ran on the worker's event loop"
    assert through_queue, "the seek bypassed the consumer thread's queue of calls"
    assert consumer.seek_count(tp) == 1 and consumer._read_offset[tp] == 618
