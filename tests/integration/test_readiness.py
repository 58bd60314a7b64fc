"""A real rebalance on the real broker: while a second worker joins the group and the first worker's
processing readiness (/readyz) answers 503, its web readiness (/readyz?role=web: the pods' readiness
in deploy/k8s, so what the newsroom-web Service routes by) stays 200 and its views keep answering."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request

import pytest

from streams.settings import load_settings
from tests.support import WorkerProcess, isolated_env, ministry_counts, produce, synthetic_article, wait_until

pytestmark = pytest.mark.integration

WEB = ("/readyz?role=web", "/counts/ministries", "/")  # the web role, a view, the desk page


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # loopback
            return answer.status
    except urllib.error.HTTPError as err:
        return err.code
    except OSError:
        return -1  # no answer at all


def test_the_web_role_and_the_views_stay_up_while_the_group_rebalances(kafka_bootstrap, tmp_path):
    env = isolated_env(kafka_bootstrap, tmp_path / "home", NEWSROOM_PARTITIONS="4")
    first = WorkerProcess({**env, "NEWSROOM_DATA_DIR": str(tmp_path / "a")}, tmp_path / "a.log").start()
    second = WorkerProcess({**env, "NEWSROOM_DATA_DIR": str(tmp_path / "b")}, tmp_path / "b.log")
    # The first worker's /readyz polled without pause; whenever it answers 503, WEB is asked at once and
    # /readyz again after: (processing before, WEB answers..., processing after).
    during: list[tuple[int, ...]] = []
    web_answers: set[tuple[int, ...]] = set()
    stop = threading.Event()

    def watch() -> None:
        polls = 0
        while not stop.is_set():
            before = status(first.url + "/readyz")
            polls += 1
            if before == 503 or polls % 20 == 0:
                answers = tuple(status(first.url + path) for path in WEB)
                web_answers.add(answers)
                if before == 503:
                    during.append((before, *answers, status(first.url + "/readyz")))

    try:
        wait_until(lambda: first.get("/readyz")["ready"], timeout=90, message="the first worker ready")
        produce(load_settings(env), [synthetic_article(i) for i in range(8)])
        wait_until(lambda: ministry_counts(first), timeout=60, message="counts on the first worker")
        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            second.start()  # joins the group: both workers rebalance
            wait_until(
                lambda: second.get("/readyz")["ready"] and first.get("/readyz")["ready"],
                timeout=120,
                message="both workers ready after the rebalance",
            )
        finally:
            stop.set()
            watcher.join(timeout=30)
    finally:
        second.stop()
        first.stop()

    inside = [answers for answers in during if answers[-1] == 503]  # asked while the rebalance went on
    print(f"{len(during)} polls saw the rebalance, {len(inside)} wholly inside it")
    assert inside, f"no poll fell wholly inside a rebalance of the first worker: {during}"
    assert web_answers == {(200, 200, 200)}, f"{WEB} must answer 200 throughout, rebalance or not: {web_answers}"
