"""Web views of the live counts, health, readiness and metrics.

GET /counts/ministries[?window=1h|24h|all][&at=ISO]         {id: {"name_ko", "count"}}
GET /counts/ministries/{id}/series?window=1h|24h&last=N[&at=ISO]
GET /counts/topics...                                        the same, with "label_ko"
GET /healthz   liveness and per-agent counters
GET /readyz    the processing role: 200 once the tables are recovered and no rebalance is under way, else 503
GET /readyz?role=web   the web role (views, desk, /feed): 200 from the first recovery on, through rebalances
GET /metrics   Prometheus exposition

`window=1h` is the hour holding `at` (default: now); `24h` the 24 hours ending with that hour.
Counts are those of the whole cluster, on every worker (streams.live.cluster).
"""

from __future__ import annotations

import time

from prometheus_client import CONTENT_TYPE_LATEST

from streams.live.windows import WINDOW_SPANS, parse_at

KINDS = {"ministries": ("ministry", "name_ko"), "topics": ("topic", "label_ko")}
DEFAULT_LAST = 48


class BadRequest(ValueError):
    pass


def is_ready(app) -> bool:
    """Tables recovered (Faust sets `recovery.completed` once, after the first recovery) and no
    rebalance or recovery under way now."""
    recovery = app.tables.recovery
    return recovery.completed.is_set() and not app.rebalancing and not recovery.in_recovery


def is_web_ready(app) -> bool:
    """The views, the desk and /feed answer from the worker's own readers of the counts, enriched and
    alerts topics (outside the consumer group), so a rebalance does not stop them: ready once the
    worker has recovered its tables once (it has started fully; `recovery.completed` is never cleared)."""
    return app.tables.recovery.completed.is_set()


READINESS = {"processing": is_ready, "web": is_web_ready}  # /readyz?role=...


def _window(query, allow_all: bool) -> str:
    window = query.get("window", "all" if allow_all else "1h")
    allowed = list(WINDOW_SPANS) + (["all"] if allow_all else [])
    if window not in allowed:
        raise BadRequest(f"window={window!r}: use one of {', '.join(allowed)}")
    return window


def _at(query) -> float:
    raw = query.get("at")
    if not raw:
        return time.time()
    try:
        return parse_at(raw)
    except ValueError:
        raise BadRequest(f"at={raw!r} is not an ISO 8601 time") from None


def _last(query, most: int) -> int:
    raw = query.get("last", str(DEFAULT_LAST))
    if not raw.isdigit() or not 1 <= int(raw) <= most:
        raise BadRequest(f"last={raw!r}: use a whole number from 1 to {most} (the retention in hours)")
    return int(raw)


def counts_table(newsroom, live, plural: str, query) -> dict:
    kind, label = KINDS[plural]
    window = _window(query, allow_all=True)
    if window == "all":
        counts = live.totals(kind)
    else:
        counts = live.window_counts(kind, WINDOW_SPANS[window], _at(query))
    return {
        key.split(":", 1)[1]: {label: newsroom.names.get(key, key), "count": n} for key, n in sorted(counts.items())
    }


def series_body(newsroom, live, plural: str, subject: str, query) -> dict:
    kind, label = KINDS[plural]
    key = f"{kind}:{subject}"
    window = _window(query, allow_all=False)
    last = _last(query, newsroom.settings.live.retention_hours)
    at = _at(query)
    if key not in newsroom.names and not live.knows(key):
        raise LookupError(f"no {kind} {subject!r}")
    return {
        "id": subject,
        label: newsroom.names.get(key, key),
        "window": window,
        "series": live.series(key, WINDOW_SPANS[window], at, last),
    }


def register(newsroom, live, metrics) -> None:
    app = newsroom.app

    def answer(web, make):
        try:
            return web.json(make())
        except BadRequest as err:
            return web.json({"error": str(err)}, status=400)
        except LookupError as err:
            return web.json({"error": str(err)}, status=404)

    def add_count_views(plural: str) -> None:
        async def table_view(web, request):
            return answer(web, lambda: counts_table(newsroom, live, plural, request.query))

        async def series_view(web, request, id):  # the route names it id
            return answer(web, lambda: series_body(newsroom, live, plural, id, request.query))

        table_view.__name__, series_view.__name__ = f"{plural}_counts", f"{plural}_series"
        app.page(f"/counts/{plural}")(table_view)
        app.page(f"/counts/{plural}/{{id}}/series")(series_view)

    for plural in KINDS:
        add_count_views(plural)

    @app.page("/healthz")
    async def healthz(web, request):
        return web.json({"status": "ok", "progress": newsroom.progress.counters})

    @app.page("/readyz")
    async def readyz(web, request):
        role = request.query.get("role", "processing")
        if role not in READINESS:
            return web.json({"error": f"role={role!r}: use one of {', '.join(READINESS)}"}, status=400)
        ready = READINESS[role](app)
        return web.json(
            {
                "ready": ready,
                "role": role,
                "recovered": app.tables.recovery.completed.is_set(),
                "rebalancing": bool(app.rebalancing),
            },
            status=200 if ready else 503,
        )

    @app.page("/metrics")
    async def metrics_view(web, request):
        await metrics.refresh(is_ready(app))
        return web.bytes(metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST})
