"""In-process benchmark: clean, enrich, clean+enrich and the worker's three steps over the page corpus,
side by side with trafilatura on the same pages, in the same run. No Kafka.

Run:  .venv/bin/python bench/inprocess.py [--seconds 3]

One core, one thread. Each row times every call separately (perf_counter_ns) over rounds of the
whole corpus until --seconds have passed (after one warm-up round that loads data and builds the
matchers). Memory: tracemalloc peak of the Python heap during one call (largest over the corpus,
in a separate pass so that tracing does not slow the timed pass; C allocations of lxml/selectolax are
not traced), and the process RSS growth over the row's timed pass.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import code_state, conditions, corpus_summary, load_corpus, mib, percentile, table

from streams import steps
from streams.clean import CleanError, clean_event
from streams.enrich import enrich
from streams.settings import Topics


def rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


def timed(items, call, seconds: float) -> tuple[list[int], int, float, int]:
    """Per-call nanoseconds over rounds of `items`, calls made, wall seconds, RSS growth."""
    for item in items:  # warm-up round
        call(item)
    gc.collect()
    rss_before = rss()
    times: list[int] = []
    clock = time.perf_counter_ns
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for item in items:
            t0 = clock()
            call(item)
            times.append(clock() - t0)
    wall = time.perf_counter() - started
    return times, len(times), wall, rss() - rss_before


def peak_python_heap(items, call) -> int:
    """Largest tracemalloc peak of one call over the corpus (bytes above what was allocated before)."""
    tracemalloc.start()
    try:
        worst = 0
        for item in items:
            tracemalloc.reset_peak()
            base, _ = tracemalloc.get_traced_memory()
            call(item)
            _, peak = tracemalloc.get_traced_memory()
            worst = max(worst, peak - base)
        return worst
    finally:
        tracemalloc.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds per row (default 3)")
    args = parser.parse_args()

    pages, skipped = load_corpus()
    topics = Topics()
    ref = steps.SourceRef("news.raw", 0, 0)

    def safe_clean(page):
        try:
            return clean_event(page.value, page.key)
        except CleanError:
            return None

    cleaned = [safe_clean(p) for p in pages]
    failed = [p.name for p, c in zip(pages, cleaned) if c is None]
    articles = [c for c in cleaned if c is not None]

    def worker_steps(page) -> None:
        # what the stages of one worker (streams.graph.STAGES, for a record keyed by its id) do to
        # one record, with the JSON in between; the tables are fresh dicts, so every page is new
        from streams.counting import Counters
        from streams.graph import STAGES, TABLES

        ctx = steps.StepContext(
            topics=topics,
            tables={name: {} for name in TABLES},
            counters=Counters({}, lateness=7200, retention_hours=168),
        )
        records = [steps.Record(page.value, page.key, ref)]
        for stage in STAGES:
            if stage.name in ("rekeyed", "spikes"):  # not on this record's way (keyed by id; counts not flushed)
                continue
            outputs = [out for rec in records for out in stage.step(ctx, rec)]
            records = [steps.Record(out.value, out.key, ref) for out in outputs if out.reason is None]
            if not records:
                return

    import trafilatura

    rows_spec = [
        ("clean (clean_event)", pages, lambda p: safe_clean(p), "pages"),
        ("enrich (enrich)", articles, enrich, "cleaned articles"),
        ("clean + enrich", pages, lambda p: (c := safe_clean(p)) is not None and enrich(c), "pages"),
        ("worker steps: clean → enrich → publish (streams.graph), JSON between", pages, worker_steps, "pages"),
        (
            "trafilatura.extract(html, include_comments=False)",
            pages,
            lambda p: trafilatura.extract(p.html, include_comments=False),
            "pages",
        ),
    ]
    print("# In-process throughput (one core, no Kafka)\n")
    print(f"- {conditions()}")
    print(f"- code: {code_state()}")
    print(f"- {corpus_summary(pages, skipped)}")
    if failed:
        print(f"- pages the cleaner rejects (timed anyway, as the worker would meet them): {', '.join(failed)}")
    print(f"- command: `.venv/bin/python bench/inprocess.py --seconds {args.seconds:g}`\n")

    rows = []
    for label, items, call, over in rows_spec:
        times, n, wall, rss_growth = timed(items, call, args.seconds)
        heap = peak_python_heap(items, call)
        rows.append(
            [
                label,
                over,
                n,
                n / wall,
                statistics.median(times) / 1000,
                percentile(times, 99) / 1000,
                heap / 1024,
                mib(rss_growth),
            ]
        )
        print(f"  done: {label}", file=sys.stderr)
    print(
        table(
            [
                "what",
                "over",
                "calls",
                "articles/s",
                "µs/article median",
                "µs/article p99",
                "peak Python heap per call (KiB)",
                "RSS growth (MiB)",
            ],
            rows,
        )
    )
    ours = rows[2][3]
    traf = rows[4][3]
    print(
        f"\nclean + enrich runs at {ours / traf:.2f}× trafilatura's extraction speed on the same pages "
        f"(trafilatura extracts text only: no enrichment, no metadata fields)."
    )
    print(f"\nprocess RSS at the end: {mib(rss()):.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
