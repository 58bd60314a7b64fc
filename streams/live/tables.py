"""Windowed counts per subject, kept in the worker's counts table beside the all-time counters.

`w|kind:subject|<hour start>` -> {"n", "last"}: mentions counted in that hour (by publish time)
`s|kind:subject`              -> the subject's watermark (latest event time) and spike state

Written only from the `on_counted` hook, which runs inside the count agent on the partition that
owns `kind:subject`, before the (subject, article) pair is marked counted. Being in the same table
as the all-time counters, every write goes to the same changelog partition in order; increments
use streams.dedup.bump, so a replay after a crash adds each article to its hour exactly once.
"""
from __future__ import annotations

import time
from typing import Callable

from streams.dedup import bump

from streams.live.alert_rule import Signal, SpikeRule, SpikeState, on_mention
from streams.live.windows import (HOUR, Watermark, bucket_key, bucket_start, event_time, expired_buckets, iso,
                                  series, window_count)


BUCKET = "w|"
STATE = "s|"
SUBJECTS_CACHE_SECONDS = 2.0


class LiveCounts:
    def __init__(self, newsroom, rule: SpikeRule, on_signal: Callable[[str, str, Signal], None],
                 clock: Callable[[], float] = time.time):
        settings = newsroom.settings
        self.rule = rule
        self.on_signal = on_signal
        self.clock = clock
        self.lateness = settings.live.lateness_minutes * 60
        self.retention_hours = settings.live.retention_hours
        self.table = newsroom.counts
        self._subjects: tuple[float, list[str]] = (0.0, [])
        self.windowed = 0  # mentions added to a window
        self.late = 0  # mentions too late for any window (still in the all-time count)

    def count_of(self, subject_key: str) -> Callable[[int], int]:
        table = self.table
        return lambda start: int((table.get(BUCKET + bucket_key(subject_key, start)) or {}).get("n", 0))

    def _counts_for(self, subject_key: str, window: int, cached) -> tuple[Callable[[int], int], list[int]]:
        """count_of for the spike rule at `window`, and the `baseline_windows` hourly counts before it.

        Those counts are kept in the subject's state for the window of its latest mention: they
        change only through a mention in one of those hours, which is a mention in another window and
        so replaces the cache, or when an hour expires, which drops it. The rule then reads one bucket
        per mention instead of 25."""
        live = self.count_of(subject_key)
        n = self.rule.baseline_windows
        first = window - n * HOUR
        if cached and cached[0] == window and len(cached[1]) == n:
            history = cached[1]
        else:
            history = [live(first + i * HOUR) for i in range(n)]

        def count_of(start: int) -> int:
            return history[(start - first) // HOUR] if first <= start < window else live(start)

        return count_of, history

    def state_of(self, subject_key: str) -> dict | None:
        return self.table.get(STATE + subject_key)

    def on_counted(self, mention) -> None:
        """Hook: a (subject, article) pair is being counted (see the module docstring)."""
        key = mention.key
        when = event_time(mention.published_at, self.clock())
        saved = self.state_of(key) or {}
        watermark = Watermark(saved.get("latest"))
        if watermark.too_late(when, self.lateness):
            self.late += 1
            return
        window = bucket_start(when)
        if bump(self.table, BUCKET + bucket_key(key, window), mention.article_id):
            self.windowed += 1
        advanced = watermark.advance(when)
        cached = saved.get("hist")
        if advanced.latest != watermark.latest:
            for start in expired_buckets(watermark.latest, advanced.latest, self.retention_hours):
                old = BUCKET + bucket_key(key, start)
                if self.table.get(old) is not None:
                    del self.table[old]
                    cached = None  # an expired hour may lie in the cached baseline (long lateness)
        count_of, history = self._counts_for(key, window, cached)
        spike, signals = on_mention(SpikeState.from_dict(saved.get("spike")), window, count_of, self.rule)
        self.table[STATE + key] = {"latest": advanced.latest, "spike": spike.to_dict(), "hist": [window, history]}
        for signal in signals:
            self.on_signal(mention.kind, mention.subject, signal)

    def subjects(self, kind: str) -> list[str]:
        """Subject keys of that kind with windowed counts on this worker (the list is cached a few
        seconds: finding it walks the whole counts table)."""
        taken, keys = self._subjects
        if self.clock() - taken > SUBJECTS_CACHE_SECONDS:
            keys = sorted(k[len(STATE):] for k in self.table.keys() if isinstance(k, str) and k.startswith(STATE))
            self._subjects = (self.clock(), keys)
        return [k for k in keys if k.startswith(f"{kind}:")]

    def window_counts(self, kind: str, span: int, at: float) -> dict[str, int]:
        """kind:subject -> count of the window of `span` hours ending with the hour of `at` (non-zero only)."""
        end = bucket_start(at)
        out = {}
        for key in self.subjects(kind):
            n = window_count(self.count_of(key), span, end)
            if n:
                out[key] = n
        return out

    def series(self, subject_key: str, span: int, at: float, last: int) -> list[dict]:
        return [{"start": iso(start), "end": iso(start + span * HOUR), "count": n}
                for start, n in series(self.count_of(subject_key), span, bucket_start(at), last)]
