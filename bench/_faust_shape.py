"""Baseline (c): the newsroom pipeline's shape in Faust, with no work in it. The cost of the shape.

Run by bench/e2e.py as its own process:
    python bench/_faust_shape.py RAW UNIQUE ENRICHED COUNTS OUT_PREFIX CLEANED_BYTES ENRICHED_BYTES MENTIONS

The worker's app (streams.app.new_app: NewsroomApp, the same options, RocksDB tables with the same
options) with the worker's agents (streams.graph.STAGES, for records keyed by their id), each
sending the Kafka records the real one sends per article, but with no cleaning, parsing, tagging or
dedup decisions:
    clean    RAW      -> UNIQUE                 one record: the first CLEANED_BYTES of the page; one table write
                                                through its record cache, written before the output
                                                (streams.record_cache, streams.cache_flush)
    enrich   UNIQUE   -> ENRICHED               one record, one table write the same way
    publish  ENRICHED -> OUT_PREFIX<subject>    one record per mention; the article counted once per mention
                                                in the worker's own record cache (streams.counting, flushed by
                                                streams.cache_flush at each commit: counters to COUNTS and
                                                the table, then the revision marker)
    spikes   COUNTS   -> one table write per counter record
bench/e2e.py passes the means of the bench corpus through streams.clean and streams.enrich
(`corpus_shape`): bytes of a cleaned and of an enriched article, and mentions (ministries plus
topics) per article; an article gets the whole part of MENTIONS or one more, in proportion to its
fraction. Sends go straight to the producer as the worker's `publish` does, and each agent yields
once per event as the worker's do.
"""

from __future__ import annotations

import asyncio
import functools
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import faust

from streams.app import bytes_topic, new_app, new_table
from streams.cache_flush import CacheFlush, counter_updates
from streams.counting import Counters
from streams.dedup import forget_committed
from streams.record_cache import RecordCache
from streams.runtime import report_failed_send
from streams.graph import TABLES
from streams.malloc_tuning import tune_malloc
from streams.broker.local import with_local_broker
from streams.settings import load_settings

SUBJECTS = [f"s{i:02d}" for i in range(40)]  # output topics OUT_PREFIX<subject>: bench/e2e.py creates them


def corpus_shape(pages) -> tuple[int, int, float]:
    """(bytes of a cleaned article, of an enriched one, mentions per article): means over `pages`,
    [(Page, marks)] as bench/_common.variable_pages gives them."""
    from streams.clean import clean_event
    from streams.enrich import enrich

    cleaned, enriched, mentions = [], [], []
    for n, (page, marks) in enumerate(pages):
        key, value = page.variant(f"shape-{n}", n, marks)
        article = enrich(clean_event(value, key))
        cleaned.append(len(article.model_dump_json(exclude={"ministries", "topics"})))
        enriched.append(len(article.model_dump_json()))
        mentions.append(len(article.ministries) + len(article.topics))
    n = max(1, len(pages))
    return round(sum(cleaned) / n), round(sum(enriched) / n), sum(mentions) / n


def mentions_of(key: bytes, mean: float) -> list[str]:
    """The subjects of one article: int(mean) of them, or one more for that fraction of articles."""
    h = zlib.crc32(key)
    n = int(mean) + (1 if (h % 1000) / 1000 < mean - int(mean) else 0)
    return [SUBJECTS[(h // 7**i) % len(SUBJECTS)] for i in range(n)]


def main(
    raw: str,
    unique: str,
    enriched: str,
    counts_topic: str,
    out_prefix: str,
    cleaned_bytes: str,
    enriched_bytes: str,
    mentions: str,
) -> None:
    cleaned_size, enriched_size, mean_mentions = int(cleaned_bytes), int(enriched_bytes), float(mentions)
    tune_malloc()  # as the worker's run_worker does
    settings = load_settings(with_local_broker())
    app = new_app(settings)
    producer = app.producer
    check_sent = functools.partial(report_failed_send, app)
    versions, bodies, published, spikes = (new_table(app, settings, name, name) for name in TABLES)
    counters = Counters(
        published, lateness=settings.live.lateness_minutes * 60, retention_hours=settings.live.retention_hours
    )

    async def send(topic: str, key: bytes, value: bytes, partition: int | None = None) -> None:
        sent = await producer.send(topic, key, value, partition, None, None)
        sent.add_done_callback(check_sent)

    async def send_outputs(outputs) -> None:
        for out in outputs:
            await send(out.topic, out.key, out.value, out.partition)

    flush = CacheFlush(app, send_outputs)
    counted = flush.add(counters, [enriched], counter_updates(counts_topic, settings.partitions))
    versions_cache = RecordCache(versions, prune=forget_committed)
    bodies_cache = RecordCache(bodies, prune=forget_committed)
    versions_cached = flush.add(versions_cache, [raw], write_through=True)
    bodies_cached = flush.add(bodies_cache, [unique], write_through=True)

    def agent(source: str, name: str, step, written_through=None):
        async def run(stream) -> None:
            async for event in stream.events():
                outputs = step(event)
                if written_through is not None:  # as the worker: the table's write before the outputs
                    await flush.write_now(written_through, event)
                for topic, key, value in outputs:
                    await send(topic, key, value)
                await asyncio.sleep(0)

        run.__name__ = name
        return app.agent(bytes_topic(app, settings, source), name=name)(run)

    def write(table, key: str, value) -> None:
        table.get(key)
        table[key] = value

    def clean(event):
        versions_cached.took(event)
        write(versions_cache.view(event.message.partition), event.key.decode(), {"fp": "0" * 16, "rev": 1, "src": "x"})
        return [(unique, event.key, event.value[:cleaned_size])]

    def enrich(event):
        value = event.value
        bodies_cached.took(event)
        write(
            bodies_cache.view(event.message.partition),
            event.key.decode(),
            {"id": event.key.decode(), "rev": 1, "src": "x"},
        )
        return [(enriched, event.key, (value * (enriched_size // max(1, len(value)) + 1))[:enriched_size])]

    def publish(event):
        counted.took(event)
        msg, key = event.message, event.key
        subjects = mentions_of(key, mean_mentions)
        view = counters.view(msg.partition)
        view.get(f"r|{key.decode()}")
        view[f"r|{key.decode()}"] = {"rev": 1, "src": "x", "subjects": subjects}
        counters.count([f"ministry:{s}" for s in subjects], msg.partition, msg.offset, time.time())
        return [(out_prefix + s, key, event.value) for s in subjects]

    def watch(event):
        write(spikes, event.key.decode().rpartition("|")[0], {"parts": {}, "spike": None})
        return []

    agent(raw, "clean", clean, versions_cached)
    agent(unique, "enrich", enrich, bodies_cached)
    agent(enriched, "publish", publish)
    agent(counts_topic, "spikes", watch)

    settings.table_dir.mkdir(parents=True, exist_ok=True)
    faust.Worker(app, loglevel="INFO", quiet=True).execute_from_commandline()


if __name__ == "__main__":
    main(*sys.argv[1:9])
