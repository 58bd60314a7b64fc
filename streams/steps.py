"""What each agent does to one record, as pure functions: record in, list of outputs out.

No Kafka and no Faust here: the agents in `streams.app` only read records, call these, and send
the outputs. Any failure becomes a dead letter holding the original bytes and a reason code.
"""
from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Callable, MutableMapping

import orjson
from pydantic import ValidationError

from schemas import CleanArticle, DeadLetter, EnrichedArticle
from streams.clean import CleanError, clean_event
from streams.enrich import EnrichError, enrich
from streams import dedup
from streams.settings import MAX_MESSAGE_BYTES, Topics

log = logging.getLogger("newsroom.steps")


@dataclass(frozen=True)
class SourceRef:
    """Where a record came from (for dead letters)."""

    topic: str
    partition: int
    offset: int


@dataclass(frozen=True)
class Output:
    topic: str
    key: bytes | None
    value: bytes
    reason: str | None = None  # for dead letters: the reason code
    stage: str | None = None  # for dead letters: the stage that failed
    error: Exception | None = None  # for internal_error dead letters: the exception


@dataclass(frozen=True)
class Mention:
    """One (subject, article) pair to count: subject is a ministry or a topic.

    Keyed by `kind:subject` on the counts topic, so one table partition owns each subject and
    counts it exactly, whichever worker cleaned the article.
    """

    kind: str  # "ministry" or "topic"
    subject: str
    article_id: str
    fingerprint: str
    published_at: str | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.subject}"

    def to_bytes(self) -> bytes:
        return orjson.dumps({"kind": self.kind, "subject": self.subject, "article_id": self.article_id,
                             "fingerprint": self.fingerprint, "published_at": self.published_at})

    @classmethod
    def from_bytes(cls, value: bytes) -> "Mention":
        data = orjson.loads(value)
        return cls(data["kind"], data["subject"], data["article_id"], data["fingerprint"], data.get("published_at"))


def src_of(ref: SourceRef) -> str:
    return f"{ref.topic}/{ref.partition}/{ref.offset}"


# What a dead letter may carry of its original: base64 grows 4/3, and the JSON around it is small.
DEAD_LETTER_HEADROOM = 64 * 1024


def dead_letter(topics: Topics, ref: SourceRef, value: bytes | None, key: bytes | None,
                stage: str, reason: str, message: str, *, max_message_bytes: int = MAX_MESSAGE_BYTES) -> Output:
    value = value or b""
    room = (max_message_bytes - DEAD_LETTER_HEADROOM) * 3 // 4
    carried = value if len(value) <= room else value[:room]
    letter = DeadLetter(
        original=base64.b64encode(carried).decode("ascii"),
        original_key=base64.b64encode(key).decode("ascii") if key is not None else None,
        topic=ref.topic, partition=ref.partition, offset=ref.offset,
        stage=stage, reason=reason, message=message[:2000],
        failed_at=datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
        original_size=len(value), original_sha256=hashlib.sha256(value).hexdigest(),
        original_truncated=len(carried) < len(value),
    )
    return Output(topics.deadletter, key, letter.model_dump_json().encode(), reason=reason, stage=stage)


def _internal(topics: Topics, ref: SourceRef, value, key, stage: str, exc: BaseException) -> list[Output]:
    log.error("unexpected error in stage %s at %s[%d]@%d", stage, ref.topic, ref.partition, ref.offset,
              exc_info=exc)
    letter = dead_letter(topics, ref, value, key, stage, "internal_error", f"{type(exc).__name__}: {exc}")
    return [replace(letter, error=exc)]


def clean_step(topics: Topics, value: bytes | None, key: bytes | None, ref: SourceRef,
               *, max_page_bytes: int) -> list[Output]:
    """news.raw record -> CleanArticle on news.cleaned (key = article id), or a dead letter."""
    try:
        article = clean_event(value or b"", key, max_bytes=max_page_bytes)
    except CleanError as err:
        if err.code == "internal":  # a bug in the cleaner, not bad input
            return _internal(topics, ref, value, key, "clean", err.__cause__ or err)
        return [dead_letter(topics, ref, value, key, err.stage, err.code, err.message)]
    except Exception as exc:  # noqa: BLE001 - nothing may stop the stream
        return _internal(topics, ref, value, key, "clean", exc)
    return [Output(topics.cleaned, article.id.encode(), article.model_dump_json().encode())]


def dedup_step(topics: Topics, versions: MutableMapping, value: bytes | None, key: bytes | None,
               ref: SourceRef, note: Callable[[str], None] = lambda reason: None) -> list[Output]:
    """news.cleaned (key = id) -> news.unique (key = fingerprint): drop repeats, number updates."""
    try:
        article = CleanArticle.model_validate_json(value or b"")
    except ValidationError as err:
        return [dead_letter(topics, ref, value, key, "enrich", "bad_clean_event", _first_error(err))]
    decision = dedup.by_id(versions, article.id, article.fingerprint, src_of(ref))
    note(f"by_id_{decision.reason}")
    if not decision.forward:
        return []
    if decision.revision != article.revision:
        article = article.model_copy(update={"revision": decision.revision, "update": decision.revision > 1})
    return [Output(topics.unique, article.fingerprint.encode(), article.model_dump_json().encode())]


def enrich_step(topics: Topics, bodies: MutableMapping, value: bytes | None, key: bytes | None,
                ref: SourceRef, note: Callable[[str], None] = lambda reason: None) -> list[Output]:
    """news.unique (key = fingerprint) -> EnrichedArticle on news.enriched (key = id), or a dead letter.

    A body already published under another article id is dropped here (the same article at
    another URL)."""
    try:
        article = CleanArticle.model_validate_json(value or b"")
        decision = dedup.by_body(bodies, article.fingerprint, article.id, article.revision, src_of(ref))
        note(f"by_body_{decision.reason}")
        if not decision.forward:
            return []
        enriched = enrich(article)
    except ValidationError as err:
        return [dead_letter(topics, ref, value, key, "enrich", "bad_clean_event", _first_error(err))]
    except EnrichError as err:
        return [dead_letter(topics, ref, value, key, "enrich", err.code, err.message)]
    except Exception as exc:  # noqa: BLE001
        return _internal(topics, ref, value, key, "enrich", exc)
    return [Output(topics.enriched, enriched.id.encode(), enriched.model_dump_json().encode())]


def fan_out_step(topics: Topics, published: MutableMapping, value: bytes | None, key: bytes | None,
                 ref: SourceRef, note: Callable[[str], None] = lambda reason: None) -> list[Output]:
    """news.enriched record -> the same event on each news.ministry.<id> and news.topic.<id>,
    plus one Mention per ministry and per topic for the counting agent. Each revision once."""
    try:
        article = EnrichedArticle.model_validate_json(value or b"")
    except ValidationError as err:
        return [dead_letter(topics, ref, value, key, "publish", "bad_enriched_event", _first_error(err))]
    decision = dedup.by_revision(published, article.id, article.revision, src_of(ref))
    note(f"by_revision_{decision.reason}")
    if not decision.forward:
        return []
    article_key = article.id.encode()
    outputs = [Output(topics.ministry(m.id), article_key, value) for m in article.ministries]
    outputs += [Output(topics.topic(t.id), article_key, value) for t in article.topics]
    mentions = [Mention("ministry", m.id, article.id, article.fingerprint, article.published_at)
                for m in article.ministries]
    mentions += [Mention("topic", tp.id, article.id, article.fingerprint, article.published_at)
                 for tp in article.topics]
    outputs += [Output(topics.counts, m.key.encode(), m.to_bytes()) for m in mentions]
    return outputs


def count_step(table: MutableMapping, value: bytes | None, note: Callable[[str], None] = lambda r: None,
               also: Callable[[Mention], None] | None = None) -> Mention | None:
    """news.counts record -> count it once; `also(mention)` adds windowed counts to the same table
    before the pair is marked counted. Returns the Mention if this call counted it, else None."""
    mention = Mention.from_bytes(value or b"{}")
    counted = dedup.count_once(table, mention.key, mention.article_id, mention.fingerprint,
                               (lambda: also(mention)) if also else None)
    note("counted" if counted else "count_repeats")
    return mention if counted else None


def fit_for_topic(topics: Topics, out: Output, ref: SourceRef, source_value: bytes | None,
                  source_key: bytes | None, limit: int) -> Output:
    """The output itself, or, when it would exceed the message limit (and so fail the commit and
    block the partition), a `too_large_to_publish` dead letter holding the input record."""
    if out.topic == topics.deadletter or len(out.value) + len(out.key or b"") <= limit - DEAD_LETTER_HEADROOM:
        return out
    return dead_letter(topics, ref, source_value, source_key, "publish", "too_large_to_publish",
                       f"{len(out.value)} bytes for {out.topic} exceed the {limit}-byte limit",
                       max_message_bytes=limit)


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "value"
    return f"{where}: {first.get('msg')} ({err.error_count()} error(s))"
