"""The commands a user types: broker start/status/stop on a real broker, and the demo."""

from __future__ import annotations

import os

import pytest

from streams.broker import LocalBroker
from tests.support import isolated_env, newsroom

pytestmark = pytest.mark.integration


def test_broker_start_status_stop_manage_only_their_own_broker(tmp_path, kafka_bootstrap):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAFKA_", "NEWSROOM_"))}
    env["NEWSROOM_HOME"] = str(tmp_path)
    assert newsroom("broker", "status", env=env).returncode == 3  # down

    started = newsroom("broker", "start", env=env)
    assert started.returncode == 0, started.stderr
    bootstrap = started.stdout.strip()
    assert bootstrap.startswith("127.0.0.1:") and bootstrap != kafka_bootstrap
    assert "ready at" in started.stderr

    status = newsroom("broker", "status", env=env)
    assert status.returncode == 0 and status.stdout.startswith(f"up {bootstrap}")
    pid = LocalBroker(tmp_path).info().pid

    again = newsroom("broker", "start", env=env)  # idempotent: no second broker
    assert again.stdout.strip() == bootstrap and "already running" in again.stderr

    stopped = newsroom("broker", "stop", "--purge", env=env)
    assert stopped.returncode == 0 and f"pid {pid}" in stopped.stderr
    assert not os.path.exists(f"/proc/{pid}")
    assert newsroom("broker", "status", env=env).returncode == 3
    # the session's broker, started from another home, is untouched
    assert LocalBroker(tmp_path).info() is None
    from streams.broker import wait_until_ready

    wait_until_ready(kafka_bootstrap, timeout=10)


def test_demo_prints_enriched_events_and_counts(tmp_path, kafka_bootstrap):
    env = isolated_env(kafka_bootstrap, tmp_path / "home")
    out = newsroom("demo", "--seconds", "12", env=env, timeout=240)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "[worker] ready" in out.stdout
    assert "과기정통부-산업부 장차관" in out.stdout  # an enriched event, printed as it arrives
    assert "과학기술정보통신부" in out.stdout and "[counts]" in out.stdout
    counts_block = out.stdout.split("[counts]")[-1]
    assert "msit" in counts_block and "motie" in counts_block


def test_topics_create_is_idempotent_and_describe_checks_the_cluster(tmp_path, kafka_bootstrap):
    env = isolated_env(kafka_bootstrap, tmp_path / "home", NEWSROOM_PARTITIONS="3")
    first = newsroom("topics", "create", env=env)
    assert first.returncode == 0, first.stderr
    created = [line for line in first.stdout.splitlines() if line.startswith("created")]
    assert len(created) > 60  # pipeline + one per ministry and per topic + changelogs
    raw_topic = env["NEWSROOM_TOPIC_RAW"]
    assert any(raw_topic in line and "partitions=3" in line for line in created)
    again = newsroom("topics", "create", env=env)
    assert "0 created" in again.stderr and not any(line.startswith("created") for line in again.stdout.splitlines())
    described = newsroom("topics", "describe", env=env)
    assert described.returncode == 0, described.stdout[-2000:]
    assert all(line.startswith("ok") for line in described.stdout.splitlines())
    # a deployment that expects more partitions than the cluster has is reported, exit 1
    drifted = newsroom("topics", "describe", env={**env, "NEWSROOM_PARTITIONS": "5"})
    assert drifted.returncode == 1 and "partitions=3 (want 5)" in drifted.stdout
