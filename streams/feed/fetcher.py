"""Polite HTTP GETs with aiohttp: robots.txt on every hop, per-host limits, conditional requests,
timeouts, a size limit, retries with backoff and jitter, and a real User-Agent.

aiohttp because the project already runs on it (Faust's web server, the desk), it is asyncio
native like the rest of the process, and it streams a body so that a page over the size limit is
dropped after `max_page_bytes`, never read whole. Redirects are followed here, hop by hop, so
that robots.txt and the host limits apply to each host a redirect leads to.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

import aiohttp

from .config import FetchPolicy
from .hosts import HostLimiter
from .metrics import FeedMetrics
from .robots import Robots
from .urls import BadURL, host_key, normalise

log = logging.getLogger("newsroom.feed.fetch")

REDIRECTS = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
TRANSIENT = frozenset({"timeout", "connection_error", "robots_unreachable"})
ACCEPT = {
    "page": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
    "feed": "application/rss+xml,application/atom+xml,application/rdf+xml,application/xml;q=0.9,text/xml;q=0.8,*/*;q=0.5",
    "sitemap": "application/xml,text/xml;q=0.9,application/x-gzip;q=0.8,text/plain;q=0.5,*/*;q=0.3",
    "robots": "text/plain,*/*;q=0.5",
}


@dataclass
class Response:
    url: str  # the URL that answered (after redirects)
    status: int | str  # HTTP status, or robots (forbidden), robots_unreachable, timeout, connection_error,
    #                    too_large, too_many_redirects, bad_url
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    charset: str | None = None
    content_type: str | None = None
    location: str | None = None
    retry_after: float | None = None
    redirects: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def transient(self) -> bool:
        """Worth asking again: a 429, a 5xx, a timeout, no connection, robots.txt unreachable."""
        return self.status in TRANSIENT or self.status in RETRY_STATUSES


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Fetcher:
    """One per process: one connection pool, one HostLimiter, one robots.txt cache."""

    def __init__(
        self,
        policy: FetchPolicy,
        metrics: FeedMetrics,
        *,
        limiter: HostLimiter | None = None,
        rng: random.Random | None = None,
    ):
        self.policy = policy
        self.metrics = metrics
        self.limiter = limiter or HostLimiter(policy.per_host_concurrency, policy.per_host_delay_seconds)
        self.robots = Robots(
            self._fetch_robots,
            self.limiter,
            user_agent=policy.user_agent,
            ttl=policy.robots_ttl_seconds,
            error_ttl=policy.robots_error_ttl_seconds,
            max_delay=policy.max_crawl_delay_seconds,
        )
        self._rng = rng or random.Random()
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Fetcher:
        connector = aiohttp.TCPConnector(
            limit=self.policy.max_in_flight + 8, limit_per_host=self.policy.per_host_concurrency + 1
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            headers={"User-Agent": self.policy.user_agent, "Accept-Language": "ko,en;q=0.8"},
            timeout=aiohttp.ClientTimeout(total=self.policy.timeout_seconds),
        )
        return self

    async def __aexit__(self, *exc) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def get(
        self,
        url: str,
        *,
        kind: str,
        etag: str | None = None,
        last_modified: str | None = None,
        check_robots: bool = True,
    ) -> Response:
        """GET url, following redirects; a Response whatever happens (never raises for the network)."""
        headers = {"Accept": ACCEPT.get(kind, "*/*")}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        redirects: list[str] = []
        current = url
        while True:
            try:
                normalise(current)
            except BadURL:
                return self._count(kind, Response(current, "bad_url", redirects=redirects))
            if check_robots:
                rules = await self.robots.rules_for(current)
                if not rules.allowed(current, self.policy.user_agent):
                    status = "robots_unreachable" if rules.forbid_all else "robots"
                    return Response(current, status, redirects=redirects)
            response = await self._with_retries(current, headers, kind)
            if response.status in REDIRECTS and response.location:
                redirects.append(current)
                if len(redirects) > self.policy.max_redirects:
                    return self._count(kind, Response(current, "too_many_redirects", redirects=redirects))
                current = urljoin(current, response.location)
                continue
            response.redirects = redirects
            return response

    async def _fetch_robots(self, url: str) -> Response:
        return await self.get(url, kind="robots", check_robots=False)

    async def _with_retries(self, url: str, headers: dict, kind: str) -> Response:
        attempt = 0
        while True:
            response = self._count(kind, await self._once(url, headers))
            if not response.transient or attempt >= self.policy.retries:
                if response.transient:
                    log.warning("%s %s: %s after %d attempt(s)", kind, url, response.status, attempt + 1)
                return response
            pause = self.backoff(attempt, response.retry_after)
            log.info(
                "%s %s: %s, retry %d/%d in %.1fs", kind, url, response.status, attempt + 1, self.policy.retries, pause
            )
            self.metrics.retries.labels(kind).inc()
            await asyncio.sleep(pause)
            attempt += 1

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Exponential backoff with jitter (half fixed, half random), or the server's Retry-After
        when it asks for longer (up to backoff_max_seconds)."""
        ceiling = min(self.policy.backoff_max_seconds, self.policy.backoff_seconds * 2**attempt)
        pause = ceiling / 2 + self._rng.uniform(0, ceiling / 2)
        if retry_after is not None:
            pause = max(pause, min(retry_after, self.policy.backoff_max_seconds))
        return pause

    def _count(self, kind: str, response: Response) -> Response:
        self.metrics.fetched(kind, response.status, len(response.body))
        return response

    async def _once(self, url: str, headers: dict) -> Response:
        assert self._session is not None, "use `async with Fetcher(...)`"
        limit = self.policy.max_page_bytes
        async with self.limiter.slot(host_key(url)):
            try:
                async with self._session.get(url, headers=headers, allow_redirects=False) as r:
                    meta = dict(
                        etag=r.headers.get("ETag"),
                        last_modified=r.headers.get("Last-Modified"),
                        content_type=r.content_type,
                        location=r.headers.get("Location"),
                        retry_after=_retry_after(r.headers.get("Retry-After")),
                    )
                    try:
                        meta["charset"] = r.charset
                    except (LookupError, ValueError):  # aiohttp >= 3.9 may raise for a bad parameter
                        meta["charset"] = None
                    if r.status != 200:
                        return Response(url, r.status, **meta)
                    if (r.content_length or 0) > limit:
                        log.warning(
                            "%s is %d bytes (Content-Length), over the limit of %d: not read",
                            url,
                            r.content_length,
                            limit,
                        )
                        return Response(url, "too_large", **meta)
                    body = bytearray()
                    async for chunk in r.content.iter_chunked(64 * 1024):
                        body += chunk
                        if len(body) > limit:
                            log.warning("%s is over the limit of %d bytes: dropped after reading that much", url, limit)
                            return Response(url, "too_large", **meta)
                    return Response(url, 200, bytes(body), **meta)
            except TimeoutError:
                return Response(url, "timeout")
            except aiohttp.ClientError as exc:
                log.debug("%s: %s", url, exc)
                return Response(url, "connection_error")
            except ValueError as exc:  # e.g. an invalid URL that passed normalise (bad IDNA)
                log.debug("%s: %s", url, exc)
                return Response(url, "bad_url")
