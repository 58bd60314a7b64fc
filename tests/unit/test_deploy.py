"""docker-compose.yml, deploy/Dockerfile and deploy/k8s/ must name only what exists in the code.

There is no Docker engine or Kubernetes cluster on the development machines, so these files are kept
right by reading them (tests/deploy_files.py): every image, port, command and environment variable
they use is checked against the code; tests/agent/test_deploy_app.py requests the probe and scrape
paths from the app's own web server.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from streams.broker.local import SINGLE_NODE_SETTINGS, kafka_version
from streams.cli import build_parser
from streams.settings import ENVIRONMENT, MAX_MESSAGE_BYTES, load_settings
from tests.deploy_files import (
    COMPOSE,
    DOCKERFILE,
    K8S,
    KUSTOMIZATION,
    MANIFESTS,
    NEWSROOM_SERVICES,
    PROJECT_VERSION,
    ROOT,
    WORKER_IMAGE,
    all_of,
    by_name,
    container_env,
    containers,
    one,
    subcommands,
    worker,
)


# -- docker compose -----------------------------------------------------------------------------
def test_kafka_service_is_the_official_image_at_the_version_the_local_broker_runs():
    image = COMPOSE["services"]["kafka"]["image"]
    assert image == f"apache/kafka:{kafka_version()}"


def test_kafka_service_has_the_same_single_node_settings_as_the_local_broker():
    env = COMPOSE["services"]["kafka"]["environment"]
    as_properties = {
        k[len("KAFKA_") :].lower().replace("_", "."): str(v) for k, v in env.items() if k.startswith("KAFKA_")
    }
    for key, value in SINGLE_NODE_SETTINGS.items():
        if key in (
            "inter.broker.listener.name",
            "listener.security.protocol.map",
            "auto.create.topics.enable",
            "log.retention.hours",
            "offsets.topic.num.partitions",
            "transaction.state.log.num.partitions",
        ):
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


def test_newsroom_services_use_real_variables_and_commands_and_reach_the_broker():
    kafka_env = COMPOSE["services"]["kafka"]["environment"]
    for name in NEWSROOM_SERVICES:
        service = COMPOSE["services"][name]
        assert service["build"]["dockerfile"] == "deploy/Dockerfile"
        assert (ROOT / service["build"]["dockerfile"]).exists()
        env = service["environment"]
        assert set(env) <= set(ENVIRONMENT), set(env) - set(ENVIRONMENT)
        load_settings({k: str(v) for k, v in env.items()})  # every value is one the worker accepts
        build_parser().parse_args(service["command"])  # a real subcommand with valid arguments
        assert f"PLAINTEXT://{env['KAFKA_BOOTSTRAP_SERVERS']}" in kafka_env["KAFKA_ADVERTISED_LISTENERS"]
        assert service["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_topics_service_creates_the_topics_before_any_worker_starts():
    topics, worker = COMPOSE["services"]["topics"], COMPOSE["services"]["worker"]
    assert topics["command"] == ["topics", "create"]
    assert worker["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    # the same app id, topic names and partitions: both compute the same topic list
    assert topics["environment"].items() <= worker["environment"].items()
    assert topics["image"] == worker["image"] and topics["build"] == worker["build"]


def test_worker_service_scales_without_clashing():
    worker = COMPOSE["services"]["worker"]
    assert worker["command"] == ["worker"]
    assert "container_name" not in worker and "hostname" not in worker
    web_port = str(worker["environment"]["NEWSROOM_WEB_PORT"])
    assert worker["environment"]["NEWSROOM_WEB_HOST"] == "0.0.0.0"
    assert [str(p) for p in worker["ports"]] == [web_port], "publish the web port on any free host port"
    # replicas must not share one RocksDB folder: no named volume at (or above) the data dir
    data_dir = worker["environment"]["NEWSROOM_DATA_DIR"]
    for mount in worker.get("volumes", []):
        source, target = str(mount).split(":")[:2]
        assert source.startswith((".", "/")) is False and not data_dir.startswith(target), mount
    assert re.search(r'^VOLUME \["' + re.escape(str(Path(data_dir).parent)) + r'"\]', DOCKERFILE, re.M)
    assert _seconds(worker["stop_grace_period"]) >= 30, "docker's default 10 s can cut a graceful stop short"


def _seconds(duration: str) -> int:
    match = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", duration)
    assert match and any(match.groups()), duration
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def test_dockerfile_runs_the_newsroom_entry_point_as_non_root():
    assert re.search(r'^ENTRYPOINT \["newsroom"\]', DOCKERFILE, re.M)
    assert re.search(r'^CMD \["worker"\]', DOCKERFILE, re.M)
    assert re.search(r"^USER (?!root)\w+", DOCKERFILE, re.M)
    assert f"-t {WORKER_IMAGE} " in DOCKERFILE
    for var in re.findall(r"\b(NEWSROOM_[A-Z_]+|KAFKA_[A-Z_]+)=", DOCKERFILE):
        assert var in ENVIRONMENT, var
    exposed = re.search(r"^EXPOSE (\d+)", DOCKERFILE, re.M).group(1)
    assert f"NEWSROOM_WEB_PORT={exposed}" in DOCKERFILE
    for copied in re.findall(r"^COPY (\S+) ", DOCKERFILE, re.M):
        for part in copied.split():
            assert (ROOT / part).exists(), part


# -- Kubernetes -----------------------------------------------------------------------------------
def test_kustomization_applies_every_manifest_with_the_project_version():
    assert set(KUSTOMIZATION["resources"]) == set(MANIFESTS)
    (image,) = KUSTOMIZATION["images"]
    assert image == {"name": WORKER_IMAGE, "newTag": PROJECT_VERSION}
    kinds = {d["kind"] for docs in MANIFESTS.values() for d in docs}
    assert {"StatefulSet", "Service", "ConfigMap", "Secret", "PodDisruptionBudget", "Job"} <= kinds


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kubectl not installed: the kustomize render is not checked")
def test_kustomize_renders_every_manifest_with_the_tagged_image():
    rendered = subprocess.run(["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60)
    assert rendered.returncode == 0, rendered.stderr
    docs = [d for d in yaml.safe_load_all(rendered.stdout) if d]
    assert len(docs) == sum(len(d) for d in MANIFESTS.values())
    images = {
        c["image"] for d in docs if "template" in d.get("spec", {}) for c in d["spec"]["template"]["spec"]["containers"]
    }
    assert images == {f"{WORKER_IMAGE}:{PROJECT_VERSION}"}


def test_every_image_is_the_worker_image_or_the_official_kafka_image():
    images = [c["image"] for c in containers()] + [s["image"] for s in COMPOSE["services"].values()]
    for image in images:
        name, _, tag = image.partition(":")
        if name == "apache/kafka":
            assert tag == kafka_version()
        else:
            assert name == WORKER_IMAGE and tag in ("", PROJECT_VERSION), image


def test_every_container_runs_a_newsroom_subcommand():
    for container in containers():
        assert "command" not in container, "keep the image's entrypoint (newsroom)"
        assert container["args"][0] in subcommands()
        build_parser().parse_args(container["args"])
    assert one("Job")["spec"]["template"]["spec"]["containers"][0]["args"] == ["topics", "create"]
    assert worker()["args"] == ["worker"]


def test_every_environment_variable_exists_and_every_value_is_accepted():
    configmap, secret = one("ConfigMap"), one("Secret")
    assert set(configmap["data"]) <= set(ENVIRONMENT), set(configmap["data"]) - set(ENVIRONMENT)
    assert set(secret["stringData"]) == {"KAFKA_SASL_USERNAME", "KAFKA_SASL_PASSWORD"}
    assert not {"KAFKA_SASL_PASSWORD", "KAFKA_SASL_USERNAME"} & set(configmap["data"]), "secrets go in the Secret"
    for container in containers():
        env = container_env(container)
        assert set(env) <= set(ENVIRONMENT), set(env) - set(ENVIRONMENT)
        settings = load_settings({**env, "NEWSROOM_GROUP_INSTANCE_ID": "newsroom-worker-0"})
        assert settings.sasl_username and settings.security_protocol.startswith("SASL")
    # the Job and the workers read the same ConfigMap and Secret, so they agree on the topic list
    job = one("Job")["spec"]["template"]["spec"]["containers"][0]
    assert job["envFrom"] == worker()["envFrom"]


def test_workers_have_stable_ids_their_own_volume_and_a_graceful_stop():
    statefulset = one("StatefulSet")
    spec, pod = statefulset["spec"], statefulset["spec"]["template"]["spec"]
    env = container_env(worker())
    # static membership: the pod name (newsroom-worker-0, -1, ...) is the group instance id
    (instance,) = [v for v in worker()["env"] if v["name"] == "NEWSROOM_GROUP_INSTANCE_ID"]
    assert instance["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    headless = by_name("Service")[spec["serviceName"]]
    assert headless["spec"]["clusterIP"] == "None"
    assert spec["replicas"] <= int(env["NEWSROOM_PARTITIONS"]), "a worker beyond the partitions has nothing to do"
    # a volume per pod for RocksDB, mounted where NEWSROOM_DATA_DIR points
    (claim,) = spec["volumeClaimTemplates"]
    (mount,) = worker()["volumeMounts"]
    assert mount["name"] == claim["metadata"]["name"] and claim["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert Path(env["NEWSROOM_DATA_DIR"]).is_relative_to(mount["mountPath"])
    assert pod["securityContext"]["runAsNonRoot"] and pod["securityContext"]["fsGroup"]
    # SIGTERM commits and marks the tables clean in seconds; SIGKILL would make the next start rebuild them
    assert pod["terminationGracePeriodSeconds"] >= 60


def test_ports_services_and_disruption_budget_point_at_the_workers():
    env = container_env(worker())
    (port,) = worker()["ports"]
    assert str(port["containerPort"]) == env["NEWSROOM_WEB_PORT"] and env["NEWSROOM_WEB_HOST"] == "0.0.0.0"
    for probe in ("readinessProbe", "livenessProbe"):
        assert worker()[probe]["httpGet"]["port"] in (port["name"], port["containerPort"])
    annotations = one("StatefulSet")["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/port"] == str(port["containerPort"])
    labels = one("StatefulSet")["spec"]["template"]["metadata"]["labels"]
    assert one("StatefulSet")["spec"]["selector"]["matchLabels"].items() <= labels.items()
    for service in all_of("Service"):
        assert service["spec"]["selector"].items() <= labels.items()
        for service_port in service["spec"]["ports"]:
            assert service_port["targetPort"] in (port["name"], port["containerPort"])
    budget = one("PodDisruptionBudget")["spec"]
    assert budget["selector"]["matchLabels"].items() <= labels.items() and budget["maxUnavailable"] == 1


def test_the_web_service_routes_by_the_web_readiness_that_rebalances_do_not_clear():
    """A Service's endpoints are its ready pods: with the processing readiness, every rebalance left
    the desk, /feed and /counts without an endpoint (tests/agent/test_operations.py shows the roles)."""
    assert worker()["readinessProbe"]["httpGet"]["path"] == "/readyz?role=web"
    web = by_name("Service")["newsroom-web"]["spec"]
    assert not web.get("publishNotReadyAddresses"), "a pod still recovering gets no requests"
    assert container_env(worker())["NEWSROOM_LOG_FORMAT"] == "json", "the cluster's log collector reads JSON"


@pytest.mark.parametrize(
    "name",
    ["NEWSROOM_STANDBY_REPLICAS", "NEWSROOM_SESSION_TIMEOUT", "NEWSROOM_GROUP_INSTANCE_ID", "NEWSROOM_TABLE_MEMORY_MB"],
)
def test_scaling_settings_are_documented(name):
    readme = (ROOT / "README.md").read_text()
    assert name in ENVIRONMENT and name in readme
