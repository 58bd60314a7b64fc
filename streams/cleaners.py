"""The worker's cleaning processes (NEWSROOM_CLEAN_PROCESSES): the `clean` agent's pages are cleaned
in child processes, on other cores, while the event loop's thread does the Kafka I/O, the dedup
decisions, the tagging and the fan-out.

Cleaning is pure (streams.clean): a page's outcome depends on its bytes only, so where it is
computed changes nothing but the time. The agent still takes its records one at a time, in order,
and acknowledges each after its outputs, as before: it only asks for the outcome of the record in
its hands (`clean`), and, before waiting for it, sends the pages queued behind that record to be
cleaned meanwhile (`ahead`). Each process answers in the order it was asked (streams.cleaning_process).

A process that dies (killed, or crashed by a page) is replaced; the page the agent waits for is then
cleaned again alone in the new process, and the pages sent ahead are sent again when their turn
comes. A page on which a fresh process dies too gets `ProcessDied` as its outcome (an
`internal_error` dead letter, streams.steps.cleaned): a page that crashes the cleaner does not stop
the stream. A process that cannot start (it exits before it is ready) is an error of the worker.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import sys
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any

from streams import cleaning_process
from streams.cleaning_process import HEADER, clean_page, decode, frame

log = logging.getLogger("newsroom.cleaners")

AHEAD = 32  # pages sent ahead of the one the agent waits for, at most
Page = tuple[Hashable, bytes | None, bytes | None]  # (identity, e.g. (partition, offset); value; key)


class ProcessDied(Exception):
    """A cleaning process exited while pages were sent to it."""

    def __init__(self, returncode: int | None, message: str | None = None) -> None:
        self.returncode = returncode
        super().__init__(message or f"the cleaning process exited ({_exit_text(returncode)})")


class CleaningUnavailable(RuntimeError):
    """A cleaning process could not be started."""


def _exit_text(returncode: int | None) -> str:
    if returncode is None:
        return "exit status unknown"
    if returncode < 0:
        return f"killed by signal {-returncode}"
    return f"exit status {returncode}"


class _Process(asyncio.SubprocessProtocol):
    """One cleaning process: its pipes, and the futures of the outcomes it owes, in order."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.transport: asyncio.SubprocessTransport | None = None
        self.pending: deque[asyncio.Future] = deque()
        self.ready: asyncio.Future = loop.create_future()
        self.pending.append(self.ready)  # its first frame says it is ready
        self.exited: asyncio.Future = loop.create_future()
        self.buffer = bytearray()
        self.loop = loop

    @property
    def alive(self) -> bool:
        return not self.exited.done()

    @property
    def pid(self) -> int | None:
        return self.transport.get_pid() if self.transport is not None else None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        start = 0
        while len(buffer) - start >= HEADER.size:
            (size,) = HEADER.unpack_from(buffer, start)
            end = start + HEADER.size + size
            if len(buffer) < end:
                break
            outcome = pickle.loads(memoryview(buffer)[start + HEADER.size : end])
            start = end
            future = self.pending.popleft()
            if not future.done():
                future.set_result(outcome)
        del buffer[:start]

    def connection_lost(self, exc: Exception | None) -> None:
        """The process exited and its pipes are closed: every outcome it sent has been received."""
        returncode = self.transport.get_returncode() if self.transport is not None else None
        died = ProcessDied(returncode)
        for future in self.pending:
            if not future.done():
                future.set_exception(died)
                future.exception()  # retrieved: a page sent ahead may never be asked for
        self.pending.clear()
        self.exited.set_result(returncode)

    def send(self, pages: list[tuple[bytes | None, bytes | None]]) -> list[asyncio.Future]:
        """Send pages (value, key) in one write; the futures of their outcomes, in order."""
        futures = [self.loop.create_future() for _ in pages]
        if not self.alive or self.transport is None:
            died = ProcessDied(self.transport.get_returncode() if self.transport else None)
            for future in futures:
                future.set_exception(died)
                future.exception()
            return futures
        self.transport.get_pipe_transport(0).write(b"".join(frame(page) for page in pages))
        self.pending.extend(futures)
        return futures

    def close(self) -> None:
        if self.transport is not None and self.alive:
            self.transport.get_pipe_transport(0).close()  # the process exits at the end of its input

    def kill(self) -> None:
        if self.transport is not None and self.alive:
            self.transport.kill()


class Cleaners:
    """`processes` cleaning processes and the outcomes they owe the agent."""

    def __init__(self, processes: int, max_page_bytes: int, *, command: list[str] | None = None) -> None:
        if processes < 1:
            raise ValueError("Cleaners needs at least one process")
        self.max_page_bytes = max_page_bytes
        self.command = command or [sys.executable, "-m", cleaning_process.__name__, str(max_page_bytes)]
        self.slots: list[_Process | None] = [None] * processes
        self.sent: OrderedDict[Hashable, asyncio.Future] = OrderedDict()  # identity -> its outcome
        self.restarts = 0  # processes replaced after they died, over the worker's life
        self.pages_sent = 0  # pages sent to be cleaned, over the worker's life (each once, but after a death)
        self._starting: asyncio.Task | None = None
        self.stopped = False

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.slots if p is not None and p.alive and p.pid is not None]

    async def start(self) -> None:
        """Start the processes that are not running, and wait until each is ready."""
        if self._starting is None or self._starting.done():
            self._starting = asyncio.ensure_future(self._start_missing())
        await asyncio.shield(self._starting)

    async def _start_missing(self) -> None:
        for slot, process in enumerate(self.slots):
            if process is None or not process.alive:
                if process is not None:
                    self.restarts += 1
                self.slots[slot] = await self._spawn()

    async def _spawn(self) -> _Process:
        loop = asyncio.get_running_loop()
        env = dict(os.environ)
        here = str(Path(__file__).resolve().parent.parent)  # the folder holding the streams package
        env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
        _, process = await loop.subprocess_exec(
            lambda: _Process(loop),
            *self.command,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=None,
            env=env,
        )
        try:
            await process.ready
        except ProcessDied as died:
            raise CleaningUnavailable(f"a cleaning process could not start: {died}") from died
        log.info("cleaning process %s ready", process.pid)
        return process

    def _least_busy(self, extra: dict[int, int] | None = None) -> _Process | None:
        """The ready process with the fewest pages to clean (`extra`: pages about to be sent, by id)."""
        ready = [p for p in self.slots if p is not None and p.alive and p.ready.done()]
        if not ready:
            return None
        return min(ready, key=lambda p: len(p.pending) + (extra or {}).get(id(p), 0))

    def ahead(self, pages: Iterable[Page]) -> None:
        """Send these pages (those queued behind the one the agent is at) to be cleaned meanwhile, in
        one write per process. A page already sent is not sent again; none is sent while no process
        is ready."""
        sent = self.sent
        batches: dict[int, tuple[_Process, list[Page]]] = {}
        for page in pages:
            earlier = sent.get(page[0])
            if earlier is not None and not (earlier.done() and earlier.exception() is not None):
                continue  # sent, and its process has not died
            process = self._least_busy(extra={id(p): len(b) for p, b in batches.values()})
            if process is None:
                break
            batches.setdefault(id(process), (process, []))[1].append(page)
        for process, batch in batches.values():
            self.pages_sent += len(batch)
            futures = process.send([(value, key) for _, value, key in batch])
            for (identity, _, _), future in zip(batch, futures, strict=True):
                sent[identity] = future
        while len(sent) > 4 * AHEAD:  # pages sent ahead that a rebalance took out of the queue
            sent.popitem(last=False)

    async def clean(
        self,
        identity: Hashable,
        value: bytes | None,
        key: bytes | None,
        queued: Callable[[int, int], Iterable[Page]] | None = None,
    ) -> Any:
        """The outcome of cleaning this page: the CleanArticle, or the exception cleaning raised
        (CleanError, or ProcessDied if a fresh process died on this very page).

        `queued(start, stop)` gives the pages queued behind this one, at those positions: when less
        than half of AHEAD are sent ahead, the next ones are sent, as one batch (the pages sent are
        the first in the queue: the queue is read in order)."""
        if self.stopped:  # the worker is stopping: what its agent still takes is cleaned here
            return clean_page(value, key, self.max_page_bytes)
        future = self._take(identity)
        if queued is not None and len(self.sent) <= AHEAD // 2:
            self.ahead(queued(len(self.sent), AHEAD))
        if future is None:
            future = await self._send(value, key)
        try:
            return decode(await future)
        except ProcessDied as died:
            log.warning("%s; starting another, and cleaning the page it was given again, alone", died)
            self.sent.clear()  # those sent ahead are sent again from the queue once this page is done
        # alone in a fresh process: the page that killed the last one kills this one too, any other is cleaned
        future = await self._send(value, key)
        try:
            return decode(await future)
        except ProcessDied as died:
            log.error("%s again, on the same page: it becomes a dead letter", died)
            return ProcessDied(
                died.returncode, f"the cleaning process died on this page twice ({_exit_text(died.returncode)})"
            )

    def _take(self, identity: Hashable) -> asyncio.Future | None:
        """The outcome sent ahead for this page, if any. The pages sent before it were taken before
        it (the queue is in order), or taken out of the queue by a rebalance: forgotten."""
        sent = self.sent
        if identity not in sent:  # not sent ahead: the queue was not as it was read (a rebalance cleared it)
            sent.clear()
            return None
        while True:
            first, future = sent.popitem(last=False)
            if first == identity:
                return future

    async def _send(self, value: bytes | None, key: bytes | None) -> asyncio.Future:
        process = self._least_busy()
        if process is None or any(p is None or not p.alive for p in self.slots):
            await self.start()
            process = self._least_busy()
            if process is None:
                raise CleaningUnavailable("no cleaning process is running")
        self.pages_sent += 1
        return process.send([(value, key)])[0]

    async def stop(self, timeout: float = 10.0) -> None:
        """Close every process's input and wait for it to exit (killed after `timeout` seconds); pages
        asked for from now on are cleaned in the caller's thread."""
        self.stopped = True
        processes = [p for p in self.slots if p is not None and p.alive]
        for process in processes:
            process.close()
        if processes:
            await asyncio.wait([p.exited for p in processes], timeout=timeout)
            for process in processes:
                if process.alive:
                    process.kill()
        self.slots = [None] * len(self.slots)
