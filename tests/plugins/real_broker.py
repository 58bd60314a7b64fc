"""pytest plugin: the real Kafka broker (session-scoped) and real worker processes, for the tests
under tests/integration (registered by tests/conftest.py).

The broker is started once per test session from Maven Central jars (streams.broker), unless
KAFKA_BOOTSTRAP_SERVERS points at an existing cluster. Each integration test gets its own topic
names and application id, so tests never see each other's events.
"""

from __future__ import annotations

import os
import sys
import time

import pytest

from streams.broker import LocalBroker
from streams.settings import Settings, load_settings
from tests.support import WorkerProcess, isolated_env


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory, pytestconfig) -> str:
    """Bootstrap address of a real Kafka broker for the whole session."""
    existing = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if existing:
        yield existing
        return
    home = tmp_path_factory.mktemp("kafka-home")
    broker = LocalBroker(home)
    started = time.monotonic()
    info = broker.start(log=lambda m: print(f"[broker] {m}", file=sys.stderr))
    # to the terminal itself (pytest captures fixture output): when the broker was ready, and how fast
    line = (
        f"[broker] Kafka {info.kafka_version} ready at {info.bootstrap} at {time.strftime('%H:%M:%S')}, "
        f"{time.monotonic() - started:.1f}s after the fixture began"
    )
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print("\n" + line, flush=True)
    try:
        yield info.bootstrap
    finally:
        # its data is deleted next: a broker that takes more than a few seconds to shut down
        # cleanly (KRaft's controlled shutdown took 24 s on a loaded machine) is killed instead
        broker.stop(purge=True, timeout=5, log=lambda m: None)


@pytest.fixture
def pipeline_env(kafka_bootstrap, tmp_path) -> dict[str, str]:
    return isolated_env(kafka_bootstrap, tmp_path / "home")


@pytest.fixture
def pipeline_settings(pipeline_env) -> Settings:
    return load_settings(pipeline_env)


@pytest.fixture
def worker(pipeline_env, tmp_path):
    """One running worker on the real broker, stopped (SIGTERM) after the test."""
    proc = WorkerProcess(pipeline_env, tmp_path / "worker.log")
    yield proc
    proc.stop()
