"""`newsroom clean` / `newsroom enrich` over files, without Kafka: one JSON line per input, in the
order given, on as many cores as the machine lets this process use.

A batch of pages is cleaned by a pool of processes (forked from this one, so the cleaner's data
files are loaded once); each result comes back as its finished JSON line and the lines are
written in input order. One input, stdin (`-`) or `jobs=1` runs in this process. The pool's
processes never load the library fallback (streams/clean/library.py): the rare page that needs
it is read by the batch's library process (streams/library_process.py), started before the
cleaner loads, or, where that process is gone, handed back and read again here. Either way the
library loads once per batch, not in every process.
"""

from __future__ import annotations

import gc
import importlib
import multiprocessing
import os
from collections.abc import Iterator
from contextlib import contextmanager

from streams.library_process import LibraryProcess

# What a batch loads after its library process has started (which loads the library meanwhile, on
# the other core): the input reader (pydantic's models), the cleaner, and the tagger where it tags.
_LOADED = {
    "clean": ("streams.inputs", "streams.clean"),
    "enrich": ("streams.inputs", "streams.clean", "streams.enrich"),
}

_CHUNK_MAX = 16  # inputs sent to a worker at a time: fewer round trips, still an even spread
# ... and about this many bytes of input (about 90 ms of cleaning). 400 KB (until the twenty-first
# session) sent the 429 default pages (266 KB on average) one a trip, and round trips cost more
# than the longer last chunks leave a core idle: 1.69 s against 1.76 s, medians of five alternated
# runs; trafilatura-eval's 881 pages 2.98 s against 3.05 s (docs/cleaning.md)
_CHUNK_BYTES = 3_200_000


def usable_cores() -> int:
    """The CPUs this process may run on (its affinity, as a container's CPU set limits it)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def one_line(path: str, command: str, max_bytes: int) -> tuple[bool, str | None]:
    """(processed, the JSON line) for one input: its CleanArticle (or EnrichedArticle), or
    `{"path", "error": {"code", "message"}}` where it cannot be processed; (False, None) where the
    page needs the library and this process defers it."""
    from streams.clean import CleanError, clean_event, clean_html
    from streams.clean.library import LibraryDeferred
    from streams.inputs import InputError, read_record

    failures: tuple[type[Exception], ...] = (InputError, CleanError)
    if command == "enrich":  # the tagger's data loads only where it tags
        from streams.enrich import EnrichError, enrich

        failures += (EnrichError,)
    try:
        record = read_record(path)
        if record.envelope is not None:  # the page the envelope wraps, without its JSON round trip
            article = clean_html(**record.envelope, utf8=record.utf8, max_bytes=max_bytes)
        else:
            article = clean_event(record.value, record.key, max_bytes=max_bytes)
        if command == "enrich":
            article = enrich(article)
        return True, article.model_dump_json()
    except LibraryDeferred:
        return False, None
    except failures as err:
        return False, error_line(path, err.code, err.message)


def _chunk_size(paths: list[str], jobs: int) -> int:
    """Inputs per round trip to a worker: at most `_CHUNK_MAX`, a quarter of a worker's share, and
    `_CHUNK_BYTES` of input on average (on large pages the last chunks are short; measured in
    docs/cleaning.md, thirteenth and twenty-first sessions)."""
    total = 0
    for path in paths:
        try:
            total += os.path.getsize(path)
        except OSError:  # stdin, or missing or unreadable: its own line says so
            pass
    by_bytes = _CHUNK_BYTES * len(paths) // total if total else _CHUNK_MAX
    return max(1, min(_CHUNK_MAX, len(paths) // (jobs * 4), by_bytes))


def error_line(path: str, code: str, message: str) -> str:
    import orjson

    return orjson.dumps({"path": path, "error": {"code": code, "message": message}}).decode()


@contextmanager
def loading() -> Iterator[None]:
    """The collector paused while modules and data files load. What they build (about 50,000 objects
    the collector tracks: the cleaner's modules, patterns, profiles and tables) lives as long as the
    process, so its passes meanwhile find no garbage: they cost a `newsroom clean` of one page about
    a ninth of its CPU (0.07 s of 0.65 s, eight alternated runs on this project's 2-core machine)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def lines(paths: list[str], command: str, max_bytes: int, jobs: int | None = None) -> Iterator[tuple[bool, str]]:
    """`one_line` of every path, in order; `jobs` processes (default: the usable cores), one
    where there is one input or stdin is among them."""
    jobs = min(jobs or usable_cores(), len(paths))
    parallel = jobs > 1 and "-" not in paths
    forking = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forking else None)
    # started before the cleaner loads: it loads the library meanwhile, on a core that would wait
    library = LibraryProcess(context, jobs) if parallel and forking else None
    try:
        with loading():
            for module in _LOADED[command]:
                importlib.import_module(module)  # loaded (data files and all) before the fork: each process has it
        gc.freeze()  # what is loaded lives as long as the process: the collector no longer scans it
        if not parallel:
            for path in paths:
                yield one_line(path, command, max_bytes)
            return
        from concurrent.futures import ProcessPoolExecutor

        from streams.clean.library import defer

        chunk = _chunk_size(paths, jobs)
        start = library.worker_start if library is not None else defer
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=start) as pool:
            done = pool.map(one_line, paths, [command] * len(paths), [max_bytes] * len(paths), chunksize=chunk)
            for path, (processed, line) in zip(paths, done):
                if line is None:  # handed back by a worker: read here, where the library then loads
                    processed, line = one_line(path, command, max_bytes)
                yield processed, line
    finally:
        if library is not None:
            library.stop()
