"""Live counts per window, spike and pipeline-health alerts, Prometheus metrics, health and readiness.

`install(newsroom)` (listed in `streams.app.EXTENSIONS`) adds to the app:
  tables    hourly counts per subject and its watermark/spike state, in the counts table (w|, s| keys)
  hooks     on_counted -> windowed counts and spike alerts; on_event/on_output/on_error -> metrics
            and the pipeline-health monitor
  timer     pipeline-health check every NEWSROOM_HEALTH_CHECK_SECONDS
  views     /counts/{ministries,topics}[/{id}/series], /healthz, /readyz, /metrics
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from streams.live.alert_rule import SpikeRule
from streams.live.alerts import Alerter
from streams.live.health import HealthMonitor, HealthRule
from streams.live.metrics import Metrics
from streams.live.tables import LiveCounts
from streams.live.views import is_ready, register


@dataclass
class Live:
    """What install() added, reachable as `newsroom.live` (for tests and other extensions)."""

    counts: LiveCounts
    metrics: Metrics
    monitor: HealthMonitor
    alerter: Alerter


def spike_rule(settings) -> SpikeRule:
    live = settings.live
    return SpikeRule(min_count=live.alert_min_count, k=live.alert_stddevs, baseline_windows=live.alert_baseline_windows)


def health_rule(settings) -> HealthRule:
    live = settings.live
    return HealthRule(deadletter_rate=live.deadletter_rate, deadletter_window=live.deadletter_window_minutes * 60,
                      deadletter_min_inputs=live.deadletter_min_inputs, no_input_after=live.no_input_minutes * 60)


def install(newsroom) -> None:
    app, settings = newsroom.app, newsroom.settings
    metrics = Metrics(newsroom)
    monitor = HealthMonitor(health_rule(settings), started=time.monotonic())
    alerter = Alerter(newsroom, metrics, monitor)
    counts = LiveCounts(newsroom, spike_rule(settings), alerter.on_spike)
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

    def on_counted(mention) -> None:
        late = counts.late
        counts.on_counted(mention)
        metrics.mentions.labels("late" if counts.late > late else "windowed").inc()

    newsroom.hooks.on_event.append(on_event)
    newsroom.hooks.on_output.append(on_output)
    newsroom.hooks.on_error.append(metrics.on_error)
    newsroom.hooks.on_counted.append(on_counted)
    register(newsroom, counts, metrics)

    @app.task
    async def declare_alerts_topic() -> None:
        await alerter.declare()

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
