"""The feed loop: poll every source on its own interval, fetch each new article page once, send it.

One asyncio process (not a Faust agent group): the feed consumes no Kafka stream, and politeness
is a property of the whole process (one robots.txt cache, one limit per host however many sources
name the host), which agents spread over workers and partitions could not keep. Several feed
processes share the work by each running its own sources file.

Per poll of a source:
  1. its feed or sitemap is fetched with a conditional GET (and a sitemap index's sitemaps);
     a 304, or the same bytes as last time, means nothing new;
  2. items are deduplicated by normal URL, too old ones dropped, the newest kept first;
  3. a page whose URL is in the fetched-URL memory is skipped, unless its item now carries a newer
     date: then it is asked for with If-None-Match / If-Modified-Since, and a 304 costs nothing;
  4. a page read (200) gets its id from its canonical URL; if that id was already sent with the
     same body, nothing is sent; otherwise a RawArticle goes to news.raw, keyed by the id;
  5. the page's record goes to the memory topic, and, once every page of the poll is done with,
     the feed's own (so a page that failed is found again in the feed at the next poll).
A failing source is logged, counted and polled again later; it never stops the others.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta, UTC

from schemas import FetchedURL, RawArticle
from streams.clean.decode import decode_bytes
from streams.clean.errors import CleanError

from .canonical import article_url
from .config import FeedConfig, Source
from .discover import Item, discover
from .fetcher import Fetcher, Response
from .memory import FetchMemory
from .metrics import FeedMetrics
from .urls import BadURL, article_id, normalise

log = logging.getLogger("newsroom.feed")

OUTCOMES = ("sent", "unchanged", "duplicate", "refused", "failed", "known", "old")


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat(timespec="seconds") if when else None


def _parse_iso(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def _sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


@dataclass
class SourceState:
    """What /healthz shows of a source."""

    polls: int = 0
    failures_in_a_row: int = 0
    last_ok: str | None = None
    last_problem: str | None = None
    last_outcomes: dict[str, int] = field(default_factory=dict)


@dataclass
class _Poll:
    source: Source
    items: list[Item] = field(default_factory=list)
    documents: list[FetchedURL] = field(default_factory=list)  # written once the poll's pages are done
    problems: list[str] = field(default_factory=list)
    old: int = 0  # items dated before item_max_age_days


class FeedRunner:
    def __init__(
        self, config: FeedConfig, fetcher: Fetcher, memory: FetchMemory, output, metrics: FeedMetrics, *, clock=_now
    ):
        self.config = config
        self.fetcher = fetcher
        self.memory = memory
        self.output = output  # send_article(key, value), remember(FetchedURL)
        self.metrics = metrics
        self._clock = clock
        self._pages = asyncio.Semaphore(config.fetch.max_in_flight)
        self._in_progress: dict[str, asyncio.Future] = {}
        self._article_locks: dict[str, asyncio.Lock] = {}
        self.states = {s.name: SourceState() for s in config.enabled_sources}
        metrics.remembered.set(len(memory))

    # -- the loop ----------------------------------------------------------------------------
    async def run(self, *, once: bool = False, stop: asyncio.Event | None = None) -> bool:
        """Poll every enabled source (once, or until `stop`). True if every source's last poll was ok."""
        stop = stop or asyncio.Event()
        sources = self.config.enabled_sources
        log.info(
            "feed: %d source(s), %d URL(s) remembered%s",
            len(sources),
            len(self.memory),
            " (one poll each)" if once else "",
        )
        await asyncio.gather(*(self._source_loop(s, once, stop) for s in sources))
        return all(state.failures_in_a_row == 0 for state in self.states.values())

    async def _source_loop(self, source: Source, once: bool, stop: asyncio.Event) -> None:
        state = self.states[source.name]
        while not stop.is_set():
            try:
                ok = await self.poll(source)
            except Exception as exc:  # a bug on one source must not stop the others
                log.exception("source %s: poll failed", source.name)
                state.last_problem = f"internal error: {type(exc).__name__}: {exc}"[:300]
                ok = False
            state.failures_in_a_row = 0 if ok else state.failures_in_a_row + 1
            if once:
                return
            wait = source.interval_seconds
            if not ok:  # polled again sooner, backing off, never later than its interval
                wait = min(wait, 30.0 * 2 ** min(state.failures_in_a_row - 1, 10))
            try:
                await asyncio.wait_for(stop.wait(), timeout=wait)
            except TimeoutError:
                pass

    async def poll(self, source: Source) -> bool:
        """One poll of one source. True if its documents were read and no page failed."""
        started = time.monotonic()
        state = self.states.setdefault(source.name, SourceState())
        state.polls += 1
        poll = _Poll(source)
        await self._read_document(poll, source.kind, source.url, depth=0)
        items = self._choose(poll)
        outcomes = Counter(await asyncio.gather(*(self._page(source, item) for item in items)))
        outcomes["old"] += poll.old
        if not outcomes["failed"] and not poll.problems:
            for record in poll.documents:
                await self._remember(record)
        ok = not poll.problems and not outcomes["failed"]
        state.last_outcomes = {k: outcomes[k] for k in OUTCOMES if outcomes[k]}
        if poll.problems:
            state.last_problem = "; ".join(poll.problems)[:500]
        elif outcomes["failed"]:
            state.last_problem = f"{outcomes['failed']} page(s) failed, retried at the next poll"
        else:
            state.last_problem = None
        if ok:
            state.last_ok = _iso(self._clock())
            self.metrics.last_poll.labels(source.name).set(time.time())
        self.metrics.source_up.labels(source.name).set(1 if ok else 0)
        self.metrics.polls.labels(source.name, "ok" if ok else "failed").inc()
        summary = ", ".join(f"{k} {outcomes[k]}" for k in OUTCOMES if outcomes[k]) or "nothing new"
        (log.info if ok else log.warning)(
            "source %s: %d item(s): %s%s (%.1fs)",
            source.name,
            len(items),
            summary,
            f"; problem: {state.last_problem}" if state.last_problem else "",
            time.monotonic() - started,
        )
        return ok

    # -- feeds and sitemaps ---------------------------------------------------------------------
    async def _read_document(self, poll: _Poll, kind: str, url: str, depth: int) -> None:
        try:
            key_url = normalise(url)
        except BadURL as exc:
            poll.problems.append(str(exc))
            return
        known = self.memory.get(kind, key_url)
        response = await self.fetcher.get(
            url, kind=kind, etag=known.etag if known else None, last_modified=known.last_modified if known else None
        )
        if response.status == 304:
            return
        if response.status == "robots":
            self.metrics.robots_refusals.labels(poll.source.name).inc()
            poll.problems.append(f"robots.txt forbids {url}")
            return
        if response.status == "robots_unreachable":
            poll.problems.append(f"robots.txt of {url} unreachable: nothing fetched there for now")
            return
        if not response.ok:
            poll.problems.append(f"{kind} {url}: {response.status}")
            return
        sha = _sha256(response.body)
        poll.documents.append(
            FetchedURL(
                url=key_url,
                kind=kind,
                status="ok",
                fetched_at=_iso(self._clock()),
                source=poll.source.name,
                sha256=sha,
                etag=response.etag,
                last_modified=response.last_modified,
            )
        )
        if known and known.sha256 == sha:  # the same bytes as at the last complete poll
            return
        found = discover(
            kind,
            response.body,
            response.url,
            max_bytes=self.config.fetch.max_page_bytes,
            headers={"content-type": response.content_type or ""},
        )
        if found.problem:
            poll.problems.append(f"{kind} {url}: {found.problem}")
        poll.items.extend(found.items)
        children = found.sitemaps[: self.config.feed.max_child_sitemaps]
        if len(found.sitemaps) > len(children):
            log.info("sitemap index %s: reading the first %d of %d sitemaps", url, len(children), len(found.sitemaps))
        if children and depth >= 2:
            poll.problems.append(f"sitemap index {url} nested too deep")
            return
        for child in children:
            await self._read_document(poll, "sitemap", child, depth + 1)

    def _choose(self, poll: _Poll) -> list[Item]:
        """One item per normal URL (its newest date), none too old, newest first, at most the cap."""
        newest: dict[str, Item] = {}
        for item in poll.items:
            url = normalise(item.url)
            kept = newest.get(url)
            if kept is None or (item.date and (kept.date is None or item.date > kept.date)):
                newest[url] = Item(url, item.date, item.title)
        items = list(newest.values())
        max_age = self.config.feed.item_max_age_days
        if max_age is not None:
            oldest = self._clock() - timedelta(days=max_age)
            fresh = [i for i in items if i.date is None or i.date >= oldest]
            poll.old = len(items) - len(fresh)
            items = fresh
        items.sort(key=lambda i: i.date or datetime.min.replace(tzinfo=UTC), reverse=True)
        return items[: self.config.feed.max_items_per_poll]

    # -- pages ---------------------------------------------------------------------------------
    def _is_known(self, url: str, item: Item) -> bool:
        record = self.memory.get("page", url)
        if record is None:
            return False
        seen = _parse_iso(record.item_date)
        return not (item.date and (seen is None or item.date > seen))

    async def _page(self, source: Source, item: Item) -> str:
        url = item.url  # already in normal form (_choose)
        if self._is_known(url, item):
            return "known"
        running = self._in_progress.get(url)
        if running is not None:  # another source is fetching it right now
            await asyncio.shield(running)
            return "known"
        done = self._in_progress[url] = asyncio.get_running_loop().create_future()
        try:
            async with self._pages:
                outcome = await self._fetch_page(source, item)
        finally:
            done.set_result(None)
            del self._in_progress[url]
        self.metrics.articles.labels(source.name, outcome).inc()
        return outcome

    async def _fetch_page(self, source: Source, item: Item) -> str:
        known = self.memory.get("page", item.url)
        response = await self.fetcher.get(
            item.url,
            kind="page",
            etag=known.etag if known else None,
            last_modified=known.last_modified if known else None,
        )
        record = dict(
            url=item.url, kind="page", fetched_at=_iso(self._clock()), source=source.name, item_date=_iso(item.date)
        )
        if response.status == "robots":
            self.metrics.robots_refusals.labels(source.name).inc()
            log.info("robots.txt forbids %s: not fetched", response.url)
            await self._remember(FetchedURL(status="robots", **record))
            return "refused"
        if response.status == 304 and known is not None:
            kept = known.model_dump(include={"id", "article_url", "sha256", "etag", "last_modified"})
            await self._remember(FetchedURL(status="not_modified", **{**kept, **record}))
            return "unchanged"
        if response.ok:
            return await self._read_page(source, item, response, record)
        if response.transient:
            log.warning("page %s: %s; fetched again at the next poll", item.url, response.status)
            return "failed"
        status = response.status if isinstance(response.status, str) else f"http_{response.status}"
        log.info("page %s: %s; not fetched again unless its feed gives it a newer date", item.url, status)
        await self._remember(FetchedURL(status=status, **record))
        return "refused"

    async def _read_page(self, source: Source, item: Item, response: Response, record: dict) -> str:
        body = response.body
        try:
            html, _codec = decode_bytes(body, response.charset)
        except CleanError as exc:  # sent as raw bytes: the pipeline dead-letters it with its reason
            log.warning("page %s: %s (%s); sent as bytes for the pipeline to judge", item.url, exc.code, exc.message)
            html = None
        where = article_url(html, response.url) if html is not None else normalise(response.url)
        aid = article_id(where)
        lock = self._article_locks.setdefault(aid, asyncio.Lock())
        async with lock:  # two URLs of one article (AMP and canonical) fetched at once: one is sent
            return await self._send_once(source, item, response, record, html, aid, where)

    async def _send_once(
        self, source: Source, item: Item, response: Response, record: dict, html: str | None, aid: str, where: str
    ) -> str:
        body = response.body
        sha = _sha256(body)
        fields = dict(id=aid, article_url=where, sha256=sha, etag=response.etag, last_modified=response.last_modified)
        home = self.memory.sent(aid)
        if home is not None and home[1] != item.url:
            outcome = "duplicate"  # another URL of an article already sent (its AMP or mobile page, ...)
        elif home is not None and home[0] == sha:
            outcome = "unchanged"
        else:  # new, or a changed body where it was read before: the pipeline makes it a revision
            if html is None:
                value = body
            else:
                value = (
                    RawArticle(
                        id=aid,
                        url=where,
                        source=source.name,
                        fetched_at=record["fetched_at"],
                        html=html,
                        encoding=response.charset,
                    )
                    .model_dump_json(exclude_none=True)
                    .encode("utf-8")
                )
            await self.output.send_article(aid.encode(), value)
            outcome = "sent"
            if item.date is not None:
                self.metrics.lag.labels(source.name).observe(max(0.0, (self._clock() - item.date).total_seconds()))
            log.debug("sent %s (%s) as %s", where, source.name, aid)
        await self._remember(FetchedURL(status=outcome, **record, **fields))
        # the URL that answered (after redirects) and the canonical one are not fetched again either
        for url in dict.fromkeys([normalise(response.url), where]):
            if self.memory.get("page", url) is None:
                await self._remember(FetchedURL(status="alias", **{**record, "url": url}, id=aid, article_url=where))
        return outcome

    async def _remember(self, record: FetchedURL) -> None:
        await self.output.remember(record)
        self.memory.apply(record)
        self.metrics.remembered.set(len(self.memory))

    def health(self) -> dict:
        return {
            "status": "ok",
            "remembered_urls": len(self.memory),
            "sources": {name: vars(state) for name, state in self.states.items()},
        }
