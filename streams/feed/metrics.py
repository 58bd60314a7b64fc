"""The feed's own Prometheus metrics, and the small web server that shows them.

| metric | labels | what |
|---|---|---|
| newsroom_feed_fetches_total | kind, status | requests by kind (feed, sitemap, page, robots) and outcome: the HTTP status, or timeout, connection_error, too_large, too_many_redirects |
| newsroom_feed_bytes_total | kind | body bytes read |
| newsroom_feed_retries_total | kind | requests retried after a 429, 5xx, timeout or connection error |
| newsroom_feed_robots_refusals_total | source | URLs not fetched because robots.txt forbids them |
| newsroom_feed_articles_total | source, outcome | sent, unchanged (304 or the same body), duplicate (an id already sent), refused (robots, too large, 4xx), failed (retried next poll) |
| newsroom_feed_lag_seconds | source | histogram: the item's date in its feed or sitemap -> its page sent to news.raw |
| newsroom_feed_polls_total | source, outcome | polls: ok, not_modified, failed |
| newsroom_feed_source_up | source | 1 if the last poll of the source succeeded |
| newsroom_feed_last_poll_timestamp_seconds | source | when the source was last polled with success |
| newsroom_feed_remembered_urls | | URLs in the fetched-URL memory |
"""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

log = logging.getLogger("newsroom.feed")

_LAG_BUCKETS = (10, 30, 60, 120, 300, 600, 1800, 3600, 3 * 3600, 12 * 3600, 86400, 7 * 86400)


class FeedMetrics:
    def __init__(self) -> None:
        self.registry = r = CollectorRegistry(auto_describe=True)
        self.fetches = Counter(
            "newsroom_feed_fetches", "HTTP requests by kind and outcome", ["kind", "status"], registry=r
        )
        self.bytes = Counter("newsroom_feed_bytes", "body bytes read", ["kind"], registry=r)
        self.retries = Counter("newsroom_feed_retries", "requests retried", ["kind"], registry=r)
        self.robots_refusals = Counter(
            "newsroom_feed_robots_refusals", "URLs robots.txt forbids", ["source"], registry=r
        )
        self.articles = Counter("newsroom_feed_articles", "article URLs by outcome", ["source", "outcome"], registry=r)
        self.lag = Histogram(
            "newsroom_feed_lag_seconds",
            "item date in its feed -> page sent",
            ["source"],
            buckets=_LAG_BUCKETS,
            registry=r,
        )
        self.polls = Counter("newsroom_feed_polls", "polls by outcome", ["source", "outcome"], registry=r)
        self.source_up = Gauge("newsroom_feed_source_up", "1 if the last poll succeeded", ["source"], registry=r)
        self.last_poll = Gauge(
            "newsroom_feed_last_poll_timestamp_seconds", "last successful poll", ["source"], registry=r
        )
        self.remembered = Gauge("newsroom_feed_remembered_urls", "URLs in the fetched-URL memory", registry=r)

    def fetched(self, kind: str, status: str | int, nbytes: int = 0) -> None:
        self.fetches.labels(kind, str(status)).inc()
        if nbytes:
            self.bytes.labels(kind).inc(nbytes)

    def value(self, name: str, **labels: str) -> float:
        """A sample's value (0 if absent): for logs and tests."""
        return self.registry.get_sample_value(name, labels) or 0.0

    def total(self, name: str, **match: str) -> float:
        """Sum of a metric's samples whose labels include `match`."""
        total = 0.0
        for metric in self.registry.collect():
            for sample in metric.samples:
                if sample.name == name and all(sample.labels.get(k) == v for k, v in match.items()):
                    total += sample.value
        return total

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


async def serve_metrics(metrics: FeedMetrics, host: str, port: int, health):
    """Start /metrics and /healthz (health() -> dict) on host:port; returns the aiohttp runner."""
    from aiohttp import web

    async def metrics_view(request):
        return web.Response(body=metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def health_view(request):
        return web.json_response(health())

    app = web.Application()
    app.router.add_get("/metrics", metrics_view)
    app.router.add_get("/healthz", health_view)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("feed metrics on http://%s:%d/metrics", host, port)
    return runner
