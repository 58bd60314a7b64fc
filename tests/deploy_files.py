"""What docker-compose.yml, deploy/Dockerfile and deploy/k8s/ say, read once for the deploy tests
(tests/unit/test_deploy.py checks them against the code; tests/agent/test_deploy_app.py against a
running app)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from streams.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text()
K8S = ROOT / "deploy" / "k8s"
MANIFESTS = {
    path.name: [doc for doc in yaml.safe_load_all(path.read_text()) if doc]
    for path in sorted(K8S.glob("*.yaml"))
    if path.name != "kustomization.yaml"
}
KUSTOMIZATION = yaml.safe_load((K8S / "kustomization.yaml").read_text())
PROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
WORKER_IMAGE = "newsroom-streams"  # deploy/Dockerfile's tag (see its header)
NEWSROOM_SERVICES = ("topics", "worker")  # compose services running the newsroom image


def subcommands() -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)


def one(kind: str) -> dict:
    (doc,) = [d for docs in MANIFESTS.values() for d in docs if d["kind"] == kind]
    return doc


def all_of(kind: str) -> list[dict]:
    return [d for docs in MANIFESTS.values() for d in docs if d["kind"] == kind]


def pod_specs() -> list[dict]:
    return [
        d["spec"]["template"]["spec"]
        for docs in MANIFESTS.values()
        for d in docs
        if d["kind"] in ("StatefulSet", "Deployment", "Job", "DaemonSet")
    ]


def containers() -> list[dict]:
    return [c for spec in pod_specs() for c in spec.get("containers", []) + spec.get("initContainers", [])]


def by_name(kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in all_of(kind)}


def container_env(container: dict) -> dict[str, str]:
    """The environment a container gets: its envFrom ConfigMaps and Secrets, then its own env."""
    configmaps, secrets = by_name("ConfigMap"), by_name("Secret")
    env: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            env.update(configmaps[source["configMapRef"]["name"]]["data"])
        else:
            env.update(secrets[source["secretRef"]["name"]]["stringData"])
    for var in container.get("env", []):
        env[var["name"]] = var.get("value", "<from " + ",".join(var.get("valueFrom", {})) + ">")
    return env


def worker() -> dict:
    (worker,) = one("StatefulSet")["spec"]["template"]["spec"]["containers"]
    return worker


def probe_paths() -> dict[str, str]:
    """{path: where it is named} of every HTTP path the manifests and the compose file request."""
    paths = {}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        if probe in worker():
            paths[worker()[probe]["httpGet"]["path"]] = f"k8s {probe}"
    paths[one("StatefulSet")["spec"]["template"]["metadata"]["annotations"]["prometheus.io/path"]] = "prometheus"
    for name, service in COMPOSE["services"].items():
        test = " ".join(service.get("healthcheck", {}).get("test", []))
        for path in re.findall(r"https?://[^/\s']+(/[^\s']*)", test):
            paths[path] = f"compose {name} healthcheck"
    return paths
