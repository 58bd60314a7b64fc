"""The newsroom desk: a page at `/` with a live feed, per-ministry counts and alerts.

    news.enriched ──(plain consumer, all partitions, no group)──▶ Hub ──▶ GET /feed (SSE, per client)
    news.alerts   ──(the same)───────────────────────────────────▶ Hub      event: article | alert

Each worker runs its own tails, so every worker's page shows every article, however the
pipeline's partitions are split between workers. Installed by listing "streams.desk" in
`streams.app.EXTENSIONS`.
"""

from __future__ import annotations

from streams.desk.feed import Hub, alert_summary, article_summary
from streams.desk.tail import follow_forever
from streams.desk.web import register

__all__ = ["install", "Hub"]

RECENT_ARTICLES = 50  # sent to a page when it connects, so it is not empty
RECENT_ALERTS = 20


def install(newsroom) -> None:
    app, settings, progress = newsroom.app, newsroom.settings, newsroom.progress
    hub = Hub(ring_sizes={"article": RECENT_ARTICLES, "alert": RECENT_ALERTS})
    newsroom.desk = hub  # for tests and other extensions: what the page is being sent
    register(newsroom, hub)

    def on_article(record, live: bool) -> None:
        summary = article_summary(record.value, record.timestamp)
        if summary is not None:
            hub.publish("article", summary, live=live)
            progress.add("desk_articles")

    def on_alert(record, live: bool) -> None:
        summary = alert_summary(record.value, record.timestamp)
        if summary is not None:
            hub.publish("alert", summary, live=live)
            progress.add("desk_alerts")

    @app.task
    async def desk_follow_articles() -> None:
        await follow_forever(settings, settings.topics.enriched, on_article, replay=RECENT_ARTICLES)

    @app.task
    async def desk_follow_alerts() -> None:
        await follow_forever(settings, settings.topics.alerts, on_alert, replay=RECENT_ALERTS)

    async def close_streams(app, **kwargs) -> None:
        # The app stops before its web server, and the web server waits for open responses:
        # end the event streams first so the worker stops at once.
        hub.close()

    app.on_before_shutdown.connect(close_streams)
