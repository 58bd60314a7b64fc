"""NEWSROOM_LOG_FORMAT=json in a real worker on the real broker: every line it writes, from its
start to its stop (Faust's and aiokafka's lines included, after Faust's worker has set logging up
again), is one JSON object, and an error inside an agent names the agent and the record."""

from __future__ import annotations

import orjson
import psutil
import pytest

from streams.settings import load_settings
from tests.erring_worker import TAGGER, failing_article
from tests.support import ROOT, WorkerProcess, isolated_env, produce, progress, synthetic_article, wait_until

pytestmark = pytest.mark.integration


def test_the_worker_logs_one_json_object_per_line_with_the_failing_record(kafka_bootstrap, tmp_path):
    env = isolated_env(kafka_bootstrap, tmp_path / "home", NEWSROOM_PARTITIONS="1", NEWSROOM_LOG_FORMAT="json")
    settings = load_settings(env)
    worker = WorkerProcess(env, tmp_path / "worker.log", argv=[str(ROOT / "tests" / "erring_worker.py")])
    worker.start()
    try:
        produce(settings, [synthetic_article(1), failing_article(2)])
        wait_until(
            lambda: progress(worker).get("dead_letters", 0) >= 1 and progress(worker).get("sent", 0) >= 2,
            timeout=60,
            message="the failing article's dead letter and the other article's outputs",
        )
        # the cleaning process tags with the injected tagger, so the failure is met wherever tagging runs
        # (an article queued behind another is tagged there; tests/unit/test_cleaners.py has one fail there)
        children = [c.cmdline() for c in psutil.Process(worker.proc.pid).children(recursive=True)]
        assert [c for c in children if "streams.cleaning_process" in c and TAGGER in c], children
        assert progress(worker).get("tagged_here", 0) >= 1, "the failing article, done again in the thread"
    finally:
        assert worker.stop() == 0, worker.log_tail()

    lines = worker.log_path.read_text().splitlines()
    records = []
    for n, line in enumerate(lines, 1):
        try:
            records.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            pytest.fail(f"line {n} of the worker's output is not JSON: {line[:300]!r}")
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    loggers = {r["logger"] for r in records}
    assert {"newsroom.worker", "faust.worker"} <= loggers, "the project's lines and Faust's, in one format"
    assert any(r["logger"].startswith("aiokafka") for r in records)
    assert any(r["logger"] == "faust.worker" and "Stopping" in r["message"] for r in records), "to the very end"

    (error,) = [r for r in records if r["logger"] == "newsroom.steps"]
    assert error["level"] == "ERROR" and "unexpected error in stage enrich" in error["message"]
    assert (error["agent"], error["topic"], error["partition"]) == ("enrich", settings.topics.unique, 0)
    assert isinstance(error["offset"], int)
    assert (
        error["exception"].startswith("Traceback")
        and "RuntimeError: deliberate failure for boom-2" in (error["exception"])
    )
