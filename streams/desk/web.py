"""The desk's routes on the worker's web server (Faust's aiohttp driver).

Faust views may return any aiohttp response, so `/feed` is a Faust page whose handler prepares an
aiohttp `StreamResponse` and keeps writing Server-Sent Events to it until the client goes away or
the hub closes (worker shutdown). The page and its two static files are read once at start.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from aiohttp import web as aioweb

from streams.desk.feed import FeedFilter, FilterError, Hub

STATIC = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {"desk.js": "text/javascript", "desk.css": "text/css"}
HEARTBEAT_SECONDS = 15.0  # a comment line, so proxies keep the stream open and dead clients are found
RETRY_MS = 2000  # how soon EventSource reconnects after the stream ends

# Defence in depth under textContent: no inline script or handler can run, nothing loads from elsewhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def register(newsroom, hub: Hub) -> None:
    app = newsroom.app
    files = {name: (STATIC / name).read_bytes() for name in ("index.html", *STATIC_TYPES)}

    def static_response(name: str, content_type: str) -> aioweb.Response:
        return aioweb.Response(body=files[name], content_type=content_type, charset="utf-8", headers=SECURITY_HEADERS)

    @app.page("/", name="desk_page")
    async def desk_page(view, request):
        return static_response("index.html", "text/html")

    @app.page("/desk/static/{name}", name="desk_static")
    async def desk_static(view, request, name: str):
        if name not in STATIC_TYPES:
            return view.json({"error": "not found"}, status=404)
        return static_response(name, STATIC_TYPES[name])

    @app.page("/desk/catalogue", name="desk_catalogue")
    async def desk_catalogue(view, request):
        """Ministries and topics the filters offer: {"ministries": [{"id", "name_ko"}], "topics": [...]}."""
        ministries, topics = [], []
        for key, name in newsroom.names.items():
            kind, _, ident = key.partition(":")
            if kind == "ministry":
                ministries.append({"id": ident, "name_ko": name})
            elif kind == "topic":
                topics.append({"id": ident, "label_ko": name})
        return view.json(
            {
                "ministries": sorted(ministries, key=lambda m: m["name_ko"]),
                "topics": sorted(topics, key=lambda t: t["label_ko"]),
            }
        )

    @app.page("/feed", name="desk_feed")
    async def desk_feed(view, request):
        """Server-Sent Events: `event: article` (filtered by ?ministry=&topic=) and `event: alert`."""
        try:
            feed_filter = FeedFilter.from_query(request.query)
        except FilterError as exc:
            return view.json({"error": str(exc)}, status=400)
        if hub.full:
            return view.json({"error": "too many desk clients"}, status=503, headers={"Retry-After": "10"})
        return await stream_events(request, hub, feed_filter)


async def stream_events(request, hub: Hub, feed_filter: FeedFilter) -> aioweb.StreamResponse:
    response = aioweb.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache, no-transform",
            "X-Accel-Buffering": "no",
            "X-Content-Type-Options": "nosniff",
        }
    )
    await response.prepare(request)
    client, backlog = hub.connect(feed_filter, request.headers.get("Last-Event-ID"))
    try:
        await response.write(f"retry: {RETRY_MS}\n\n".encode() + b"".join(backlog))
        while True:
            try:
                first = await asyncio.wait_for(client.queue.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                await response.write(b": keep-alive\n\n")
                continue
            frames = [first, *client.drain()]
            closing = None in frames
            await response.write(b"".join(f for f in frames if f is not None))
            if closing:
                break
    except ConnectionError:  # the browser went away (aiohttp raises ClientConnectionResetError)
        pass
    finally:
        hub.disconnect(client)
    return response
