"""NewsroomApp: faust.App with the correctness fixes (streams.runtime.no_skip) and the speed tweaks
(streams.runtime.prompt) composed, on the versions they were written for (streams.runtime.versions)."""

from __future__ import annotations

from typing import Any
from collections.abc import Awaitable, Callable

import faust
from faust.transport.drivers import aiokafka as faust_aiokafka

from streams.runtime.no_skip import FailStopTopic, FullAckStream, NoSkipConsumer
from streams.runtime.prompt import PromptConsumer, PromptTopic, QuietSensors
from streams.runtime.versions import check_versions


class NewsroomConsumer(PromptConsumer, NoSkipConsumer):
    """The worker's consumer: records handed over promptly, none left behind."""


class NewsroomTopic(PromptTopic, FailStopTopic):
    """The worker's topics: sends without a pass of the event loop; a failed one stops the worker."""


class NewsroomTransport(faust_aiokafka.Transport):
    Consumer = NewsroomConsumer


class NewsroomApp(faust.App):
    """faust.App whose consumer never leaves a record behind and whose records move without needless
    waits. Refuses to start on other faust-streaming/aiokafka versions than pinned."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        check_versions()
        kwargs.setdefault("Stream", FullAckStream)
        kwargs.setdefault("Topic", NewsroomTopic)
        super().__init__(*args, **kwargs)
        self.sensors = QuietSensors(self)  # before any stream, table or consumer binds its calls
        # async callables run before every offset commit, before the producer flush that precedes it:
        # what they send is acknowledged by the brokers before the offsets are committed
        self.before_commit: list[Callable[[], Awaitable[None]]] = []

    def _new_transport(self) -> Any:
        """Replaces faust `App._new_transport`: the transport's consumer is NewsroomConsumer."""
        return NewsroomTransport(self.conf.broker_consumer, self)
