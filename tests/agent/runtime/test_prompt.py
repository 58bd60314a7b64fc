"""The worker's records move without needless waits (streams.runtime.prompt: PromptTopic,
PromptConsumer._drain_messages, PromptConsumerThread), and an output the producer gave up on
stops the commits.

Faust's pieces run here unchanged around them; only Kafka is left out. What the waits cost end to
end is measured by `make bench` (bench/e2e.py), not here.
"""

from __future__ import annotations

import asyncio
import functools
from collections import namedtuple

import pytest

from faust.types import TP
from streams.runtime.no_skip import NoSkipConsumer
from streams.runtime.prompt import FETCH_MAX_WAIT_MS
from streams.settings import load_settings

Message = namedtuple("Message", "topic partition offset")


@pytest.fixture
def app(tmp_path):
    from streams.app import create_app

    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_HOME": str(tmp_path)})
    app = create_app(settings, store="memory://").app
    app.finalize()
    assert isinstance(app.consumer, NoSkipConsumer)
    return app


class LoopPasses:
    """Counts the passes of the event loop while it runs (a task that yields in a loop)."""

    def __init__(self):
        self.n = 0
        self._task = asyncio.ensure_future(self._tick())

    async def _tick(self):
        while True:
            await asyncio.sleep(0)
            self.n += 1

    def stop(self):
        self._task.cancel()


async def test_a_send_takes_no_pass_of_the_event_loop(app):
    # Faust's path to the producer (a stampede wrapper) yields once per record sent: an agent that
    # writes six records per event got a sixth of the turns of the others.
    app.producer._started.set()  # as after the worker started it
    topic = app.topic("news.enriched")
    await asyncio.sleep(0)
    passes = LoopPasses()
    await asyncio.sleep(0)
    before = passes.n
    for _ in range(50):
        assert await topic._get_producer() is app.producer
    assert passes.n == before
    passes.stop()


async def drain(consumer, batch: list[Message], delivered: list) -> None:
    """Run the consumer's record loop over one batch, recording each delivery, then stop."""

    class Fetcher:
        _stopped = asyncio.Event()

    async def getmany(timeout):
        for message in batch:
            yield TP(message.topic, message.partition), message
        Fetcher._stopped.set()

    async def deliver(message):
        delivered.append(message.offset)

    consumer.callback = deliver
    consumer.getmany = getmany
    await asyncio.wait_for(consumer._drain_messages(Fetcher()), timeout=10)


async def test_records_with_room_in_their_queues_are_handed_over_without_a_pass_of_the_loop(app):
    # With a pass of the loop per record (Faust's own loop), the agents processed a batch while it
    # was handed over, and the next fetch waited until all of it was processed.
    consumer = app.consumer
    app.flow_control.resume()
    batch = [Message("news.raw", 0, offset) for offset in range(60)]
    delivered: list = []
    passes = LoopPasses()
    await asyncio.sleep(0)
    before = passes.n
    await drain(consumer, batch, delivered)
    assert delivered == list(range(60))
    assert passes.n - before < 15  # a few around the batch, none per record (Faust's loop: 60 or more)
    passes.stop()


async def test_a_delivery_that_would_wait_still_goes_through_the_interruptible_path(app, monkeypatch):
    consumer = app.consumer
    app.flow_control.resume()
    tp = TP("news.raw", 0)
    assert consumer._deliverable(tp)
    waited = []

    async def wait_first(*coros, **kwargs):
        waited.append(len(coros))
        for coro in coros[:1]:
            await coro
        for coro in coros[1:]:
            coro.close()

    monkeypatch.setattr(consumer, "wait_first", wait_first)
    monkeypatch.setattr(app.producer.buffer, "max_messages", -1)  # the producer buffer is over its limit
    assert not consumer._deliverable(tp)
    delivered: list = []
    await drain(consumer, [Message("news.raw", 0, 5)], delivered)
    assert delivered == [5] and waited == [2]


async def test_no_delivery_is_direct_while_flow_control_is_suspended(app):
    consumer = app.consumer
    app.flow_control.resume()
    assert consumer._deliverable(TP("news.raw", 1))
    app.flow_control.suspend()  # a rebalance
    assert not consumer._deliverable(TP("news.raw", 1))


async def test_after_a_failed_send_nothing_is_committed_and_the_worker_stops(app, monkeypatch):
    consumer = app.consumer
    committed, crashed = [], []

    async def commit(offsets):
        committed.append(dict(offsets))
        return True

    async def crash(reason):
        crashed.append(reason)

    monkeypatch.setattr(consumer, "_commit", commit)
    monkeypatch.setattr(consumer, "assignment", lambda: {TP("news.raw", 0)})
    monkeypatch.setattr(app, "crash", crash)
    monkeypatch.setattr(app.producer, "flush", lambda: asyncio.sleep(0))
    assert await consumer._commit_offsets({TP("news.raw", 0): 5})
    failure = TimeoutError("brokers unreachable for 120 s")
    consumer.send_failed(failure)
    assert not await consumer._commit_offsets({TP("news.raw", 0): 9})
    await asyncio.sleep(0)
    assert committed == [{TP("news.raw", 0): 5}]
    assert crashed == [failure]


async def test_a_table_changelog_write_the_producer_gave_up_on_stops_the_commits(app, monkeypatch):
    # Faust only logged such a failure: the table's write was lost while later commits went past it.
    crashed = []

    async def crash(reason):
        crashed.append(reason)

    monkeypatch.setattr(app, "crash", crash)
    changelog = app.tables["published"].changelog_topic
    pending = changelog.as_future_message(key=b"c|ministry:msit|0", value=b"{}")
    sent = asyncio.get_running_loop().create_future()
    sent.add_done_callback(
        functools.partial(changelog._on_published, message=pending, producer=app.producer, state=None)
    )
    failure = TimeoutError("brokers unreachable for 120 s")
    sent.set_exception(failure)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert app.consumer.send_failure is failure
    assert not await app.consumer._commit_offsets({TP("news.enriched", 0): 3})
    assert crashed == [failure]


async def test_the_worker_consumer_holds_an_empty_fetch_briefly(app):
    # Faust hard-codes 1,500 ms; with one fetch in flight, records of a partition left out of it
    # waited for it to time out.
    thread = app.consumer._thread
    kafka_consumer = thread._create_worker_consumer(app.transport)
    assert kafka_consumer._fetch_max_wait_ms == FETCH_MAX_WAIT_MS <= 100


def test_sensors_hear_of_commits_but_not_of_each_record(app):
    """QuietSensors: the Monitor is not called for each record, event, table write or send; the
    consumer still tells it of each commit itself (Faust's Consumer calls app.monitor.on_tp_commit),
    and the lag metric reads the committed offsets from there."""
    from streams.runtime.prompt import QuietSensors

    assert isinstance(app.sensors, QuietSensors)
    app.sensors.add(app.monitor)
    tp = TP("news.raw", 0)
    app.sensors.on_message_in(tp, 43, Message("news.raw", 0, 43))
    assert app.sensors.on_stream_event_in(tp, 43, None, None) is None
    app.sensors.on_table_set(None, "k", "v")
    assert app.monitor.messages_received_total == 0
    assert app.monitor.events_total == 0
