"""A rolling upgrade on the real broker: one of two workers is replaced mid-stream by a worker of the
next version, whose events carry fields the current models do not declare. The current worker reads
them (tolerant readers): no dead letter, every article through, the counts exact."""

from __future__ import annotations

import signal

import orjson
import pytest

from tests.support import (
    FAST_FAILOVER,
    ROOT,
    WorkerProcess,
    expected_ministry_counts,
    ministry_counts,
    produce,
    progress,
    read_all,
    settled,
    synthetic_article,
    wait_until,
)
from tests.upgraded_worker import NEW_FIELD

pytestmark = [pytest.mark.integration, pytest.mark.faults]


def test_one_of_two_workers_upgraded_to_a_model_with_a_new_field_mid_stream(pipeline_env, pipeline_settings, tmp_path):
    settings = pipeline_settings
    env_a = {**pipeline_env, **FAST_FAILOVER, "NEWSROOM_DATA_DIR": str(tmp_path / "a")}
    env_b = {**pipeline_env, **FAST_FAILOVER, "NEWSROOM_DATA_DIR": str(tmp_path / "b")}
    records = [synthetic_article(i) for i in range(800)]
    expected = expected_ministry_counts(records)
    a = WorkerProcess(env_a, tmp_path / "a.log").start()
    b = WorkerProcess(env_b, tmp_path / "b.log").start()
    upgraded = None
    try:
        settled(a, b)  # both own partitions before the stream starts
        produce(settings, records[:400])
        wait_until(
            lambda: progress(a).get("publish_in", 0) > 50 and progress(b).get("publish_in", 0) > 50,
            timeout=120,
            message="both workers processing their partitions",
        )
        assert b.stop(signal.SIGTERM) == 0  # the rolling upgrade replaces b
        upgraded = WorkerProcess(env_b, tmp_path / "b-next.log", argv=[str(ROOT / "tests" / "upgraded_worker.py")])
        upgraded.start()
        settled(a, upgraded)  # the upgraded worker owns partitions now: it writes part of the second half
        produce(settings, records[400:])
        wait_until(
            lambda: ministry_counts(a) == expected and ministry_counts(upgraded) == expected,
            timeout=180,
            message=f"both workers' counts to equal the input's {expected}",
        )
        enriched = [orjson.loads(v) for _, v in read_all(settings, settings.topics.enriched, idle=1.0)]
        assert {e["id"] for e in enriched} == {k.decode() for k, _ in records}, "every article through"
        assert any(NEW_FIELD in e for e in enriched), "the upgraded worker wrote events with the new field"
        assert progress(a).get("publish_in", 0) > 0 and a.proc.poll() is None
        assert read_all(settings, settings.topics.deadletter, idle=1.0) == [], "a new field made dead letters"
    finally:
        a.stop()
        if upgraded is not None:
            upgraded.stop()
