"""The dedup and counting decisions: exact effects over at-least-once delivery, through crashes."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from streams import dedup


def test_by_id_new_repeat_update_and_replay():
    versions: dict = {}
    assert dedup.by_id(versions, "a", "fp1", "c/0/1") == dedup.Decision(True, "new", 1)
    assert dedup.by_id(versions, "a", "fp1", "c/0/2") == dedup.Decision(False, "repeat", 1)
    assert dedup.by_id(versions, "a", "fp2", "c/0/3") == dedup.Decision(True, "update", 2)
    assert dedup.by_id(versions, "a", "fp2", "c/0/3") == dedup.Decision(True, "replay", 2)  # crash replay
    assert dedup.by_id(versions, "a", "fp1", "c/0/4") == dedup.Decision(True, "update", 3)  # back to old body


def test_by_body_drops_the_same_body_under_another_id_but_keeps_updates():
    bodies: dict = {}
    assert dedup.by_body(bodies, "fp1", "a", 1, "u/0/1").reason == "new"
    assert dedup.by_body(bodies, "fp1", "b", 1, "u/0/2") == dedup.Decision(False, "same_body", 1)
    assert dedup.by_body(bodies, "fp1", "a", 1, "u/0/3") == dedup.Decision(False, "repeat", 1)
    assert dedup.by_body(bodies, "fp1", "a", 1, "u/0/1").reason == "replay"
    assert dedup.by_body(bodies, "fp1", "a", 3, "u/0/4") == dedup.Decision(True, "update", 3)


def test_by_revision_fans_out_each_revision_once():
    published: dict = {}
    assert dedup.by_revision(published, "a", 1, "e/0/1").forward
    assert not dedup.by_revision(published, "a", 1, "e/0/2").forward
    assert dedup.by_revision(published, "a", 2, "e/0/3").reason == "update"
    assert not dedup.by_revision(published, "a", 1, "e/0/4").forward  # an old revision arriving late


class LoggedTable(dict):
    """A table that logs its writes in order, like a changelog partition."""

    def __init__(self, *args):
        super().__init__(*args)
        self.log: list[tuple[str, object]] = []

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.log.append((key, value))


mentions = st.lists(st.tuples(st.sampled_from(["ministry:msit", "ministry:motie", "topic:ai"]),
                              st.sampled_from(["a1", "a2", "a3", "a4"])), min_size=1, max_size=30)
HOUR_OF = {"a1": 9, "a2": 9, "a3": 10, "a4": 11}  # each article's publish hour


def count(table, subject: str, article: str) -> bool:
    """What the count agent does: the all-time counter, plus the hourly bucket (the live hook)."""
    return dedup.count_once(table, subject, article, "fp",
                            lambda: dedup.bump(table, f"w|{subject}|{HOUR_OF[article]}", article))


@given(events=mentions, data=st.data())
@settings(max_examples=300, deadline=None)
def test_counts_stay_exact_when_a_crash_keeps_any_prefix_of_the_changelog(events, data):
    """Process events; crash at any point keeping any prefix of the table's writes made since the
    last commit; replay from the last commit. The all-time and hourly counts equal the distinct
    (subject, article) pairs."""
    commit = data.draw(st.integers(0, len(events)), label="events committed before the crash")
    crash_after = data.draw(st.integers(commit, len(events)), label="events processed before the crash")
    table = LoggedTable()
    writes_at_commit = 0
    for i, (subject, article) in enumerate(events[:crash_after]):
        if i == commit:
            writes_at_commit = len(table.log)
        count(table, subject, article)
    if crash_after == commit:
        writes_at_commit = len(table.log)
    kept = data.draw(st.integers(writes_at_commit, len(table.log)), label="changelog records that survived")
    recovered = LoggedTable()
    for key, value in table.log[:kept]:  # rebuilt from the changelog prefix
        dict.__setitem__(recovered, key, value)
    for subject, article in events[commit:]:  # replay from the committed offset, then go on
        count(recovered, subject, article)
    expected: dict[str, int] = {}
    hourly: dict[str, int] = {}
    for subject, article in set(events):
        expected[subject] = expected.get(subject, 0) + 1
        hourly[f"w|{subject}|{HOUR_OF[article]}"] = hourly.get(f"w|{subject}|{HOUR_OF[article]}", 0) + 1
    assert dedup.counters(recovered) == expected
    assert {k: v["n"] for k, v in recovered.items() if k.startswith("w|")} == hourly
