"""The Faust application: one agent per stage of `streams.graph.STAGES`, wired to its step.

The stages, their topics and tables are declared in streams.graph (`diagram()` draws them). Every
table is written through a record cache (streams.record_cache, streams.cache_flush): the publish
stage's counters and revision markers once per commit, before the offsets are committed
(`NewsroomApp.before_commit`), its changed counters sent to the counts topic then too
(streams.counting); the dedup tables after each record, before its outputs are sent.

`create_app(settings)` builds a fresh app (tests build several); `newsroom worker` runs one.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
from dataclasses import dataclass, field
from collections.abc import Awaitable, Callable

import faust
from faust.types import StreamT

from streams import counting, dedup, graph, logs, steps, table_memory
from streams.enrich import ministry_names, topic_catalogue
from streams.cleaners import Cleaners
from streams.runtime import NewsroomApp, QueuePeek, ack_counts, report_failed_send, watch_for_stalls
from streams.malloc_tuning import MMAP_THRESHOLD_BYTES, tune_malloc
from streams.record_cache import RecordCache
from streams.settings import Settings, describe
from streams.contract import headers as contract_headers
from streams.cache_flush import CacheFlush, counter_updates
from streams.topology import ensure_topics, topic_specs
from streams.live import spike_rule
from streams.worker_state import mark_clean_shutdown, prepare_data_dir

log = logging.getLogger("newsroom.worker")


@dataclass
class Progress:
    """Events seen and sent per agent, logged every few seconds while they change."""

    counters: dict[str, int] = field(default_factory=dict)
    _last: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + n

    def report(self) -> str | None:
        if self.counters == self._last:
            return None
        self._last = dict(self.counters)
        return " ".join(f"{k}={v}" for k, v in sorted(self.counters.items()))


@dataclass
class Hooks:
    """Where extensions (metrics, windowed counts, the desk feed) observe the pipeline.

    Each list holds plain callables, called inline by the agents; they must be fast and must not
    raise (an exception is logged and swallowed so that an observer never stops the stream).
      on_event(agent_name, event)             a record was taken from an agent's topic
      on_output(output, source_event)         an output was sent (dead letters included)
      on_error(agent_name, exception)         an unexpected error became an internal_error dead letter
    """

    on_event: list[Callable] = field(default_factory=list)
    on_output: list[Callable] = field(default_factory=list)
    on_error: list[Callable] = field(default_factory=list)

    def fire(self, name: str, *args) -> None:
        for callback in getattr(self, name):
            try:
                callback(*args)
            except Exception:  # an observer never stops the stream
                log.exception("hook %s failed in %r", name, callback)


@dataclass
class Newsroom:
    """The app and what the CLI, views, extensions and tests need to reach."""

    app: faust.App
    settings: Settings
    tables: dict  # table name -> Faust table (streams.graph.TABLES)
    counters: counting.Counters  # the publish stage's record cache of counters and revision markers
    progress: Progress
    caches: dict[str, RecordCache] = field(default_factory=dict)  # table name -> its record cache
    hooks: Hooks = field(default_factory=Hooks)
    topics: dict = field(default_factory=dict)  # topic name -> faust Topic, for every topic used so far
    publish: Callable[..., Awaitable[None]] | None = None  # publish(outputs, source_event=None)
    names: dict = field(default_factory=dict)  # "ministry:<id>" / "topic:<id>" -> display name (Korean)
    # topics known to exist. Once the worker has made sure of its topics (run_worker), any other is
    # missing: its outputs become `missing_topic` dead letters, the worker creates no topic at run time.
    # Before (an app built by tests), publish declares any other on first use.
    declared: set = field(default_factory=set)

    flush_caches: Callable[[], Awaitable[None]] | None = None  # what runs before each commit
    cleaners: Cleaners | None = None  # the cleaning processes (NEWSROOM_CLEAN_PROCESSES), if any
    # {"<topic>-<schema>": id} in the schema registry, when NEWSROOM_SCHEMA_REGISTRY_URL is set
    schema_ids: dict[str, int] = field(default_factory=dict)

    def all_time_counts(self) -> dict[str, int]:
        """{"ministry:<id>" | "topic:<id>": articles counted} in this worker's partitions, flushed or
        not (the whole cluster's counts are `newsroom.live.counts`)."""
        counters = self.counters.values()
        return counting.totals(
            (k, v) for k, v in counters.items() if isinstance(k, str) and k.startswith(counting.COUNTER)
        )


# Table changelog writes that may wait in Faust's producer buffer before the agents wait for it.
PRODUCER_BUFFER_MESSAGES = 10_000

# A partition whose uncommitted records nobody holds for this long is re-read from its committed offset.
STALL_GRACE_SECONDS = 10.0

# Faust's RocksDB defaults (3 x 64 MiB write buffers per table partition) keep every write in memory
# for a long run; small buffers flush to disk early. All partitions share one memory budget
# (NEWSROOM_TABLE_MEMORY_MB, streams.table_memory), so the worker's RSS levels off early in a run.
ROCKSDB_OPTIONS = {"write_buffer_size": 4 << 20, "max_write_buffer_number": 2}

# The cleaning processes (NEWSROOM_CLEAN_PROCESSES) tag the enrich stage's articles too (streams.cleaners);
# False: only the pages are cleaned there (bench/_worker_variant.py's tag-here measures the difference).
TAG_IN_CLEANING_PROCESSES = True

# Extensions installed into every app, in order: each module has `install(newsroom) -> None`.
EXTENSIONS: list[str] = ["streams.desk", "streams.live"]


def _credentials(settings: Settings):
    if settings.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_secret,
            mechanism=settings.sasl_mechanism,
            ssl_context=settings.ssl_context() if settings.security_protocol == "SASL_SSL" else None,
        )
    if settings.security_protocol == "SSL":
        return faust.SSLCredentials(settings.ssl_context())
    return None


def new_app(settings: Settings, *, store: str = "rocksdb://") -> NewsroomApp:
    """The Faust app with the worker's broker, producer and consumer options, and no agents yet."""
    app = NewsroomApp(
        settings.app_id,
        broker=[f"kafka://{server}" for server in settings.bootstrap_list],
        broker_credentials=_credentials(settings),
        store=store,
        datadir=str(settings.table_dir),
        autodiscover=False,
        # At-least-once delivery; exactly-once *effects* come from streams.dedup (see README).
        processing_guarantee="at_least_once",
        broker_commit_interval=settings.commit_interval,
        broker_session_timeout=settings.session_timeout,
        broker_heartbeat_interval=min(3.0, settings.session_timeout / 4),
        broker_request_timeout=max(90.0, settings.session_timeout * 1.5),
        producer_acks=-1,
        producer_request_timeout=settings.producer_timeout,
        producer_max_request_size=settings.max_message_bytes,
        consumer_max_fetch_size=settings.max_message_bytes,
        consumer_auto_offset_reset="earliest",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication,
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        table_standby_replicas=settings.standby_replicas,
        # Static membership when set (Kafka KIP-345): Faust's assignor checks that a rejoining member's
        # web URL is the one it had, so such a worker must keep its NEWSROOM_WEB_HOST/PORT (see README).
        consumer_group_instance_id=settings.group_instance_id,
    )
    # Table writes wait in Faust's producer buffer; past 100 of them (its default) every agent stops
    # until 100 are sent, one by one, logging a warning each time: under load, many times a second.
    app.producer.buffer.max_messages = PRODUCER_BUFFER_MESSAGES
    return app


def bytes_topic(app: faust.App, settings: Settings, name: str):
    """A topic of raw bytes keys and values that the app owns: internal=True, so the app creates it
    (idempotently) with our partition count, replication and size limit before it subscribes."""
    return app.topic(
        name,
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.partitions,
        replicas=settings.replication,
        internal=True,
        config={"max.message.bytes": str(settings.max_message_bytes)},
    )


def new_table(app: faust.App, settings: Settings, name: str, help: str, *, store: str = "rocksdb://"):
    """A table with str keys and JSON values (Faust's default serializers for tables); on RocksDB,
    within the worker's one memory budget for tables."""
    on_rocksdb = {
        "store": table_memory.store_url(name),
        "options": {**ROCKSDB_OPTIONS, "memory_budget": settings.table_memory_bytes},
    }
    return app.Table(
        name,
        default=None,
        partitions=settings.partitions,
        key_type=str,
        help=help,
        **(on_rocksdb if store.startswith("rocksdb") else {}),
    )


def create_app(settings: Settings, *, store: str = "rocksdb://") -> Newsroom:
    """A fresh app; `store="memory://"` for agent tests with Faust's test_context (pages are then
    cleaned in the agent's thread, whatever NEWSROOM_CLEAN_PROCESSES says)."""
    app = new_app(settings, store=store)
    t = settings.topics

    def topic(name: str):
        return bytes_topic(app, settings, name)

    def table(name: str):
        return new_table(app, settings, name, graph.TABLES[name], store=store)

    known_topics = {getattr(t, attr): topic(getattr(t, attr)) for attr in graph.TOPICS}
    tables = {name: table(name) for name in graph.TABLES}
    live = settings.live
    counters = counting.Counters(
        tables["published"], lateness=live.lateness_minutes * 60, retention_hours=live.retention_hours
    )
    # the tables of the pipeline's stages, each written through its record cache (streams.record_cache)
    caches: dict[str, RecordCache] = {
        name: RecordCache(tables[name], prune=dedup.forget_committed) for name in ("article_versions", "article_bodies")
    }
    caches["published"] = counters
    progress = Progress()
    newsroom = Newsroom(
        app=app,
        settings=settings,
        tables=tables,
        counters=counters,
        progress=progress,
        caches=caches,
        topics=known_topics,
    )
    if settings.schema_registry_url:  # registered once, before anything is sent (streams.contract.registry)
        from streams.contract.registry import register

        newsroom.schema_ids.update(register(settings))
        log.info("registered %d schema subjects at %s", len(newsroom.schema_ids), settings.schema_registry_url)
    newsroom.names = {f"ministry:{mid}": name for mid, name in ministry_names().items()}
    newsroom.names.update({f"topic:{tp['id']}": tp["label_ko"] for tp in topic_catalogue()})
    hooks = newsroom.hooks
    declared = newsroom.declared

    producer = app.producer
    check_sent = functools.partial(report_failed_send, app)

    default_schemas = {t.counts: "CounterUpdate", t.alerts: "Alert"}  # outputs made outside streams.steps
    schema_ids = newsroom.schema_ids

    async def publish(outputs: list[steps.Output], source_event=None) -> None:
        source_headers = contract_headers.as_pairs(source_event.headers) if source_event is not None else ()
        for out in outputs:
            if source_event is not None:
                out = steps.fit_for_topic(
                    t, out, ref(source_event), source_event.value, source_event.key, settings.max_message_bytes
                )
            if out.topic not in declared and declared and source_event is not None:
                out = steps.missing_topic(t, out, ref(source_event), source_event.value, source_event.key)
            target = known_topics.get(out.topic)
            if target is None:  # a per-ministry or per-topic topic
                target = known_topics[out.topic] = topic(out.topic)
            if out.topic not in declared:  # an app built by tests: output-only topics are created on first use
                await target.maybe_declare()
                declared.add(out.topic)
            headers = contract_headers.outgoing(
                out.headers, source_headers, default_schemas.get(out.topic), topic=out.topic, schema_ids=schema_ids
            )
            if producer.started:  # straight to aiokafka: Faust's send path costs more than the send
                sent = await producer.send(out.topic, out.key, out.value, out.partition, None, list(headers))
                sent.add_done_callback(check_sent)
            else:
                await target.send(key=out.key, value=out.value, partition=out.partition, headers=list(headers))
            progress.add("dead_letters" if out.topic == t.deadletter else "sent")
            if hooks.on_output:
                hooks.fire("on_output", out, source_event)

    newsroom.publish = publish

    def ref(event) -> steps.SourceRef:
        msg = event.message
        return steps.SourceRef(msg.topic, msg.partition, msg.offset)

    flush = CacheFlush(app, lambda outputs: newsroom.publish(outputs))
    writers: dict[str, list[str]] = {}  # table name -> the topics of the stages that write it
    for stage in graph.STAGES:
        for name in stage.tables:
            writers.setdefault(name, []).append(getattr(t, stage.source))
    # The counters and markers are written once per commit. The dedup tables are written through, after
    # each record and before its outputs: their keys are one per article, so once per commit would write
    # as many records, and a crash would lose the writes of up to a commit interval of records whose
    # outputs were sent (a restart re-reads some records after later ones: their decisions could change).
    cached = {
        name: flush.add(
            cache,
            writers[name],
            counter_updates(t.counts, settings.partitions) if cache is counters else None,
            write_through=cache is not counters,
        )
        for name, cache in caches.items()
    }
    newsroom.flush_caches = flush.flush

    # Not in Faust's test context (memory://): its `put` returns before an agent that awaits is done.
    if settings.clean_processes and not store.startswith("memory"):
        processes = newsroom.cleaners = Cleaners(
            settings.clean_processes, settings.max_page_bytes, tag=TAG_IN_CLEANING_PROCESSES
        )

        async def stop_cleaning(app, **kwargs) -> None:
            await processes.stop()

        app.on_before_shutdown.connect(stop_cleaning)

    def stage_agent(stage: graph.Stage) -> None:
        """An agent that maps each record of the stage's topic through its step and publishes the outputs."""
        name, step = stage.name, stage.step
        stage_caches = [cached[n] for n in stage.tables if n in cached]
        ctx = steps.StepContext(
            topics=t,
            tables={n: caches.get(n, tables[n]) for n in stage.tables},
            counters=counters if stage.counts else None,
            note=progress.add,
            max_page_bytes=settings.max_page_bytes,
            spike_rule=spike_rule(settings),
        )
        # The clean stage's pages are cleaned, and the enrich stage's articles tagged, in the cleaning
        # processes, if any: the record in hand and, meanwhile, those queued behind it. The steps' dedup
        # decisions and table writes are made here, as without them.
        cleaners = newsroom.cleaners if step in (steps.clean, steps.enrich_article) else None
        cleaning = step is steps.clean
        peek = QueuePeek()

        def queued_records(stream: StreamT, start: int, stop: int):
            return (((e.message.partition, e.message.offset), e.value, e.key) for e in peek(stream, start, stop))

        async def agent(stream: StreamT) -> None:
            if cleaners is not None:
                await cleaners.start()
            async for event in stream.events():
                progress.add(f"{name}_in")
                if hooks.on_event:
                    hooks.fire("on_event", name, event)
                record = steps.Record(event.value, event.key, ref(event), contract_headers.as_pairs(event.headers))
                if cleaners is not None:
                    msg = event.message
                    queued = functools.partial(queued_records, stream)
                    if cleaning:
                        outcome = await cleaners.clean((msg.partition, msg.offset), event.value, event.key, queued)
                    else:
                        outcome = await cleaners.tag((msg.partition, msg.offset), event.value, queued)
                    if not ack_counts(app, msg):  # a rebalance began meanwhile: read again after it, as Faust's
                        continue  # stream skips such records (its acknowledgement is not committed)
                for table_cache in stage_caches:
                    table_cache.took(event)
                if cleaners is None:
                    outputs = step(ctx, record)
                elif cleaning:
                    outputs = steps.cleaned(ctx, record, outcome)
                else:
                    outputs = steps.tagged(ctx, record, outcome)
                for table_cache in stage_caches:
                    if table_cache.write_through:  # the table's changelog write is sent before the outputs
                        await flush.write_now(table_cache, event)
                if hooks.on_error:
                    for out in outputs:
                        if out.reason == "internal_error":
                            hooks.fire("on_error", name, out.error)
                await newsroom.publish(outputs, event)
                await asyncio.sleep(0)  # one event per turn (sends do not yield: see streams.runtime.prompt)

        agent.__name__ = f"{name}_agent"
        app.agent(known_topics[getattr(t, stage.source)], name=name)(agent)

    for stage in graph.STAGES:
        stage_agent(stage)

    # /counts/..., /healthz, /readyz and /metrics are served by streams.live

    # Re-read a partition whose uncommitted records Faust lost at a rebalance (streams.runtime.no_skip).
    watch_for_stalls(app, grace=STALL_GRACE_SECONDS, interval=2.0)

    @app.timer(interval=10.0)
    async def log_progress() -> None:
        line = progress.report()
        if line:
            log.info("progress: %s", line)

    @app.task
    async def announce() -> None:
        loop = type(asyncio.get_running_loop())
        log.info("newsroom worker starting: %s (event loop %s.%s)", describe(settings), loop.__module__, loop.__name__)

    for module in EXTENSIONS:
        importlib.import_module(module).install(newsroom)
    return newsroom


def app_tables(app: faust.App) -> dict[str, str]:
    """{table name: what it holds} of every table registered on the app, extensions' included."""
    return {name: (table.help or graph.TABLES.get(name, "")) for name, table in app.tables.items()}


def use_event_loop(name: str) -> None:
    """Make `name` (NEWSROOM_EVENT_LOOP) the event loop of every loop created from now on: the worker's,
    and that of Faust's consumer thread. uvloop runs asyncio's callbacks, futures and socket
    transports in C: the same work per record for less CPU (bench/e2e.py)."""
    if name == "uvloop":
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    else:
        asyncio.set_event_loop_policy(None)


def run_worker(settings: Settings) -> None:
    """Run one worker until SIGINT/SIGTERM: a graceful stop commits what is done and marks the
    local tables as clean; after any other end they are rebuilt from their changelogs."""
    if tune_malloc():  # before any thread starts: see streams.malloc_tuning
        log.info("malloc: blocks of %d KiB and more get their own mmap", MMAP_THRESHOLD_BYTES >> 10)
    use_event_loop(settings.event_loop)
    prepare_data_dir(settings.table_dir)
    newsroom = create_app(settings)
    # Create every topic (extensions' table changelogs too) before the consumer group forms.
    specs = topic_specs(settings, tables=app_tables(newsroom.app))
    created, _ = asyncio.run(ensure_topics(settings, specs))
    if created:
        log.info("created %d topic(s) before starting", len(created))
    newsroom.declared.update(spec.name for spec in specs)
    # The worker clears the root handlers when it starts and configures logging from `logging_config`:
    # ours, so NEWSROOM_LOG_FORMAT applies to every line it logs (streams.logs).
    worker = faust.Worker(
        newsroom.app,
        loglevel=settings.log_level.upper(),
        quiet=True,
        logging_config=logs.config(
            settings.log_format, settings.log_level, agents=graph.stage_of_topic(settings.topics)
        ),
    )
    worker.spinner = None  # its terminal spinner writes escape codes into the log at warning level and above
    try:
        worker.execute_from_commandline()
    except SystemExit as exit_:
        if not exit_.code and not worker.crashed and not newsroom.app.crashed:
            mark_clean_shutdown(settings.table_dir)
        raise
