"""`newsroom deadletters list|replay` on the real broker: fix the cause, replay, nothing doubled."""

from __future__ import annotations

import asyncio

import pytest

from schemas import EnrichedArticle
from streams.inputs import read_record
from streams.kafka_io import produce_records
from tests.support import SEED_HTML, WorkerProcess, newsroom, read_all, wait_until

pytestmark = pytest.mark.integration


def test_replay_after_raising_the_page_size_limit(pipeline_env, pipeline_settings, tmp_path):
    settings = pipeline_settings
    seed = read_record(str(SEED_HTML))
    tight = {**pipeline_env, "NEWSROOM_MAX_PAGE_BYTES": "2048"}  # the seed envelope is ~7 KB
    worker = WorkerProcess(tight, tmp_path / "tight.log").start()
    asyncio.run(produce_records(settings, settings.topics.raw, [(seed.key, seed.value), (b"junk", b"\x00\x01")]))
    wait_until(
        lambda: worker.get("/healthz")["progress"].get("dead_letters") == 2, timeout=60, message="two dead letters"
    )
    worker.stop()

    listed = newsroom("deadletters", "list", env=pipeline_env, timeout=120)
    assert listed.returncode == 0, listed.stderr
    assert "too_large" in listed.stdout and "not_html" in listed.stdout
    assert "2 dead letter(s)" in listed.stderr

    dry = newsroom("deadletters", "replay", "--reason", "too_large", "--dry-run", env=pipeline_env, timeout=120)
    assert "would replay 1 dead letter(s)" in dry.stderr

    fixed = WorkerProcess(pipeline_env, tmp_path / "fixed.log").start()  # default limit: 8 MiB
    try:
        for _ in range(2):  # replaying twice publishes the article once
            out = newsroom("deadletters", "replay", "--reason", "too_large", env=pipeline_env, timeout=120)
            assert f"replayed 1 event(s) to {settings.topics.raw}" in out.stderr, out.stderr
        wait_until(
            lambda: fixed.get("/healthz")["progress"].get("by_id_repeat") == 1,
            timeout=60,
            message="the second replay recognised as a repeat",
        )
        enriched = [EnrichedArticle.model_validate_json(v) for _, v in read_all(settings, settings.topics.enriched)]
        assert [a.id for a in enriched] == [seed.key.decode()]
        assert {mid: c["count"] for mid, c in fixed.get("/counts/ministries").items()} == {"msit": 1, "motie": 1}
    finally:
        fixed.stop()
