"""The spike rule on the counts topic: once per subject, on the sum of every partition's counters."""

from __future__ import annotations

from datetime import datetime

import orjson

from schemas import Alert
from streams.live.alert_rule import SpikeRule
from streams.live.spikes import SPIKES_TABLE, watch_spikes
from streams.live.windows import HOUR, SEOUL
from streams.settings import Topics
from streams.steps import Record, SourceRef, StepContext

DAY = datetime(2026, 3, 2, tzinfo=SEOUL).timestamp()
TOPICS = Topics()


def record(partition: int, hours: dict[int, int], offset: int) -> Record:
    counter = {
        "n": sum(hours.values()),
        "late": 0,
        "new": [offset],
        "latest": DAY + max(hours) * HOUR,
        "h": {str(int(DAY + h * HOUR)): n for h, n in hours.items()},
    }
    return Record(orjson.dumps(counter), f"ministry:msit|{partition}".encode(), SourceRef(TOPICS.counts, 0, offset))


def alerts(ctx, rec) -> list[tuple[str, str]]:
    out = []
    for o in watch_spikes(ctx, rec):
        alert = Alert.model_validate_json(o.value)
        out.append((alert.kind, alert.window[11:16]))
    return out


def test_a_spike_split_over_partitions_alerts_once_and_clears():
    ctx = StepContext(topics=TOPICS, tables={SPIKES_TABLE: {}}, spike_rule=SpikeRule(min_count=5, k=3.0))
    quiet = {h: 1 for h in range(14)}
    assert alerts(ctx, record(0, quiet, 1)) == []
    assert alerts(ctx, record(1, {14: 3}, 2)) == []  # 3 in the hour: below 5
    assert alerts(ctx, record(1, {14: 3}, 2)) == []  # read again: absolute values, nothing new
    assert alerts(ctx, record(2, {14: 2}, 3)) == [("spike", "14:00")]  # 5 over the cluster
    assert alerts(ctx, record(2, {14: 4}, 4)) == []  # once per window
    assert alerts(ctx, record(0, {**quiet, 15: 1, 16: 1}, 5)) == [("spike_cleared", "15:00")]
