"""deploy/monitoring/: the alert rules pass `promtool check rules` and their unit tests (`promtool test
rules`: every alert with series that fire it and series that do not), the PrometheusRule is the same
rules, the PodMonitor scrapes the worker pods where they serve /metrics, and the Grafana dashboard is
ready for provisioning. tests/integration/test_monitoring.py runs them on a real Prometheus."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from tests.deploy_files import one, worker
from tests.monitoring_files import (
    DASHBOARD,
    INSTALL_HINT,
    JOB,
    KUSTOMIZATION,
    MONITORING,
    PODMONITOR,
    PROMETHEUS_RULE,
    ROOT,
    RULES,
    RULES_FILE,
    RULES_TEST_FILE,
    RULES_TESTS,
    alerts,
    named_by_dashboard,
    panel_targets,
)

OPERATING = (ROOT / "docs" / "operating.md").read_text()
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(not PROMTOOL, reason=f"promtool not installed: {INSTALL_HINT}")


def promtool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PROMTOOL, *args], cwd=MONITORING, capture_output=True, text=True, timeout=60)


@needs_promtool
def test_promtool_accepts_the_rules():
    checked = promtool("check", "rules", RULES_FILE.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(alerts())} rules found" in checked.stdout


@needs_promtool
def test_every_rule_passes_its_unit_tests():
    tested = promtool("test", "rules", RULES_TEST_FILE.name)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_every_alert_is_tested_with_series_that_fire_it_and_series_that_do_not():
    fired, quiet = set(), set()
    for case in RULES_TESTS["tests"]:
        for check in case.get("alert_rule_test", []):
            (fired if check["exp_alerts"] else quiet).add(check["alertname"])
    names = {rule["alert"] for rule in alerts()}
    assert names - fired == set(), "alerts never shown firing"
    assert names - quiet == set(), "alerts never shown staying quiet"


def test_every_alert_says_how_bad_what_happened_and_where_its_runbook_is():
    for rule in alerts():
        assert rule["labels"]["severity"] in ("critical", "warning"), rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        assert rule["annotations"]["runbook"] == f"docs/operating.md#{rule['alert'].lower()}"
        assert f"\n### {rule['alert']}\n" in OPERATING, f"docs/operating.md has no section for {rule['alert']}"
        assert f'job="{JOB}"' in rule["expr"], f"{rule['alert']} must select the workers' job"


def test_the_prometheus_rule_is_the_rules_file_generated():
    assert PROMETHEUS_RULE["kind"] == "PrometheusRule"
    assert PROMETHEUS_RULE["spec"] == RULES
    render = subprocess.run(
        [sys.executable, str(MONITORING / "render.py"), "--check"], capture_output=True, text=True, timeout=60
    )
    assert render.returncode == 0, render.stderr


def test_the_pod_monitor_scrapes_every_worker_pod_as_the_job_the_rules_select():
    statefulset = one("StatefulSet")
    pod_labels = statefulset["spec"]["template"]["metadata"]["labels"]
    spec = PODMONITOR["spec"]
    assert spec["selector"]["matchLabels"].items() <= pod_labels.items()
    assert pod_labels[spec["jobLabel"]] == JOB
    (endpoint,) = spec["podMetricsEndpoints"]
    assert endpoint["port"] in {port["name"] for port in worker()["ports"]}
    assert endpoint["path"] == statefulset["spec"]["template"]["metadata"]["annotations"]["prometheus.io/path"]


def test_the_monitoring_kustomization_applies_the_files_that_are_there():
    for resource in KUSTOMIZATION["resources"]:
        assert (MONITORING / resource).is_file(), resource
    assert {"podmonitor.yaml", "prometheusrule.yaml"} == set(KUSTOMIZATION["resources"])
    (dashboards,) = KUSTOMIZATION["configMapGenerator"]
    assert all((MONITORING / f).is_file() for f in dashboards["files"])
    assert dashboards["options"]["labels"] == {"grafana_dashboard": "1"}


def test_the_dashboard_is_ready_for_provisioning():
    assert DASHBOARD["uid"] and DASHBOARD.get("id") is None, "a fixed uid, no database id"
    assert "__inputs" not in DASHBOARD, "an export for import; provisioning needs no inputs"
    variables = {v["name"]: v for v in DASHBOARD["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource" and variables["datasource"]["query"] == "prometheus"
    panels = DASHBOARD["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    for panel in panels:
        assert panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24, panel["title"]
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${datasource}", panel["title"]
    for target in panel_targets():
        assert target["datasource"]["uid"] == "${datasource}"
        assert f'job="{JOB}"' in target["expr"] and 'instance=~"$instance"' in target["expr"], target["expr"]


def test_the_dashboard_shows_what_an_operator_looks_for():
    """Throughput per stage, lag per partition, latency quantiles, dead letters by reason, agent
    errors, table memory, RSS and CPU, readiness, alerts sent."""
    names = named_by_dashboard()
    assert {
        "newsroom_events_in_total",
        "newsroom_consumer_lag",
        "newsroom_processing_latency_seconds_bucket",
        "newsroom_dead_letters_total",
        "newsroom_agent_errors_total",
        "newsroom_table_memory_bytes",
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
        "newsroom_ready",
        "newsroom_alerts_total",
    } <= names
    exprs = " ".join(t["expr"] for t in panel_targets())
    assert all(f"histogram_quantile({q}," in exprs for q in ("0.5", "0.95", "0.99"))
    assert re.search(r"sum by \(reason", exprs) and re.search(r"by \(topic, partition\)", exprs)
