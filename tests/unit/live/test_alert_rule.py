"""The spike rule on synthetic hourly series, fed one mention at a time as the stream does."""

from __future__ import annotations

import pytest

from streams.live.alert_rule import SpikeRule, SpikeState, on_mention, simulate
from streams.live.windows import HOUR

RULE = SpikeRule(min_count=5, k=3.0, baseline_windows=24)
NOISE = [2, 4, 3, 4, 2, 4, 3, 1]  # a quiet ministry: 1 to 4 articles an hour


def quiet(hours: int) -> list[int]:
    return [NOISE[i % len(NOISE)] for i in range(hours)]


def test_threshold_is_max_of_min_count_and_mean_plus_k_stddev():
    flat = RULE.evaluate(4, [2] * 24)
    assert (flat.baseline, flat.threshold, flat.firing) == (2.0, 5.0, False)
    busy = RULE.evaluate(30, [10, 20] * 12)  # mean 15, stddev 5
    assert (busy.baseline, busy.threshold, busy.firing) == (15.0, 30.0, True)
    assert not RULE.evaluate(29, [10, 20] * 12).firing


def test_quiet_series_never_alerts():
    assert simulate(quiet(24 * 7), RULE) == []


def test_gradual_rise_is_followed_by_the_baseline_without_alerts():
    series = quiet(24) + [NOISE[i % len(NOISE)] + i // 4 for i in range(96)]  # +1 article/hour every 4 hours
    assert series[-1] >= 24
    assert simulate(series, RULE) == []


def test_spike_alerts_once_in_its_hour_and_clears_in_the_next_quiet_hour():
    series = quiet(24) + [3, 2, 15, 3, 2, 4]  # hour 26 has 15 articles
    assert simulate(series, RULE) == [("spike", 26), ("spike_cleared", 27)]


def test_a_spike_counts_once_per_window_however_many_articles_follow():
    state, buckets, signals = SpikeState(), {}, []
    window = 100 * HOUR
    for _ in range(40):  # 40 articles in one hour; the alert comes when the 5th arrives
        buckets[window] = buckets.get(window, 0) + 1
        state, new = on_mention(state, window, lambda w: buckets.get(w, 0), RULE)
        signals += new
    assert [(s.kind, s.verdict.observed) for s in signals] == [("spike", 5)]
    assert state.open_spike == state.last_alerted == window


def test_sustained_spike_alerts_per_window_then_clears_once():
    series = quiet(24) + [20, 40, 3, 2]
    assert simulate(series, RULE) == [("spike", 24), ("spike", 25), ("spike_cleared", 26)]


def test_spike_followed_by_silence_clears_on_the_next_mention_in_a_later_hour():
    series = quiet(24) + [12, 0, 0, 0, 1]
    assert simulate(series, RULE) == [("spike", 24), ("spike_cleared", 25)]


def test_flapping_around_the_threshold_alternates_and_is_absorbed_by_the_baseline():
    series = quiet(24) + [2, 8] * 24  # every other hour above the quiet threshold (about 6)
    signals = simulate(series, RULE)
    kinds = [kind for kind, _ in signals]
    assert kinds == ["spike", "spike_cleared"] * (len(kinds) // 2)  # never two spikes without a clear
    spikes = [hour for kind, hour in signals if kind == "spike"]
    assert len(spikes) == len(set(spikes))
    assert 1 <= len(spikes) <= 4  # not 24: as the 8s enter the baseline, its stddev lifts the threshold
    assert max(spikes) < 24 + 12


@pytest.mark.parametrize("k, threshold", [(0.0, 5.0), (1.0, 5.0), (10.0, 2.0 + 10 * 0.5**0.5)])
def test_k_scales_the_stddev_term(k, threshold):
    verdict = SpikeRule(min_count=5, k=k, baseline_windows=4).evaluate(0, [1, 2, 3, 2])  # mean 2, stddev 0.707
    assert verdict.threshold == pytest.approx(threshold)
