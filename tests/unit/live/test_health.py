"""Pipeline-health rule: dead-letter rate and silence, with transitions only."""

from __future__ import annotations

from streams.live.health import HealthMonitor, HealthRule

RULE = HealthRule(deadletter_rate=0.2, deadletter_window=60.0, deadletter_min_inputs=10, no_input_after=30.0)


def feed(monitor: HealthMonitor, at: float, inputs: int, dead: int) -> None:
    for _ in range(inputs):
        monitor.record_input(at)
    for _ in range(dead):
        monitor.record_dead_letter(at)


def test_dead_letter_rate_alerts_once_and_clears_when_the_bad_inputs_age_out():
    monitor = HealthMonitor(RULE, started=0.0)
    feed(monitor, 1.0, inputs=10, dead=1)
    assert monitor.check(2.0) == []
    feed(monitor, 3.0, inputs=10, dead=8)  # 9 of 20
    [alert] = monitor.check(4.0)
    assert (alert.kind, alert.observed, alert.threshold) == ("deadletter_rate", 0.45, 0.2)
    feed(monitor, 5.0, inputs=5, dead=5)
    assert monitor.check(6.0) == []  # still high: no repeat
    feed(monitor, 70.0, inputs=20, dead=0)  # the bad ones are older than the 60 s window
    assert [s.kind for s in monitor.check(70.0)] == ["deadletter_rate_cleared"]


def test_too_few_inputs_give_no_verdict_on_the_rate():
    monitor = HealthMonitor(RULE, started=0.0)
    feed(monitor, 1.0, inputs=3, dead=3)
    assert monitor.check(2.0) == []


def test_silence_alerts_after_the_limit_and_clears_on_the_next_input():
    monitor = HealthMonitor(RULE, started=0.0)
    monitor.restart_clock(100.0)  # became ready at 100: silence counts from there
    assert monitor.check(129.0) == []
    [alert] = monitor.check(130.0)
    assert (alert.kind, alert.observed) == ("no_input", 30.0)
    assert monitor.check(200.0) == []
    feed(monitor, 201.0, inputs=1, dead=0)
    assert [s.kind for s in monitor.check(202.0)] == ["no_input_cleared"]
    monitor.restart_clock(300.0)  # after input was seen, a restart of the clock changes nothing
    assert [s.kind for s in monitor.check(232.0)] == ["no_input"]


def test_silence_check_can_be_turned_off():
    monitor = HealthMonitor(HealthRule(no_input_after=0), started=0.0)
    assert monitor.check(10_000.0) == []


def test_the_rate_window_holds_a_count_per_second_not_an_entry_per_input():
    """The monitor sees every input; its memory must not grow with the input rate."""
    monitor = HealthMonitor(RULE, started=0.0)
    for i in range(60_000):  # 1,000 inputs a second for a minute, one in 50 a dead letter
        monitor.record_input(i / 1000)
        if i % 50 == 0:
            monitor.record_dead_letter(i / 1000)
    assert len(monitor.inputs.seconds) == 60 and len(monitor.inputs) == 60_000
    assert monitor.rate(60.0) == (0.02, 60_000)  # the window of 60 s still holds all of them
    assert monitor.rate(90.5) == (0.02, 30_000)  # the seconds 0-29 left it
