"""Article URLs out of a feed or a sitemap document (pure: bytes in, items out).

- RSS 2.0, RSS 1.0 and Atom by feedparser: the best-kept parser for feeds as they are served
  (bad encodings, undeclared entities, dates in a dozen formats, Korean RSS with CDATA titles
  and `dc:date`). It is given the bytes as a stream, so it never opens a URL or a file itself.
- Sitemaps, news sitemaps (`news:publication_date`), sitemap indexes, text sitemaps and gzip by
  ultimate-sitemap-parser's `sitemap_from_str`, which parses one document we fetched: our
  fetcher, not the library's own client, makes every request (robots.txt, limits, conditional GET).
"""

from __future__ import annotations

import calendar
import gzip
import io
import logging
import zlib
from dataclasses import dataclass
from datetime import datetime, UTC
from urllib.parse import urljoin

import feedparser

from .urls import BadURL, normalise

log = logging.getLogger("newsroom.feed.discover")


@dataclass(frozen=True)
class Item:
    url: str  # as the document gives it (absolute)
    date: datetime | None = None  # published, updated or lastmod: the newest the document gives
    title: str | None = None


@dataclass(frozen=True)
class Discovered:
    items: list[Item]
    sitemaps: list[str]  # child sitemaps of a sitemap index
    problem: str | None = None  # the document could not be read as its kind


def _struct_time(value) -> datetime | None:
    if not value:
        return None
    return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)


def from_feed(body: bytes, url: str, headers: dict[str, str] | None = None) -> Discovered:
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url, **(headers or {})})
    items = []
    for entry in parsed.entries:
        link = entry.get("link") or next((alt.get("href") for alt in entry.get("links", []) if alt.get("href")), None)
        if not link and entry.get("guidislink"):
            link = entry.get("id")
        if not link:
            continue
        # dict.get: feedparser's own get maps a missing updated_parsed to published_parsed, with a warning
        dates = [
            d
            for d in (
                _struct_time(dict.get(entry, "updated_parsed")),
                _struct_time(dict.get(entry, "published_parsed")),
            )
            if d
        ]
        items.append(Item(urljoin(url, link.strip()), max(dates) if dates else None, entry.get("title")))
    problem = None
    if not parsed.entries and parsed.bozo:
        problem = f"not a feed: {type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}"[:300]
    return Discovered(items, [], problem)


def _gunzip(body: bytes, limit: int) -> bytes:
    reader = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = reader.decompress(body, limit + 1)
    if len(data) > limit:
        raise ValueError(f"gzip sitemap is over {limit} bytes unpacked")
    return data


def from_sitemap(body: bytes, url: str, *, max_bytes: int) -> Discovered:
    from usp.objects.sitemap import AbstractIndexSitemap, InvalidSitemap
    from usp.tree import sitemap_from_str

    if body[:2] == b"\x1f\x8b":
        try:
            body = _gunzip(body, max_bytes)
        except (ValueError, zlib.error, gzip.BadGzipFile) as exc:
            return Discovered([], [], f"bad gzip: {exc}")
    text = body.decode("utf-8", "replace")
    sitemap = sitemap_from_str(text)
    if isinstance(sitemap, InvalidSitemap):
        return Discovered([], [], f"not a sitemap: {getattr(sitemap, 'reason', '')}"[:300])
    children: list[str] = []
    if isinstance(sitemap, AbstractIndexSitemap):
        children = [urljoin(url, child.url) for child in sitemap.sub_sitemaps]
        return Discovered([], children)
    items = []
    for page in sitemap.all_pages():
        dates = [d for d in (page.last_modified, page.news_story.publish_date if page.news_story else None) if d]
        dates = [d if d.tzinfo else d.replace(tzinfo=UTC) for d in dates]
        title = page.news_story.title if page.news_story else None
        items.append(Item(urljoin(url, page.url), max(dates) if dates else None, title))
    stripped = text.strip()
    if not items and stripped and not stripped.startswith("<") and "://" not in stripped[:2000]:
        return Discovered([], [], "not a sitemap: neither XML nor lines of URLs")
    return Discovered(items, [])


def discover(
    kind: str, body: bytes, url: str, *, headers: dict[str, str] | None = None, max_bytes: int = 64 * 1024 * 1024
) -> Discovered:
    """Items (and child sitemaps) of a document of kind `feed` or `sitemap`."""
    try:
        found = from_feed(body, url, headers) if kind == "feed" else from_sitemap(body, url, max_bytes=max_bytes)
    except Exception as exc:  # a parser bug on one document must not stop the source
        log.exception("parsing %s %s failed", kind, url)
        return Discovered([], [], f"parser error: {type(exc).__name__}: {exc}"[:300])
    kept = []
    for item in found.items:
        try:
            normalise(item.url)
        except BadURL:
            log.info("%s %s: item URL %r is not http(s), skipped", kind, url, item.url[:120])
            continue
        kept.append(item)
    return Discovered(kept, found.sitemaps, found.problem)
