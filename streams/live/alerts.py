"""Alerts on the alerts topic: `schemas.Alert` JSON keyed by the subject.

kind            subject            when
spike           ministry:<id> ...  a subject's hourly count reaches its threshold (once per window)
spike_cleared   ministry:<id> ...  the first complete hour after a spike that is below its threshold
deadletter_rate pipeline           dead letters / inputs over the last minutes above the threshold
no_input        pipeline           no input for the configured minutes
*_cleared       pipeline           the condition ended

Spike alerts are outputs of the spike step (streams.live.spikes), sent like every stage's outputs;
pipeline-health alerts are sent by the health timer.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, UTC

from schemas import Alert
from streams.live.alert_rule import Signal
from streams.live.health import HealthMonitor, HealthSignal
from streams.live.windows import interval
from streams.steps import Output

log = logging.getLogger("newsroom.alerts")


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def spike_alert(kind: str, subject: str, signal: Signal) -> Alert:
    v = signal.verdict
    return Alert(
        kind=signal.kind,
        subject=f"{kind}:{subject}",
        window=interval(signal.window),
        observed=float(v.observed),
        baseline=round(v.baseline, 3),
        threshold=round(v.threshold, 3),
        at=_now_iso(),
    )


def health_alert(signal: HealthSignal) -> Alert:
    return Alert(
        kind=signal.kind,
        subject="pipeline",
        window=f"PT{signal.window_seconds:g}S",
        observed=float(signal.observed),
        baseline=0.0,
        threshold=float(signal.threshold),
        at=_now_iso(),
    )


class Alerter:
    def __init__(self, newsroom, metrics, monitor: HealthMonitor):
        self.newsroom = newsroom
        self.metrics = metrics
        self.monitor = monitor
        self.name = newsroom.settings.topics.alerts

    async def check_health(self, now: float | None = None) -> list[Alert]:
        sent = []
        for signal in self.monitor.check(time.monotonic() if now is None else now):
            alert = health_alert(signal)
            await self.newsroom.publish([Output(self.name, b"pipeline", alert.model_dump_json().encode())])
            log.warning("alert %s observed=%s threshold=%s", alert.kind, alert.observed, alert.threshold)
            sent.append(alert)
        return sent
