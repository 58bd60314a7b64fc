"""A cleaning process: `python -m streams.cleaning_process MAX_PAGE_BYTES [TAGGER]`, started by
streams.cleaners. It cleans the `clean` stage's pages and tags the `enrich` stage's articles.

It reads requests on stdin and writes what it made of each on stdout, one frame each way per
request: a 4-byte big-endian length, then a pickle. In: `("clean", value, key)` or `("tag", value)`.
Out: `(lane, outcome)`, lane "clean" or "tag": each lane is answered in the order it was asked, and
the articles waiting are answered before the pages waiting. The outcome, for a page: `encode(clean_page(...))`: `("ok", CleanArticle)`,
`("clean_error", code, message, stage)` or `("error", exception)`; for an article: `tag_article(...)`:
`("tagged", *Tagged)` (a plain tuple: this module is `__main__` here), or `("redo", why)` when the enrich step is to do it all again in the worker's thread
(bad input, a tagging error: the step makes the same dead letter as without this process). Before
the first request it writes `("ready",)`, once the cleaner and the tagger are loaded.

TAGGER (`module:name`) is the function the enrich step tags with (`streams.steps.enrich`, named by
streams.cleaners when it starts the process): the process tags with the very function the worker's
step would call, so a replacement of it (tests/erring_worker.py injects failures so) applies here
too. Without it the process tags with `streams.enrich.enrich`.

It exits when stdin closes: when the worker stops, or dies (even by SIGKILL: the worker holds the
only write end of the pipe). SIGINT and SIGTERM are ignored: a Ctrl-C or a signal sent to the
worker's process group stops the worker, which then closes the pipe.
"""

from __future__ import annotations

import gc
import importlib
import os
import pickle
import select
import signal
import struct
import sys
from collections import deque
from collections.abc import Callable
from typing import Any, BinaryIO, NamedTuple

from schemas import CleanArticle, EnrichedArticle
from streams.clean import CleanError, clean_event

HEADER = struct.Struct(">I")
READY = ("ready",)


def frame(obj: Any) -> bytes:
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(body)) + body


def frame_spans(buffer: bytearray):
    """(start, end) of the body of each whole frame in `buffer`, in order (a partial frame at its end
    is left for more bytes): both ends of the pipe read frames so."""
    start = 0
    while len(buffer) - start >= HEADER.size:
        (size,) = HEADER.unpack_from(buffer, start)
        end = start + HEADER.size + size
        if len(buffer) < end:
            return
        yield start + HEADER.size, end
        start = end


def clean_page(value: bytes | None, key: bytes | None, max_bytes: int) -> CleanArticle | Exception:
    """The cleaning itself, pure: the CleanArticle, or what cleaning raised (a CleanError; clean_event
    raises nothing else). The `clean` step's (streams.steps), in the worker or in a cleaning process."""
    try:
        return clean_event(value or b"", key, max_bytes=max_bytes)
    except Exception as exc:  # noqa: BLE001 - nothing may stop the stream
        return exc


def encode(outcome: CleanArticle | Exception) -> tuple:
    """clean_page's outcome as a picklable tuple (CleanError's own pickle does not rebuild it: its
    constructor takes code and message, its args hold one string)."""
    if isinstance(outcome, CleanError):
        return ("clean_error", outcome.code, outcome.message, outcome.stage)
    if isinstance(outcome, Exception):
        try:
            pickle.dumps(outcome)
        except Exception:  # noqa: BLE001 - an exception that does not pickle is sent as its text
            outcome = RuntimeError(f"{type(outcome).__name__}: {outcome}")
        return ("error", outcome)
    return ("ok", outcome)


def decode(encoded: tuple) -> CleanArticle | Exception:
    """The outcome `encode` was given (a CleanError rebuilt with its code, message and stage)."""
    kind = encoded[0]
    if kind == "clean_error":
        _, code, message, stage = encoded
        return CleanError(code, message, stage)
    return encoded[1]


class Tagged(NamedTuple):
    """An article of the enrich stage, tagged in a cleaning process: what the enrich step needs of it
    (the by-body dedup's keys, as the CleanArticle has them; the output's headers) and the
    EnrichedArticle's JSON, byte for byte what the step would make in the worker's thread."""

    id: str
    fingerprint: str
    revision: int
    tag_revision: int
    data_version: str | None
    value: bytes


Tagger = Callable[[CleanArticle], EnrichedArticle]


def tag_article(value: bytes | None, tagger: Tagger) -> tuple:
    """The enrich stage's article (CleanArticle JSON) tagged, `("tagged", *Tagged)` (`tagged` rebuilds
    the Tagged), or `("redo", why)`: the enrich step then
    does it in the worker's thread as it does without a cleaning process (a bad article, an EnrichError
    or a bug become the same dead letters, a bug logged with its traceback there)."""
    try:
        article = CleanArticle.model_validate_json(value or b"")
        enriched = tagger(article)
        return (
            "tagged",
            article.id,
            article.fingerprint,
            article.revision,
            enriched.tag_revision,
            enriched.data_version,
            enriched.model_dump_json().encode(),
        )
    except Exception as exc:  # noqa: BLE001 - the worker's step does it again and decides
        return ("redo", f"{type(exc).__name__}: {exc}")


def tagged(outcome: tuple) -> Tagged | None:
    """tag_article's outcome as the enrich step takes it: the Tagged, or None (do it in the worker's thread)."""
    return Tagged(*outcome[1:]) if outcome[0] == "tagged" else None


def load_tagger(name: str | None) -> Tagger:
    """The function named `module:qualified.name`; `streams.enrich.enrich` when no name is given."""
    if not name:
        from streams.enrich import enrich

        return enrich
    module, _, qualname = name.partition(":")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    return obj


class _Requests:
    """The requests on a pipe: what has come, in frames, read as it comes."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()
        self.closed = False

    def read(self, wait: bool) -> list[tuple]:
        """The requests come since the last call; with `wait`, at least one unless the pipe closed."""
        while not self.closed:
            if wait or select.select([self.fd], [], [], 0)[0]:
                data = os.read(self.fd, 1 << 20)
                if not data:  # the worker closed the pipe, or died
                    self.closed = True
                self.buffer += data
            requests = self._frames()
            if requests or not wait:
                return requests
        return []

    def _frames(self) -> list[tuple]:
        buffer, start, requests = self.buffer, 0, []
        for body, end in frame_spans(buffer):
            requests.append(pickle.loads(memoryview(buffer)[body:end]))
            start = end
        del buffer[:start]
        return requests


def serve(requests_fd: int, outcomes: BinaryIO, max_bytes: int, tagger: Tagger | None = None) -> None:
    """Answer the requests on `requests_fd` until it closes: articles first (an article is further down
    the pipeline than a page, and a few of them are sent at a time), then pages; each lane in order."""
    if tagger is None:
        tagger = load_tagger(None)
    if getattr(tagger, "__module__", None) == "streams.enrich":  # its data loaded before the first article
        from streams.enrich import default_enricher

        default_enricher()
    gc.freeze()  # the data loaded above lives as long as the process: the collector no longer scans it
    outcomes.write(frame(READY))
    outcomes.flush()
    incoming = _Requests(requests_fd)
    articles: deque[tuple] = deque()
    pages: deque[tuple] = deque()
    while True:
        for request in incoming.read(wait=not (articles or pages)):
            (articles if request[0] == "tag" else pages).append(request)
        if articles:
            request = articles.popleft()
            answer: tuple = ("tag", tag_article(request[1], tagger))
        elif pages:
            request = pages.popleft()
            answer = ("clean", encode(clean_page(request[1], request[2], max_bytes)))
        else:  # closed, and all answered
            return
        outcomes.write(frame(answer))
        outcomes.flush()


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    max_bytes = int(sys.argv[1])
    tagger = load_tagger(sys.argv[2] if len(sys.argv) > 2 else None)
    outcomes = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to the worker's stderr, never into the frames
    serve(sys.stdin.fileno(), outcomes, max_bytes, tagger)


if __name__ == "__main__":
    main()
