"""SASL and TLS on the real broker: a local broker with SASL_PLAINTEXT (PLAIN, SCRAM-SHA-512), SSL and
SASL_SSL listeners; clients and a worker configured only through the environment."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka.errors import KafkaError

from schemas import EnrichedArticle
from streams.broker import LocalBroker
from streams.inputs import read_record
from streams.kafka_io import produce_records, tail_topic
from streams.settings import load_settings
from tests.support import SEED_HTML, WorkerProcess, isolated_env

pytestmark = pytest.mark.integration

USERS = {"desk": "desk-secret-1"}


@pytest.fixture(scope="module")
def sasl_broker(tmp_path_factory):
    broker = LocalBroker(tmp_path_factory.mktemp("sasl-broker"), sasl_users=USERS, tls=True)
    info = broker.start(log=lambda m: None)
    yield info
    broker.stop(purge=True, log=lambda m: None)


def sasl_env(info, tmp_path, mechanism: str, password: str = USERS["desk"]) -> dict[str, str]:
    return isolated_env(
        info.sasl_bootstrap,
        tmp_path / "home",
        KAFKA_SECURITY_PROTOCOL="SASL_PLAINTEXT",
        KAFKA_SASL_MECHANISM=mechanism,
        KAFKA_SASL_USERNAME="desk",
        KAFKA_SASL_PASSWORD=password,
    )


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-512"])
def test_clients_authenticate_with_each_mechanism(sasl_broker, tmp_path, mechanism):
    settings = load_settings(sasl_env(sasl_broker, tmp_path, mechanism))
    topic = f"{settings.topics.raw}.{mechanism.lower()}"
    assert asyncio.run(produce_records(settings, topic, [(b"k", b"v-" + mechanism.encode())])) == 1
    got = []
    asyncio.run(tail_topic(settings, topic, lambda k, v, m: got.append(v), max_events=1, timeout=20))
    assert got == [b"v-" + mechanism.encode()]


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-512"])
def test_a_wrong_password_is_refused(sasl_broker, tmp_path, mechanism):
    settings = load_settings(sasl_env(sasl_broker, tmp_path, mechanism, password="wrong"))
    with pytest.raises(KafkaError):
        asyncio.run(asyncio.wait_for(produce_records(settings, "any", [(b"k", b"v")]), 30))


def test_tls_client_trusting_the_broker_ca_round_trips(sasl_broker, tmp_path):
    env = isolated_env(
        sasl_broker.tls_bootstrap, tmp_path / "home", KAFKA_SECURITY_PROTOCOL="SSL", KAFKA_SSL_CAFILE=sasl_broker.tls_ca
    )
    settings = load_settings(env)
    assert asyncio.run(produce_records(settings, "tls-check", [(b"k", b"over tls")])) == 1
    got = []
    asyncio.run(tail_topic(settings, "tls-check", lambda k, v, m: got.append(v), max_events=1, timeout=20))
    assert got == [b"over tls"]


def test_tls_refuses_a_broker_it_cannot_verify(sasl_broker, tmp_path):
    settings = load_settings(isolated_env(sasl_broker.tls_bootstrap, tmp_path / "home", KAFKA_SECURITY_PROTOCOL="SSL"))
    with pytest.raises((KafkaError, OSError, asyncio.TimeoutError)):  # system CAs do not know this certificate
        asyncio.run(asyncio.wait_for(produce_records(settings, "tls-check", [(b"k", b"v")]), 20))


def test_worker_runs_the_pipeline_over_scram_and_tls(sasl_broker, tmp_path):
    env = isolated_env(
        sasl_broker.sasl_tls_bootstrap,
        tmp_path / "home",
        KAFKA_SECURITY_PROTOCOL="SASL_SSL",
        KAFKA_SASL_MECHANISM="SCRAM-SHA-512",
        KAFKA_SASL_USERNAME="desk",
        KAFKA_SASL_PASSWORD=USERS["desk"],
        KAFKA_SSL_CAFILE=sasl_broker.tls_ca,
    )
    settings = load_settings(env)
    worker = WorkerProcess(env, tmp_path / "worker.log").start()
    try:
        seed = read_record(str(SEED_HTML))
        asyncio.run(produce_records(settings, settings.topics.raw, [(seed.key, seed.value)]))
        got = []
        asyncio.run(
            tail_topic(settings, settings.topics.enriched, lambda k, v, m: got.append(v), max_events=1, timeout=60)
        )
        assert got, worker.log_tail()
        assert {m.id for m in EnrichedArticle.model_validate_json(got[0]).ministries} == {"msit", "motie"}
    finally:
        worker.stop()
