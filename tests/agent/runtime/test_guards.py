"""The runtime patches run only where they were written for: the pinned faust-streaming and
aiokafka, with the upstream methods they override unchanged; an internal read that fails is
logged and counted, never silently ignored."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from streams.runtime import upstream, versions
from streams.settings import load_settings

ROOT = Path(__file__).resolve().parents[3]


def test_the_guard_pins_the_versions_pyproject_pins():
    pyproject = (ROOT / "pyproject.toml").read_text()
    for distribution, pinned in versions.PINNED.items():
        assert re.search(rf'"{re.escape(distribution)}=={re.escape(pinned)}"', pyproject), distribution


def test_the_installed_versions_are_the_pinned_ones():
    assert versions.mismatches() == {}
    versions.check_versions()


def test_another_version_is_refused_with_the_tests_to_run(monkeypatch):
    monkeypatch.setattr(versions, "installed", lambda name: "0.16.0" if name == "faust-streaming" else "0.14.0")
    versions.check_versions.cache_clear()
    try:
        with pytest.raises(versions.UnsupportedVersion) as refused:
            versions.check_versions()
    finally:
        versions.check_versions.cache_clear()
    message = str(refused.value)
    assert "faust-streaming 0.16.0 (pinned 0.15.3)" in message
    assert "make test-faults" in message and "streams/runtime/upstream.py" in message


def test_the_upstream_methods_we_override_are_the_ones_the_patches_were_written_for():
    """Fails when faust-streaming or aiokafka changed a method we override or copy, or when an
    override was added without pinning its upstream source: read the change, adapt the override,
    then update upstream.PINNED_SOURCES (`python -m streams.runtime.upstream`)."""
    assert upstream.current_sources() == upstream.PINNED_SOURCES


def test_every_patched_class_override_is_found():
    found = upstream.overridden()
    for method in (
        "faust.transport.consumer.Consumer.getmany",
        "faust.transport.consumer.Consumer.ack",
        "faust.transport.consumer.Consumer._drain_messages",
        "faust.topics.Topic._get_producer",
        "faust.topics.Topic._on_published",
        "faust.streams.Stream.__aiter__",
    ):
        assert method in found


@pytest.fixture
def newsroom(tmp_path):
    from streams.app import create_app

    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_HOME": str(tmp_path)})
    newsroom = create_app(settings, store="memory://")
    newsroom.app.finalize()
    return newsroom


def test_an_unstarted_consumer_has_no_position_and_no_failure(newsroom):
    from faust.types import TP

    consumer = newsroom.app.consumer
    assert consumer._position(TP("news.raw", 0)) is None
    assert not consumer.read_failures.counts


async def test_a_failed_internal_read_is_logged_and_counted_on_the_metrics(newsroom, monkeypatch, caplog):
    from faust.types import TP

    consumer = newsroom.app.consumer
    monkeypatch.setattr(consumer, "_thread", object())  # aiokafka internals not where expected
    with caplog.at_level(logging.ERROR, logger="newsroom.runtime"):
        assert consumer._position(TP("news.raw", 0)) is None
        assert consumer._position(TP("news.raw", 1)) is None
    assert consumer.read_failures.counts == {"aiokafka fetch position": 2}
    assert any("internal read failed: aiokafka fetch position" in r.getMessage() for r in caplog.records)
    metrics = newsroom.live.metrics
    await metrics.refresh(ready=True)
    exposition = metrics.exposition().decode()
    assert 'newsroom_runtime_read_failures_total{what="aiokafka fetch position"} 2.0' in exposition


async def test_records_read_again_are_counted_on_the_metrics_by_cause(newsroom, monkeypatch):
    """Each re-read the consumer makes (streams.runtime.no_skip) is counted by cause, so monitoring
    sees rebalances and restarts that cost work twice."""
    from faust.types import TP

    consumer = newsroom.app.consumer
    tp = TP("news.raw", 0)

    async def seek(partition, offset):
        return None

    monkeypatch.setattr(consumer, "_seek", seek)
    monkeypatch.setattr(consumer, "assignment", lambda: {tp})
    monkeypatch.setattr(consumer, "highwater", lambda tp: None)  # no lag to report here
    assert await consumer._reread(tp, 614, 585, "unfinished_at_resume", "were unfinished when flow resumed")
    metrics = newsroom.live.metrics
    await metrics.refresh(ready=True)
    exposition = metrics.exposition().decode()
    assert 'newsroom_consumer_reread_records_total{cause="unfinished_at_resume"} 585.0' in exposition
    assert await consumer._reread(tp, 620, 3, "abandoned", "were never finished")
    assert await consumer._reread(tp, 700, 2, "unfinished_at_resume", "were unfinished when flow resumed")
    await metrics.refresh(ready=True)
    exposition = metrics.exposition().decode()
    assert 'newsroom_consumer_reread_records_total{cause="unfinished_at_resume"} 587.0' in exposition
    assert 'newsroom_consumer_reread_records_total{cause="abandoned"} 3.0' in exposition
