"""robots.txt, read once per origin (scheme, host, port) and kept for a while, parsed by Protego.

Protego (Scrapy's parser) rather than the standard library's `urllib.robotparser`: it follows
RFC 9309 (the longest matching rule wins, so an `Allow:` inside a disallowed folder works, and
`*` and `$` wildcards match), which `robotparser` does not, and it reads Crawl-delay and
Request-rate, which this fetcher honours.

What an answer means, as RFC 9309 says: 200 -> its rules; a 4xx (no robots.txt) -> everything
allowed; a 5xx, a timeout or no connection -> everything forbidden for `robots_error_ttl_seconds`,
then asked again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from protego import Protego

from .hosts import HostLimiter
from .urls import host_key

log = logging.getLogger("newsroom.feed.robots")


@dataclass(frozen=True)
class RobotsRules:
    parser: Protego | None  # None: everything allowed
    forbid_all: bool = False
    reason: str = "ok"

    def allowed(self, url: str, user_agent: str) -> bool:
        if self.forbid_all:
            return False
        return self.parser is None or self.parser.can_fetch(url, user_agent)

    def delay(self, user_agent: str) -> float | None:
        """Seconds between two requests that the site asks for (Crawl-delay or Request-rate), if any."""
        if self.parser is None:
            return None
        delays = []
        crawl_delay = self.parser.crawl_delay(user_agent)
        if crawl_delay:
            delays.append(float(crawl_delay))
        rate = self.parser.request_rate(user_agent)
        if rate and rate.requests:
            delays.append(rate.seconds / rate.requests)
        return max(delays) if delays else None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class Robots:
    """The rules of every origin the process fetches from, each read once per TTL."""

    def __init__(
        self,
        fetch: Callable[[str], Awaitable],
        limiter: HostLimiter,
        *,
        user_agent: str,
        ttl: float,
        error_ttl: float,
        max_delay: float,
        clock=time.monotonic,
    ):
        self._fetch = fetch  # url -> fetcher Response (no robots check, redirects followed)
        self._limiter = limiter
        self.user_agent = user_agent
        self._ttl, self._error_ttl, self._max_delay = ttl, error_ttl, max_delay
        self._clock = clock
        self._cache: dict[str, tuple[float, RobotsRules]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, url: str) -> RobotsRules:
        origin = origin_of(url)
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:  # one robots.txt request per origin, however many fetches wait for it
            cached = self._cache.get(origin)
            if cached and cached[0] > self._clock():
                return cached[1]
            rules = await self._read(origin)
            ttl = self._error_ttl if rules.forbid_all else self._ttl
            self._cache[origin] = (self._clock() + ttl, rules)
            delay = rules.delay(self.user_agent)
            if delay:
                self._limiter.set_delay(host_key(url), min(delay, self._max_delay))
            return rules

    async def _read(self, origin: str) -> RobotsRules:
        response = await self._fetch(f"{origin}/robots.txt")
        status = response.status
        if status == 200:
            text = response.body.decode("utf-8", "replace")
            log.info("robots.txt of %s: %d bytes read", origin, len(response.body))
            return RobotsRules(Protego.parse(text))
        if isinstance(status, int) and 400 <= status < 500:
            log.info("robots.txt of %s: %s, so everything is allowed", origin, status)
            return RobotsRules(None, reason=f"http_{status}")
        log.warning(
            "robots.txt of %s unreachable (%s): nothing fetched there for %.0fs", origin, status, self._error_ttl
        )
        return RobotsRules(None, forbid_all=True, reason=str(status))
