"""A batch's library process: trafilatura loaded once, in a process of its own, for the batch's
workers (streams.offline) to send the pages that need it.

`newsroom clean` over many files starts this process first, then loads the cleaner (about 0.3 s,
before its workers fork, on one core). Meanwhile the process loads trafilatura (about 0.2 s) on
the core that would otherwise wait. A worker whose page needs the library (streams/clean/library.py)
sends it the page and waits for its reading. Before it, a worker handed such a page back, and the
batch's process cleaned it again and loaded trafilatura itself while both workers ran. That cost
0.25 s of a 2.4 s batch of the 429 corpus pages (two of which need the library) on this project's
2-core machine (docs/cleaning.md, twentieth session).

Each worker has a pipe of its own to the process (a slot, taken as it starts). Only the library
process holds its ends of those pipes, so if it dies a worker's wait ends at once (end of file).
The worker then hands its pages back as before (`LibraryDeferred`).
"""

from __future__ import annotations

import logging
import signal
from multiprocessing.connection import Connection, wait

from streams import library_reading

log = logging.getLogger(__name__)


class LibraryProcess:
    """The library process of a batch of `workers` workers, started from a fork `context`."""

    def __init__(self, context, workers: int) -> None:
        pairs = [context.Pipe() for _ in range(workers)]
        self._ends = [ours for ours, _ in pairs]  # a worker's end, one per slot
        theirs = [end for _, end in pairs]
        self._process = context.Process(target=_serve, args=(theirs, self._ends), name="newsroom-library", daemon=True)
        self._process.start()
        for end in theirs:  # held by the library process alone: its death is end-of-file to a worker
            end.close()
        self._slots = context.Value("i", 0)

    def worker_start(self) -> None:
        """A pool worker's initializer: take the next slot and ask the library process from now on
        (defer where no slot is left: the pool started more workers than slots)."""
        from streams.clean.library import defer, read_with  # the cleaner is loaded in a worker

        defer()
        with self._slots.get_lock():
            slot = self._slots.value
            self._slots.value += 1
        if slot < len(self._ends):
            read_with(_Asking(self._ends[slot]))

    def stop(self) -> None:
        self._process.terminate()
        self._process.join(5)
        for end in self._ends:
            end.close()


class _Asking:
    """A worker's reader: the page goes to the library process, its reading comes back."""

    def __init__(self, end: Connection) -> None:
        self._end = end

    def __call__(self, html: str, fast: bool) -> str | None:
        from streams.clean.library import LibraryDeferred, read_with

        try:
            self._end.send((html, fast))
            return self._end.recv()
        except (EOFError, OSError):  # the library process is gone: hand this page and the next ones back
            log.warning("the library process is gone: its pages go back to the batch's process")
            read_with(None)
            raise LibraryDeferred from None


def _serve(ends: list[Connection], workers_ends: list[Connection]) -> None:
    """The library process: load trafilatura, then read each page a worker sends, until every
    worker has gone (or the batch's process stops it). Ctrl-C is the batch's process's to handle."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for end in workers_ends:  # inherited from the fork: the workers' ends are theirs alone
        end.close()
    library_reading.load()
    live = list(ends)
    while live:
        for end in wait(live):
            try:
                html, fast = end.recv()
                end.send(library_reading.read(html, fast))
            except (EOFError, OSError):  # that worker has gone
                live.remove(end)
