"""What each agent does to one record, as pure functions: record in, list of outputs out.

No Kafka and no Faust here: the agents in `streams.app` only read records, call these, and send
the outputs. Any failure becomes a dead letter holding the original bytes and a reason code.
"""
from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

import orjson
from pydantic import ValidationError

from schemas import CleanArticle, DeadLetter, EnrichedArticle
from streams.clean import CleanError, clean_event
from streams.enrich import EnrichError, enrich
from streams.settings import Topics

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


def dead_letter(topics: Topics, ref: SourceRef, value: bytes | None, key: bytes | None,
                stage: str, reason: str, message: str) -> Output:
    letter = DeadLetter(
        original=base64.b64encode(value or b"").decode("ascii"),
        original_key=base64.b64encode(key).decode("ascii") if key is not None else None,
        topic=ref.topic, partition=ref.partition, offset=ref.offset,
        stage=stage, reason=reason, message=message[:2000],
        failed_at=datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
    )
    return Output(topics.deadletter, key, letter.model_dump_json().encode())


def _internal(topics: Topics, ref: SourceRef, value, key, stage: str, exc: Exception) -> list[Output]:
    log.exception("unexpected error in stage %s at %s[%d]@%d", stage, ref.topic, ref.partition, ref.offset)
    return [dead_letter(topics, ref, value, key, stage, "internal_error", f"{type(exc).__name__}: {exc}")]


def clean_step(topics: Topics, value: bytes | None, key: bytes | None, ref: SourceRef,
               *, max_page_bytes: int) -> list[Output]:
    """news.raw record -> CleanArticle on news.cleaned, or a dead letter."""
    try:
        article = clean_event(value or b"", key, max_bytes=max_page_bytes)
    except CleanError as err:
        return [dead_letter(topics, ref, value, key, err.stage, err.code, err.message)]
    except Exception as exc:  # noqa: BLE001 - nothing may stop the stream
        return _internal(topics, ref, value, key, "clean", exc)
    return [Output(topics.cleaned, article.id.encode(), article.model_dump_json().encode())]


def enrich_step(topics: Topics, value: bytes | None, key: bytes | None, ref: SourceRef) -> list[Output]:
    """news.cleaned record -> EnrichedArticle on news.enriched, or a dead letter."""
    try:
        article = CleanArticle.model_validate_json(value or b"")
        enriched = enrich(article)
    except ValidationError as err:
        return [dead_letter(topics, ref, value, key, "enrich", "bad_clean_event", _first_error(err))]
    except EnrichError as err:
        return [dead_letter(topics, ref, value, key, "enrich", err.code, err.message)]
    except Exception as exc:  # noqa: BLE001
        return _internal(topics, ref, value, key, "enrich", exc)
    return [Output(topics.enriched, enriched.id.encode(), enriched.model_dump_json().encode())]


def fan_out_step(topics: Topics, value: bytes | None, key: bytes | None,
                 ref: SourceRef) -> list[Output]:
    """news.enriched record -> the same event on each news.ministry.<id> and news.topic.<id>,
    plus one Mention per ministry and per topic for the counting agent."""
    try:
        article = EnrichedArticle.model_validate_json(value or b"")
    except ValidationError as err:
        return [dead_letter(topics, ref, value, key, "publish", "bad_enriched_event", _first_error(err))]
    article_key = article.id.encode()
    outputs = [Output(topics.ministry(m.id), article_key, value) for m in article.ministries]
    outputs += [Output(topics.topic(t.id), article_key, value) for t in article.topics]
    mentions = [Mention("ministry", m.id, article.id, article.fingerprint, article.published_at)
                for m in article.ministries]
    mentions += [Mention("topic", tp.id, article.id, article.fingerprint, article.published_at)
                 for tp in article.topics]
    outputs += [Output(topics.counts, m.key.encode(), m.to_bytes()) for m in mentions]
    return outputs


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "value"
    return f"{where}: {first.get('msg')} ({err.error_count()} error(s))"
