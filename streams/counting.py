"""Counters per (subject, partition of news.enriched), exact through crashes, written once per commit.

A subject is `ministry:<id>` or `topic:<id>`. Each partition of news.enriched keeps, for every
subject its articles name, one counter record in the publish stage's table:

    c|<kind:subject>|<partition>  ->  {"n": articles counted, "late": of them too late for a window,
                                      "h": {"<hour start>": articles counted in that hour},
                                      "latest": newest publish time seen (the windows' watermark),
                                      "new": offsets of the news.enriched records that changed it
                                             (counted or retracted it) since its previous write}

A newer revision of an article that no longer names a subject retracts it: the counter loses the
article (`remove`), with the retracting record's offset in `new` just as a counted one's, so the
same proof holds for both directions (streams.dedup.by_revision says what to count and retract).

Exactness through crashes comes from the source offsets stored with each counter and from the
order of the writes, not from a marker per (subject, article). A flush writes the counters first
and then the revision markers of the records they counted (streams.dedup.by_revision), so after a
crash, whatever prefix of the changelog survived:
- a record whose marker survived was counted in counters that survived too: a replay of it counts
  nothing (by_revision says `replay`);
- a record whose marker was lost but whose counter's last write survived is among that write's
  `new` offsets: not counted again;
- any other record was not counted: the replay counts it.
The offsets are compared one by one, never as "at or below the last one": a record skipped at a
rebalance is read again after later records of its partition (streams.runtime.no_skip), and must
then still count.

Counters are coalesced as Kafka Streams' record cache does: `Counters.count` changes a pending
copy in memory; `Counters.flush` writes each changed counter once (its latest value) to the
table, whose changelog then holds it, and returns the records for the cluster-wide counts topic.
The revision markers of the same table (streams.dedup.by_revision) are cached alike and written
after the counters of their flush: a surviving marker always comes with the counters that hold
its record.
The worker flushes before every offset commit (streams.app), so a commit never covers a record
whose count is only in memory.

Windows: an article is counted in the hour of its publish time (streams.live.windows.event_time)
unless it is older than the counter's watermark by more than the lateness; hours older than the
retention before the watermark's hour are dropped from the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable

from streams.live.windows import HOUR, bucket_start
from streams.record_cache import RecordCache

COUNTER = "c|"


def topic_key(subject_key: str, partition: int) -> str:
    """Key of a subject's counter in one partition on the counts topic: `kind:subject|partition`."""
    return f"{subject_key}|{partition}"


def counter_key(subject_key: str, partition: int) -> str:
    """Table key of a subject's counter in one partition."""
    return COUNTER + topic_key(subject_key, partition)


def split_counter_key(key: str) -> tuple[str, int]:
    """(kind:subject, partition) of a counter key, with or without the table prefix."""
    if key.startswith(COUNTER):
        key = key[len(COUNTER) :]
    subject_key, _, partition = key.rpartition("|")
    return subject_key, int(partition)


def empty_counter() -> dict:
    return {"n": 0, "late": 0, "h": {}, "latest": None, "new": []}


def add(counter: dict, offset: int, when: float, *, lateness: float, retention_hours: int) -> tuple[dict, str]:
    """The counter with one more article (published at `when`, read at `offset`), and the outcome:
    `windowed`, `late` (in the all-time count only) or `already` (its last write counted that offset)."""
    if offset in counter["new"]:
        return counter, "already"
    latest = counter["latest"]
    hours = dict(counter["h"])
    late = latest is not None and when < latest - lateness
    if not late:
        start = str(bucket_start(when))
        hours[start] = hours.get(start, 0) + 1
        if latest is None or when > latest:
            latest = when
            cut = bucket_start(latest) - retention_hours * HOUR
            hours = {h: n for h, n in hours.items() if int(h) >= cut}
    updated = {
        "n": counter["n"] + 1,
        "late": counter["late"] + int(late),
        "h": hours,
        "latest": latest,
        "new": [*counter["new"], offset],
    }
    return updated, "late" if late else "windowed"


def remove(counter: dict, offset: int, when: float) -> tuple[dict, str]:
    """The counter with one article less (a newer revision read at `offset` no longer names the
    subject), and the outcome: `retracted` or `already`. The all-time count is exact; the article
    leaves the hour of `when` (the newest revision's publish time) if that hour still holds one,
    else the late count, if it holds one."""
    if offset in counter["new"]:
        return counter, "already"
    hours, late = dict(counter["h"]), counter["late"]
    start = str(bucket_start(when))
    if hours.get(start, 0) > 0:
        hours[start] -= 1
    elif late > 0:
        late -= 1
    updated = {**counter, "n": max(0, counter["n"] - 1), "late": late, "h": hours, "new": [*counter["new"], offset]}
    return updated, "retracted"


@dataclass
class Counters(RecordCache):
    """The record cache of the publish stage's table (streams.record_cache) with the counting on top:
    counters and revision markers pending per partition, written once per commit, counters first.
    The markers go through it too (`view`), so that after a crash the changelog never holds the
    marker of a record whose counters it lacks: a marker is written after the counters of its
    flush, and those carry the record's offset. `take` returns the changed counters only: what the
    worker sends to the counts topic before the write (streams.cache_flush)."""

    lateness: float
    retention_hours: int

    def write_order(self, key: str) -> int:
        return 0 if key.startswith(COUNTER) else 1

    def count(
        self, subject_keys: Iterable[str], partition: int, offset: int, when: float, *, retract: bool = False
    ) -> list[str]:
        """Count one article for each subject (or, `retract`, uncount it); returns the outcome per subject.
        The record's offset is kept with the counter either way: a replay changes it no more."""
        outcomes = []
        for subject_key in subject_keys:
            key = counter_key(subject_key, partition)
            counter = self.pending.get(partition, {}).get(key)
            if counter is None:  # its first change since its last write: `new` starts again
                last = self.get(key, partition)
                if last is not None and offset in last["new"]:
                    outcomes.append("already")
                    continue
                counter = {**(last or empty_counter()), "new": []}
            if retract:
                counter, outcome = remove(counter, offset, when)
            else:
                counter, outcome = add(
                    counter, offset, when, lateness=self.lateness, retention_hours=self.retention_hours
                )
            if outcome != "already":
                self.put(key, partition, counter)
            outcomes.append(outcome)
        return outcomes

    def take(self, partition: int) -> list[tuple[str, dict]]:
        """Set the partition's pending writes aside for `write`; returns its changed counters (key, counter)."""
        return [(k, v) for k, v in super().take(partition) if k.startswith(COUNTER)]


def totals(counters: Iterable[tuple[str, dict]]) -> dict[str, int]:
    """{kind:subject: articles} summed over partitions, from (counter key, counter) pairs."""
    out: dict[str, int] = {}
    for key, counter in counters:
        if counter:
            subject_key, _ = split_counter_key(key)
            out[subject_key] = out.get(subject_key, 0) + int(counter["n"])
    return out


def hourly(counters: Iterable[dict]) -> dict[int, int]:
    """{hour start: articles} summed over the given counters (one subject's partitions)."""
    out: dict[int, int] = {}
    for counter in counters:
        for start, n in (counter or {}).get("h", {}).items():
            out[int(start)] = out.get(int(start), 0) + n
    return out
