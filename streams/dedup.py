"""Exactly-once effects on top of at-least-once delivery: the dedup and counting decisions.

Pure functions over a mutable mapping (a Faust table in the worker, a dict in tests). Each
decision records which source record (`src` = "topic/partition/offset") claimed an entry, so:

- a *replay* of that same record after a crash (its offset was not committed) gets the same
  decision again and is re-sent: nothing is lost, even when the table write survived the crash
  but the output did not;
- a *copy* (the same article arriving again as another record) is dropped.

Stages, each running on the partition that owns its key:
  by_id        (news.cleaned, key = article id)   new article / exact repeat / update (new body)
  by_body      (news.unique, key = fingerprint)    same body under another id -> drop
  by_revision  (news.enriched, key = article id)   a revision already fanned out -> drop
  count        (news.counts, key = kind:subject)   (subject, article) counted once

Counting keeps the counters (all-time and windowed) and the "counted" markers in ONE table, so
all go to one changelog partition in write order (counters first, marker last). After a crash the
changelog holds a prefix of the writes; each counter remembers the last article it counted, which
tells a replay whose increment survived from one whose increment was lost. The worker rebuilds tables from their changelogs after an
unclean shutdown (see streams.worker_state), so the table always equals such a prefix.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, MutableMapping


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


def by_revision(published: MutableMapping, article_id: str, revision: int, src: str) -> Decision:
    """Third stage: fan out each revision of an article once."""
    seen = published.get(article_id)
    if seen is not None:
        if seen["src"] == src:
            return Decision(True, "replay", revision)
        if seen["rev"] >= revision:
            return Decision(False, "old_revision", revision)
    published[article_id] = {"rev": revision, "src": src}
    return Decision(True, "new" if revision == 1 else "update", revision)


COUNTER = "n|"
MARKER = "a|"


def bump(table: MutableMapping, key: str, article_id: str) -> bool:
    """Add one to the counter at `key` for this article, unless its last increment was this
    article already (a replay whose increment survived). Returns True when it added one."""
    counter = table.get(key) or {"n": 0, "last": None}
    if counter["last"] == article_id:
        return False
    table[key] = {"n": counter["n"] + 1, "last": article_id}
    return True


def is_counted(table: MutableMapping, subject: str, article_id: str) -> bool:
    return table.get(f"{MARKER}{subject}|{article_id}") is not None


def mark_counted(table: MutableMapping, subject: str, article_id: str, fingerprint: str) -> None:
    table[f"{MARKER}{subject}|{article_id}"] = fingerprint


def count_once(table: MutableMapping, subject: str, article_id: str, fingerprint: str,
               also: Callable[[], None] | None = None) -> bool:
    """Count (subject, article) once; `also` makes further bumps (windowed counts) in the same table.

    Order: counter, then `also`'s writes, then the marker. A crash keeps a prefix of these writes;
    the replay finds no marker, and every bump it repeats is skipped where it had survived.
    Returns True when this call completed the counting (the marker was not there).
    """
    if is_counted(table, subject, article_id):
        return False
    bump(table, COUNTER + subject, article_id)
    if also is not None:
        also()
    mark_counted(table, subject, article_id, fingerprint)
    return True


def counters(table) -> dict[str, int]:
    """{subject: count} from a counts table."""
    return {key[len(COUNTER):]: value["n"] for key, value in table.items()
            if isinstance(key, str) and key.startswith(COUNTER) and value}
