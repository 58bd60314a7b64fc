"""The spike rule and its per-subject state machine, as pure functions.

A subject's hourly count spikes when

    count >= threshold = max(min_count, mean + k * stddev)     (of the `baseline_windows` hours before)

The state machine turns counts into signals: at most one `spike` per subject per window (the moment
the window's count reaches its threshold, not once per article), and one `spike_cleared` for the
first complete window after a spike that is below its own threshold. A window is complete, for a
subject, once a mention of that subject lands in a later window (event time, not wall clock).
Hours before a subject was first seen count as zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from collections.abc import Callable

from streams.live.windows import HOUR


@dataclass(frozen=True)
class SpikeRule:
    min_count: int = 5
    k: float = 3.0
    baseline_windows: int = 24

    def evaluate(self, observed: int, history: list[int]) -> Verdict:
        n = len(history)
        mean = sum(history) / n if n else 0.0
        std = math.sqrt(sum((c - mean) ** 2 for c in history) / n) if n else 0.0
        threshold = max(float(self.min_count), mean + self.k * std)
        return Verdict(observed >= threshold, observed, mean, threshold)


@dataclass(frozen=True)
class Verdict:
    firing: bool
    observed: int
    baseline: float
    threshold: float


@dataclass(frozen=True)
class Signal:
    kind: str  # "spike" or "spike_cleared"
    window: int  # start of the hourly window
    verdict: Verdict


@dataclass(frozen=True)
class SpikeState:
    """Per subject: the bucket of the latest mention, the open spike and the latest window alerted."""

    current: int | None = None
    open_spike: int | None = None
    last_alerted: int | None = None

    def to_dict(self) -> dict:
        return {"current": self.current, "open_spike": self.open_spike, "last_alerted": self.last_alerted}

    @classmethod
    def from_dict(cls, data: dict | None) -> SpikeState:
        data = data or {}
        return cls(data.get("current"), data.get("open_spike"), data.get("last_alerted"))


def verdict_for(rule: SpikeRule, count_of: Callable[[int], int], window: int) -> Verdict:
    history = [count_of(window - i * HOUR) for i in range(rule.baseline_windows, 0, -1)]
    return rule.evaluate(count_of(window), history)


def _cleared(state: SpikeState, count_of: Callable[[int], int], rule: SpikeRule) -> tuple[SpikeState, list[Signal]]:
    """The windows after the open spike, up to the current one, are complete: the first one below
    its threshold clears the spike (an empty hour never reaches min_count >= 1, so this ends soon)."""
    if state.open_spike is None or state.current is None:
        return state, []
    w = state.open_spike + HOUR
    while w < state.current:
        verdict = verdict_for(rule, count_of, w)
        if not verdict.firing:
            return replace(state, open_spike=None), [Signal("spike_cleared", w, verdict)]
        w += HOUR
    return state, []


def on_counts(
    state: SpikeState, windows: list[int], count_of: Callable[[int], int], rule: SpikeRule
) -> tuple[SpikeState, list[Signal]]:
    """After the counts of `windows` grew (count_of already includes it): new state, signals.

    With the newest of them the windows before it become complete (a spike may clear); each of
    them, oldest first, may spike (once per window)."""
    signals: list[Signal] = []
    if not windows:
        return state, signals
    state, cleared = _cleared(state, count_of, rule)
    signals += cleared
    newest = max(windows)
    if state.current is None or newest > state.current:
        state = replace(state, current=newest)
    state, cleared = _cleared(state, count_of, rule)
    signals += cleared
    for window in sorted(windows):
        verdict = verdict_for(rule, count_of, window)
        if verdict.firing and (state.last_alerted is None or window > state.last_alerted):
            signals.append(Signal("spike", window, verdict))
            state = replace(state, open_spike=window, last_alerted=window)
    state, cleared = _cleared(state, count_of, rule)
    return state, signals + cleared


def on_mention(
    state: SpikeState, window: int, count_of: Callable[[int], int], rule: SpikeRule
) -> tuple[SpikeState, list[Signal]]:
    """After one mention was added to `window`: `on_counts` of that one window."""
    return on_counts(state, [window], count_of, rule)


def simulate(hourly_counts: list[int], rule: SpikeRule, start: int = 0) -> list[tuple[str, int]]:
    """Feed a series of hourly counts one mention at a time, as the stream would, and return the
    signals as (kind, hour index). Hours with zero count get no mention, as in the stream."""
    buckets: dict[int, int] = {}
    state = SpikeState()
    out: list[tuple[str, int]] = []
    for i, n in enumerate(hourly_counts):
        window = start + i * HOUR
        for _ in range(n):
            buckets[window] = buckets.get(window, 0) + 1
            state, signals = on_mention(state, window, lambda w: buckets.get(w, 0), rule)
            out += [(s.kind, (s.window - start) // HOUR) for s in signals]
    return out
