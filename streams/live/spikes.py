"""The spike rule once per subject, on the cluster's hourly counts: a step on the counts topic.

The counts topic holds one counter record per (subject, partition of news.enriched), each sent to
the partition of the counts topic that its subject hashes to (`counts_partition`), so one agent
sees every partition's counter of a subject. Its table keeps, per subject, the hourly counts of
each of those partitions and the spike state; the hours whose sum grew go through the spike rule
(streams.live.alert_rule.on_counts). A counter record holds absolute values, so reading one again
(a replay) changes no hour and raises no alert.
"""

from __future__ import annotations

import zlib

import orjson

from streams.counting import hourly, split_counter_key
from streams.live.alert_rule import SpikeState, on_counts
from streams.live.alerts import spike_alert
from streams.steps import Output, Record, StepContext, dead_letter

SPIKES_TABLE = "spikes"


def counts_partition(subject_key: str, partitions: int) -> int:
    """The counts topic's partition of a subject: every worker computes the same one."""
    return zlib.crc32(subject_key.encode()) % partitions


def watch_spikes(ctx: StepContext, rec: Record) -> list[Output]:
    """counts topic record (key `kind:subject|partition`, a counter or a tombstone) -> alerts."""
    try:
        subject_key, partition = split_counter_key((rec.key or b"").decode())
        counter = orjson.loads(rec.value) if rec.value else None
        hours = {int(h): int(n) for h, n in (counter or {}).get("h", {}).items()}
    except (ValueError, AttributeError, TypeError) as exc:
        return [dead_letter(ctx.topics, rec.ref, rec.value, rec.key, "count", "bad_count_event", repr(exc))]
    table = ctx.tables[SPIKES_TABLE]
    saved = table.get(subject_key) or {"parts": {}, "spike": None}
    before = {int(h): n for h, n in saved["parts"].get(str(partition), {}).items()}
    grew = [h for h, n in hours.items() if n > before.get(h, 0)]
    parts = {**saved["parts"], str(partition): {str(h): n for h, n in hours.items()}}
    if not grew:
        if hours != before:
            table[subject_key] = {**saved, "parts": parts}
        return []
    cluster = hourly({"h": part} for part in parts.values())
    state, signals = on_counts(SpikeState.from_dict(saved["spike"]), grew, lambda w: cluster.get(w, 0), ctx.spike_rule)
    table[subject_key] = {"parts": parts, "spike": state.to_dict()}
    kind, _, subject = subject_key.partition(":")
    alerts = [spike_alert(kind, subject, signal) for signal in signals]
    return [Output(ctx.topics.alerts, alert.subject.encode(), alert.model_dump_json().encode()) for alert in alerts]
