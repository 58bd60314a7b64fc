"""`newsroom feed`: the process that wires the sources, the fetcher, the memory and Kafka together."""

from __future__ import annotations

import asyncio
import logging
import signal

from .config import FeedConfig
from .fetcher import Fetcher
from .memory import load_memory
from .metrics import FeedMetrics, serve_metrics
from .output import KafkaOutput, ensure_feed_topics
from .runner import FeedRunner

log = logging.getLogger("newsroom.feed")


async def run_feed(
    config: FeedConfig,
    settings,
    *,
    once: bool = False,
    stop: asyncio.Event | None = None,
    metrics: FeedMetrics | None = None,
) -> bool:
    """Run the feed until `stop` (or one poll of each source with once). True if every source was ok."""
    metrics = metrics or FeedMetrics()
    topic = config.feed.memory_topic
    await ensure_feed_topics(settings, topic)
    memory = await load_memory(settings, topic)
    web = None
    async with KafkaOutput(settings, topic) as output, Fetcher(config.fetch, metrics) as fetcher:
        runner = FeedRunner(config, fetcher, memory, output, metrics)
        if config.feed.metrics_port is not None:
            web = await serve_metrics(metrics, config.feed.metrics_host, config.feed.metrics_port, runner.health)
        try:
            return await runner.run(once=once, stop=stop)
        finally:
            if web is not None:
                await web.cleanup()


def main(config: FeedConfig, settings, *, once: bool) -> int:
    """Run in the foreground; SIGINT/SIGTERM finish the polls under way and stop. Exit 1 if a source failed
    (with --once)."""

    async def go() -> bool:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        return await run_feed(config, settings, once=once, stop=stop)

    ok = asyncio.run(go())
    if once and not ok:
        log.warning("feed: at least one source failed (see above); it is polled again at the next run")
    return 0 if ok or not once else 1
