"""The dedup and counting decisions: exact effects over at-least-once delivery, through crashes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from streams import counting, dedup


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


def test_by_revision_fans_out_each_revision_once_and_counts_what_the_newest_names():
    published: dict = {}
    assert dedup.by_revision(published, "a", 1, "e/0/1", ["ministry:msit"]) == (
        dedup.Decision(True, "new", 1),
        ["ministry:msit"],
        [],
    )
    assert not dedup.by_revision(published, "a", 1, "e/0/2", ["ministry:msit"])[0].forward  # a repeat
    # an update naming one more ministry counts only that one
    assert dedup.by_revision(published, "a", 2, "e/0/3", ["ministry:msit", "ministry:motie"]) == (
        dedup.Decision(True, "update", 2),
        ["ministry:motie"],
        [],
    )
    assert dedup.by_revision(published, "a", 2, "e/0/3", ["ministry:msit", "ministry:motie"]) == (
        dedup.Decision(True, "replay", 2),
        [],
        [],
    )  # the same record again: its counters hold it already
    assert not dedup.by_revision(published, "a", 1, "e/0/4", ["topic:ai"])[0].forward  # an old revision, late
    # a revision that no longer names msit retracts it; its replay sends the retraction again, uncounts nothing
    assert dedup.by_revision(published, "a", 3, "e/0/5", ["ministry:motie", "topic:ai"]) == (
        dedup.Decision(True, "update", 3),
        ["topic:ai"],
        ["ministry:msit"],
    )
    assert dedup.by_revision(published, "a", 3, "e/0/5", ["ministry:motie", "topic:ai"]) == (
        dedup.Decision(True, "replay", 3),
        [],
        ["ministry:msit"],
    )
    # a re-tag of revision 3 (tag_revision 1) orders after it, and before revision 4
    assert dedup.by_revision(published, "a", 3, "e/0/6", ["ministry:motie"], tag_revision=1) == (
        dedup.Decision(True, "update", 3),
        [],
        ["topic:ai"],
    )
    assert not dedup.by_revision(published, "a", 3, "e/0/7", ["topic:ai"])[0].forward
    assert dedup.by_revision(published, "a", 4, "e/0/8", ["ministry:msit"])[1:] == (
        ["ministry:msit"],
        ["ministry:motie"],
    )


class LoggedTable(dict):
    """A table that logs its writes in order, like a changelog partition."""

    def __init__(self, *args):
        super().__init__(*args)
        self.log: list[tuple[str, object]] = []

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self.log.append((key, value))


HOUR = 3600
# each (article, revision) is one enriched event: its subjects and its publish hour (repeats are byte-identical)
ARTICLES = {
    ("a1", 1): (["ministry:msit"], 0),
    ("a1", 2): (["ministry:msit", "topic:ai"], 0),
    ("a2", 1): (["ministry:msit", "ministry:motie"], 1),
    ("a3", 1): (["ministry:motie"], 4),
    ("a4", 1): (["topic:ai"], 2),
    ("a4", 2): (["topic:ai", "ministry:msit"], 2),
    ("a5", 1): (["ministry:msit"], 6),
    ("a6", 1): (["ministry:msit", "topic:ai"], 1),
    # revisions that drop a subject: it is retracted
    ("a1", 3): (["topic:ai"], 0),
    ("a2", 2): (["ministry:motie"], 1),
    ("a6", 2): ([], 5),
}
events = st.lists(st.sampled_from(sorted(ARTICLES)), min_size=1, max_size=25)


def new_counters(table) -> counting.Counters:
    return counting.Counters(table, lateness=2 * HOUR, retention_hours=3)  # small: late and expired hours happen


def publish(table, counters, offset: int, event) -> None:
    """What the publish step does with the enriched record at `offset` (partition 0)."""
    (article, revision), (subjects, hour) = event, ARTICLES[event]
    decision, to_count, to_retract = dedup.by_revision(
        counters.view(0), f"r|{article}", revision, f"e/0/{offset}", subjects
    )
    if decision.forward and decision.reason != "replay":  # a replay only sends its retractions again
        counters.count(to_count, 0, offset, 1_800_000_000 + hour * HOUR + 60)
        counters.count(to_retract, 0, offset, 1_800_000_000 + hour * HOUR + 60, retract=True)


def counter_records(table) -> dict:
    """The counters, without the offsets of their last write (those depend on where flushes fell)."""
    return {k: {f: x for f, x in v.items() if f != "new"} for k, v in table.items() if k.startswith(counting.COUNTER)}


def nonzero(totals: dict[str, int]) -> dict[str, int]:
    return {subject: n for subject, n in totals.items() if n}


def expected_totals(stream) -> dict[str, int]:
    """Independently of the code: a revision is published if newer than the last one published, and
    an article counts once for each subject its newest published revision names."""
    latest: dict[str, int] = {}
    for article, revision in stream:
        latest[article] = max(revision, latest.get(article, 0))
    totals: dict[str, int] = {}
    for article, revision in latest.items():
        for subject in ARTICLES[(article, revision)][0]:
            totals[subject] = totals.get(subject, 0) + 1
    return totals


@given(stream=events, data=st.data())
@settings(max_examples=500, deadline=None)
def test_counts_stay_exact_when_a_crash_keeps_any_prefix_of_the_changelog(stream, data):
    """Process the enriched records, flushing the record cache and committing at random points (a
    flush takes the pending writes, the agent goes on with more records while the counters are sent,
    then the taken writes go to the table, then the offsets before the take are committed); crash at
    any point, possibly between a flush and its commit, keeping any prefix of the table's writes since
    the last commit; replay from the last commit. The counters (all-time, hourly, late, watermark)
    equal those of a run without a crash, and so does the last value sent of each to the counts topic
    (which every worker reads whole): it is never left behind the table."""
    commits = set(data.draw(st.lists(st.integers(1, len(stream)), max_size=6), label="flush and commit after"))
    crash_after = data.draw(st.integers(0, len(stream)), label="records processed before the crash")
    at_crash = data.draw(st.sampled_from(["processing", "taken", "written"]), label="killed while")
    table, committed, writes_at_commit = LoggedTable(), 0, 0
    counters = new_counters(table)
    topic: dict = {}  # the counts topic, compacted: the last value sent of each counter
    offset = 0
    while offset < crash_after:
        publish(table, counters, offset, stream[offset])
        offset += 1
        if offset in commits:
            taken_at = offset
            topic.update(counters.take(0))  # sent (and acknowledged) while the agent goes on
            for _ in range(data.draw(st.integers(0, crash_after - offset), label="records during the send")):
                publish(table, counters, offset, stream[offset])
                offset += 1
            counters.write(0)  # the changelog holds every record's counter before the commit
            committed, writes_at_commit = taken_at, len(table.log)
    if at_crash != "processing":
        topic.update(counters.take(0))
        if at_crash == "written":
            counters.write(0)
    kept = data.draw(st.integers(writes_at_commit, len(table.log)), label="changelog records that survived")
    recovered = LoggedTable()
    for key, value in table.log[:kept]:  # rebuilt from the changelog prefix; what was pending is gone
        dict.__setitem__(recovered, key, value)
    counters = new_counters(recovered)
    for offset in range(committed, len(stream)):  # replay from the committed offset, then go on
        publish(recovered, counters, offset, stream[offset])
    topic.update(counters.flush(0))

    reference = LoggedTable()
    reference_counters = new_counters(reference)
    for offset, event in enumerate(stream):
        publish(reference, reference_counters, offset, event)
    reference_counters.flush(0)
    assert counter_records(recovered) == counter_records(reference)
    assert counter_records(topic) == counter_records(reference)
    assert nonzero(counting.totals(counter_records(recovered).items())) == expected_totals(stream)


def test_each_changed_counter_is_written_once_per_flush():
    table = LoggedTable()
    counters = new_counters(table)
    for offset in range(50):
        counters.count(["ministry:msit", "topic:ai"], 0, offset, 1_800_000_000 + offset)
    counters.view(0)["r|a1"] = {"rev": 1}
    assert table.log == []  # nothing written before the flush
    counters.flush(0)
    assert [k for k, _ in table.log] == ["c|ministry:msit|0", "c|topic:ai|0", "r|a1"]  # counters first
    assert table["c|ministry:msit|0"]["n"] == 50 and table["c|ministry:msit|0"]["new"] == list(range(50))
    assert counters.count(["ministry:msit"], 0, 49, 1_800_000_000) == ["already"]  # a record already in it
    assert counters.count(["ministry:msit"], 0, 50, 1_800_000_000) == ["windowed"]
    assert counters.pending[0]["c|ministry:msit|0"]["new"] == [50]  # since its last write


FIRST_REVISIONS = sorted(k for k in ARTICLES if k[1] == 1)


@given(stream=st.lists(st.sampled_from(FIRST_REVISIONS), min_size=2, max_size=25), data=st.data())
@settings(max_examples=400, deadline=None)
def test_a_record_read_again_after_later_ones_still_counts(stream, data):
    """At a rebalance the worker's consumer can skip records [a, b) of a partition, go on with later
    ones, and read [a, ...) again when it finds the hole (streams.runtime.no_skip); no commit passes
    the hole meanwhile. Flushes fall anywhere and the worker may crash anywhere; replayed from the
    last commit, the counts are those of the input (each article once per subject)."""
    n = len(stream)
    a = data.draw(st.integers(0, n - 1), label="hole start")
    b = data.draw(st.integers(a + 1, n), label="hole end")
    c = data.draw(st.integers(b, n), label="read up to before going back")
    order = list(range(a)) + list(range(b, c)) + list(range(a, n))  # as the consumer delivers them
    flushes = set(data.draw(st.lists(st.integers(1, len(order)), max_size=6), label="flush and commit after"))
    crash_at = data.draw(st.integers(0, len(order)), label="records delivered before the crash")
    table, committed, writes_at_commit, done = LoggedTable(), 0, 0, set()
    counters = new_counters(table)
    for i, offset in enumerate(order[:crash_at], start=1):
        publish(table, counters, offset, stream[offset])
        done.add(offset)
        if i in flushes:
            counters.flush(0)
            while committed in done:  # never past a hole
                committed += 1
            writes_at_commit = len(table.log)
    kept = data.draw(st.integers(writes_at_commit, len(table.log)), label="changelog records that survived")
    recovered = LoggedTable()
    for key, value in table.log[:kept]:
        dict.__setitem__(recovered, key, value)
    counters = new_counters(recovered)
    for offset in range(committed, n):
        publish(recovered, counters, offset, stream[offset])
    counters.flush(0)
    assert nonzero(counting.totals(counter_records(recovered).items())) == expected_totals(stream)
