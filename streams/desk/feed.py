"""The desk feed: what the browser is sent, and the hub that fans events out to connected clients.

Kafka records become small summaries (`article_summary`, `alert_summary`), each framed once as a
Server-Sent Event. The `Hub` keeps the last few of each kind for clients that connect later, and
gives every client a bounded queue: a client that reads too slowly loses its oldest events and
never blocks the tail that feeds the hub.
"""

from __future__ import annotations

import asyncio
import re
from collections import deque
from dataclasses import dataclass, field
from collections.abc import Mapping

import orjson

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
MAX_TEXT = 500  # characters of a title or press name sent to the page


class FilterError(ValueError):
    """A /feed query parameter is not a ministry or topic id."""


def safe_url(value) -> str | None:
    """The URL if it is http(s), else None: the page never links anything else."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    return url if re.match(r"^https?://[^\s]+$", url, re.IGNORECASE) else None


def _text(value, limit: int = MAX_TEXT) -> str | None:
    return value[:limit] if isinstance(value, str) else None


def article_summary(value: bytes, timestamp_ms: int | None = None) -> dict | None:
    """The fields of an EnrichedArticle the desk shows, or None if the value is not one."""
    try:
        article = orjson.loads(value)
    except (orjson.JSONDecodeError, TypeError):
        return None
    if not isinstance(article, dict) or not isinstance(article.get("id"), str):
        return None
    ministries = [
        {"id": m["id"], "name_ko": _text(m.get("name_ko")) or m["id"], "primary": bool(m.get("primary"))}
        for m in article.get("ministries") or []
        if isinstance(m, dict) and isinstance(m.get("id"), str)
    ]
    topics = [
        {"id": t["id"], "label_ko": _text(t.get("label_ko")) or t["id"]}
        for t in article.get("topics") or []
        if isinstance(t, dict) and isinstance(t.get("id"), str)
    ]
    return {
        "id": article["id"][:200],
        "title": _text(article.get("title")) or "",
        "press": _text(article.get("press")),
        "published_at": _text(article.get("published_at"), 40),
        "url": safe_url(article.get("url")),
        "ministries": ministries,
        "topics": topics,
        "ts": timestamp_ms,
    }


def alert_summary(value: bytes, timestamp_ms: int | None = None) -> dict | None:
    """An Alert as the desk shows it, or None if the value is not a JSON object."""
    try:
        alert = orjson.loads(value)
    except (orjson.JSONDecodeError, TypeError):
        return None
    if not isinstance(alert, dict):
        return None
    keep = {k: alert.get(k) for k in ("kind", "subject", "window", "observed", "baseline", "threshold", "at")}
    for k in ("kind", "subject", "window", "at"):
        keep[k] = _text(keep[k], 200)
    for k in ("observed", "baseline", "threshold"):
        if not isinstance(keep[k], (int, float)) or isinstance(keep[k], bool):
            keep[k] = None
    keep["ts"] = timestamp_ms
    return keep


def sse_frame(event: str, data: dict, event_id: int | None = None) -> bytes:
    """One Server-Sent Event; the JSON is a single line, so one `data:` field carries it."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\n".encode() + b"data: " + orjson.dumps(data) + b"\n\n"


@dataclass(frozen=True)
class FeedFilter:
    """`/feed?ministry=<id>&topic=<id>`: articles tagged with both (when given). Alerts always pass."""

    ministry: str | None = None
    topic: str | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> FeedFilter:
        values = {}
        for name in ("ministry", "topic"):
            raw = (query.get(name) or "").strip()
            if raw and not ID_PATTERN.match(raw):
                raise FilterError(f"{name}={raw[:80]!r} is not an id (letters, digits, '.', '_', '-')")
            values[name] = raw or None
        return cls(**values)

    def accepts(self, item: Item) -> bool:
        if item.kind != "article":
            return True
        data = item.data
        if self.ministry and not any(m["id"] == self.ministry for m in data["ministries"]):
            return False
        if self.topic and not any(t["id"] == self.topic for t in data["topics"]):
            return False
        return True


@dataclass(frozen=True)
class Item:
    seq: int
    kind: str  # "article" or "alert": the SSE event type
    data: dict
    frame: bytes


CLOSE = None  # queued to a client when the hub closes


class Client:
    """One connected browser: a bounded queue of frames, oldest dropped when full."""

    def __init__(self, feed_filter: FeedFilter, queue_size: int):
        self.filter = feed_filter
        self.queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=queue_size)
        self.loop = asyncio.get_running_loop()
        self.dropped = 0

    def offer(self, item: Item) -> None:
        if self.filter.accepts(item):
            self._from_any_thread(item.frame)

    def close(self) -> None:
        self._from_any_thread(CLOSE)

    def _from_any_thread(self, frame: bytes | None) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            self._put(frame)
        else:  # Faust's web server may run in its own thread (web_in_thread)
            self.loop.call_soon_threadsafe(self._put, frame)

    def _put(self, frame: bytes | None) -> None:
        while True:
            try:
                self.queue.put_nowait(frame)
                return
            except asyncio.QueueFull:
                self.queue.get_nowait()
                self.dropped += 1

    def drain(self) -> list[bytes | None]:
        frames = []
        while not self.queue.empty():
            frames.append(self.queue.get_nowait())
        return frames


@dataclass
class Hub:
    """Recent events of each kind, and the connected clients they are fanned out to."""

    ring_sizes: dict[str, int] = field(default_factory=lambda: {"article": 50, "alert": 20})
    queue_size: int = 256
    max_clients: int = 100
    clients: set[Client] = field(default_factory=set)
    seq: int = 0
    closed: bool = False
    dropped: int = 0  # frames dropped by slow clients that have disconnected since

    def __post_init__(self) -> None:
        self.rings: dict[str, deque[Item]] = {kind: deque(maxlen=n) for kind, n in self.ring_sizes.items()}

    def publish(self, kind: str, data: dict, *, live: bool = True) -> Item:
        """Remember the event and queue it to every client whose filter accepts it.

        `live=False` is for events replayed at start-up: they fill the ring in time order (what a
        page gets when it connects), and go to the pages already connected, which connected before
        the desk could replay them and so have not had them.
        """
        self.seq += 1
        item = Item(self.seq, kind, data, sse_frame(kind, data, self.seq))
        ring = self.rings[kind]
        if kind == "article":  # news.enriched is at-least-once: an article seen again replaces itself
            for old in [it for it in ring if it.data.get("id") == data.get("id")]:
                ring.remove(old)
        if not live:  # keep the ring in time order, the newest `maxlen` of what was replayed
            ordered = sorted([*ring, item], key=lambda it: (it.data.get("ts") or 0, it.seq))
            ring.clear()
            ring.extend(ordered)
        else:
            ring.append(item)
        for client in list(self.clients):
            client.offer(item)
        return item

    @property
    def full(self) -> bool:
        return len(self.clients) >= self.max_clients

    def connect(self, feed_filter: FeedFilter, last_event_id: str | None = None) -> tuple[Client, list[bytes]]:
        """A new client, and the recent events it should be sent first (oldest first).

        After a reconnect (`Last-Event-ID`), only events newer than that id are replayed; an id
        from before a worker restart (larger than any we have given out) replays everything.
        """
        client = Client(feed_filter, self.queue_size)
        after = _event_id(last_event_id)
        if after is None or after > self.seq:
            after = 0
        backlog = [
            it
            for kind in ("alert", "article")
            for it in self.rings.get(kind, ())
            if it.seq > after and feed_filter.accepts(it)
        ]
        self.clients.add(client)
        if self.closed:
            client.close()
        return client, [it.frame for it in backlog]

    def disconnect(self, client: Client) -> None:
        self.clients.discard(client)
        self.dropped += client.dropped

    def close(self) -> None:
        """End every client's stream (worker shutdown), so the web server can stop at once."""
        self.closed = True
        for client in list(self.clients):
            client.close()


def _event_id(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None
