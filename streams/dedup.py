"""Exactly-once effects on top of at-least-once delivery: the dedup and counting decisions.

Pure functions over a mutable mapping (a Faust table in the worker, a dict in tests). Each
decision records which source record (`src` = "topic/partition/offset") claimed an entry, so:

- a *replay* of that same record after a crash (its offset was not committed) gets the same
  decision again and is re-sent: nothing is lost, even when the table write survived the crash
  but the output did not;
- a *copy* (the same article arriving again as another record) is dropped.

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
from collections.abc import Iterable, MutableMapping


@dataclass(frozen=True)
class Decision:
    forward: bool
    reason: str  # new, update, replay, repeat, same_body, old_revision
    revision: int = 1


def by_id(versions: MutableMapping, article_id: str, fingerprint: str, src: str) -> Decision:
    """First stage: is this the first body of this id, a repeat of the last one, or an update?"""
    seen = versions.get(article_id)
    if seen is None:
        versions[article_id] = {"fp": fingerprint, "rev": 1, "src": src}
        return Decision(True, "new", 1)
    if seen["src"] == src:
        return Decision(True, "replay", seen["rev"])
    if seen["fp"] == fingerprint:
        return Decision(False, "repeat", seen["rev"])
    revision = seen["rev"] + 1
    versions[article_id] = {"fp": fingerprint, "rev": revision, "src": src}
    return Decision(True, "update", revision)


def by_body(bodies: MutableMapping, fingerprint: str, article_id: str, revision: int, src: str) -> Decision:
    """Second stage: drop a body already published under another id (the same article at another URL)."""
    seen = bodies.get(fingerprint)
    if seen is None:
        bodies[fingerprint] = {"id": article_id, "rev": revision, "src": src}
        return Decision(True, "new" if revision == 1 else "update", revision)
    if seen["src"] == src:
        return Decision(True, "replay", revision)
    if seen["id"] != article_id:
        return Decision(False, "same_body", revision)
    if seen["rev"] == revision:  # the first stage sent this revision twice (its own replay)
        return Decision(False, "repeat", revision)
    bodies[fingerprint] = {"id": article_id, "rev": revision, "src": src}  # an update back to an old body
    return Decision(True, "update", revision)


def by_revision(
    published: MutableMapping,
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
