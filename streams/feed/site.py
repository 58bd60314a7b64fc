"""A local news site on loopback, for `newsroom demo --feed` and the feed's tests (no internet).

It serves real article pages (the corpora's, or the synthetic pages of tests/fixtures/pages) and,
over them, an RSS 2.0 feed, an Atom feed, a sitemap index with a Google News sitemap, and what a
polite fetcher meets on the web:
  /robots.txt        forbids /private/
  /private/<n>       a page behind that rule (listed in the RSS feed and behind a redirect)
  /flaky/<n>         503 (Retry-After: 0) the first time, then the page
  /old/<n>           301 to /article/<n>;   /to-private/<n>: 302 into /private/
  /amp/<n>           the page again, naming /article/<n> as its canonical URL
  /big, /big-stream  a 30 MB page, with a Content-Length and streamed without one
  /article/<n>       the page, with an ETag and Last-Modified, answering 304 to a matching request
The RSS feed repeats an item and gives another with tracking parameters and a fragment; the feeds
answer 304 to a matching If-None-Match. Every request is logged (path, headers) and the largest
number of requests in flight at once is kept, for the tests to check politeness from the outside.
`SilentHost` accepts connections and never answers.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, UTC
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SYNTHETIC_PAGES = PROJECT_ROOT / "tests" / "fixtures" / "pages"
ROBOTS = "User-agent: *\nDisallow: /private/\n"
BIG_BYTES = 30 * 1024 * 1024
PRIVATE = b"<html><head><meta charset='utf-8'><title>private</title></head><body><p>never fetched</p></body></html>"


@dataclass
class SitePage:
    name: str
    body: bytes

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


def pages_in(*folders: Path) -> list[SitePage]:
    pages = []
    for folder in folders:
        for path in sorted(folder.glob("*.html")):
            pages.append(SitePage(path.stem, path.read_bytes()))
    return pages


def default_pages(corpora: Path | None) -> list[SitePage]:
    """The Korean real pages (ko-real, ko-pool) where the corpora lie, else the synthetic pages."""
    if corpora is not None and (corpora / "ko-real").is_dir():
        return pages_in(corpora / "ko-real", corpora / "ko-pool")
    return pages_in(SYNTHETIC_PAGES)


@dataclass
class Roles:
    """Which page plays which part. Every page is an allowed article at /article/<name> in the end."""

    flaky: str
    moved: str  # listed as /old/<name>
    amp: str  # listed as /amp/<name> (Atom) and /article/<name> (RSS)
    repeated: str  # twice in RSS, and in Atom with tracking parameters and a fragment
    rss: list[str] = field(default_factory=list)
    atom: list[str] = field(default_factory=list)
    sitemap: list[str] = field(default_factory=list)


def assign(names: list[str]) -> Roles:
    if len(names) < 6:
        raise ValueError("the local news site needs at least 6 pages")
    roles = Roles(flaky=names[0], moved=names[1], amp=names[2], repeated=names[3])
    rest = names[4:]
    roles.rss = [roles.amp, roles.repeated] + rest[0::3]
    roles.atom = rest[1::3]
    roles.sitemap = rest[2::3] + rest[:2]  # two also in RSS: one article, two sources
    return roles


class NewsSite:
    def __init__(
        self,
        pages: list[SitePage],
        *,
        page_delay: float = 0.0,
        silent_url: str | None = None,
        now: datetime | None = None,
    ):
        self.pages = {p.name: p for p in pages}
        self.roles = assign(list(self.pages))
        self.page_delay = page_delay
        self.silent_url = silent_url  # a page on a host that never answers, listed in the RSS feed
        now = now or datetime.now(UTC)
        self.dates = {name: (now - timedelta(minutes=i)).replace(microsecond=0) for i, name in enumerate(self.pages)}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.started_at: list[float] = []  # time.monotonic() of each request's arrival
        self._active: dict[int, web.Request] = {}  # id -> request whose handler has not returned
        self.max_in_flight = 0  # most requests at once whose client was still connected
        self._flaky_served: set[str] = set()
        self.base = ""
        self._runner: web.AppRunner | None = None

    # -- what a test changes -------------------------------------------------------------------
    def touch(self, name: str, minutes: int = 1) -> None:
        """Give an item a newer date in its feed (its page unchanged)."""
        self.dates[name] += timedelta(minutes=minutes)

    def edit(self, name: str, text: str) -> None:
        """Change a page's body (so its ETag) and give its item a newer date."""
        page = self.pages[name]
        page.body = page.body.replace(b"</body>", f"<p>{text}</p></body>".encode(), 1)
        self.touch(name)

    def article_url(self, name: str) -> str:
        return f"{self.base}/article/{name}"

    def expected_ids(self) -> dict[str, str]:
        """article id -> page name, for every page a polite feed must send once: its id is made from
        the URL it is listed at (/flaky/ for the flaky page, /article/ for the others) or the same-site
        canonical URL the page names (YTN's pages name a relative one)."""
        from streams.clean.decode import decode_bytes

        from .canonical import article_url
        from .urls import article_id

        ids = {}
        for name, page in self.pages.items():
            listed = f"{self.base}/flaky/{name}" if name == self.roles.flaky else self.article_url(name)
            ids[article_id(article_url(decode_bytes(page.body)[0], listed))] = name
        return ids

    def paths_requested(self) -> list[str]:
        return [path for path, _ in self.requests]

    # -- serving -------------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/robots.txt", self._robots)
        app.router.add_get("/rss.xml", self._rss)
        app.router.add_get("/atom.xml", self._atom)
        app.router.add_get("/sitemap-index.xml", self._sitemap_index)
        app.router.add_get("/news-sitemap.xml", self._news_sitemap)
        app.router.add_get("/article/{name}", self._article)
        app.router.add_get("/amp/{name}", self._amp)
        app.router.add_get("/flaky/{name}", self._flaky)
        app.router.add_get("/old/{name}", self._moved)
        app.router.add_get("/to-private/{name}", self._to_private)
        app.router.add_get("/private/{name}", self._private)
        app.router.add_get("/big", self._big)
        app.router.add_get("/big-stream", self._big_stream)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base = f"http://{host}:{port}"
        return self.base

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @web.middleware
    async def _record(self, request: web.Request, handler):
        self.requests.append((request.path_qs, dict(request.headers)))
        self.started_at.append(time.monotonic())
        self._active[id(request)] = request
        # A request counts while its client is connected: a fetcher that hung up at its size limit
        # is done with it, though the handler may go on writing until it notices.
        connected = sum(1 for r in self._active.values() if r.transport is not None and not r.transport.is_closing())
        self.max_in_flight = max(self.max_in_flight, connected)
        try:
            return await handler(request)
        finally:
            self._active.pop(id(request), None)

    async def _robots(self, request: web.Request) -> web.StreamResponse:
        return web.Response(text=ROBOTS)

    async def _moved(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPMovedPermanently(f"/article/{request.match_info['name']}")

    async def _to_private(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"/private/{request.match_info['name']}")

    async def _private(self, request: web.Request) -> web.StreamResponse:
        return web.Response(body=PRIVATE, content_type="text/html")

    def _document(self, request: web.Request, text: str, content_type: str) -> web.StreamResponse:
        etag = '"' + hashlib.sha256(text.encode()).hexdigest()[:20] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(text=text, content_type=content_type, charset="utf-8", headers={"ETag": etag})

    def _rss_item(self, link: str, name: str) -> str:
        date = format_datetime(self.dates[name])
        return (
            f"<item><title><![CDATA[{name}]]></title><link>{escape(link)}</link>"
            f"<guid isPermaLink=\"false\">{name}</guid><pubDate>{date}</pubDate></item>"
        )

    async def _rss(self, request: web.Request) -> web.StreamResponse:
        r, b = self.roles, self.base
        items = [self._rss_item(f"{b}/article/{n}", n) for n in r.rss]
        items.append(self._rss_item(f"{b}/article/{r.repeated}", r.repeated))  # the same item again
        items.append(self._rss_item(f"{b}/flaky/{r.flaky}", r.flaky))
        items.append(self._rss_item(f"{b}/old/{r.moved}", r.moved))
        first = r.rss[0]
        items.append(self._rss_item(f"{b}/private/secret-1", first))
        items.append(self._rss_item(f"{b}/to-private/secret-2", first))
        items.append(self._rss_item(f"{b}/big", first))
        items.append(self._rss_item(f"{b}/big-stream", first))
        if self.silent_url:
            items.append(self._rss_item(self.silent_url, first))
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>로컬 뉴스</title>'
            f"<link>{b}/</link><description>local test site</description>{''.join(items)}</channel></rss>"
        )
        return self._document(request, xml, "application/rss+xml")

    async def _atom(self, request: web.Request) -> web.StreamResponse:
        r, b = self.roles, self.base

        def entry(link: str, name: str) -> str:
            return (
                f"<entry><title>{escape(name)}</title><link href=\"{escape(link)}\"/><id>urn:{name}</id>"
                f"<updated>{self.dates[name].isoformat()}</updated></entry>"
            )

        entries = [entry(f"{b}/article/{n}", n) for n in r.atom]
        entries.append(entry(f"{b}/amp/{r.amp}", r.amp))
        entries.append(entry(f"{b}/article/{r.repeated}?utm_source=atom&utm_medium=feed&from=rss#comments", r.repeated))
        xml = (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>로컬 뉴스 Atom</title><id>urn:local</id><updated>{max(self.dates.values()).isoformat()}</updated>"
            f"{''.join(entries)}</feed>"
        )
        return self._document(request, xml, "application/atom+xml")

    async def _sitemap_index(self, request: web.Request) -> web.StreamResponse:
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{self.base}/news-sitemap.xml</loc></sitemap></sitemapindex>"
        )
        return self._document(request, xml, "application/xml")

    async def _news_sitemap(self, request: web.Request) -> web.StreamResponse:
        urls = "".join(
            f"<url><loc>{self.base}/article/{n}</loc><news:news><news:publication><news:name>로컬</news:name>"
            f"<news:language>ko</news:language></news:publication><news:publication_date>{self.dates[n].isoformat()}"
            f"</news:publication_date><news:title>{escape(n)}</news:title></news:news></url>"
            for n in self.roles.sitemap
        )
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
        )
        return self._document(request, xml, "application/xml")

    async def _page(self, request: web.Request, page: SitePage, body: bytes | None = None) -> web.StreamResponse:
        if self.page_delay:
            await asyncio.sleep(self.page_delay)
        body = page.body if body is None else body
        headers = {"ETag": page.etag, "Last-Modified": format_datetime(self.dates[page.name], usegmt=True)}
        if request.headers.get("If-None-Match") == page.etag:
            return web.Response(status=304, headers=headers)
        try:
            body.decode("utf-8")
            content_type = "text/html; charset=utf-8"
        except UnicodeDecodeError:
            content_type = "text/html"  # a legacy-encoded page whose server names no charset
        return web.Response(body=body, headers={**headers, "Content-Type": content_type})

    def _named(self, request: web.Request) -> SitePage:
        page = self.pages.get(request.match_info["name"])
        if page is None:
            raise web.HTTPNotFound()
        return page

    async def _article(self, request: web.Request) -> web.StreamResponse:
        return await self._page(request, self._named(request))

    async def _amp(self, request: web.Request) -> web.StreamResponse:
        page = self._named(request)
        link = f'<link rel="canonical" href="{self.article_url(page.name)}">'.encode()
        body = page.body.replace(b"<head>", b"<head>" + link, 1) if b"<head>" in page.body else link + page.body
        return await self._page(request, page, body)

    async def _flaky(self, request: web.Request) -> web.StreamResponse:
        page = self._named(request)
        if page.name not in self._flaky_served:
            self._flaky_served.add(page.name)
            return web.Response(status=503, headers={"Retry-After": "0"}, text="busy")
        return await self._page(request, page)

    async def _big(self, request: web.Request) -> web.StreamResponse:
        return web.Response(body=b"<html><body>" + b"x" * BIG_BYTES, content_type="text/html")

    async def _big_stream(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b"<p>" + b"y" * (1024 * 1024) + b"</p>"
        try:
            for _ in range(BIG_BYTES // len(chunk) + 1):
                if request.transport is None or request.transport.is_closing():
                    raise ConnectionResetError("the fetcher hung up")
                await response.write(chunk)
        except (ConnectionError, RuntimeError):  # the fetcher hung up at its limit
            self.requests.append(("/big-stream#dropped", {}))
        return response


class SilentHost:
    """A host that accepts connections and never answers."""

    def __init__(self) -> None:
        self._server: asyncio.AbstractServer | None = None
        self.connections = 0
        self.base = ""

    async def start(self, host: str = "127.0.0.1") -> str:
        async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self.connections += 1
            try:
                await reader.read()  # until the client gives up
            finally:
                writer.close()

        self._server = await asyncio.start_server(hold, host, 0)
        self.base = f"http://{host}:{self._server.sockets[0].getsockname()[1]}"
        return self.base

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()


class SiteThread:
    """A NewsSite (and a SilentHost) served from a thread, for a feed running in another process."""

    def __init__(self, pages: list[SitePage], **kwargs):
        self._pages, self._kwargs = pages, kwargs
        self.loop = asyncio.new_event_loop()
        self.site: NewsSite | None = None
        self.silent = SilentHost()
        self._thread = threading.Thread(target=self.loop.run_forever, name="news-site", daemon=True)

    def __enter__(self) -> SiteThread:
        self._thread.start()

        async def start() -> NewsSite:
            silent = await self.silent.start()
            site = NewsSite(self._pages, silent_url=f"{silent}/article/never", **self._kwargs)
            await site.start()
            return site

        self.site = asyncio.run_coroutine_threadsafe(start(), self.loop).result(30)
        return self

    def call(self, fn, *args):
        """Run fn(*args) in the site's thread (to change the site while it serves)."""

        async def run():
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(30)

    def __exit__(self, *exc) -> None:
        async def stop() -> None:
            await self.site.stop()
            await self.silent.stop()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
