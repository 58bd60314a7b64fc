"""A cleaning process: `python -m streams.cleaning_process MAX_PAGE_BYTES`, started by streams.cleaners.

It reads pages on stdin and writes what the cleaner made of each on stdout, in the order read, one
frame each way per page: a 4-byte big-endian length, then a pickle. In: `(value, key)`. Out:
`encode(clean_page(...))`: `("ok", CleanArticle)`, `("clean_error", code, message, stage)` or
`("error", exception)`. Before the first page it writes `("ready",)`, once the cleaner is imported.

It exits when stdin closes: when the worker stops, or dies (even by SIGKILL: the worker holds the
only write end of the pipe). SIGINT and SIGTERM are ignored: a Ctrl-C or a signal sent to the
worker's process group stops the worker, which then closes the pipe.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
from typing import Any, BinaryIO

from schemas import CleanArticle
from streams.clean import CleanError, clean_event

HEADER = struct.Struct(">I")
READY = ("ready",)


def frame(obj: Any) -> bytes:
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(body)) + body


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


def _read_exactly(stream: BinaryIO, n: int) -> bytes | None:
    data = stream.read(n)
    return data if data is not None and len(data) == n else None


def serve(pages: BinaryIO, outcomes: BinaryIO, max_bytes: int) -> None:
    outcomes.write(frame(READY))
    outcomes.flush()
    while True:
        header = _read_exactly(pages, HEADER.size)
        if header is None:  # the worker closed the pipe, or died
            return
        body = _read_exactly(pages, HEADER.unpack(header)[0])
        if body is None:
            return
        value, key = pickle.loads(body)
        outcomes.write(frame(encode(clean_page(value, key, max_bytes))))
        outcomes.flush()


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    max_bytes = int(sys.argv[1])
    outcomes = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed goes to the worker's stderr, never into the frames
    serve(sys.stdin.buffer, outcomes, max_bytes)


if __name__ == "__main__":
    main()
