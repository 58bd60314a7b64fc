"""LiveCounts: the spike rule's baseline, kept in the subject's state, gives the same alerts and
counts as reading every baseline bucket for every mention, with far fewer table reads."""
from __future__ import annotations

import random
from datetime import datetime
from types import SimpleNamespace

from streams.live.alert_rule import SpikeRule
from streams.live.tables import LiveCounts
from streams.live.windows import HOUR, SEOUL
from streams.steps import Mention


class CountingTable(dict):
    reads = 0

    def get(self, key, default=None):
        self.reads += 1
        return super().get(key, default)


def replay(mentions, *, cached: bool):
    table = CountingTable()
    settings = SimpleNamespace(live=SimpleNamespace(lateness_minutes=90, retention_hours=48))
    signals = []
    live = LiveCounts(SimpleNamespace(settings=settings, counts=table), SpikeRule(min_count=5, k=3.0),
                      lambda kind, subject, signal: signals.append((subject, signal.kind, signal.window)),
                      clock=lambda: 2_000_000_000.0)
    if not cached:  # the plain rule: every baseline bucket read for every mention
        live._counts_for = lambda key, window, hist: (live.count_of(key), [])
    for mention in mentions:
        live.on_counted(mention)
    state = {k: v for k, v in table.items() if not k.startswith("s|")}
    return signals, state, table.reads


def day_with_a_spike(seed: int) -> list[Mention]:
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, tzinfo=SEOUL).timestamp()
    mentions = []
    for hour in range(30):
        per_hour = 60 if hour == 20 else rng.randint(5, 15)  # a busy desk: several articles an hour
        for i in range(per_hour):
            when = start + hour * HOUR + rng.randint(0, HOUR - 1)
            if rng.random() < 0.15:  # a late article, within the lateness
                when -= rng.randint(0, 80) * 60
            subject = rng.choice(["msit", "motie"])
            published = datetime.fromtimestamp(when, SEOUL).isoformat()
            mentions.append(Mention("ministry", subject, f"a{hour}-{i}-{subject}", "fp", published))
    return mentions


def test_cached_baseline_gives_the_same_alerts_and_counts_with_fewer_reads():
    for seed in range(5):
        mentions = day_with_a_spike(seed)
        plain_signals, plain_state, plain_reads = replay(mentions, cached=False)
        signals, state, reads = replay(mentions, cached=True)
        assert signals == plain_signals and any(kind == "spike" for _, kind, _ in signals)
        assert state == plain_state
        assert reads < plain_reads / 2.5, (reads, plain_reads)  # the baseline: one bucket read instead of 25
