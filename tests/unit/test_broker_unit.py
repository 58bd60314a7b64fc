"""The local broker's checks that need no JVM: missing tools, and its single-node configuration."""

from __future__ import annotations

import pytest

from streams.broker import LocalBroker, MissingToolError
from streams.broker import local


def test_missing_java_or_maven_names_what_to_install_and_docker_compose(monkeypatch, tmp_path):
    monkeypatch.setattr(local.shutil, "which", lambda name: None)
    with pytest.raises(MissingToolError) as err:
        LocalBroker(tmp_path).start()
    message = str(err.value)
    assert "java and mvn not found" in message
    assert "apt-get install" in message and "docker compose up" in message
    assert "KAFKA_BOOTSTRAP_SERVERS" in message


def test_written_configuration_is_single_node_kraft_on_loopback(tmp_path):
    broker = LocalBroker(tmp_path)
    broker.home.mkdir(parents=True)
    broker._write_properties(19092, 19093, None)
    props = dict(line.split("=", 1) for line in broker.properties.read_text().splitlines() if "=" in line)
    assert props["process.roles"] == "broker,controller"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19093"
    for key in (
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
        "transaction.state.log.min.isr",
    ):
        assert props[key] == "1"
    assert props["group.initial.rebalance.delay.ms"] == "0"


def test_cluster_ids_are_kafka_uuids():
    ids = {local._kafka_cluster_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(len(i) == 22 and not i.startswith("-") for i in ids)


def test_descriptor_depends_on_kafka_2_13_alone():
    text = local.DEFAULT_POM.read_text()
    assert text.count("<groupId>org.apache.kafka</groupId>") == 1
    assert "<artifactId>kafka_2.13</artifactId>" in text


def test_a_restart_keeps_the_ports_even_while_old_connections_linger(tmp_path):
    import socket

    broker = LocalBroker(tmp_path)
    broker.home.mkdir(parents=True)
    first = broker._ports()
    assert first[2:] == (None, None, None)  # no SASL or TLS listener asked for: no port taken
    # a connection to the old port left in TIME_WAIT must not move the broker to a new address
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", first[0]))
    server.listen()
    client = socket.create_connection(("127.0.0.1", first[0]))
    conn, _ = server.accept()
    conn.close()  # the server side closes first: its end lingers in TIME_WAIT
    client.close()
    server.close()
    assert broker._ports() == first
    with_tls = LocalBroker(tmp_path / "other", sasl_users={"u": "p"}, tls=True)
    with_tls.home.mkdir(parents=True)
    ports = with_tls._ports()
    assert all(ports) and len(set(ports)) == 5
