"""What an operator scrapes and probes on a worker's web server: /metrics with the process, GC and
platform collectors and the build info, and readiness per role (the web role stays ready through a
rebalance, so the desk, /feed and /counts keep an endpoint)."""

from __future__ import annotations

import os
import platform
from importlib.metadata import version

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from streams.app import create_app
from streams.live.metrics import memory_limit_bytes
from streams.settings import load_settings
from tests.monitoring_files import named_by_dashboard, named_by_rules

MACHINE = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


@pytest.fixture
async def web(tmp_path):
    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_HOME": str(tmp_path)})
    newsroom = create_app(settings, store="memory://")
    async with TestClient(TestServer(newsroom.app.web.web_app)) as client:
        yield newsroom, client


async def samples(client) -> dict[str, dict]:
    """{sample name: labels} of one scrape of /metrics."""
    answer = await client.get("/metrics")
    assert answer.status == 200
    return {s.name: s.labels for f in text_string_to_metric_families(await answer.text()) for s in f.samples}


async def test_metrics_include_the_process_gc_and_platform_collectors(web):
    _, client = web
    scraped = await samples(client)
    for name in (
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
        "process_open_fds",
        "python_gc_collections_total",
        "python_info",
    ):
        assert name in scraped, name
    assert scraped["python_info"]["version"] == platform.python_version()


async def test_build_info_says_what_the_worker_runs(web):
    _, client = web
    assert (await samples(client))["newsroom_build_info"] == {
        "version": version("newsroom-streams"),
        "python": platform.python_version(),
        "faust": version("faust-streaming"),
        "aiokafka": version("aiokafka"),
        "kafka_protocol": "auto",
    }


async def test_every_stage_has_its_input_and_error_series_from_the_start(web):
    """At 0 before anything happens: an alert on increase() then sees the first error."""
    _, client = web
    answer = await (await client.get("/metrics")).text()
    for stage in ("clean", "rekeyed", "enrich", "publish", "spikes"):
        assert f'newsroom_agent_errors_total{{agent="{stage}"}} 0.0' in answer
        assert f'agent="{stage}"' in answer.split("newsroom_events_in_total", 2)[2]


def test_the_memory_limit_is_the_containers_else_the_machines(tmp_path):
    v2, v1 = tmp_path / "memory.max", tmp_path / "memory.limit_in_bytes"
    v2.write_text("2147483648\n")
    assert memory_limit_bytes([str(v2), str(v1)]) == 2 << 30  # a pod's limits.memory: 2Gi
    v2.write_text("max\n")
    v1.write_text("9223372036854771712\n")  # cgroup v1 without a limit
    assert memory_limit_bytes([str(v2), str(v1)]) == MACHINE
    assert memory_limit_bytes([str(tmp_path / "none")]) == MACHINE


async def test_the_web_role_stays_ready_through_a_rebalance_the_processing_role_does_not(web):
    newsroom, client = web
    app = newsroom.app

    async def ready() -> dict[str, int]:
        return {role: (await client.get(f"/readyz?role={role}")).status for role in ("processing", "web")}

    assert (await client.get("/readyz")).status == 503 and await ready() == {"processing": 503, "web": 503}
    app.tables.recovery.completed.set()  # the first recovery is done
    assert await ready() == {"processing": 200, "web": 200}
    app.rebalancing = True
    assert await ready() == {"processing": 503, "web": 200}
    assert (await client.get("/readyz")).status == 503, "the default is the processing role"
    app.rebalancing = False
    assert await ready() == {"processing": 200, "web": 200}
    answer = await client.get("/readyz?role=desk")
    assert answer.status == 400 and "processing, web" in (await answer.json())["error"]


async def test_the_alert_rules_and_the_dashboard_name_only_metrics_a_worker_exports(web):
    """deploy/monitoring/ against the worker's registry (every family, with the suffixes its samples
    get), so a renamed metric fails here even where no Prometheus is installed to run the rules."""
    newsroom, _ = web
    suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "info": ("_info",)}
    exported = {
        family.name + suffix
        for family in newsroom.live.metrics.registry.collect()
        for suffix in suffixes.get(family.type, ("",))
    }
    assert named_by_rules() - exported - {"up"} == set()
    assert named_by_dashboard() - exported - {"up"} == set()
