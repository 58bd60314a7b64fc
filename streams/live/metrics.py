"""Prometheus metrics of one worker, in a registry of its own (tests build several apps).

Counters are fed by the pipeline hooks; consumer lag and table sizes are read when scraped. The
registry also holds the standard process (`process_*`: RSS, CPU, open files), garbage collector
(`python_gc_*`) and platform (`python_info`) collectors, `newsroom_build_info` and the memory limit
the RSS is compared with (deploy/monitoring/ alerts on both).
"""

from __future__ import annotations

import asyncio
import os
import platform
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import orjson

from prometheus_client import (
    CollectorRegistry,
    Counter,
    GCCollector,
    Gauge,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

from streams import table_memory

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
TABLE_SIZE_TTL = 10.0  # seconds a table size is reused: counting a RocksDB table walks its keys


# Where a container's memory limit is: cgroup v2, then v1 (where "no limit" is a huge number).
CGROUP_MEMORY_LIMITS = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def memory_limit_bytes(files=CGROUP_MEMORY_LIMITS) -> int:
    """The memory this process may use: its cgroup's limit (a container's, e.g. the pod's
    `resources.limits.memory`), else the machine's physical memory."""
    machine = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for path in files:
        try:
            raw = Path(path).read_text().strip()
        except OSError:
            continue
        if raw.isdigit() and 0 < int(raw) < machine:
            return int(raw)
    return machine


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


def build_labels(app) -> dict[str, str]:
    """newsroom_build_info's labels: what this worker runs. `kafka_protocol` is the Kafka protocol
    version the clients are told to speak (Faust's broker_api_version; `auto`: negotiated with each
    broker through its ApiVersions answer)."""
    return {
        "version": _version("newsroom-streams"),
        "python": platform.python_version(),
        "faust": _version("faust-streaming"),
        "aiokafka": _version("aiokafka"),
        "kafka_protocol": str(app.conf.broker_api_version),
    }


def add_since_last_scrape(counter: Counter, seen: dict[str, int], totals) -> None:
    """Add to `counter` (one label) what each running total in `totals` gained since `seen`."""
    for label, now in totals.items():
        added = now - seen.get(label, 0)
        if added > 0:
            counter.labels(label).inc(added)
        seen[label] = now


class Metrics:
    def __init__(self, newsroom):
        self.newsroom = newsroom
        from streams.graph import stage_of_topic

        self.stage_of = stage_of_topic(newsroom.settings.topics)  # source topic -> its stage's name
        self.alerts_topic = newsroom.settings.topics.alerts
        self._mentions_seen: dict[str, int] = {}
        self.registry = registry = CollectorRegistry(auto_describe=True)
        self.events_in = Counter(
            "newsroom_events_in", "Records taken from a topic by an agent", ["topic", "agent"], registry=registry
        )
        self.events_out = Counter(
            "newsroom_events_out", "Records sent to a topic (dead letters included)", ["topic"], registry=registry
        )
        self.dead_letters = Counter(
            "newsroom_dead_letters",
            "Dead letters sent, by reason code and stage",
            ["reason", "stage"],
            registry=registry,
        )
        self.errors = Counter(
            "newsroom_agent_errors",
            "Unexpected errors (internal_error dead letters) by agent",
            ["agent"],
            registry=registry,
        )
        self.latency = Histogram(
            "newsroom_processing_latency_seconds",
            "From the source record's Kafka timestamp to the send of its output, by stage",
            ["stage"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.alerts = Counter(
            "newsroom_alerts", "Alerts sent to the alerts topic, by kind", ["kind"], registry=registry
        )
        self.mentions = Counter(
            "newsroom_windowed_mentions",
            "Counted mentions by what the windows did with them",
            ["outcome"],
            registry=registry,
        )
        self.lag = Gauge(
            "newsroom_consumer_lag",
            "Highwater minus committed offset (or position) per partition",
            ["topic", "partition"],
            registry=registry,
        )
        self.table_keys = Gauge(
            "newsroom_table_keys", "Keys in each table on this worker's active partitions", ["table"], registry=registry
        )
        self.table_memory = Gauge(
            "newsroom_table_memory_bytes",
            "Memory the tables' RocksDB holds (block cache and memtables) within NEWSROOM_TABLE_MEMORY_MB",
            registry=registry,
        )
        self.ready = Gauge(
            "newsroom_ready", "1 once table recovery has completed and no rebalance is under way", registry=registry
        )
        self.runtime_read_failures = Counter(
            "newsroom_runtime_read_failures",
            "Failed reads of faust/aiokafka internals by streams.runtime, by what was read (any is a bug)",
            ["what"],
            registry=registry,
        )
        self._read_failures_seen: dict[str, int] = {}
        self.reread_records = Counter(
            "newsroom_consumer_reread_records",
            "Records the consumer sought back to and read again (streams.runtime.no_skip), by cause",
            ["cause"],
            registry=registry,
        )
        self._rereads_seen: dict[str, int] = {}
        # labelled series already looked up, by label values (the hooks below)
        self._events_in: dict[tuple[str, str], Any] = {}
        self._events_out: dict[str, Any] = {}
        self._latency: dict[str, Any] = {}  # source topic -> its stage's latency series
        self._sizes_at = 0.0
        ProcessCollector(registry=registry)
        GCCollector(registry=registry)
        PlatformCollector(registry=registry)
        Info(
            "newsroom_build",
            "What this worker runs: its version and those of Python, Faust, aiokafka and the Kafka protocol setting",
            registry=registry,
        ).info(build_labels(newsroom.app))
        Gauge(
            "newsroom_memory_limit_bytes",
            "Memory this process may use: its cgroup's limit (the container's), "
            "else the machine's; compare process_resident_memory_bytes",
            registry=registry,
        ).set(memory_limit_bytes())
        # Every stage's series from the start, at 0: an alert on increase() sees the first error, and
        # "no input" is a zero rather than no series at all.
        for topic, stage in self.stage_of.items():
            self.events_in.labels(topic, stage)
            self.errors.labels(stage)

    # -- hooks (sync, fast) -------------------------------------------------------------------
    # Called for every record and output: each labelled series is looked up once (`labels` checks
    # and locks on every call) and kept, by its label values.
    def on_event(self, agent: str, event) -> None:
        key = (event.message.topic, agent)
        series = self._events_in.get(key)
        if series is None:
            series = self._events_in[key] = self.events_in.labels(*key)
        series.inc()

    def on_output(self, out, source_event) -> None:
        topic = out.topic
        series = self._events_out.get(topic)
        if series is None:
            series = self._events_out[topic] = self.events_out.labels(topic)
        series.inc()
        if topic == self.alerts_topic:
            self.alerts.labels(orjson.loads(out.value).get("kind", "unknown")).inc()
        if out.reason:
            self.dead_letters.labels(out.reason, out.stage or "unknown").inc()
        if source_event is not None:
            msg = source_event.message
            if msg.timestamp:
                latency = self._latency.get(msg.topic)
                if latency is None:
                    latency = self._latency[msg.topic] = self.latency.labels(self.stage_of.get(msg.topic, msg.topic))
                latency.observe(max(0.0, time.time() - msg.timestamp))

    def on_error(self, agent: str, exc) -> None:
        self.errors.labels(agent).inc()

    # -- read when scraped --------------------------------------------------------------------
    async def refresh(self, ready: bool) -> None:
        self.ready.set(1 if ready else 0)
        self._count_mentions()
        self._count_consumer_totals()
        await self._refresh_lag()
        used = table_memory.usage(self.newsroom.settings.table_memory_bytes)
        if used is not None:
            self.table_memory.set(used)
        now = time.monotonic()
        if now - self._sizes_at >= TABLE_SIZE_TTL:
            self._sizes_at = now
            for name, table in self.newsroom.app.tables.items():
                try:
                    self.table_keys.labels(name).set(len(table))
                except Exception:  # noqa: BLE001 - a table not yet open has no size
                    continue

    def _count_mentions(self) -> None:
        """The counting step notes each outcome (`count_windowed`, `count_late`) in the progress
        counters; the metric takes what was added since the last scrape."""
        progress = self.newsroom.progress.counters
        totals = {outcome: progress.get(f"count_{outcome}", 0) for outcome in ("windowed", "late")}
        add_since_last_scrape(self.mentions, self._mentions_seen, totals)

    def _count_consumer_totals(self) -> None:
        """The consumer keeps running totals of its failed internal reads (streams.runtime.
        internal_reads) and of the records it reads again, by cause (streams.runtime.no_skip); the
        metrics take what was added since the last scrape."""
        consumer = self.newsroom.app.consumer
        failures = getattr(consumer, "read_failures", None)
        if failures is not None:
            add_since_last_scrape(self.runtime_read_failures, self._read_failures_seen, failures.counts)
        rereads = getattr(consumer, "reread_records", None)
        if rereads is not None:
            add_since_last_scrape(self.reread_records, self._rereads_seen, rereads)

    async def _refresh_lag(self) -> None:
        app = self.newsroom.app
        self.lag.clear()
        try:
            consumer = app.consumer
            assignment = consumer.assignment()
        except Exception:  # noqa: BLE001 - not started, or between assignments
            return
        committed = getattr(app.monitor, "tp_committed_offsets", None) or {}
        for tp in sorted(assignment):
            if tp.topic.endswith("-changelog"):
                continue
            highwater = consumer.highwater(tp)
            if highwater is None:
                continue
            offset = committed.get(tp)
            if offset is None:
                try:
                    offset = await asyncio.wait_for(consumer.position(tp), timeout=2.0)
                except Exception:  # noqa: BLE001 - no position yet, or the consumer is busy
                    offset = None
            if offset is not None:
                self.lag.labels(tp.topic, str(tp.partition)).set(max(0, highwater - offset))

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
