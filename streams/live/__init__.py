"""Live counts of the whole cluster, spike and pipeline-health alerts, metrics, health and readiness.

`install(newsroom)` (listed in `streams.app.EXTENSIONS`) adds to the app:
  task      the counts topic read whole into `ClusterCounts` (streams.live.cluster), on every worker
  hooks     on_event/on_output/on_error -> metrics and the pipeline-health monitor
  timer     pipeline-health check every NEWSROOM_HEALTH_CHECK_SECONDS
  views     /counts/{ministries,topics}[/{id}/series], /healthz, /readyz, /metrics

The counting itself is a step of the pipeline (streams.steps.publish, streams.counting) and the
spike rule is a stage of its own on the counts topic (streams.live.spikes), both declared in
streams.graph.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from streams.live.alerts import Alerter
    from streams.live.cluster import ClusterCounts
    from streams.live.health import HealthMonitor
    from streams.live.metrics import Metrics


@dataclass
class Live:
    """What install() added, reachable as `newsroom.live` (for tests and other extensions)."""

    counts: ClusterCounts
    metrics: Metrics
    monitor: HealthMonitor
    alerter: Alerter


def spike_rule(settings):
    from streams.live.alert_rule import SpikeRule

    live = settings.live
    return SpikeRule(min_count=live.alert_min_count, k=live.alert_stddevs, baseline_windows=live.alert_baseline_windows)


def health_rule(settings):
    from streams.live.health import HealthRule

    live = settings.live
    return HealthRule(
        deadletter_rate=live.deadletter_rate,
        deadletter_window=live.deadletter_window_minutes * 60,
        deadletter_min_inputs=live.deadletter_min_inputs,
        no_input_after=live.no_input_minutes * 60,
    )


def install(newsroom) -> None:
    from streams.live.alerts import Alerter
    from streams.live.cluster import ClusterCounts, follow_counts
    from streams.live.health import HealthMonitor
    from streams.live.metrics import Metrics
    from streams.live.views import is_ready, register

    app, settings = newsroom.app, newsroom.settings
    metrics = Metrics(newsroom)
    monitor = HealthMonitor(health_rule(settings), started=time.monotonic())
    alerter = Alerter(newsroom, metrics, monitor)
    counts = ClusterCounts()
    newsroom.live = Live(counts, metrics, monitor, alerter)
    raw_topic = settings.topics.raw

    def on_event(agent: str, event) -> None:
        metrics.on_event(agent, event)
        if event.message.topic == raw_topic:
            monitor.record_input(time.monotonic())

    def on_output(out, source_event) -> None:
        metrics.on_output(out, source_event)
        if out.reason:
            monitor.record_dead_letter(time.monotonic())

    newsroom.hooks.on_event.append(on_event)
    newsroom.hooks.on_output.append(on_output)
    newsroom.hooks.on_error.append(metrics.on_error)
    register(newsroom, counts, metrics)

    @app.task
    async def follow_cluster_counts() -> None:
        await follow_counts(settings, counts)

    was_ready = False

    @app.timer(interval=settings.live.health_check_seconds)
    async def check_pipeline_health() -> None:
        nonlocal was_ready
        if not is_ready(app):  # silence during a rebalance is not an outage
            was_ready = False
            return
        if not was_ready:
            monitor.restart_clock(time.monotonic())
            was_ready = True
            return
        await alerter.check_health()
