"""Scale out on the real broker: 3 and 4 worker processes share 8 partitions of one stream (one worker
alone is the pipeline and fault tests' case).

In every configuration: every article comes out on news.enriched, each worker's
/counts/ministries equals the cluster's total (the pure core's on the same input) exactly,
every worker took part of the work, and SIGTERM stops each one gracefully (tables marked clean).
`bench/scale.py` runs the same with 20,000 events and prints throughput and spread.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.support import WorkerProcess, isolated_env, run_on_workers, synthetic_article, wait_until

pytestmark = pytest.mark.integration

EVENTS = 2000
PARTITIONS = "8"


@pytest.mark.parametrize("n_workers", [3, 4])
def test_workers_share_partitions_and_results_stay_exact(n_workers, kafka_bootstrap, tmp_path):
    env = isolated_env(kafka_bootstrap, tmp_path / "home", NEWSROOM_PARTITIONS=PARTITIONS)
    records = [synthetic_article(i) for i in range(EVENTS)]
    run = run_on_workers(env, tmp_path, n_workers, records, timeout=150)
    print(f"{n_workers} worker(s): {EVENTS} events in {run.seconds:.1f}s, taken per worker {run.taken}")
    assert not run.timed_out, f"a worker's counts never equalled the input's: {run.counts} != {run.expected}"
    assert run.missing == [], f"{len(run.missing)} articles missing, e.g. {run.missing[:5]}"
    assert run.exact and run.articles_out == EVENTS and run.dead_letters == 0
    assert all(n > 0 for n in run.taken), f"a worker took no work: {run.taken}"
    assert sum(run.taken) >= EVENTS
    assert run.stops == [(0, True)] * n_workers, "SIGTERM must stop every worker gracefully, tables marked clean"


def _joins(worker: WorkerProcess) -> int:
    return len(re.findall(r"Joined group '.*' \(generation \d+\)", worker.log_path.read_text(errors="replace")))


def test_static_member_restarted_in_time_gets_its_partitions_back_without_a_rebalance(kafka_bootstrap, tmp_path):
    """NEWSROOM_GROUP_INSTANCE_ID (the pod name in deploy/k8s): a rolling restart moves no partition."""
    env = isolated_env(
        kafka_bootstrap, tmp_path / "home", NEWSROOM_PARTITIONS=PARTITIONS, NEWSROOM_SESSION_TIMEOUT="45"
    )
    a_env = {**env, "NEWSROOM_DATA_DIR": str(tmp_path / "a"), "NEWSROOM_GROUP_INSTANCE_ID": "worker-a"}
    b_env = {**env, "NEWSROOM_DATA_DIR": str(tmp_path / "b"), "NEWSROOM_GROUP_INSTANCE_ID": "worker-b"}
    a = WorkerProcess(a_env, tmp_path / "a.log").start()
    b = WorkerProcess(b_env, tmp_path / "b.log").start()
    try:
        wait_until(lambda: a.get("/readyz")["ready"] and b.get("/readyz")["ready"], timeout=120, message="both ready")
        time.sleep(3)
        joins_before = _joins(b)
        assert a.stop() == 0  # SIGTERM: a static member does not leave the group
        restarted = WorkerProcess(a_env, tmp_path / "a2.log")
        restarted.port = a.port  # the same web address: Faust's assignor checks a rejoining member's URL
        restarted.start()
        wait_until(lambda: restarted.get("/readyz")["ready"], timeout=60, message="restarted worker ready")
        time.sleep(3)
        assert b.get("/readyz")["ready"] and _joins(b) == joins_before, "the other worker saw a rebalance"
        restarted.stop()
    finally:
        a.stop()
        b.stop()
