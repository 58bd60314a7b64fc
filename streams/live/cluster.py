"""The counts of the whole cluster, on every worker: the counts topic read whole.

Every partition of news.enriched sends its changed counters to the compacted counts topic at each
commit (streams.counting, streams.app), keyed `kind:subject|partition`. Each worker follows every
partition of that topic with a plain consumer outside the consumer group (as the desk feed does)
and keeps the latest counter of each key, so `/counts/...`, `newsroom counts`, the desk chart and
`/metrics` answer the same on any worker: the sum over the partitions.

Not a Faust GlobalTable: faust's global tables have open reports of workers that stop applying
changelog records from the partitions they do not own (robinhood/faust#716, #541;
faust-streaming/faust#212), which is exactly the case here.
"""

from __future__ import annotations

import sys

import orjson

from streams.counting import hourly, split_counter_key
from streams.live.windows import HOUR, bucket_start, iso, series, window_count


class ClusterCounts:
    """The latest counter of each (subject, partition), and the sums the views need."""

    def __init__(self):
        self.counters: dict[str, dict[int, dict]] = {}  # kind:subject -> partition -> counter

    def on_record(self, record, live: bool = True) -> None:
        """A record of the counts topic (aiokafka ConsumerRecord): a counter, or a tombstone."""
        try:
            subject_key, partition = split_counter_key((record.key or b"").decode())
            counter = orjson.loads(record.value) if record.value else None
        except (ValueError, AttributeError):
            return  # not ours; the spike step dead-letters it
        parts = self.counters.setdefault(subject_key, {})
        if counter is None:
            parts.pop(partition, None)
        else:
            parts[partition] = counter

    def totals(self, kind: str) -> dict[str, int]:
        """kind:subject -> articles counted, all time (non-zero only)."""
        out = {}
        for key, parts in self.counters.items():
            if key.startswith(f"{kind}:"):
                n = sum(int(c["n"]) for c in parts.values())
                if n:
                    out[key] = n
        return out

    def hours(self, subject_key: str) -> dict[int, int]:
        return hourly(self.counters.get(subject_key, {}).values())

    def knows(self, subject_key: str) -> bool:
        return subject_key in self.counters

    def window_counts(self, kind: str, span: int, at: float) -> dict[str, int]:
        """kind:subject -> count of the window of `span` hours ending with the hour of `at` (non-zero only)."""
        end = bucket_start(at)
        out = {}
        for key in self.counters:
            if key.startswith(f"{kind}:"):
                hours = self.hours(key)
                n = window_count(lambda start: hours.get(start, 0), span, end)  # noqa: B023 - called before the next iteration
                if n:
                    out[key] = n
        return out

    def series(self, subject_key: str, span: int, at: float, last: int) -> list[dict]:
        hours = self.hours(subject_key)
        return [
            {"start": iso(start), "end": iso(start + span * HOUR), "count": n}
            for start, n in series(lambda s: hours.get(s, 0), span, bucket_start(at), last)
        ]


async def follow_counts(settings, cluster: ClusterCounts) -> None:
    """Keep `cluster` up to date with the counts topic, from its beginning, forever."""
    from streams.desk.tail import follow_forever

    await follow_forever(settings, settings.topics.counts, cluster.on_record, replay=sys.maxsize)
