"""deploy/monitoring/ on a real Prometheus (Debian's package) scraping a real worker on the real broker:
every metric the alert rules and the dashboard name is in the scrape, every rule evaluates and every
dashboard query answers, an agent error fires its alert, and a stopped worker fires NewsroomWorkerDown.

The rules are deploy/monitoring/newsroom-rules.yml with every `for:` shortened to seconds (generated
from that file here), scraped and evaluated every second or two, so the test waits seconds, not minutes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import yaml

from streams.broker.local import free_port
from streams.settings import load_settings
from tests.erring_worker import failing_article
from tests.monitoring_files import (
    INSTALL_HINT,
    JOB,
    dashboard_queries,
    named_by_dashboard,
    named_by_rules,
    rules_with_for,
)
from tests.support import ROOT, WorkerProcess, isolated_env, produce, synthetic_article, wait_until

pytestmark = pytest.mark.integration

PROMETHEUS = shutil.which("prometheus")
SCRAPE_SECONDS = 2  # also the scrape timeout: a worker busy for longer than that counts as down
FOR = "4s"  # every rule's `for:` in this test


class Prometheus:
    """A real Prometheus server on a free loopback port, scraping `target` as the workers' job."""

    def __init__(self, home: Path, target: str, rules: dict):
        home.mkdir(parents=True)
        self.port = free_port()
        (home / "rules.yml").write_text(yaml.safe_dump(rules, sort_keys=False))
        interval = f"{SCRAPE_SECONDS}s"
        config = {
            "global": {"scrape_interval": interval, "scrape_timeout": interval, "evaluation_interval": "1s"},
            "rule_files": [str(home / "rules.yml")],
            "scrape_configs": [{"job_name": JOB, "static_configs": [{"targets": [target]}]}],
        }
        (home / "prometheus.yml").write_text(yaml.safe_dump(config, sort_keys=False))
        self.log_path = home / "prometheus.log"
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [
                    PROMETHEUS,
                    f"--config.file={home / 'prometheus.yml'}",
                    f"--storage.tsdb.path={home / 'data'}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def api(self, path: str, **params: str):
        url = f"http://127.0.0.1:{self.port}/api/v1/{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=5) as answer:  # loopback
            body = json.load(answer)
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expr: str) -> list[dict]:
        return self.api("query", query=expr)["result"]

    def alerts(self, state: str = "firing") -> list[dict]:
        return [a["labels"] for a in self.api("alerts")["alerts"] if a["state"] == state]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@pytest.mark.skipif(not PROMETHEUS, reason=f"prometheus not installed: {INSTALL_HINT}")
def test_a_real_prometheus_scrapes_a_worker_runs_the_rules_and_the_dashboard_and_sees_it_stop(
    kafka_bootstrap, tmp_path
):
    env = isolated_env(
        kafka_bootstrap,
        tmp_path / "home",
        NEWSROOM_PARTITIONS="1",
        NEWSROOM_ALERT_DEADLETTER_RATE="0.05",
        NEWSROOM_HEALTH_CHECK_SECONDS="0.5",
    )
    settings = load_settings(env)
    worker = WorkerProcess(env, tmp_path / "worker.log", argv=[str(ROOT / "tests" / "erring_worker.py")]).start()
    instance = f"127.0.0.1:{worker.port}"
    prometheus = None
    try:
        wait_until(lambda: worker.get("/readyz")["ready"], timeout=90, message="the worker ready")
        prometheus = Prometheus(tmp_path / "prometheus", instance, rules_with_for(FOR))
        wait_until(
            lambda: [r["value"][1] for r in prometheus.query(f'up{{job="{JOB}"}}')] == ["1"],
            timeout=60,
            message="Prometheus's first successful scrape of the worker",
        )
        # Eleven articles and one that fails in the enrich stage: a dead letter, an agent error, and the
        # worker's own deadletter_rate alert (1 in 12 > 5%), so every counter the rules and panels read moves.
        produce(settings, [synthetic_article(i) for i in range(11)] + [failing_article(11)])

        def names_in_the_scrape() -> set[str]:
            return {r["metric"]["__name__"] for r in prometheus.query(f'group by (__name__) ({{job="{JOB}"}})')}

        needed = named_by_rules() | named_by_dashboard()
        wait_until(
            lambda: needed <= names_in_the_scrape(),
            timeout=60,
            message=f"every metric of the rules and the dashboard in the scrape: {sorted(needed)}",
        )

        def unanswered_queries() -> list[str]:
            return [q for q in dashboard_queries() if not prometheus.query(q)]

        wait_until(lambda: not unanswered_queries(), timeout=60, message="an answer to every dashboard query")
        rules = [r for g in prometheus.api("rules")["groups"] for r in g["rules"]]
        assert {r["name"] for r in rules} >= {"NewsroomWorkerDown", "NewsroomAgentErrors"}
        assert [(r["name"], r.get("lastError")) for r in rules if r["health"] != "ok"] == []

        wait_until(
            lambda: any(
                a["alertname"] == "NewsroomAgentErrors" and a["agent"] == "enrich" for a in prometheus.alerts()
            ),
            timeout=60,
            message="NewsroomAgentErrors firing",
        )
        assert not [a for a in prometheus.alerts() if a["alertname"] == "NewsroomWorkerDown"], "the worker is up"

        assert worker.stop() == 0
        down = wait_until(
            lambda: [a for a in prometheus.alerts() if a["alertname"] == "NewsroomWorkerDown"],
            timeout=60,
            message="NewsroomWorkerDown firing after the worker stopped",
        )
        assert [(a["instance"], a["job"], a["severity"]) for a in down] == [(instance, JOB, "critical")]
    finally:
        worker.stop()
        if prometheus is not None:
            prometheus.stop()
