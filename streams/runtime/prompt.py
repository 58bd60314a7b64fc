"""Speed only: three Faust waits removed, each of which made every hop of the pipeline slower than
its work (measured with `make bench`, bench/e2e.py). Nothing here changes which records are
processed or committed; that is streams.runtime.no_skip.

- The consumer hands a batch to the agents' queues without a pass of the event loop per record
  (`PromptConsumer._drain_messages`).
- A send does not yield to the event loop (`PromptTopic._get_producer`).
- The broker holds an empty fetch 20 ms instead of 1.5 s (`PromptConsumerThread`).
- Faust's sensors are not told of every record, event, table read or write and send
  (`QuietSensors`); commits, rebalances and errors still reach them.
"""

from __future__ import annotations

import asyncio
from typing import Any

import faust
from faust.sensors import SensorDelegate
from faust.transport.consumer import CONSUMER_FETCHING
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP

# How long the broker may hold a fetch that finds no new records. Faust hard-codes 1,500 ms. A worker
# has one fetch in flight at a time, and a partition whose records are still being handed to the
# agents is left out of it, so their next records waited for that empty fetch to time out.
FETCH_MAX_WAIT_MS = 20


class PromptConsumerThread(faust_aiokafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> Any:
        """Wraps faust `AIOKafkaConsumerThread._create_worker_consumer`, which leaves aiokafka's
        fetch_max_wait_ms at 1,500 ms with no setting to change it."""
        consumer = super()._create_worker_consumer(transport)
        consumer._fetch_max_wait_ms = FETCH_MAX_WAIT_MS  # passed to its fetcher at start
        return consumer


class PromptConsumer(faust_aiokafka.Consumer):
    """faust's aiokafka consumer, handing records over without a pass of the event loop each."""

    def _new_consumer_thread(self) -> Any:
        """Replaces faust aiokafka `Consumer._new_consumer_thread`: the thread's consumer holds an
        empty fetch briefly (`PromptConsumerThread`)."""
        return PromptConsumerThread(self, loop=self.loop, beacon=self.beacon)

    def _deliverable(self, tp: TP) -> bool:
        """Whether handing a record of tp to its agents' queues would return without waiting: flow
        control is on, the producer buffer is within its limit and every queue of tp has room."""
        app = self.app
        if not app.flow_control.is_active():
            return False
        buffer = app.producer.buffer
        if buffer.size > buffer.max_messages:
            return False
        tp_index = app.topics._tp_index  # type: ignore[attr-defined]  # faust's Conductor has no public view of it
        return not any(channel.queue.full() for channel in tp_index.get(tp, ()))

    async def _drain_messages(self, fetcher: Any) -> None:
        """Faust's record loop (a copy of faust `Consumer._drain_messages`), except that a record
        which can be queued at once is queued at once.

        Faust hands every record over through `wait_first(delivery, suspend_flow.wait())`, so that a
        rebalance can interrupt a delivery waiting for room. That costs two tasks and a pass of the
        event loop per record, and in each pass every agent with work takes a record: the batch is
        processed while it is being handed over, and the next fetch waits until the whole batch has
        been processed, so each hop of a pipeline waited for about two of these cycles. A delivery
        that cannot wait (`_deliverable`) runs directly now, the rest as before. Faust's gap
        bookkeeping (`_add_gap` on a jump in offsets) is left out of the loop: NoSkipConsumer's
        `_add_gap` does nothing, its watchdog handles holes. And a record is not noted as read when
        its partition was sought while it was handed over (NoSkipConsumer.seek_count): Faust's loop
        notes it regardless, undoing the seek (problem 5 of streams.runtime.no_skip)."""
        callback = self.callback
        getmany = self.getmany
        consumer_should_stop = self._stopped.is_set
        fetcher_should_stop = fetcher._stopped.is_set
        get_read_offset = self._read_offset.__getitem__
        set_read_offset = self._read_offset.__setitem__
        set_flag, unset_flag = self.diag.set_flag, self.diag.unset_flag
        deliverable = self._deliverable
        seek_count = self.seek_count  # type: ignore[attr-defined]  # NoSkipConsumer's, composed in NewsroomConsumer
        since_yield = 0
        try:
            while not (consumer_should_stop() or fetcher_should_stop()):
                set_flag(CONSUMER_FETCHING)
                records = getmany(timeout=1.0)
                await self.sleep(0)
                if not self.should_stop:
                    async for tp, message in records:
                        since_yield += 1
                        if since_yield > 100:  # let the agents run between long runs of deliveries
                            await asyncio.sleep(0)
                            since_yield = 0
                        read = get_read_offset(tp)
                        if read is None or message.offset >= read:
                            sought = seek_count(tp)
                            if self._commit_every is not None and self._n_acked >= self._commit_every:
                                self._n_acked = 0
                                await self.commit()
                            if deliverable(tp):
                                await callback(message)
                            else:
                                await self.wait_first(callback(message), self.suspend_flow.wait())
                            if seek_count(tp) == sought:  # a seek meanwhile set where to read from: it stands
                                set_read_offset(tp, message.offset)
                    unset_flag(CONSUMER_FETCHING)
        except self.consumer_stopped_errors:
            if self.transport.app.should_stop:
                self.log.info("Broker stopped consumer, shutting down...")
                return
            raise
        except asyncio.CancelledError:
            if self.transport.app.should_stop:
                self.log.info("Consumer shutting down for user cancel.")
                return
            raise
        except Exception as exc:
            self.log.exception("Drain messages raised: %r", exc)
            raise
        finally:
            unset_flag(CONSUMER_FETCHING)


class PromptTopic(faust.Topic):
    """faust.Topic whose sends do not yield to the event loop."""

    async def _get_producer(self) -> Any:
        """Wraps faust `Topic._get_producer`, which asks `app.maybe_start_producer()` on every send: a
        stampede wrapper that begins with `await asyncio.sleep(0)`, so each record produced, table
        changelog writes included, cost a pass of the event loop. An agent writing six records per
        event got a sixth of the turns of the others, and the changelog writes drained at the loop's
        pace, slower than the agents made them. Once the producer runs, it is taken as it is."""
        producer = self.app.producer
        if producer.started and not self.app.in_transaction:
            return producer
        return await super()._get_producer()


class QuietSensors(SensorDelegate):
    """Faust's sensor delegate without the per-record calls.

    Faust calls every sensor (its Monitor at least) for each record received and acknowledged, each
    event a stream takes and finishes, each table read and write and each send: eight calls and a
    dict per record and hop, for statistics (Monitor's event counts and runtimes) that nothing here
    reads. The worker's own metrics come from its hooks (streams.live.metrics). What is still
    delegated: commits, rebalances, send errors and the rest; the consumer tells the Monitor of each
    commit itself (`app.monitor.on_tp_commit`: the lag metric's committed offsets)."""

    def on_message_in(self, tp: TP, offset: int, message: Any) -> None:
        """Replaces faust `SensorDelegate.on_message_in`: nothing per record."""

    def on_stream_event_in(self, tp: TP, offset: int, stream: Any, event: Any) -> None:
        """Replaces faust `SensorDelegate.on_stream_event_in`: nothing per event (no sensor state)."""
        return None

    def on_stream_event_out(self, tp: TP, offset: int, stream: Any, event: Any, state: Any = None) -> None:
        """Replaces faust `SensorDelegate.on_stream_event_out`: nothing per event."""

    def on_message_out(self, tp: TP, offset: int, message: Any) -> None:
        """Replaces faust `SensorDelegate.on_message_out`: nothing per record."""

    def on_table_get(self, table: Any, key: Any) -> None:
        """Replaces faust `SensorDelegate.on_table_get`: nothing per table read."""

    def on_table_set(self, table: Any, key: Any, value: Any) -> None:
        """Replaces faust `SensorDelegate.on_table_set`: nothing per table write."""

    def on_send_initiated(self, producer: Any, topic: str, message: Any, keysize: int, valsize: int) -> None:
        """Replaces faust `SensorDelegate.on_send_initiated`: nothing per send (no sensor state)."""
        return None

    def on_send_completed(self, producer: Any, state: Any, metadata: Any) -> None:
        """Replaces faust `SensorDelegate.on_send_completed`: nothing per send."""
