"""The worker's cleaning processes (NEWSROOM_CLEAN_PROCESSES): the `clean` agent's pages are cleaned,
and the `enrich` agent's articles tagged, in child processes, on other cores, while the event loop's
thread does the Kafka I/O, the dedup decisions, the state and the fan-out.

Cleaning and tagging are pure (streams.clean, streams.enrich): an outcome depends on its input bytes
only, so where it is computed changes nothing but the time. Each agent still takes its records one
at a time, in order, and acknowledges each after its outputs, as before: it only asks for the outcome
of the record in its hands (`clean`, `tag`), and, before waiting for it, sends the records queued
behind that one to be worked on meanwhile (`ahead`). Each agent has its own lane of outcomes sent
ahead; the processes serve both, each answering in the order it was asked (streams.cleaning_process).

A process that dies (killed, or crashed by a page) is replaced; the record the agent waits for is then
sent again alone to the new process, and the records sent ahead are sent again when their turn
comes. A record on which a fresh process dies too gets `ProcessDied` as its outcome (an
`internal_error` dead letter, streams.steps.cleaned and streams.steps.tagged): a page that crashes the
cleaner does not stop the stream. A process that cannot start (it exits before it is ready) is an
error of the worker.

The processes tag with the function the enrich step tags with (`streams.steps.enrich`), named on
their command line; when it cannot be named so (a function made at run time), articles are tagged in
the worker's thread, as with NEWSROOM_CLEAN_PROCESSES=0.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import os
import pickle
import sys
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any

from streams import cleaning_process
from streams.cleaning_process import Tagged, clean_page, decode, frame, frame_spans, tagged

log = logging.getLogger("newsroom.cleaners")

AHEAD = 32  # pages sent ahead of the one the agent waits for, at most
Page = tuple[Hashable, bytes | None, bytes | None]  # (identity, e.g. (partition, offset); value; key)
CLEAN, TAG = "clean", "tag"  # the lanes: the clean agent's pages, the enrich agent's articles


def _request(kind: str, value: bytes | None, key: bytes | None) -> tuple:
    return (CLEAN, value, key) if kind == CLEAN else (TAG, value)


def tagger_name() -> str | None:
    """`module:name` of the function the enrich step tags with (streams.steps.enrich), if a process
    can import it by that name and get the same function; else None."""
    from streams import steps

    tagger = steps.enrich
    module, qualname = getattr(tagger, "__module__", None), getattr(tagger, "__qualname__", "")
    if not module or module == "__main__" or "<" in qualname:
        return None
    try:
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except Exception:  # noqa: BLE001 - not importable by its name: tagged in the worker's thread
        return None
    return f"{module}:{qualname}" if obj is tagger else None


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
    """One cleaning process: its pipes, and the futures of the outcomes it owes, in order per lane."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.transport: asyncio.SubprocessTransport | None = None
        self.lanes: dict[str, deque[asyncio.Future]] = {CLEAN: deque(), TAG: deque()}
        self.ready: asyncio.Future = loop.create_future()  # its first frame says it is ready
        self.exited: asyncio.Future = loop.create_future()
        self.buffer = bytearray()
        self.loop = loop
        self.broken = False  # it sent an answer that does not read: nothing more it sends is read

    @property
    def alive(self) -> bool:
        return not self.exited.done()

    @property
    def pending(self) -> int:
        """Requests sent and not answered yet."""
        return len(self.lanes[CLEAN]) + len(self.lanes[TAG])

    @property
    def pid(self) -> int | None:
        return self.transport.get_pid() if self.transport is not None else None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def pipe_data_received(self, fd: int, data: bytes) -> None:
        if self.broken:  # the answers after one that does not read are not for the futures in line
            return
        buffer = self.buffer
        buffer += data
        start = 0
        for body, end in frame_spans(buffer):
            try:
                answer = pickle.loads(memoryview(buffer)[body:end])
                start = end
                if not self.ready.done():
                    self.ready.set_result(answer)
                    continue
                lane, outcome = answer
                future = self.lanes[lane].popleft()
            except Exception:  # a frame that does not read would leave its future, and the agent, waiting
                log.exception("cleaning process %s sent an answer that does not read; stopping it", self.pid)
                self.broken = True  # until it is gone, what it still sends would answer the wrong futures
                self.buffer.clear()
                self.kill()  # connection_lost: every outcome it owes becomes ProcessDied, and it is replaced
                return
            if not future.done():
                future.set_result(outcome)
        del buffer[:start]

    def connection_lost(self, exc: Exception | None) -> None:
        """The process exited and its pipes are closed: every outcome it sent has been received."""
        returncode = self.transport.get_returncode() if self.transport is not None else None
        died = ProcessDied(returncode)
        for future in [self.ready, *self.lanes[CLEAN], *self.lanes[TAG]]:
            if not future.done():
                future.set_exception(died)
                future.exception()  # retrieved: a record sent ahead may never be asked for
        for lane in self.lanes.values():
            lane.clear()
        self.exited.set_result(returncode)

    def send(self, kind: str, requests: list[tuple]) -> list[asyncio.Future]:
        """Send requests of one lane (streams.cleaning_process) in one write; the futures of their
        outcomes, in order."""
        futures = [self.loop.create_future() for _ in requests]
        if not self.alive or self.transport is None:
            died = ProcessDied(self.transport.get_returncode() if self.transport else None)
            for future in futures:
                future.set_exception(died)
                future.exception()
            return futures
        self.transport.get_pipe_transport(0).write(b"".join(frame(request) for request in requests))
        self.lanes[kind].extend(futures)
        return futures

    def close(self) -> None:
        if self.transport is not None and self.alive:
            self.transport.get_pipe_transport(0).close()  # the process exits at the end of its input

    def kill(self) -> None:
        if self.transport is not None and self.alive:
            self.transport.kill()


class Cleaners:
    """`processes` cleaning processes and the outcomes they owe the agents.

    `tag=False`: the processes only clean (the enrich agent tags in its thread)."""

    def __init__(
        self, processes: int, max_page_bytes: int, *, command: list[str] | None = None, tag: bool = True
    ) -> None:
        if processes < 1:
            raise ValueError("Cleaners needs at least one process")
        self.max_page_bytes = max_page_bytes
        self.command = command
        self.tags = tag  # articles are tagged in the processes (set once the first process started)
        self.slots: list[_Process | None] = [None] * processes
        # per lane, identity -> its outcome, for the records sent ahead in queue order
        self.lanes: dict[str, OrderedDict[Hashable, asyncio.Future]] = {CLEAN: OrderedDict(), TAG: OrderedDict()}
        self.restarts = 0  # processes replaced after they died, over the worker's life
        self.pages_sent = 0  # pages sent to be cleaned, over the worker's life (each once, but after a death)
        self.articles_sent = 0  # articles sent to be tagged, likewise
        self._starting: asyncio.Task | None = None
        self.stopped = False

    @property
    def sent(self) -> OrderedDict[Hashable, asyncio.Future]:
        """The clean lane's outcomes sent ahead."""
        return self.lanes[CLEAN]

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

    def _command(self) -> list[str]:
        if self.command is not None:
            return self.command
        command = [sys.executable, "-m", cleaning_process.__name__, str(self.max_page_bytes)]
        if self.tags:
            name = tagger_name()
            if name is None:
                log.warning("the enrich step's tagger cannot be named for a cleaning process: articles are tagged here")
                self.tags = False
            else:
                command.append(name)
        return command

    async def _spawn(self) -> _Process:
        loop = asyncio.get_running_loop()
        env = dict(os.environ)
        here = str(Path(__file__).resolve().parent.parent)  # the folder holding the streams package
        env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
        _, process = await loop.subprocess_exec(
            lambda: _Process(loop),
            *self._command(),
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
        """The ready process with the fewest requests to answer (`extra`: requests about to be sent, by id)."""
        ready = [p for p in self.slots if p is not None and p.alive and p.ready.done()]
        if not ready:
            return None
        return min(ready, key=lambda p: p.pending + (extra or {}).get(id(p), 0))

    def ahead(self, pages: Iterable[Page], kind: str = CLEAN) -> None:
        """Send these records (those queued behind the one the agent is at) to be cleaned, or tagged
        (`kind`), meanwhile, in one write per process. A record already sent is not sent again; none
        is sent while no process is ready."""
        if kind == TAG and not self.tags:
            return
        sent = self.lanes[kind]
        batches: dict[int, tuple[_Process, list[Page]]] = {}
        for page in pages:
            earlier = sent.get(page[0])
            if earlier is not None and not (earlier.done() and earlier.exception() is not None):
                continue  # sent, and its process has not died
            extra = {id(p): len(b) for p, b in batches.values()}
            process = self._least_busy(extra)
            if process is None:
                break
            if kind == TAG and process.pending + extra.get(id(process), 0) >= AHEAD:
                break  # articles only to a process with less than AHEAD to answer (see `tag`)
            batches.setdefault(id(process), (process, []))[1].append(page)
        for process, batch in batches.values():
            self._count(kind, len(batch))
            futures = process.send(kind, [_request(kind, value, key) for _, value, key in batch])
            for (identity, _, _), future in zip(batch, futures, strict=True):
                sent[identity] = future
        while len(sent) > 4 * AHEAD:  # records sent ahead that a rebalance took out of the queue
            sent.popitem(last=False)

    def _count(self, kind: str, n: int) -> None:
        if kind == CLEAN:
            self.pages_sent += n
        else:
            self.articles_sent += n

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
        outcome = await self._outcome(CLEAN, identity, value, key, queued)
        return outcome if isinstance(outcome, ProcessDied) else decode(outcome)

    async def tag(
        self,
        identity: Hashable,
        value: bytes | None,
        queued: Callable[[int, int], Iterable[Page]] | None = None,
    ) -> Tagged | None:
        """This article (the enrich stage's CleanArticle JSON) tagged in a process (streams.cleaning_process.
        Tagged), or None: the enrich step is to do it all in its thread, as without the processes.

        Only articles sent ahead are tagged in a process: the agent sends those queued behind the one in
        hand (`queued`, as for `clean`) while a process has fewer than AHEAD requests to answer, and
        waits for an article's outcome only if it was sent so. An article not sent ahead (none was
        queued behind the one before it: a low rate; the processes were busy; a rebalance) is tagged
        in the agent's thread: a round trip to a process for one article would hold the agent longer
        than tagging it does. So the thread tags what the processes have no time for, the two share the
        work, and the pages, which only the processes clean, never wait behind a backlog of articles.
        A process that dies is not asked the article again (tagged in the thread): the clean agent's
        pages are what kills a process, and a page sent again alone must not share the fresh process
        with this article."""
        if self.stopped or not self.tags:
            return None
        if any(p is None or not p.alive for p in self.slots):
            await self.start()
        future = self._take_and_send_ahead(TAG, identity, queued)
        if future is None:
            return None
        try:
            outcome = await future
        except ProcessDied as died:
            self.lanes[TAG].clear()  # those sent ahead are sent again from the queue
            log.warning("%s; the article it was tagging is tagged in the worker's thread", died)
            return None
        return tagged(outcome)

    async def _outcome(
        self,
        kind: str,
        identity: Hashable,
        value: bytes | None,
        key: bytes | None,
        queued: Callable[[int, int], Iterable[Page]] | None,
    ) -> Any:
        """The raw outcome (streams.cleaning_process), or ProcessDied: the process died on the record,
        and a fresh one too when sent it alone."""
        future = self._take_and_send_ahead(kind, identity, queued)
        if future is None:
            future = await self._send(kind, value, key)
        try:
            return await future
        except ProcessDied as died:
            self.lanes[kind].clear()  # those sent ahead are sent again from the queue once this record is done
            log.warning("%s; starting another, and sending it the record it was given again, alone", died)
        # alone in a fresh process: the record that killed the last one kills this one too, any other is done
        future = await self._send(kind, value, key)
        try:
            return await future
        except ProcessDied as died:
            log.error("%s again, on the same record: it becomes a dead letter", died)
            return ProcessDied(
                died.returncode, f"the cleaning process died on this record twice ({_exit_text(died.returncode)})"
            )

    def _take_and_send_ahead(
        self, kind: str, identity: Hashable, queued: Callable[[int, int], Iterable[Page]] | None
    ) -> asyncio.Future | None:
        """The outcome sent ahead for this record, if any; and, when less than half of AHEAD are sent
        ahead in its lane, the next records queued behind it sent, as one batch."""
        sent = self.lanes[kind]
        future = self._take(sent, identity)
        if queued is not None and len(sent) <= AHEAD // 2:
            self.ahead(queued(len(sent), AHEAD), kind)
        return future

    @staticmethod
    def _take(sent: OrderedDict[Hashable, asyncio.Future], identity: Hashable) -> asyncio.Future | None:
        """The outcome sent ahead for this record, if any. The records sent before it were taken before
        it (the queue is in order), or taken out of the queue by a rebalance: forgotten."""
        if identity not in sent:  # not sent ahead: the queue was not as it was read (a rebalance cleared it)
            sent.clear()
            return None
        while True:
            first, future = sent.popitem(last=False)
            if first == identity:
                return future

    async def _send(self, kind: str, value: bytes | None, key: bytes | None) -> asyncio.Future:
        process = self._least_busy()
        if process is None or any(p is None or not p.alive for p in self.slots):
            await self.start()
            process = self._least_busy()
            if process is None:
                raise CleaningUnavailable("no cleaning process is running")
        self._count(kind, 1)
        return process.send(kind, [_request(kind, value, key)])[0]

    async def stop(self, timeout: float = 10.0) -> None:
        """Close every process's input and wait for it to exit (killed after `timeout` seconds); pages
        asked for from now on are cleaned in the caller's thread, articles tagged there."""
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
