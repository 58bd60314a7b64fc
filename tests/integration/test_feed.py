"""`newsroom feed` on the real broker, against the local news site (streams/feed/site.py): every
allowed article arrives once on news.raw and comes out of the pipeline enriched; the forbidden path
is never fetched; the per-host limit holds; a restart fetches nothing twice; a 304 costs nothing."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import orjson
import pytest
import yaml

from tests.feed_support import FAST, site_pages
from schemas import FetchedURL
from streams.feed.site import SiteThread
from streams.kafka_io import tail_topic
from tests.support import ROOT, progress, read_all

pytestmark = pytest.mark.integration


def write_config(path, site, silent_base: str, memory_topic: str) -> str:
    config = {
        # a real process beside a broker and a worker: a page as big as /big (30 MB, its
        # Content-Length read, its body not) can take over FAST's 0.5 s, and a timeout is
        # transient (not remembered), so the restart below would fetch it again
        "fetch": {**FAST, "per_host_concurrency": 2, "timeout_seconds": 2.0},
        "feed": {"memory_topic": memory_topic, "metrics_port": None},
        "sources": [
            {"name": "local-rss", "kind": "feed", "url": f"{site.base}/rss.xml", "about": "RSS 2.0"},
            {"name": "local-atom", "kind": "feed", "url": f"{site.base}/atom.xml", "about": "Atom"},
            {
                "name": "local-news-sitemap",
                "kind": "sitemap",
                "url": f"{site.base}/sitemap-index.xml",
                "about": "a sitemap index and its news sitemap",
            },
            {"name": "silent", "kind": "feed", "url": f"{silent_base}/rss.xml", "about": "never answers"},
        ],
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return str(path)


def run_feed(env: dict, config: str, log_path) -> int:
    with open(log_path, "ab") as log:
        return subprocess.run(
            [sys.executable, "-m", "streams.cli", "feed", "--once", "--config", config],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=300,
        ).returncode


def ids_on(settings, topic: str, *, idle: float = 3.0) -> list[str]:
    return [key.decode() for key, _ in read_all(settings, topic, idle=idle)]


def enriched_ids(settings, wanted: set[str], timeout: float = 180.0) -> set[str]:
    seen: set[str] = set()
    stop = asyncio.Event()

    def on_event(key, value, meta) -> None:
        seen.add(orjson.loads(value)["id"])
        if wanted <= seen:
            stop.set()

    async def run() -> None:
        tail = asyncio.create_task(tail_topic(settings, settings.topics.enriched, on_event, stop=stop))
        try:
            await asyncio.wait_for(stop.wait(), timeout)
        except TimeoutError:
            pass
        stop.set()
        await tail

    asyncio.run(run())
    return seen


def page_paths(site, start: int = 0) -> list[str]:
    return [p for p in site.paths_requested()[start:] if not p.endswith((".xml", "robots.txt"))]


def test_feed_sends_each_allowed_article_once_and_the_pipeline_enriches_it(
    worker, pipeline_env, pipeline_settings, tmp_path
):
    settings = pipeline_settings
    memory_topic = settings.topics.raw + ".fetched"
    log = tmp_path / "feed.log"
    with SiteThread(site_pages(), page_delay=0.02) as thread:
        site = thread.site
        worker.start()
        expected = thread.call(site.expected_ids)
        config = write_config(tmp_path / "sources.yaml", site, thread.silent.base, memory_topic)
        code = run_feed(pipeline_env, config, log)
        assert code == 1, f"the silent source failed, so the run says so:\n{log.read_text()[-3000:]}"

        raw = ids_on(settings, settings.topics.raw)
        assert sorted(raw) == sorted(expected), f"each allowed article once on news.raw:\n{log.read_text()[-3000:]}"
        paths = thread.call(site.paths_requested)
        assert not [p for p in paths if p.startswith("/private/")], "robots.txt forbids /private/"
        assert thread.call(lambda: site.max_in_flight) <= 2, "per-host limit"

        out = enriched_ids(settings, set(expected))
        assert set(expected) <= out, f"not enriched: {[expected[i] for i in set(expected) - out]}\n{worker.log_tail()}"

        remembered = [FetchedURL.model_validate_json(v) for _, v in read_all(settings, memory_topic, idle=1.0)]
        assert {r.id for r in remembered if r.status == "sent"} == set(expected)
        assert any(r.status == "robots" for r in remembered) and any(r.status == "too_large" for r in remembered)

        # a restart (a new process, reading the memory topic): nothing fetched, nothing sent
        mark = thread.call(lambda: len(site.requests))
        taken = progress(worker).get("clean_in", 0)
        run_feed(pipeline_env, config, log)
        assert page_paths(site, mark) == [], "a restart fetched a page again"
        assert len(ids_on(settings, settings.topics.raw, idle=1.0)) == len(raw)

        # a newer date in the feed: one conditional GET, a 304, nothing for the pipeline to do
        name = site.roles.atom[0]
        thread.call(site.touch, name)
        mark = thread.call(lambda: len(site.requests))
        run_feed(pipeline_env, config, log)
        requests = thread.call(lambda: site.requests[mark:])
        asked = [h.get("If-None-Match") for p, h in requests if p == f"/article/{name}"]
        assert asked == [site.pages[name].etag], "asked again, conditionally"
        assert len(ids_on(settings, settings.topics.raw, idle=1.0)) == len(raw), "a 304 sends nothing"
        assert progress(worker).get("clean_in", 0) == taken, "the pipeline processed nothing more"


def test_demo_feed_runs_the_feed_over_the_local_site(tmp_path, kafka_bootstrap):
    """`make demo-feed`: the pipeline fed by the feed polling the local news site."""
    from tests.support import isolated_env, newsroom

    env = isolated_env(kafka_bootstrap, tmp_path / "home")
    out = newsroom("demo", "--feed", "--seconds", "20", env=env, timeout=300)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "[site] local news site at http://127.0.0.1:" in out.stdout
    assert "robots.txt forbids" in out.stdout and "/private/" in out.stdout
    assert "[feed] source local-rss:" in out.stdout and "sent " in out.stdout
    assert "\n● " in out.stdout, "an enriched event printed as it arrived"
