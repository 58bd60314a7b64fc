"""Helpers for the feed's tests: the pages of the local news site, a fast fetch policy, and a runner
that writes to lists instead of Kafka (unit tests; the real broker is in tests/integration/test_feed.py)."""

from __future__ import annotations

import sys

from bench._corpora import corpora_dir
from schemas import FetchedURL
from streams.feed.config import parse_config
from streams.feed.fetcher import Fetcher
from streams.feed.memory import FetchMemory
from streams.feed.metrics import FeedMetrics
from streams.feed.runner import FeedRunner
from streams.feed.site import default_pages

FAST = {
    "per_host_concurrency": 2,
    "per_host_delay_seconds": 0.0,
    "timeout_seconds": 0.5,
    "retries": 1,
    "backoff_seconds": 0.01,
    "backoff_max_seconds": 0.05,
    "robots_error_ttl_seconds": 0,
}


def site_pages():
    base = corpora_dir()
    if base is None:
        print("real corpora absent (../shared/corpora): the local site serves tests/fixtures/pages", file=sys.stderr)
    return default_pages(base)


class ListOutput:
    """What the feed sent, in order."""

    def __init__(self) -> None:
        self.articles: list[tuple[bytes, bytes]] = []
        self.records: list[FetchedURL] = []

    async def send_article(self, key: bytes, value: bytes) -> None:
        self.articles.append((key, value))

    async def remember(self, record: FetchedURL) -> None:
        self.records.append(record)


def config_for(sources: list[dict], **fetch) -> object:
    return parse_config({"fetch": {**FAST, **fetch}, "feed": {"metrics_port": None}, "sources": sources})


class Harness:
    """A FeedRunner over the site, with its memory carried from run to run (as the topic would)."""

    def __init__(self, config):
        self.config = config
        self.memory = FetchMemory()
        self.output = ListOutput()
        self.metrics = FeedMetrics()

    async def run(self) -> bool:
        async with Fetcher(self.config.fetch, self.metrics) as fetcher:
            runner = FeedRunner(self.config, fetcher, self.memory, self.output, self.metrics)
            self.runner = runner
            return await runner.run(once=True)

    def restarted(self) -> Harness:
        """A new process: the memory read back from what this one remembered."""
        again = Harness(self.config)
        for record in self.output.records:
            again.memory.apply(record)
        return again
