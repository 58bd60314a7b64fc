"""Faults on the real broker: nothing lost, nothing double-counted, bad input never stops the stream.

Each test sends a stream of realistic articles (plus deliberate repeats: the same id again, and the
same body under another id), injects one fault mid-stream, and checks against the pure core run on
the same input:
  - every article appears on news.enriched (at-least-once: a crash may repeat an event; a repeat
    is byte-identical, same id and revision),
  - /counts/ministries equals the counts computed from the input, exactly.
A row per fault goes to test-artifacts/faults.jsonl (the table in the issue note).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import time
from collections import Counter

import orjson
import psutil
import pytest

from schemas import DeadLetter, EnrichedArticle
from streams.broker import LocalBroker
from streams.settings import load_settings
from tests.support import (
    FAST_FAILOVER,
    ROOT,
    WorkerProcess,
    expected_ministry_counts,
    isolated_env,
    ministry_counts,
    produce,
    progress,
    read_all,
    settled,
    synthetic_article,
    wait_until,
)

pytestmark = [pytest.mark.integration, pytest.mark.faults]

N = 5000
REPORT = ROOT / "test-artifacts" / "faults.jsonl"


def stream_with_repeats(n: int) -> list[tuple[bytes, bytes]]:
    records = [synthetic_article(i) for i in range(n)]
    repeats = [records[i] for i in range(0, n, 500)]  # the same article again
    for i in range(250, n, 500):  # the same body under another id and URL
        envelope = orjson.loads(records[i][1])
        envelope.update(id=f"copy-{i}", url=f"https://mirror.example.kr/{i}")
        repeats.append((f"copy-{i}".encode(), orjson.dumps(envelope)))
    return records + repeats


def count_drift(counts: dict[str, int], expected: dict[str, int]) -> dict[str, int]:
    """{ministry: counted minus expected} where they differ."""
    return {m: counts.get(m, 0) - n for m, n in expected.items() if counts.get(m, 0) != n}


def check_outcome(fault: str, settings, records, expected_counts, counts: dict[str, int]) -> dict:
    """Assert nothing lost, repeats identical, counts exact; return the report row."""
    enriched = read_all(settings, settings.topics.enriched)
    seen = Counter()
    first_value: dict[tuple[str, int], bytes] = {}
    for _, value in enriched:
        article = EnrichedArticle.model_validate_json(value)
        seen[article.id] += 1
        ident = (article.id, article.revision)
        first_value.setdefault(ident, value)
        assert first_value[ident] == value, f"{ident} published twice with different content"
    # one group per body: an article and its copies under other ids; exactly one of them is published
    # (whichever reaches the by-body stage first: partitions progress at their own pace)
    groups: dict[str, set[str]] = {}
    for _, value in records:
        envelope = orjson.loads(value)
        groups.setdefault(envelope["html"], set()).add(envelope["id"])
    lost = sorted(min(ids) for ids in groups.values() if not ids & set(seen))
    twice = sorted(min(ids) for ids in groups.values() if len(ids & set(seen)) > 1)
    duplicated = sum(c - 1 for c in seen.values())
    letters = read_all(settings, settings.topics.deadletter, idle=1.0)
    drift = count_drift(counts, expected_counts)
    row = {
        "fault": fault,
        "events_sent": len(records),
        "articles_out": len(seen),
        "events_out": len(enriched),
        "dead_letters": len(letters),
        "lost": len(lost),
        "duplicated": duplicated,
        "count_drift": sum(abs(v) for v in drift.values()),
        "repeats_dropped": len(records) - len(groups),
    }
    REPORT.parent.mkdir(exist_ok=True)
    with REPORT.open("a") as out:
        out.write(json.dumps(row) + "\n")
    print(row)
    assert not lost, f"{len(lost)} articles lost, e.g. {lost[:5]}"
    assert not twice, f"the same body published under two ids: {twice[:5]}"
    assert not drift, f"counts drifted: {drift}"
    assert counts == expected_counts
    return row


def wait_for_counts(worker: WorkerProcess, expected: dict[str, int], timeout: float = 180) -> dict[str, int]:
    seen: dict[str, int] = {}

    def equal():
        seen.clear()
        seen.update(ministry_counts(worker))
        return seen == expected and dict(seen)

    try:
        return wait_until(equal, timeout=timeout, interval=1.0, message=f"counts to equal the input's {expected}")
    except AssertionError as exc:
        raise AssertionError(
            f"{exc}\ncounts minus expected: {count_drift(seen, expected)}; worker progress: {progress(worker)}"
        ) from None


def test_worker_killed_with_sigkill_mid_stream(pipeline_env, pipeline_settings, tmp_path):
    env = {**pipeline_env, **FAST_FAILOVER}
    records = stream_with_repeats(N)
    expected = expected_ministry_counts(records)
    worker = WorkerProcess(env, tmp_path / "worker-1.log").start()
    produce(pipeline_settings, records)
    wait_until(lambda: progress(worker).get("publish_in", 0) >= N // 3, timeout=180, message="a third processed")
    worker.stop(signal.SIGKILL)
    restarted = WorkerProcess(env, tmp_path / "worker-2.log").start()
    try:
        assert "did not shut down cleanly" in restarted.log_path.read_text(errors="replace")
        counts = wait_for_counts(restarted, expected)
        check_outcome("worker SIGKILL mid-stream, restarted", pipeline_settings, records, expected, counts)
    finally:
        restarted.stop()


def test_worker_killed_between_a_counters_changelog_write_and_its_commit(pipeline_env, pipeline_settings, tmp_path):
    """The record cache has written the counters (table changelog and counts topic, acknowledged by
    the brokers) of records whose offsets are not committed yet: the restarted worker reads those
    records again, and each counter's source offset says which of them it already holds."""
    env = {**pipeline_env, **FAST_FAILOVER}
    records = stream_with_repeats(1500)
    expected = expected_ministry_counts(records)
    dying = WorkerProcess(
        {**env, "KILL_AFTER_PUBLISHED": "400"},
        tmp_path / "worker-1.log",
        argv=[str(ROOT / "tests" / "fault_worker.py")],
    ).start()
    produce(pipeline_settings, records)
    wait_until(lambda: dying.proc.poll() is not None, timeout=180, message="the worker to kill itself after a flush")
    assert dying.proc.returncode == -signal.SIGKILL
    assert "FAULT: killed after writing the counters" in dying.log_path.read_text(errors="replace")
    restart_and_check(
        env,
        tmp_path / "worker-2.log",
        "worker SIGKILLed between a counter's changelog write and its commit",
        pipeline_settings,
        records,
        expected,
    )


def restart_and_check(env: dict, log_path, fault: str, settings, records, expected: dict[str, int]) -> None:
    """A worker started again must reach the input's counts: then `check_outcome`."""
    restarted = WorkerProcess(env, log_path).start()
    try:
        check_outcome(fault, settings, records, expected, wait_for_counts(restarted, expected))
    finally:
        restarted.stop()


def cleaning_processes(worker: WorkerProcess) -> list[psutil.Process]:
    """The worker's cleaning processes (NEWSROOM_CLEAN_PROCESSES, streams.cleaners)."""
    found = []
    for child in psutil.Process(worker.proc.pid).children():
        with contextlib.suppress(psutil.Error):  # one that exited meanwhile
            if "streams.cleaning_process" in " ".join(child.cmdline()):
                found.append(child)
    return found


def test_cleaning_process_killed_then_the_worker_killed_with_sigkill(pipeline_env, pipeline_settings, tmp_path):
    """A cleaning process killed mid-stream is replaced, the worker goes on, and no page is lost; the
    worker killed with SIGKILL (not its process group) leaves no cleaning process behind."""
    env = {**pipeline_env, **FAST_FAILOVER, "NEWSROOM_CLEAN_PROCESSES": "1"}
    records = stream_with_repeats(N)
    expected = expected_ministry_counts(records)
    worker = WorkerProcess(env, tmp_path / "worker-1.log").start()
    produce(pipeline_settings, records)
    wait_until(lambda: progress(worker).get("clean_in", 0) >= N // 4, timeout=180, message="a quarter cleaned")
    [cleaning] = cleaning_processes(worker)
    cleaning.kill()
    cleaning.wait(timeout=30)
    wait_until(lambda: progress(worker).get("clean_in", 0) >= N // 2, timeout=180, message="half cleaned")
    assert worker.proc.poll() is None, "the worker itself went on"
    [replacement] = cleaning_processes(worker)
    assert replacement.pid != cleaning.pid
    os.kill(worker.proc.pid, signal.SIGKILL)
    worker.proc.wait(timeout=30)
    replacement.wait(timeout=60)  # its input closed with the worker: it exits (psutil raises if it does not)
    restart_and_check(
        env,
        tmp_path / "worker-2.log",
        "cleaning process SIGKILL mid-stream, then worker SIGKILL, restarted",
        pipeline_settings,
        records,
        expected,
    )


def test_broker_stopped_and_restarted_mid_stream(tmp_path):
    broker = LocalBroker(tmp_path / "own-broker")
    info = broker.start(log=lambda m: None)
    env = {**isolated_env(info.bootstrap, tmp_path / "home"), **FAST_FAILOVER}
    settings = load_settings(env)
    records = stream_with_repeats(1500)
    expected = expected_ministry_counts(records)
    worker = WorkerProcess(env, tmp_path / "worker.log").start()
    try:
        produce(settings, records)
        wait_until(
            lambda: progress(worker).get("publish_in", 0) >= len(records) // 4,
            timeout=180,
            message="a quarter processed",
        )
        broker.stop(log=lambda m: None)  # SIGTERM: a broker restart, data kept
        time.sleep(3)
        assert broker.start(log=lambda m: None).bootstrap == info.bootstrap
        counts = wait_for_counts(worker, expected)
        assert worker.proc.poll() is None, "the worker must recover by itself"
        check_outcome("broker stopped and restarted mid-stream", settings, records, expected, counts)
    finally:
        worker.stop()
        broker.stop(purge=True, log=lambda m: None)


def test_two_workers_share_partitions_and_one_is_killed(pipeline_env, pipeline_settings, tmp_path):
    env_a = {**pipeline_env, **FAST_FAILOVER, "NEWSROOM_DATA_DIR": str(tmp_path / "a")}
    env_b = {**pipeline_env, **FAST_FAILOVER, "NEWSROOM_DATA_DIR": str(tmp_path / "b")}
    records = stream_with_repeats(1500)
    expected = expected_ministry_counts(records)
    a = WorkerProcess(env_a, tmp_path / "a.log").start()
    b = WorkerProcess(env_b, tmp_path / "b.log").start()
    try:
        settled(a, b)  # both own partitions before the stream starts
        produce(pipeline_settings, records)
        wait_until(
            lambda: progress(a).get("publish_in", 0) > 100 and progress(b).get("publish_in", 0) > 100,
            timeout=180,
            message="both workers processing their partitions",
        )
        a.stop(signal.SIGKILL)
        counts = wait_for_counts(b, expected)
        check_outcome("two workers on 4 partitions, one SIGKILLed", pipeline_settings, records, expected, counts)
    finally:
        b.stop()


def test_local_tables_deleted_are_rebuilt_from_changelogs(pipeline_env, pipeline_settings, tmp_path):
    records = stream_with_repeats(1000)
    expected = expected_ministry_counts(records)
    worker = WorkerProcess(pipeline_env, tmp_path / "w1.log").start()
    produce(pipeline_settings, records)
    wait_for_counts(worker, expected)
    assert worker.stop() == 0  # SIGTERM: graceful
    data_dir = load_settings(pipeline_env).table_dir
    assert (data_dir / "CLEAN_SHUTDOWN").exists()
    before = len(read_all(pipeline_settings, pipeline_settings.topics.enriched, idle=1.0))
    shutil.rmtree(data_dir)
    again = WorkerProcess(pipeline_env, tmp_path / "w2.log").start()
    try:
        counts = wait_for_counts(again, expected, timeout=120)
        time.sleep(2)
        after = len(read_all(pipeline_settings, pipeline_settings.topics.enriched, idle=1.0))
        assert after == before, "recovering tables must not reprocess the stream"
        check_outcome("local RocksDB deleted, tables recovered", pipeline_settings, records, expected, counts)
    finally:
        again.stop()


HOSTILE: dict[str, bytes] = {
    "not_json_not_html": b"hello, this is just a sentence without any markup at all",
    "json_without_html": b'{"id": "h1", "url": "https://x.kr/1"}',
    "json_html_not_string": b'{"id": "h2", "html": 42}',
    "json_array": b'[1, 2, 3]',
    "truncated_json": b'{"id": "h3", "html": "<p>cut',
    "invalid_utf8_json": b'{"id": "h4", "html": "<p>\xff\xfe</p>"}',
    "euc_kr_without_declaration": "<html><body><article><h1>산업부 발표</h1><p>산업통상자원부는 오늘 수출 동향을 "
    "발표했다. 반도체 수출이 크게 늘었다고 밝혔다.</p></article></body></html>".encode("euc-kr"),
    "zero_bytes": b"",
    "whitespace_only": b"   \n\t  ",
    "twenty_megabytes": b"<html><body><p>" + b"x" * (20 * 1024 * 1024) + b"</p></body></html>",
    "nested_divs": b"<html><body>" + b"<div>" * 100_000 + b"text" + b"</div>" * 100_000 + b"</body></html>",
    "binary_png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "gzip_bytes": __import__("gzip").compress(b"<html><body><p>compressed page</p></body></html>"),
    "only_scripts": b"<html><head><script>var a=1;</script></head><body><script>alert(1)</script></body></html>",
    "nul_bytes": b"<html>\x00\x00\x00<body>\x00</body></html>",
    "random_bytes": bytes((i * 97 + 13) % 256 for i in range(4096)),
    "empty_html": b"<html><head></head><body></body></html>",
    "utf16_bom": "\ufeff<html><body><p>utf-16 page</p></body></html>".encode("utf-16"),
    "unclosed_tags": b"<html><body><article><h1>Broken<p>never closed<div><span>",
    "script_injection": b"<html><body><article><h1>Title</h1><p>One.</p><script>document.cookie</script>"
    b"<p onclick='x()'>Two.</p></article></body></html>",
    "control_characters": b"<html><body>\x01\x02\x03\x04\x05</body></html>",
    "huge_attribute": b"<html><body><p data-x='" + b"a" * 2_000_000 + b"'>x</p></body></html>",
}


def test_hostile_events_become_dead_letters_and_good_ones_flow(worker, pipeline_settings):
    settings = pipeline_settings
    good = [synthetic_article(i) for i in range(len(HOSTILE) + 1)]
    records: list[tuple[bytes, bytes]] = []
    for i, (name, value) in enumerate(HOSTILE.items()):
        records += [good[i], (f"hostile-{name}".encode(), value)]
    records.append(good[-1])
    worker.start()
    produce(settings, records)
    wait_until(
        lambda: progress(worker).get("publish_in", 0) >= len(good),
        timeout=120,
        message="every good article through, between the hostile ones",
    )
    letters = {}
    wait_until(
        lambda: len(read_all(settings, settings.topics.deadletter, idle=1.0)) >= len(HOSTILE) - 4,
        timeout=60,
        message="dead letters",
    )
    for key, value in read_all(settings, settings.topics.deadletter, idle=1.0):
        letter = DeadLetter.model_validate_json(value)
        letters[key.decode()] = letter
    enriched_ids = {EnrichedArticle.model_validate_json(v).id for _, v in read_all(settings, settings.topics.enriched)}
    assert {k.decode() for k, _ in good} <= enriched_ids
    unaccounted = []
    for name, value in HOSTILE.items():
        key = f"hostile-{name}"
        if key in letters:
            letter = letters[key]
            assert letter.reason and letter.stage in ("decode", "parse", "clean", "enrich", "publish")
            assert letter.original_size == len(value)
            import base64
            import hashlib

            assert letter.original_sha256 == hashlib.sha256(value).hexdigest()
            if not letter.original_truncated:
                assert base64.b64decode(letter.original) == value
        elif key not in enriched_ids:
            unaccounted.append(name)
    assert not unaccounted, f"neither processed nor dead-lettered: {unaccounted}"
    assert worker.proc.poll() is None
    reasons = Counter(letter.reason for letter in letters.values())
    print("dead letters by reason:", dict(reasons))
    assert "internal_error" not in reasons


def test_a_worker_whose_kafka_consumer_fails_exits_for_its_supervisor(pipeline_env, pipeline_settings, tmp_path):
    """The consumer's thread fails (aiokafka's fetcher raises): the worker can read nothing more, so it
    exits non-zero within its stop timeout rather than hang, its supervisor starts it again, and the
    restarted worker loses nothing."""
    env = {**pipeline_env, **FAST_FAILOVER}
    records = stream_with_repeats(1500)
    expected = expected_ministry_counts(records)
    failing = WorkerProcess(
        {**env, "FAIL_FETCH_AFTER": "20"},
        tmp_path / "worker-1.log",
        argv=[str(ROOT / "tests" / "fetch_fault_worker.py")],
    ).start()
    produce(pipeline_settings, records)
    try:
        wait_until(
            lambda: failing.proc.poll() is not None, timeout=150, message="the worker to exit after its consumer failed"
        )
    finally:
        failing.stop(signal.SIGKILL)
    log_text = failing.log_path.read_text(errors="replace")
    assert "FAULT: the fetcher fails" in log_text
    assert failing.proc.returncode not in (0, -signal.SIGKILL), log_text[-3000:]
    restart_and_check(
        env,
        tmp_path / "worker-2.log",
        "the consumer's thread failed, the worker exited",
        pipeline_settings,
        records,
        expected,
    )
