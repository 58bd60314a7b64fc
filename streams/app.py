"""The Faust application: topics, tables, agents and web views wired to the pure steps.

    news.raw --clean--> news.cleaned --enrich--> news.enriched --fan-out--> news.ministry.<id>
                                                                          news.topic.<id>
                                                                          news.counts --count--> tables
    any failure --> news.deadletter

`create_app(settings)` builds a fresh app (tests build several); `newsroom worker` runs one.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Awaitable, Callable

import faust
from faust.types import StreamT

from streams import steps
from streams.enrich import ministry_catalogue
from streams.settings import Settings, describe

log = logging.getLogger("newsroom.worker")


@dataclass
class Progress:
    """Events seen and sent per agent, logged every few seconds while they change."""

    counters: dict[str, int] = field(default_factory=dict)
    _last: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def add(self, name: str, n: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + n

    def report(self) -> str | None:
        if self.counters == self._last:
            return None
        self._last = dict(self.counters)
        return " ".join(f"{k}={v}" for k, v in sorted(self.counters.items()))


@dataclass
class Newsroom:
    """The app and what the CLI, views and tests need to reach."""

    app: faust.App
    settings: Settings
    counts: object
    seen: object
    progress: Progress
    publish: Callable[[list[steps.Output]], Awaitable[None]] | None = None


def _credentials(settings: Settings):
    if settings.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=settings.sasl_username, password=settings.sasl_password,
            mechanism=settings.sasl_mechanism,
            ssl_context=settings.ssl_context() if settings.security_protocol == "SASL_SSL" else None,
        )
    if settings.security_protocol == "SSL":
        return faust.SSLCredentials(settings.ssl_context())
    return None


def create_app(settings: Settings, *, store: str = "rocksdb://") -> Newsroom:
    """A fresh app; `store="memory://"` for agent tests with Faust's test_context."""
    app = faust.App(
        settings.app_id,
        broker=[f"kafka://{server}" for server in settings.bootstrap_list],
        broker_credentials=_credentials(settings),
        store=store,
        datadir=str(settings.data_dir),
        autodiscover=False,
        processing_guarantee="at_least_once",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication,
        producer_max_request_size=settings.max_message_bytes,
        consumer_max_fetch_size=settings.max_message_bytes,
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        table_standby_replicas=0,
    )
    t = settings.topics

    def topic(name: str):
        # internal=True: the app owns these topics and creates them (idempotently) with our
        # partition count and replication before it subscribes; Faust skips missing ones otherwise.
        return app.topic(name, key_type=bytes, value_type=bytes, key_serializer="raw",
                         value_serializer="raw", partitions=settings.partitions,
                         replicas=settings.replication, internal=True)

    raw_topic = topic(t.raw)
    cleaned_topic = topic(t.cleaned)
    enriched_topic = topic(t.enriched)
    deadletter_topic = topic(t.deadletter)
    counts_topic = topic(t.counts)

    # all-time counts keyed "ministry:<id>" / "topic:<id>", and the (subject, article) pairs counted
    counts = app.Table("counts", default=int, partitions=settings.partitions, key_type=str, value_type=int)
    seen = app.Table("counted_articles", default=None, partitions=settings.partitions,
                     key_type=str, value_type=str)

    progress = Progress()
    newsroom = Newsroom(app=app, settings=settings, counts=counts, seen=seen, progress=progress)
    known_topics: dict[str, faust.TopicT] = {
        name: tp for name, tp in ((t.raw, raw_topic), (t.cleaned, cleaned_topic), (t.enriched, enriched_topic),
                                  (t.deadletter, deadletter_topic), (t.counts, counts_topic))
    }

    declared: set[str] = set()

    async def publish(outputs: list[steps.Output]) -> None:
        for out in outputs:
            target = known_topics.get(out.topic)
            if target is None:  # a per-ministry or per-topic topic
                target = known_topics[out.topic] = topic(out.topic)
            if out.topic not in declared:  # output-only topics are created on first use
                await target.maybe_declare()
                declared.add(out.topic)
            await target.send(key=out.key, value=out.value)
            progress.add("dead_letters" if out.topic == t.deadletter else "sent")

    newsroom.publish = publish

    def ref(event) -> steps.SourceRef:
        msg = event.message
        return steps.SourceRef(msg.topic, msg.partition, msg.offset)

    @app.agent(raw_topic, name="clean")
    async def clean_agent(stream: StreamT) -> None:
        async for event in stream.events():
            progress.add("raw_in")
            await newsroom.publish(steps.clean_step(t, event.value, event.key, ref(event),
                                           max_page_bytes=settings.max_page_bytes))

    @app.agent(cleaned_topic, name="enrich")
    async def enrich_agent(stream: StreamT) -> None:
        async for event in stream.events():
            await newsroom.publish(steps.enrich_step(t, event.value, event.key, ref(event)))

    @app.agent(enriched_topic, name="fan_out")
    async def fan_out_agent(stream: StreamT) -> None:
        async for event in stream.events():
            progress.add("enriched")
            await newsroom.publish(steps.fan_out_step(t, event.value, event.key, ref(event)))

    @app.agent(counts_topic, name="count")
    async def count_agent(stream: StreamT) -> None:
        async for event in stream.events():
            mention = steps.Mention.from_bytes(event.value)
            seen_key = f"{mention.key}|{mention.article_id}"
            if seen.get(seen_key) is not None:
                progress.add("count_repeats")
                continue
            seen[seen_key] = mention.fingerprint
            counts[mention.key] += 1
            progress.add("counted")

    names = {m["id"]: m["name_ko"] for m in ministry_catalogue()}

    def ministry_counts() -> dict:
        return {key.split(":", 1)[1]: {"name_ko": names.get(key.split(":", 1)[1], key), "count": int(n)}
                for key, n in sorted(counts.items()) if n and key.startswith("ministry:")}

    @app.page("/counts/ministries")
    async def counts_view(web, request):
        return web.json(ministry_counts())

    @app.page("/healthz")
    async def health_view(web, request):
        return web.json({"status": "ok", "progress": progress.counters})

    @app.timer(interval=10.0)
    async def log_progress() -> None:
        line = progress.report()
        if line:
            log.info("progress: %s", line)

    @app.task
    async def announce() -> None:
        log.info("newsroom worker starting: %s", describe(settings))

    return newsroom


def run_worker(settings: Settings) -> None:
    """Run one worker until SIGINT/SIGTERM (graceful: commits what is done)."""
    newsroom = create_app(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    worker = faust.Worker(newsroom.app, loglevel=settings.log_level.upper(), quiet=True)
    worker.execute_from_commandline()
