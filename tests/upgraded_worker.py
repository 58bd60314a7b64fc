"""A `newsroom worker` of the next version: its CleanArticle and EnrichedArticle have new fields.

Run as `python tests/upgraded_worker.py` with the worker's environment. Every event it writes to
news.rekeyed, news.unique and news.enriched carries a new top-level field (`sentiment`) and a new
field in each ministry tag (`confidence`), as a release that adds fields to the models would write
them; a rolling upgrade runs it beside workers of the current version, which must read them.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orjson

import streams.app
from streams import graph
from streams.settings import load_settings

NEW_FIELD = "sentiment"


def with_new_fields(value: bytes) -> bytes:
    event = orjson.loads(value)
    event[NEW_FIELD] = 0.25
    for tag in event.get("ministries", []):
        tag["confidence"] = 0.9
    return orjson.dumps(event)


def next_version(step):
    def step_of_next_version(ctx, rec):
        outputs = step(ctx, rec)
        articles = {ctx.topics.rekeyed, ctx.topics.unique, ctx.topics.enriched}
        return [
            dataclasses.replace(out, value=with_new_fields(out.value)) if out.topic in articles else out
            for out in outputs
        ]

    return step_of_next_version


if __name__ == "__main__":
    settings = load_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    graph.STAGES = tuple(dataclasses.replace(stage, step=next_version(stage.step)) for stage in graph.STAGES)
    logging.getLogger("newsroom.upgrade").warning("worker of the next version: events carry %r", NEW_FIELD)
    streams.app.run_worker(settings)
