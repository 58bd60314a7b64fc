"""`newsroom demo`: local broker + one worker + the bundled sample pages, printed live.

Everything it starts it stops again on Ctrl-C (or after --seconds): the worker always, the
broker only if the demo started it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import orjson

from streams.broker.local import PROJECT_ROOT, LocalBroker, default_home, free_port, with_local_broker
from streams.settings import load_settings

SAMPLES = [PROJECT_ROOT / "tests" / "fixtures", PROJECT_ROOT / "tests" / "fixtures" / "pages"]


def sample_pages() -> list[Path]:
    pages: list[Path] = []
    for folder in SAMPLES:
        pages += sorted(p for p in folder.glob("*") if p.suffix in (".html", ".htm") or p.name.endswith(".html.gz"))
    return pages


def fetch_json(url: str, timeout: float = 2.0):
    with urllib.request.urlopen(url, timeout=timeout) as resp:  # loopback only
        return orjson.loads(resp.read())


def wait_for_web(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the worker exited with code {proc.returncode} while starting")
        try:
            fetch_json(url)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the worker's web server at {url} did not answer within {timeout:.0f}s")


def format_counts(counts: dict) -> str:
    if not counts:
        return "  (no ministry counted yet)"
    width = max(len(k) for k in counts)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1]["count"], kv[0]))
    return "\n".join(f"  {mid:<{width}}  {c['count']:>5}  {c['name_ko']}" for mid, c in rows)


def summary_line(article: dict) -> str:
    ministries = ", ".join(f"{m['name_ko']}{'*' if m.get('primary') else ''}" for m in article.get("ministries", []))
    topics = ", ".join(t["id"] for t in article.get("topics", [])[:4])
    return f"● {article.get('title', '')[:60]}\n    press={article.get('press')}  ministries=[{ministries}]  topics=[{topics}]"


def demo_feed_config(site_base: str, metrics_port: int):
    """The feed's config for the demo: the local news site's RSS, Atom and news sitemap."""
    from streams.feed.config import parse_config

    return parse_config(
        {
            "fetch": {
                "user_agent": "newsroom-streams-feed/0.1 (demo)",
                "per_host_concurrency": 2,
                "per_host_delay_seconds": 0.05,
                "timeout_seconds": 5,
                "retries": 1,
                "backoff_seconds": 0.2,
            },
            "feed": {"memory_topic": "news.feed.demo.fetched", "metrics_port": metrics_port},
            "sources": [
                {
                    "name": "local-rss",
                    "kind": "feed",
                    "url": f"{site_base}/rss.xml",
                    "interval_seconds": 30,
                    "about": "the local news site's RSS 2.0 feed",
                },
                {
                    "name": "local-atom",
                    "kind": "feed",
                    "url": f"{site_base}/atom.xml",
                    "interval_seconds": 30,
                    "about": "its Atom feed",
                },
                {
                    "name": "local-news-sitemap",
                    "kind": "sitemap",
                    "url": f"{site_base}/sitemap-index.xml",
                    "interval_seconds": 60,
                    "about": "its sitemap index and Google News sitemap",
                },
            ],
        },
        "demo",
    )


async def _start_feed(settings, stop: asyncio.Event):
    """The local news site and `newsroom feed` over it, in this process; returns (task, site)."""
    import logging

    from streams.feed.service import run_feed
    from streams.feed.site import NewsSite, default_pages

    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("[feed] %(message)s"))
    feed_log = logging.getLogger("newsroom.feed")
    feed_log.addHandler(handler)
    feed_log.setLevel(logging.INFO)
    feed_log.propagate = False
    logging.getLogger("usp").setLevel(logging.WARNING)
    corpora = PROJECT_ROOT.parent / "shared" / "corpora"
    site = NewsSite(default_pages(corpora if corpora.is_dir() else None))
    await site.start()
    metrics_port = free_port()
    print(
        f"[site] local news site at {site.base}/rss.xml ({len(site.pages)} pages; robots.txt forbids /private/); "
        f"feed metrics at http://127.0.0.1:{metrics_port}/metrics",
        flush=True,
    )
    task = asyncio.create_task(run_feed(demo_feed_config(site.base, metrics_port), settings, stop=stop))
    return task, site


def run_demo(seconds: float | None = None, web_port: int | None = None, feed: bool = False) -> int:
    from streams.kafka_io import produce_records, tail_topic

    home = default_home()
    started_broker = None
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        broker = LocalBroker(home)
        if not broker.info():
            started_broker = broker
        broker.start(log=lambda m: print(f"[broker] {m}", flush=True))
    settings = load_settings(with_local_broker())
    port = web_port or free_port()
    env = dict(
        os.environ,
        NEWSROOM_WEB_PORT=str(port),
        KAFKA_BOOTSTRAP_SERVERS=settings.bootstrap_servers,
        NEWSROOM_LOG_LEVEL=os.environ.get("NEWSROOM_LOG_LEVEL", "warning"),
    )
    worker_log = home / "demo-worker.log"
    home.mkdir(parents=True, exist_ok=True)
    print(f"[worker] starting (log: {worker_log}, web: http://127.0.0.1:{port}/counts/ministries)", flush=True)
    with open(worker_log, "ab") as log_file:
        worker = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    stop = asyncio.Event()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await loop.run_in_executor(None, wait_for_web, f"http://127.0.0.1:{port}/healthz", worker)
        print("[worker] ready", flush=True)

        def show(key, value, meta) -> None:
            print(summary_line(orjson.loads(value)), flush=True)

        tail = asyncio.create_task(tail_topic(settings, settings.topics.enriched, show, from_end=True, stop=stop))
        await asyncio.sleep(2.0)  # let the tail take its position at the end of news.enriched
        from streams.inputs import read_record

        feed_task = site = None
        if feed:
            feed_task, site = await _start_feed(settings, stop)
        else:
            pages = sample_pages()
            records = [read_record(str(p)) for p in pages]
            await produce_records(settings, settings.topics.raw, [(r.key, r.value) for r in records])
            print(f"[demo] sent {len(records)} sample page(s) to {settings.topics.raw}; Ctrl-C to stop", flush=True)
        started = time.monotonic()
        last_counts = None
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=3.0)
            except TimeoutError:
                pass
            try:
                counts = await loop.run_in_executor(None, fetch_json, f"http://127.0.0.1:{port}/counts/ministries")
            except OSError:
                counts = last_counts
            if counts is not None and counts != last_counts:
                print(f"[counts] per ministry (all time):\n{format_counts(counts)}", flush=True)
                last_counts = counts
            if worker.poll() is not None:
                print(f"[worker] exited with code {worker.returncode}; see {worker_log}", flush=True)
                stop.set()
            if seconds is not None and time.monotonic() - started > seconds:
                stop.set()
            if feed_task is not None and feed_task.done():
                stop.set()
        await tail
        if feed_task is not None:
            try:
                await feed_task  # it stops with the demo, after the polls under way
            except Exception as exc:  # noqa: BLE001 - said, and the demo still stops what it started
                print(f"[feed] stopped: {type(exc).__name__}: {exc}", flush=True)
            await site.stop()

    code = 0
    try:
        asyncio.run(main())
    except (RuntimeError, KeyboardInterrupt) as exc:
        if isinstance(exc, RuntimeError):
            print(f"[demo] {exc}", file=sys.stderr)
            code = 1
    finally:
        print("[demo] stopping ...", flush=True)
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        if started_broker:
            started_broker.stop(log=lambda m: print(f"[broker] {m}", flush=True))
    return code
