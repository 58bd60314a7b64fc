"""Exactly-once effects on top of at-least-once delivery: the dedup and counting decisions.

Pure functions over a mutable mapping (a Faust table's record cache in the worker, a dict in
tests). Each decision records which source record (`src` = "topic/partition/offset") claimed an
entry, so:

- a *replay* of that same record after a crash (its offset was not committed) gets the same
  decision again and is re-sent: nothing is lost, even when the table write survived the crash
  but the output did not;
- a *copy* (the same article arriving again as another record) is dropped.

After a crash, an entry's write that reached the changelog may be that of a record later than the
one replayed (the worker writes the dedup tables after each record, the publish table once per
commit: streams.cache_flush). A by-id or by-body entry therefore also keeps a `log` of the records
since the last commit that it replaced or dropped (src -> the revision it forwarded, or 0 if dropped): a
replayed record found there is decided as it was, whichever later write survived; one not found
there (its write was lost) is decided again on the state it first saw, as its partition is replayed
in order. The log loses the records already committed when the entry is written
(`forget_committed`). Not covered: records whose writes were lost and which are replayed in
another order than they were first read (a restarted worker reads some records of a partition after
later ones, see streams.runtime.no_skip; an id's records on news.raw and news.rekeyed, two topics)
may be decided otherwise. A write is sent before the record's outputs, so this takes a write lost
while an output went through; writes deferred to the commit would lose many (docs/architecture.md).

Stages, each running on the partition that owns its key:
  by_id        (news.raw or news.rekeyed, key = article id)  new article / exact repeat / update (new body)
  by_body      (news.unique, key = fingerprint)               same body under another id -> drop
  by_revision  (news.enriched, key = article id)              a revision already fanned out or older than
                                                              the newest -> drop; which subjects to count
                                                              and which to retract (dropped by this one)

The counting itself (streams.counting) keeps its counters in the same table as the revision
markers, so one changelog partition holds both in write order. The worker rebuilds tables from
their changelogs after an unclean shutdown (see streams.worker_state), so a table always equals a
prefix of its changelog.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Iterable, MutableMapping

from streams.record_cache import PartitionView

# a table, a dict in tests, or a record cache's view of one partition of a table
Entries = MutableMapping | PartitionView


@dataclass(frozen=True)
class Decision:
    forward: bool
    reason: str  # new, update, replay, repeat, same_body, old_revision
    revision: int = 1


def _earlier(seen: dict, src: str, revision: int) -> Decision | None:
    """The decision this entry holds for the record `src`, if it was taken since the last commit:
    `src` is the entry's own record, or one of the `log` of those it replaced or dropped."""
    if seen["src"] == src:
        return Decision(True, "replay", revision)
    logged = seen.get("log", {}).get(src)
    if logged is None:
        return None
    return Decision(True, "replay", logged) if logged else Decision(False, "repeat", revision)


def _logged(seen: dict, src: str, revision: int) -> dict:
    """`seen`'s log with one more record: its forwarded revision, or 0 when it was dropped."""
    return {**seen.get("log", {}), src: revision}


def by_id(versions: Entries, article_id: str, fingerprint: str, src: str) -> Decision:
    """First stage: is this the first body of this id, a repeat of the last one, or an update?"""
    seen = versions.get(article_id)
    if seen is None:
        versions[article_id] = {"fp": fingerprint, "rev": 1, "src": src}
        return Decision(True, "new", 1)
    earlier = _earlier(seen, src, seen["rev"])
    if earlier is not None:
        return earlier
    if seen["fp"] == fingerprint:  # logged, so that its replay after a later update drops it again
        versions[article_id] = {**seen, "log": _logged(seen, src, 0)}
        return Decision(False, "repeat", seen["rev"])
    revision = seen["rev"] + 1
    versions[article_id] = {
        "fp": fingerprint,
        "rev": revision,
        "src": src,
        "log": _logged(seen, seen["src"], seen["rev"]),
    }
    return Decision(True, "update", revision)


def by_body(bodies: Entries, fingerprint: str, article_id: str, revision: int, src: str) -> Decision:
    """Second stage: drop a body already published under another id (the same article at another URL).

    The entry's id never changes, so a `same_body` decision is the same on a replay without a log."""
    seen = bodies.get(fingerprint)
    if seen is None:
        bodies[fingerprint] = {"id": article_id, "rev": revision, "src": src}
        return Decision(True, "new" if revision == 1 else "update", revision)
    earlier = _earlier(seen, src, revision)
    if earlier is not None:
        return earlier
    if seen["id"] != article_id:
        return Decision(False, "same_body", revision)
    if seen["rev"] == revision:  # the first stage sent this revision twice (its own replay)
        bodies[fingerprint] = {**seen, "log": _logged(seen, src, 0)}
        return Decision(False, "repeat", revision)
    bodies[fingerprint] = {  # an update back to an old body
        "id": article_id,
        "rev": revision,
        "src": src,
        "log": _logged(seen, seen["src"], seen["rev"]),
    }
    return Decision(True, "update", revision)


def forget_committed(entry: dict, committed: Callable[[str], bool]) -> dict:
    """The entry as written to its table: without the log of records whose offsets are committed
    (no replay reads those again); without a log at all when none is left."""
    log = entry.get("log")
    if log is None:
        return entry
    kept = {src: revision for src, revision in log.items() if not committed(src)}
    if len(kept) == len(log):
        return entry
    out = {k: v for k, v in entry.items() if k != "log"}
    if kept:
        out["log"] = kept
    return out


def by_revision(
    published: Entries,
    article_id: str,
    revision: int,
    src: str,
    subjects: Iterable[str] = (),
    *,
    tag_revision: int = 0,
) -> tuple[Decision, list[str], list[str]]:
    """Third stage: fan out each revision of an article once, newest (revision, tag_revision) only, and
    say which of its subjects to count and which to uncount, so that an article counts once for each
    subject its newest revision names: (decision, to count, to retract).

    A replay (the marker is this record's) counts nothing, and retracts again (sends its retraction
    events again) what its revision dropped: the marker is written after the counters that counted
    its record (streams.counting), so where it survived, they did too."""
    seen = published.get(article_id)
    if seen is not None:
        if seen["src"] == src:
            return Decision(True, "replay", revision), [], list(seen.get("dropped", ()))
        if (seen["rev"], seen.get("tag", 0)) >= (revision, tag_revision):
            return Decision(False, "old_revision", revision), [], []
    counted = set(seen.get("subjects", ())) if seen is not None else set()
    current = set(subjects)
    new, dropped = sorted(current - counted), sorted(counted - current)
    published[article_id] = {
        "rev": revision,
        "tag": tag_revision,
        "src": src,
        "subjects": sorted(current),
        "dropped": dropped,
    }
    return Decision(True, "new" if (revision, tag_revision) == (1, 0) else "update", revision), new, dropped
