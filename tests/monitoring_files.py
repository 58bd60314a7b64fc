"""What deploy/monitoring/ says (alert rules, their unit tests, the PrometheusRule, the PodMonitor, the
Grafana dashboard), read once for the tests that check it: tests/unit/test_monitoring.py (the files,
promtool), tests/agent/test_operations.py (the metric names a worker declares) and
tests/integration/test_monitoring.py (a real Prometheus scraping a real worker)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MONITORING = ROOT / "deploy" / "monitoring"
RULES_FILE = MONITORING / "newsroom-rules.yml"
RULES_TEST_FILE = MONITORING / "newsroom-rules.test.yml"
RULES = yaml.safe_load(RULES_FILE.read_text())
RULES_TESTS = yaml.safe_load(RULES_TEST_FILE.read_text())
PROMETHEUS_RULE = yaml.safe_load((MONITORING / "prometheusrule.yaml").read_text())
PODMONITOR = yaml.safe_load((MONITORING / "podmonitor.yaml").read_text())
KUSTOMIZATION = yaml.safe_load((MONITORING / "kustomization.yaml").read_text())
DASHBOARD = json.loads((MONITORING / "grafana" / "newsroom-streams.json").read_text())
JOB = "newsroom-streams"  # the job every rule and panel selects (the PodMonitor's jobLabel value)
# Grafana's variables in the dashboard's queries, and what they stand for when a test runs them
DASHBOARD_VARIABLES = {"$__rate_interval": "1m", "$instance": ".*"}
# Debian's package; `make prometheus-deps` installs it as root (as browser-deps installs Chromium)
INSTALL_HINT = "run `make prometheus-deps` as root, or `apt-get install prometheus` (Debian's package)"

_METRIC = re.compile(r"\b(?:newsroom|process|python)_[a-z0-9_]+\b|\bup(?=\{)")


def alerts() -> list[dict]:
    return [rule for group in RULES["groups"] for rule in group["rules"] if "alert" in rule]


def panel_targets() -> list[dict]:
    return [target for panel in DASHBOARD["panels"] for target in panel.get("targets", [])]


def dashboard_queries() -> list[str]:
    """Every query of the dashboard, its Grafana variables replaced by values Prometheus accepts."""
    queries = []
    for target in panel_targets():
        expr = target["expr"]
        for variable, value in DASHBOARD_VARIABLES.items():
            expr = expr.replace(variable, value)
        queries.append(expr)
    return queries


def metric_names(exprs) -> set[str]:
    """The metric names PromQL expressions read (the project's, the process collectors' and `up`)."""
    return {name for expr in exprs for name in _METRIC.findall(expr)}


def named_by_rules() -> set[str]:
    return metric_names(rule["expr"] for rule in alerts())


def named_by_dashboard() -> set[str]:
    return metric_names(target["expr"] for target in panel_targets())


def rules_with_for(duration: str) -> dict:
    """The same rules with every `for:` set to `duration` (for a test that must not wait minutes)."""
    groups = [
        {**group, "rules": [{**rule, "for": duration} if "for" in rule else rule for rule in group["rules"]]}
        for group in RULES["groups"]
    ]
    return {"groups": groups}
