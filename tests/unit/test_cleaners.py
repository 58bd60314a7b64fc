"""The cleaning processes (streams.cleaners, NEWSROOM_CLEAN_PROCESSES): a page cleaned in one gives
the clean step the same outputs as a page cleaned in the agent's thread, dead letters included; a
process that dies is replaced without losing or mixing up a page; a page that kills the cleaner
becomes a dead letter instead of stopping the stream; the processes end with the worker, even when
it is killed with SIGKILL."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import deque
from pathlib import Path

import pytest

from schemas import DeadLetter
from streams.cleaners import Cleaners, ProcessDied
from streams.settings import SettingsError, Topics, load_settings
from streams.steps import Record, SourceRef, StepContext, clean, cleaned, enrich_article, tagged
from tests.support import SEED_HTML, synthetic_article

MAX_PAGE_BYTES = 64 * 1024
ROOT = Path(__file__).resolve().parents[2]

# A cleaning process that dies by SIGSEGV on the page b"<crash>", as a crash in a C extension would.
CRASHING = textwrap.dedent(
    """
    import os, signal
    import streams.cleaning_process as process
    clean_page = process.clean_page
    def crash_on_cue(value, key, max_bytes):
        if value == b"<crash>":
            os.kill(os.getpid(), signal.SIGSEGV)
        return clean_page(value, key, max_bytes)
    process.clean_page = crash_on_cue
    process.main()
    """
)


def pages() -> list[tuple[bytes | None, bytes | None]]:
    """Articles, and inputs each of the cleaner's reasons rejects."""
    good = [synthetic_article(i) for i in range(3)]
    seed = (b"board-repost-asiae-msit-motie", SEED_HTML.read_bytes())
    bad = [
        (b"k-empty", b""),
        (b"k-gzip", b"\x1f\x8b\x08\x00binary"),
        (b"k-json", b'{"id": "x", "html": '),
        (b"k-envelope", b'{"url": "https://example.kr/a"}'),
        (b"k-big", b"<p>" + b"x" * MAX_PAGE_BYTES + b"</p>"),
        (None, b"<html><body><script>only()</script></body></html>"),
    ]
    return [(value, key) for key, value in [*good, seed, *bad]]


def context() -> StepContext:
    return StepContext(topics=Topics(), tables={"article_versions": {}}, max_page_bytes=MAX_PAGE_BYTES)


def record(value: bytes | None, key: bytes | None, offset: int) -> Record:
    return Record(value, key, SourceRef("news.raw", 0, offset))


def comparable(outputs) -> list:
    """The outputs without what differs between two runs by design: a dead letter's failure time."""
    result = []
    for out in outputs:
        value = out.value
        if out.reason is not None:
            letter = json.loads(value)
            letter.pop("failed_at")
            value = letter
        result.append((out.topic, out.key, value, out.reason, out.stage, out.headers))
    return result


@pytest.fixture
async def cleaners():
    pool = Cleaners(1, MAX_PAGE_BYTES)
    await pool.start()
    yield pool
    await pool.stop()


async def test_a_page_cleaned_in_a_process_gives_the_same_outputs_as_in_the_agents_thread(cleaners):
    inputs = pages()
    cleaners.ahead((offset, value, key) for offset, (value, key) in enumerate(inputs))
    for offset, (value, key) in enumerate(inputs):
        outcome = await cleaners.clean(offset, value, key)
        here = clean(context(), record(value, key, offset))
        there = cleaned(context(), record(value, key, offset), outcome)
        assert comparable(there) == comparable(here)
    reasons = [out.reason for value, key in inputs for out in clean(context(), record(value, key, 0))]
    assert {"empty", "not_html", "malformed_json", "bad_envelope", "too_large", "no_article_text"} <= set(reasons)


async def test_an_internal_error_of_the_cleaner_gives_the_same_dead_letter_as_in_the_agents_thread():
    # the cleaner's `internal` code: its CleanError does not survive pickle as it is, so it is rebuilt
    from streams.clean import CleanError
    from streams.cleaning_process import decode, encode

    error = CleanError("internal", "ValueError: boom")
    rebuilt = decode(encode(error))
    value, key = b"<p>page</p>", b"k"
    [here] = cleaned(context(), record(value, key, 7), error)
    [there] = cleaned(context(), record(value, key, 7), rebuilt)
    assert comparable([there]) == comparable([here])
    assert here.reason == "internal_error" and "ValueError: boom" in json.loads(here.value)["message"]


async def test_pages_sent_ahead_come_back_each_to_its_own_record_in_order(cleaners):
    inputs = [synthetic_article(i) for i in range(20)]
    cleaners.ahead((i, value, key) for i, (key, value) in enumerate(inputs))
    for i, (key, _) in enumerate(inputs):
        article = await cleaners.clean(i, inputs[i][1], key)
        assert article.id == key.decode()


async def test_an_agent_reading_its_queue_ahead_has_each_page_cleaned_once_and_in_order(cleaners):
    queue = deque((i, *reversed(synthetic_article(i))) for i in range(100))  # (identity, value, key), as queued

    def queued(start, stop):
        return list(itertools.islice(queue, start, stop))

    ids = []
    while queue:
        identity, value, key = queue.popleft()  # the agent takes the next record
        ids.append((await cleaners.clean(identity, value, key, queued)).id)
    assert ids == [synthetic_article(i)[0].decode() for i in range(100)]
    assert cleaners.pages_sent == 100


async def test_a_killed_process_is_replaced_and_no_page_is_lost(cleaners):
    inputs = [synthetic_article(i) for i in range(10)]
    cleaners.ahead((i, value, key) for i, (key, value) in enumerate(inputs))
    first = await cleaners.clean(0, inputs[0][1], inputs[0][0])
    [pid] = cleaners.pids
    os.kill(pid, signal.SIGKILL)  # with pages still sent to it
    ids = [first.id] + [(await cleaners.clean(i, value, key)).id for i, (key, value) in enumerate(inputs) if i]
    assert ids == [key.decode() for key, _ in inputs]
    assert cleaners.restarts == 1 and cleaners.pids and cleaners.pids != [pid]
    # killed while idle: the next page starts another
    os.kill(cleaners.pids[0], signal.SIGKILL)
    await asyncio.sleep(0.5)
    key, value = synthetic_article(99)
    assert (await cleaners.clean("next", value, key)).id == key.decode()


async def _between_two_pages(script: str, value: bytes, key: bytes) -> tuple[list, Cleaners]:
    """A page sent ahead between two good ones to a pool of one process running `script`: the three
    outcomes, in order (the good pages' checked), and the stopped pool."""
    pool = Cleaners(1, MAX_PAGE_BYTES, command=[sys.executable, "-c", script, str(MAX_PAGE_BYTES)])
    await pool.start()
    try:
        before, after = synthetic_article(1), synthetic_article(2)
        batch = [(before[1], before[0]), (value, key), (after[1], after[0])]
        pool.ahead((i, v, k) for i, (v, k) in enumerate(batch))
        outcomes = [await asyncio.wait_for(pool.clean(i, v, k), 30) for i, (v, k) in enumerate(batch)]
    finally:
        await pool.stop()
    assert outcomes[0].id == before[0].decode() and outcomes[2].id == after[0].decode()
    return outcomes, pool


async def test_a_page_that_kills_the_cleaner_becomes_an_internal_error_dead_letter_and_the_rest_go_on():
    outcomes, _ = await _between_two_pages(CRASHING, b"<crash>", b"k-crash")
    assert isinstance(outcomes[1], ProcessDied)
    [letter] = cleaned(context(), record(b"<crash>", b"k-crash", 1), outcomes[1])
    dead = DeadLetter.model_validate_json(letter.value)
    assert (letter.reason, dead.stage) == ("internal_error", "clean")
    assert f"signal {int(signal.SIGSEGV)}" in dead.message
    assert base64.b64decode(dead.original) == b"<crash>"


async def test_a_page_asked_for_after_the_processes_stopped_is_cleaned_in_the_callers_thread():
    pool = Cleaners(1, MAX_PAGE_BYTES)
    await pool.start()
    await pool.stop()
    key, value = synthetic_article(3)
    assert (await pool.clean(0, value, key)).id == key.decode()
    assert pool.pids == [] and pool.pages_sent == 0


PARENT = textwrap.dedent(
    """
    import asyncio, sys
    from streams.cleaners import Cleaners

    async def main():
        pool = Cleaners(2, 65536)
        await pool.start()
        print(" ".join(map(str, pool.pids)), flush=True)
        await asyncio.sleep(3600)

    asyncio.run(main())
    """
)


def test_the_processes_end_when_the_worker_is_killed_with_sigkill():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2 and all(_running(pid) for pid in pids)
        parent.kill()
        parent.wait()
        for pid in pids:
            _wait_gone(pid)
    finally:
        if parent.poll() is None:
            parent.kill()


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _wait_gone(pid: int) -> None:
    """Wait (up to a minute: not a timing, a hang guard) until pid has exited."""
    deadline = time.monotonic() + 60
    while _running(pid):
        assert time.monotonic() < deadline, f"cleaning process {pid} outlived its worker"
        time.sleep(0.05)


@pytest.mark.parametrize("value", ["-1", "two", "65", "1.5"])
def test_a_bad_number_of_cleaning_processes_stops_the_worker_naming_the_setting(value):
    with pytest.raises(SettingsError, match="NEWSROOM_CLEAN_PROCESSES"):
        load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_CLEAN_PROCESSES": value})


def test_cleaning_processes_are_a_setting_and_zero_cleans_in_the_agents_thread():
    env = {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"}
    assert load_settings({**env, "NEWSROOM_CLEAN_PROCESSES": "0"}).clean_processes == 0
    assert load_settings({**env, "NEWSROOM_CLEAN_PROCESSES": "2"}).clean_processes == 2


# -- the enrich stage's articles, tagged in the same processes ----------------------------------------
def clean_articles(n: int) -> list[bytes]:
    """news.unique values: the CleanArticle JSON of n synthetic pages."""
    from streams.cleaning_process import clean_page

    return [
        clean_page(value, key, MAX_PAGE_BYTES).model_dump_json().encode()
        for key, value in map(synthetic_article, range(n))
    ]


def enrich_context() -> StepContext:
    return StepContext(topics=Topics(), tables={"article_bodies": {}}, max_page_bytes=MAX_PAGE_BYTES)


def unique_record(value: bytes, offset: int) -> Record:
    return Record(value, b"fingerprint", SourceRef("news.unique", 0, offset))


async def test_an_article_tagged_in_a_process_gives_the_same_outputs_as_in_the_agents_thread(cleaners):
    articles = clean_articles(5)
    bad = [b"", b'{"id": "x"}', b"not json"]
    inputs = [*articles, articles[0], *bad]  # a repeat of a body: dropped by the by-body dedup both ways
    here_ctx, there_ctx = enrich_context(), enrich_context()
    cleaners.ahead(((i, value, None) for i, value in enumerate(inputs)), "tag")
    for i, value in enumerate(inputs):
        outcome = await cleaners.tag(i, value)
        assert (outcome is None) == (i >= len(articles) + 1), "bad input is done again in the thread"
        here = enrich_article(here_ctx, unique_record(value, i))
        there = tagged(there_ctx, unique_record(value, i), outcome)
        assert comparable(there) == comparable(here)
    assert here_ctx.tables == there_ctx.tables
    assert cleaners.articles_sent == len(inputs) and cleaners.pages_sent == 0


async def test_pages_and_articles_of_two_agents_share_the_processes_each_back_to_its_own(cleaners):
    pages_in = [synthetic_article(i) for i in range(10)]
    articles = clean_articles(10)

    async def clean_all():
        cleaners.ahead(((i, value, key) for i, (key, value) in enumerate(pages_in)))
        return [(await cleaners.clean(i, value, key)).id for i, (key, value) in enumerate(pages_in)]

    async def tag_all():
        cleaners.ahead(((i, value, None) for i, value in enumerate(articles)), "tag")
        return [(await cleaners.tag(i, value)).id for i, value in enumerate(articles)]

    cleaned_ids, tagged_ids = await asyncio.gather(clean_all(), tag_all())
    assert cleaned_ids == tagged_ids == [key.decode() for key, _ in pages_in]


async def test_an_article_whose_process_died_is_tagged_in_the_agents_thread_and_the_next_in_a_new_one(cleaners):
    articles = clean_articles(4)
    [pid] = cleaners.pids
    os.kill(pid, signal.SIGSTOP)  # it answers none of them
    cleaners.ahead(((i, value, None) for i, value in enumerate(articles)), "tag")
    os.kill(pid, signal.SIGKILL)
    assert await cleaners.tag(0, articles[0]) is None  # tagged here, not sent again
    queue = deque((i, value, None) for i, value in enumerate(articles) if i)

    def queued(start, stop):
        return list(itertools.islice(queue, start, stop))

    outcomes = []
    while queue:
        identity, value, _ = queue.popleft()
        outcomes.append(await cleaners.tag(identity, value, queued))
    # the first after the death was not sent ahead (tagged here); it sent the next ones to a new process
    assert outcomes[0] is None and [o.id for o in outcomes[1:]] == [json.loads(v)["id"] for v in articles[2:]]
    assert cleaners.pids and cleaners.pids != [pid]


async def test_an_article_not_sent_ahead_is_tagged_in_the_agents_thread(cleaners):
    article = clean_articles(1)[0]
    assert await cleaners.tag("alone", article) is None and cleaners.articles_sent == 0


async def test_the_processes_tag_with_the_function_the_enrich_step_tags_with(monkeypatch):
    import streams.steps
    from streams.cleaners import tagger_name
    from tests import erring_worker

    assert tagger_name() == "streams.enrich:enrich"
    monkeypatch.setattr(streams.steps, "enrich", erring_worker.enrich_or_fail)
    assert tagger_name() == erring_worker.TAGGER
    pool = Cleaners(1, MAX_PAGE_BYTES)
    await pool.start()
    try:
        good, failing = clean_articles(1)[0], erring_worker.failing_article(2)
        failing_clean = clean_articles(1)[0].replace(json.loads(good)["id"].encode(), b"boom-2")
        pool.ahead([(0, good, None), (1, failing_clean, None)], "tag")
        assert (await pool.tag(0, good)).id == json.loads(good)["id"]
        assert await pool.tag(1, failing_clean) is None  # failed in the process: the step does it again here
        [letter] = tagged(enrich_context(), unique_record(failing_clean, 1), None)
        assert letter.reason == "internal_error" and b"deliberate failure for boom-2" in letter.value
        assert failing[0] == b"boom-2"
    finally:
        await pool.stop()
    # a function a process cannot import by its name: the articles are tagged in the agent's thread
    monkeypatch.setattr(streams.steps, "enrich", lambda article: erring_worker.enrich_or_fail(article))
    assert tagger_name() is None
    pool = Cleaners(1, MAX_PAGE_BYTES)
    await pool.start()
    try:
        pool.ahead([(0, clean_articles(1)[0], None)], "tag")
        assert not pool.tags and await pool.tag(0, clean_articles(1)[0]) is None
    finally:
        await pool.stop()


async def test_an_article_is_tagged_in_the_agents_thread_while_the_processes_are_busy(cleaners):
    from streams.cleaners import AHEAD

    [pid] = cleaners.pids
    os.kill(pid, signal.SIGSTOP)  # busy: answers nothing for now
    try:
        pages_in = [synthetic_article(i) for i in range(AHEAD)]
        cleaners.ahead((i, value, key) for i, (key, value) in enumerate(pages_in))
        article = clean_articles(1)[0]
        cleaners.ahead([("a", article, None)], "tag")
        assert cleaners.articles_sent == 0, "no article for a process with AHEAD requests to answer"
        assert await asyncio.wait_for(cleaners.tag("a", article), 5) is None
    finally:
        os.kill(pid, signal.SIGCONT)
    ids = [(await cleaners.clean(i, value, key)).id for i, (key, value) in enumerate(pages_in)]
    assert ids == [key.decode() for key, _ in pages_in]
    cleaners.ahead([("b", article, None)], "tag")
    assert (await cleaners.tag("b", article)).id == json.loads(article)["id"], "not busy any more"


# A cleaning process whose answer for the page b"<unreadable>" does not unpickle in the worker (a class of
# its own __main__), as an answer of a mismatched program would not.
UNREADABLE = textwrap.dedent(
    """
    import streams.cleaning_process as process
    class OnlyHere:
        pass
    clean_page = process.clean_page
    def unreadable_on_cue(value, key, max_bytes):
        return OnlyHere() if value == b"<unreadable>" else clean_page(value, key, max_bytes)
    process.clean_page = unreadable_on_cue
    process.main()
    """
)


async def test_an_answer_that_does_not_read_stops_its_process_instead_of_leaving_the_agent_waiting():
    outcomes, pool = await _between_two_pages(UNREADABLE, b"<unreadable>", b"k")
    assert isinstance(outcomes[1], ProcessDied) and pool.restarts >= 1


async def test_answers_after_one_that_does_not_read_never_answer_the_records_in_line():
    """The answer that does not read leaves its record's future in line; an answer the process sent
    after it, arriving before the process is gone, must not be taken for that record's (a page would
    be published with another page's article)."""
    from streams.cleaners import CLEAN, _Process
    from streams.cleaning_process import frame

    class _Transport:
        killed = False

        def kill(self):
            self.killed = True

        def get_returncode(self):
            return -9

        def get_pid(self):
            return 1

    loop = asyncio.get_running_loop()
    process = _Process(loop)
    process.transport = _Transport()  # type: ignore[assignment]
    process.pipe_data_received(1, frame(("ready",)))
    first, second = loop.create_future(), loop.create_future()
    process.lanes[CLEAN].extend([first, second])
    body = b"not a pickle"
    process.pipe_data_received(1, len(body).to_bytes(4, "big") + body)  # the first record's answer
    process.pipe_data_received(1, frame((CLEAN, ("ok", "the second page's article"))))  # before it is gone
    assert process.transport.killed and not first.done() and not second.done()
    process.connection_lost(None)
    assert isinstance(first.exception(), ProcessDied) and isinstance(second.exception(), ProcessDied)
