"""docker-compose.yml and deploy/Dockerfile must name only what exists in the code.

There is no Docker engine on the development machines, so these files are kept right by reading
them: every variable, command and port they use is checked against the code.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from streams.broker.local import SINGLE_NODE_SETTINGS, kafka_version
from streams.cli import build_parser
from streams.settings import ENVIRONMENT, MAX_MESSAGE_BYTES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text()


def _subcommands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)


def test_kafka_service_is_the_official_image_at_the_version_the_local_broker_runs():
    image = COMPOSE["services"]["kafka"]["image"]
    assert image == f"apache/kafka:{kafka_version()}"


def test_kafka_service_has_the_same_single_node_settings_as_the_local_broker():
    env = COMPOSE["services"]["kafka"]["environment"]
    as_properties = {k[len("KAFKA_"):].lower().replace("_", "."): str(v) for k, v in env.items()
                     if k.startswith("KAFKA_")}
    for key, value in SINGLE_NODE_SETTINGS.items():
        if key in ("inter.broker.listener.name", "listener.security.protocol.map", "auto.create.topics.enable",
                   "log.retention.hours", "offsets.topic.num.partitions", "transaction.state.log.num.partitions"):
            continue  # listener layout differs (two client listeners in compose); the rest are defaults there
        assert as_properties.get(key) == value, f"compose KAFKA_{key.upper().replace('.', '_')} != {value}"
    assert int(as_properties["message.max.bytes"]) == MAX_MESSAGE_BYTES


def test_kafka_listeners_and_advertised_addresses_agree():
    env = COMPOSE["services"]["kafka"]["environment"]
    listeners = {part.split("://")[0]: part.split(":")[-1] for part in env["KAFKA_LISTENERS"].split(",")}
    advertised = {part.split("://")[0]: part.split(":")[-1] for part in env["KAFKA_ADVERTISED_LISTENERS"].split(",")}
    protocols = dict(part.split(":") for part in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert set(listeners) <= set(protocols)
    for name, port in advertised.items():
        assert listeners[name] == port
    controller_port = env["KAFKA_CONTROLLER_QUORUM_VOTERS"].rsplit(":", 1)[1]
    assert listeners[env["KAFKA_CONTROLLER_LISTENER_NAMES"]] == controller_port
    published = {p.split(":")[1] for p in COMPOSE["services"]["kafka"]["ports"]}
    assert listeners["PLAINTEXT_HOST"] in published


def test_worker_service_uses_real_variables_command_and_port():
    worker = COMPOSE["services"]["worker"]
    assert worker["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (ROOT / worker["build"]["dockerfile"]).exists()
    assert set(worker["environment"]) <= set(ENVIRONMENT), set(worker["environment"]) - set(ENVIRONMENT)
    assert worker["command"][0] in _subcommands()
    bootstrap_host, bootstrap_port = worker["environment"]["KAFKA_BOOTSTRAP_SERVERS"].split(":")
    kafka_env = COMPOSE["services"]["kafka"]["environment"]
    assert f"PLAINTEXT://{bootstrap_host}:{bootstrap_port}" in kafka_env["KAFKA_ADVERTISED_LISTENERS"]
    web_port = worker["environment"]["NEWSROOM_WEB_PORT"]
    assert f"{web_port}:{web_port}" in worker["ports"]
    assert worker["environment"]["NEWSROOM_WEB_HOST"] == "0.0.0.0"


def test_dockerfile_runs_the_newsroom_entry_point_as_non_root():
    assert re.search(r'^ENTRYPOINT \["newsroom"\]', DOCKERFILE, re.M)
    assert re.search(r'^CMD \["worker"\]', DOCKERFILE, re.M)
    assert re.search(r"^USER (?!root)\w+", DOCKERFILE, re.M)
    for var in re.findall(r"\b(NEWSROOM_[A-Z_]+|KAFKA_[A-Z_]+)=", DOCKERFILE):
        assert var in ENVIRONMENT, var
    exposed = re.search(r"^EXPOSE (\d+)", DOCKERFILE, re.M).group(1)
    assert f"NEWSROOM_WEB_PORT={exposed}" in DOCKERFILE
    for copied in re.findall(r"^COPY (\S+) ", DOCKERFILE, re.M):
        for part in copied.split():
            assert (ROOT / part).exists(), part
