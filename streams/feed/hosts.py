"""Per-host politeness: at most N requests in flight to one host, and a delay between their starts.

One `HostLimiter` serves every fetch of the process (feeds, sitemaps, robots.txt and pages alike),
so a host is treated politely however many sources name it. The delay of a host is the larger of
the configured one and its robots.txt Crawl-delay (capped), set once its robots.txt is read.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _Host:
    slots: asyncio.Semaphore
    delay: float
    next_start: float = 0.0
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    in_flight: int = 0


class HostLimiter:
    def __init__(self, concurrency: int, delay: float, *, clock=time.monotonic):
        self.concurrency = concurrency
        self.delay = delay
        self._clock = clock
        self._hosts: dict[str, _Host] = {}

    def _host(self, key: str) -> _Host:
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(asyncio.Semaphore(self.concurrency), self.delay)
        return host

    def set_delay(self, key: str, delay: float) -> None:
        """This host's delay between request starts (never below the configured one)."""
        self._host(key).delay = max(self.delay, delay)

    def delay_of(self, key: str) -> float:
        return self._host(key).delay

    @asynccontextmanager
    async def slot(self, key: str):
        """Hold one of the host's slots, starting no sooner than its delay after the previous start."""
        host = self._host(key)
        async with host.slots:
            async with host.turn:  # starts are taken in turn, each `delay` after the last
                wait = host.next_start - self._clock()
                if wait > 0:
                    await asyncio.sleep(wait)
                host.next_start = self._clock() + host.delay
            host.in_flight += 1
            try:
                yield
            finally:
                host.in_flight -= 1
