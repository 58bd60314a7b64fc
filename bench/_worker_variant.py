"""The newsroom worker with one experimental change, to measure what a proposed fix would gain
before anyone edits streams/. Run by `bench/e2e.py --variant NAME[,NAME]` in place of
`python -m streams.cli worker`:

  no-extensions   streams.app.EXTENSIONS = []  (no desk, no live: hooks, metrics, windowed counts)
  no-live         EXTENSIONS without streams.live
  no-desk         EXTENSIONS without streams.desk
  linger5         Faust producer_linger = 5 ms (batch produce requests; the default sends at once)
  commit3         broker_commit_interval = 3 s (NEWSROOM_COMMIT_INTERVAL default is 1 s)
  rocksdb-own     every table partition's RocksDB with its own 16 MiB block cache and memtables (Faust's
                  store, as before 2026-12-01) instead of one memory budget for all (streams.table_memory)
  one-arena       glibc's malloc with one arena for all threads (mallopt M_ARENA_MAX = 1, before any
                  thread starts) instead of one per thread that allocates
  malloc-default  glibc's malloc as it comes, without streams.malloc_tuning (the worker fixes its mmap
                  threshold at 128 KiB; glibc raises it as big blocks are freed, and then keeps more free)
  malloc-trim     every 10 s, hand the memory glibc's malloc keeps free back to the system (malloc_trim)
  memstats        memtrace's report without tracemalloc (no traced lines), at the worker's usual speed
  memtrace        trace Python allocations (tracemalloc) and write, every 30 s, the traced total, the
                  RSS, glibc malloc's bytes in use and kept free, and the 25 source lines whose memory
                  grew most since the first report, to
                  memtrace.txt in the worker home (NEWSROOM_HOME; keep it with --keep): where a growing RSS comes from
  gcstats         every 10 s, the garbage collections per generation and their seconds, in the worker log
  clean0, clean1, clean2
                  NEWSROOM_CLEAN_PROCESSES = 0, 1 or 2 (0: pages cleaned in the worker's thread; streams.cleaners)
  tag-here        the cleaning processes clean pages only; the enrich stage's articles are tagged in the
                  worker's thread (streams.app.TAG_IN_CLEANING_PROCESSES = False), as before 2026-12-02 17:00 UTC
  fetch32k        the worker's fetches wait (up to its 20 ms) for 32 KiB instead of returning with any record

The event loop is a setting: `bench/e2e.py --set NEWSROOM_EVENT_LOOP=asyncio`.

Usage:  python bench/_worker_variant.py NAME[,NAME] (environment as for the worker)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


VARIANTS = (
    "no-extensions",
    "no-live",
    "no-desk",
    "linger5",
    "commit3",
    "rocksdb-own",
    "one-arena",
    "malloc-default",
    "malloc-trim",
    "memstats",
    "memtrace",
    "gcstats",
    "fetch32k",
    "clean0",
    "clean1",
    "clean2",
    "tag-here",
)


def trace_memory(out: Path, every: float = 30.0, top: int = 25, *, trace: bool = True) -> None:
    import gc
    import sys
    import threading
    import time
    import tracemalloc

    if trace:
        tracemalloc.start(1)

    def rss_mib() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096 / 2**20

    def malloc_mib() -> str:
        """glibc's view (mallinfo2): bytes in use by malloc's callers, and free but kept."""
        from bench._malloc_stats import malloc_stats

        info = malloc_stats()
        if info is None:
            return "malloc=n/a"
        return (
            f"malloc_in_use={(info.uordblks + info.hblkhd) / 2**20:.0f}MiB "
            f"malloc_free_kept={info.fordblks / 2**20:.0f}MiB"
        )

    def report() -> None:
        first = None
        while True:
            time.sleep(every)
            line = (
                f"t={time.time():.0f} rss={rss_mib():.0f}MiB {malloc_mib()} "
                f"python_blocks={sys.getallocatedblocks()} gc_objects={len(gc.get_objects())}"
            )
            if not trace:
                with out.open("a") as f:
                    f.write(line + "\n")
                continue
            snap = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
            lines = [f"{line} traced={tracemalloc.get_traced_memory()[0] / 2**20:.0f}MiB"]
            if first is None:
                first = snap
            else:
                lines += [f"  {stat}" for stat in snap.compare_to(first, "lineno")[:top]]
            with out.open("a") as f:
                f.write("\n".join(lines) + "\n")

    threading.Thread(target=report, name="memtrace", daemon=True).start()


def gc_stats(every: float = 10.0) -> None:
    """Every `every` seconds, print to stderr (the worker log) the garbage collections per generation so
    far and the seconds they took."""
    import gc
    import threading
    import time

    runs, seconds, started = [0, 0, 0], [0.0, 0.0, 0.0], [0.0]

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            runs[info["generation"]] += 1
            seconds[info["generation"]] += time.perf_counter() - started[0]

    gc.callbacks.append(on_gc)

    def report() -> None:
        while True:
            time.sleep(every)
            print(f"gcstats runs={runs} seconds={[round(x, 2) for x in seconds]}", file=sys.stderr, flush=True)

    threading.Thread(target=report, name="gcstats", daemon=True).start()


def apply(names: list[str]) -> None:
    import streams.app as app_module

    overrides: dict = {}
    for name in names:
        if name == "no-extensions":
            app_module.EXTENSIONS = []
        elif name == "no-live":
            app_module.EXTENSIONS = [m for m in app_module.EXTENSIONS if m != "streams.live"]
        elif name == "no-desk":
            app_module.EXTENSIONS = [m for m in app_module.EXTENSIONS if m != "streams.desk"]
        elif name == "linger5":
            overrides["producer_linger"] = 0.005
        elif name == "commit3":
            overrides["broker_commit_interval"] = 3.0
        elif name == "rocksdb-own":

            def own_table(app, settings, name, help, *, store="rocksdb://"):
                return app.Table(
                    name,
                    default=None,
                    partitions=settings.partitions,
                    key_type=str,
                    help=help,
                    options={**app_module.ROCKSDB_OPTIONS, "block_cache_size": 16 << 20},
                )

            app_module.new_table = own_table
        elif name == "one-arena":
            from streams.malloc_tuning import M_ARENA_MAX, mallopt

            if not mallopt(M_ARENA_MAX, 1):
                raise SystemExit("mallopt(M_ARENA_MAX, 1) failed")
        elif name == "malloc-default":
            app_module.tune_malloc = lambda: False
        elif name == "malloc-trim":
            import threading
            import time

            from streams.malloc_tuning import glibc

            libc = glibc()
            if libc is None:
                raise SystemExit("malloc-trim needs glibc")

            def trim(libc=libc) -> None:
                while True:
                    time.sleep(10.0)
                    libc.malloc_trim(0)

            threading.Thread(target=trim, name="malloc-trim", daemon=True).start()
        elif name == "fetch32k":
            from streams.runtime import prompt

            create = prompt.PromptConsumerThread._create_worker_consumer

            def fetch_more(self, transport, create=create):
                consumer = create(self, transport)
                consumer._fetch_min_bytes = 32 << 10  # the broker holds a fetch (up to 20 ms) for 32 KiB
                return consumer

            prompt.PromptConsumerThread._create_worker_consumer = fetch_more
        elif name in ("clean0", "clean1", "clean2"):
            os.environ["NEWSROOM_CLEAN_PROCESSES"] = name[-1]
        elif name == "tag-here":
            app_module.TAG_IN_CLEANING_PROCESSES = False
        elif name == "gcstats":
            gc_stats()
        elif name in ("memtrace", "memstats"):
            trace_memory(Path(os.environ.get("NEWSROOM_HOME", ".")) / "memtrace.txt", trace=name == "memtrace")
        else:
            raise SystemExit(f"unknown variant {name!r}; known: {', '.join(VARIANTS)}")
    if overrides:

        class AppWithOverrides(app_module.NewsroomApp):
            def __init__(self, *args, **kwargs):
                kwargs.update(overrides)
                super().__init__(*args, **kwargs)

        app_module.NewsroomApp = AppWithOverrides  # streams.app.new_app builds the app from this name


if __name__ == "__main__":
    apply([n for n in sys.argv[1].split(",") if n])
    from streams.cli import main

    raise SystemExit(main(["worker"]))
