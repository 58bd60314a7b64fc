"""What each stage does to one record: `step(ctx, record) -> outputs`, one signature for all.

No Kafka and no Faust here: the agents built from `streams.graph.STAGES` only read records, call
these, and send the outputs. State is the stage's tables (mappings) and counters, in `ctx`. Any
failure becomes a dead letter holding the original bytes and a reason code.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, UTC
from collections.abc import Callable, Mapping, MutableMapping

from pydantic import ValidationError

from schemas import CleanArticle, DeadLetter, EnrichedArticle, Retraction
from streams.clean import CleanError
from streams.cleaning_process import Tagged, clean_page
from streams.enrich import EnrichError, enrich
from streams import dedup
from streams.contract.headers import Headers, dead_letter_headers, event_headers
from streams.counting import Counters
from streams.record_cache import PartitionView, RecordCache
from streams.live.alert_rule import SpikeRule
from streams.live.windows import event_time
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
    partition: int | None = None  # None: the producer's partitioner picks it from the key
    headers: Headers = ()  # streams.contract.headers; the source's trace context is added when sent


def src_of(ref: SourceRef) -> str:
    return f"{ref.topic}/{ref.partition}/{ref.offset}"


# What a dead letter may carry of its original: base64 grows 4/3, and the JSON around it is small.
DEAD_LETTER_HEADROOM = 64 * 1024


def dead_letter(
    topics: Topics,
    ref: SourceRef,
    value: bytes | None,
    key: bytes | None,
    stage: str,
    reason: str,
    message: str,
    *,
    max_message_bytes: int = MAX_MESSAGE_BYTES,
) -> Output:
    value = value or b""
    room = (max_message_bytes - DEAD_LETTER_HEADROOM) * 3 // 4
    carried = value if len(value) <= room else value[:room]
    letter = DeadLetter(
        original=base64.b64encode(carried).decode("ascii"),
        original_key=base64.b64encode(key).decode("ascii") if key is not None else None,
        topic=ref.topic,
        partition=ref.partition,
        offset=ref.offset,
        stage=stage,
        reason=reason,
        message=message[:2000],
        failed_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
        original_size=len(value),
        original_sha256=hashlib.sha256(value).hexdigest(),
        original_truncated=len(carried) < len(value),
    )
    return Output(
        topics.deadletter,
        key,
        letter.model_dump_json().encode(),
        reason=reason,
        stage=stage,
        headers=dead_letter_headers(ref.topic, ref.partition, ref.offset, stage, reason, letter.message),
    )


def _internal(topics: Topics, ref: SourceRef, value, key, stage: str, exc: BaseException) -> list[Output]:
    log.error("unexpected error in stage %s at %s[%d]@%d", stage, ref.topic, ref.partition, ref.offset, exc_info=exc)
    letter = dead_letter(topics, ref, value, key, stage, "internal_error", f"{type(exc).__name__}: {exc}")
    return [replace(letter, error=exc)]


@dataclass(frozen=True)
class Record:
    """One record as a step sees it: its bytes and where it came from."""

    value: bytes | None
    key: bytes | None
    ref: SourceRef
    headers: Headers = ()


@dataclass
class StepContext:
    """What a step may use besides its record: topic names, limits, its stage's tables (each a
    mapping, or the record cache it is written through: streams.record_cache) and counters, and
    `note(reason)` for the per-reason progress counters."""

    topics: Topics
    tables: Mapping[str, MutableMapping | RecordCache] = field(default_factory=dict)
    counters: Counters | None = None
    note: Callable[[str], None] = lambda reason: None
    max_page_bytes: int = 8 << 20
    spike_rule: SpikeRule | None = None
    clock: Callable[[], float] = time.time

    def table(self, name: str, partition: int) -> MutableMapping | PartitionView:
        """The stage's table `name` as a record of `partition` sees it (through its record cache, if any)."""
        table = self.tables[name]
        return table.view(partition) if isinstance(table, RecordCache) else table


Step = Callable[[StepContext, Record], list[Output]]


def _letter(ctx: StepContext, rec: Record, stage: str, reason: str, message: str) -> Output:
    return dead_letter(ctx.topics, rec.ref, rec.value, rec.key, stage, reason, message)


def clean(ctx: StepContext, rec: Record) -> list[Output]:
    """news.raw record -> CleanArticle, deduplicated by id here when the record is keyed by its id
    (news.unique, key = fingerprint), else re-keyed by id to news.rekeyed; or a dead letter."""
    return cleaned(ctx, rec, clean_page(rec.value, rec.key, ctx.max_page_bytes))


def cleaned(ctx: StepContext, rec: Record, outcome: CleanArticle | Exception) -> list[Output]:
    """`clean` after the cleaning: `outcome` is clean_page's, made here or in a cleaning process."""
    if isinstance(outcome, CleanError):
        if outcome.code == "internal":  # a bug in the cleaner, not bad input
            return _internal(ctx.topics, rec.ref, rec.value, rec.key, "clean", outcome.__cause__ or outcome)
        return [_letter(ctx, rec, outcome.stage, outcome.code, outcome.message)]
    if isinstance(outcome, Exception):
        return _internal(ctx.topics, rec.ref, rec.value, rec.key, "clean", outcome)
    article = outcome
    article_id = article.id.encode()
    if rec.key != article_id:  # this partition does not own the id: one hop to the one that does
        ctx.note("rekeyed")
        return [
            Output(ctx.topics.rekeyed, article_id, article.model_dump_json().encode(), headers=clean_headers(article))
        ]
    return _unique(ctx, rec, article)


def dedup_rekeyed(ctx: StepContext, rec: Record) -> list[Output]:
    """news.rekeyed record (a CleanArticle keyed by id) -> the by-id dedup, as `clean` does it."""
    try:
        article = CleanArticle.model_validate_json(rec.value or b"")
    except ValidationError as err:
        return [_letter(ctx, rec, "clean", "bad_clean_event", _first_error(err))]
    return _unique(ctx, rec, article)


def _unique(ctx: StepContext, rec: Record, article: CleanArticle) -> list[Output]:
    """Drop repeats of an id, number its updates; the rest to news.unique keyed by fingerprint."""
    versions = ctx.table("article_versions", rec.ref.partition)
    decision = dedup.by_id(versions, article.id, article.fingerprint, src_of(rec.ref))
    ctx.note(f"by_id_{decision.reason}")
    if not decision.forward:
        return []
    if decision.revision != article.revision:
        article = article.model_copy(update={"revision": decision.revision, "update": decision.revision > 1})
    return [
        Output(
            ctx.topics.unique,
            article.fingerprint.encode(),
            article.model_dump_json().encode(),
            headers=clean_headers(article),
        )
    ]


def clean_headers(article: CleanArticle) -> Headers:
    return event_headers("CleanArticle", revision=article.revision)


def enriched_headers(article: EnrichedArticle) -> Headers:
    return event_headers(
        "EnrichedArticle",
        revision=article.revision,
        tag_revision=article.tag_revision,
        data_version=article.data_version,
    )


def _by_body(ctx: StepContext, rec: Record, fingerprint: str, article_id: str, revision: int):
    """The by-body dedup's decision for an article read from `rec` (noted in the step's counts)."""
    decision = dedup.by_body(
        ctx.table("article_bodies", rec.ref.partition), fingerprint, article_id, revision, src_of(rec.ref)
    )
    ctx.note(f"by_body_{decision.reason}")
    return decision


def enrich_article(ctx: StepContext, rec: Record) -> list[Output]:
    """news.unique (key = fingerprint) -> EnrichedArticle on news.enriched (key = id), or a dead letter.

    A body already published under another article id is dropped here (the same article at
    another URL)."""
    try:
        article = CleanArticle.model_validate_json(rec.value or b"")
        decision = _by_body(ctx, rec, article.fingerprint, article.id, article.revision)
        if not decision.forward:
            return []
        enriched = enrich(article)
    except ValidationError as err:
        return [_letter(ctx, rec, "enrich", "bad_clean_event", _first_error(err))]
    except EnrichError as err:
        return [_letter(ctx, rec, "enrich", err.code, err.message)]
    except Exception as exc:  # noqa: BLE001 - any bug becomes an internal_error dead letter; nothing stops the stream
        return _internal(ctx.topics, rec.ref, rec.value, rec.key, "enrich", exc)
    return [
        Output(
            ctx.topics.enriched,
            enriched.id.encode(),
            enriched.model_dump_json().encode(),
            headers=enriched_headers(enriched),
        )
    ]


def tagged(ctx: StepContext, rec: Record, outcome: Tagged | None) -> list[Output]:
    """`enrich_article` with the article tagged in a cleaning process (streams.cleaners.Cleaners.tag):
    the same by-body dedup, on the keys of the CleanArticle the process read, and the EnrichedArticle
    JSON it made, byte for byte what `enrich_article` makes here. `None`: done here, all of it."""
    if outcome is None:
        ctx.note("tagged_here")
        return enrich_article(ctx, rec)
    try:
        decision = _by_body(ctx, rec, outcome.fingerprint, outcome.id, outcome.revision)
    except Exception as exc:  # noqa: BLE001 - any bug becomes an internal_error dead letter; nothing stops the stream
        return _internal(ctx.topics, rec.ref, rec.value, rec.key, "enrich", exc)
    if not decision.forward:
        return []
    headers = event_headers(
        "EnrichedArticle",
        revision=outcome.revision,
        tag_revision=outcome.tag_revision,
        data_version=outcome.data_version,
    )
    return [Output(ctx.topics.enriched, outcome.id.encode(), outcome.value, headers=headers)]


REVISION = "r|"  # revision markers in the publish table, beside the counters (streams.counting)


def subjects_of(article: EnrichedArticle) -> list[str]:
    """The counters an article adds to: `ministry:<id>` and `topic:<id>`."""
    return [f"ministry:{m.id}" for m in article.ministries] + [f"topic:{tp.id}" for tp in article.topics]


def subject_topic(topics: Topics, subject_key: str) -> str:
    """The topic of a subject: `ministry:<id>` -> news.ministry.<id>, `topic:<id>` -> news.topic.<id>."""
    kind, _, subject = subject_key.partition(":")
    return topics.ministry(subject) if kind == "ministry" else topics.topic(subject)


def retraction(topics: Topics, article: EnrichedArticle, subject_key: str) -> Output:
    """The event telling a subject's topic that the article's newest revision no longer concerns it."""
    event = Retraction(
        id=article.id,
        revision=article.revision,
        tag_revision=article.tag_revision,
        subject=subject_key,
        data_version=article.data_version,
    )
    return Output(
        subject_topic(topics, subject_key),
        article.id.encode(),
        event.model_dump_json().encode(),
        headers=event_headers(
            "Retraction",
            revision=article.revision,
            tag_revision=article.tag_revision,
            data_version=article.data_version,
        ),
    )


def publish(ctx: StepContext, rec: Record) -> list[Output]:
    """news.enriched record -> the same event on each news.ministry.<id> and news.topic.<id>, newest
    revision only and each once, and a retraction on the topic of each subject an earlier revision
    named and this one does not; the counters follow: the article counts once for each subject its
    newest revision names (streams.dedup.by_revision, streams.counting)."""
    try:
        article = EnrichedArticle.model_validate_json(rec.value or b"")
    except ValidationError as err:
        return [_letter(ctx, rec, "publish", "bad_enriched_event", _first_error(err))]
    markers = ctx.counters.view(rec.ref.partition) if ctx.counters is not None else ctx.tables["published"]
    decision, to_count, to_retract = dedup.by_revision(
        markers,
        REVISION + article.id,
        article.revision,
        src_of(rec.ref),
        subjects_of(article),
        tag_revision=article.tag_revision,
    )
    ctx.note(f"by_revision_{decision.reason}")
    if not decision.forward:
        return []
    # a replay counts and uncounts nothing (its counters hold it, and may have been written again since),
    # but sends its retractions again, as it sends its articles again
    if decision.reason != "replay" and (to_count or to_retract) and ctx.counters is not None:
        when = event_time(article.published_at, ctx.clock())
        for outcome in ctx.counters.count(to_count, rec.ref.partition, rec.ref.offset, when):
            ctx.note(f"count_{outcome}")
        for outcome in ctx.counters.count(to_retract, rec.ref.partition, rec.ref.offset, when, retract=True):
            ctx.note(f"count_{outcome}")
    article_key, headers = article.id.encode(), enriched_headers(article)
    outputs = [
        Output(subject_topic(ctx.topics, subject), article_key, rec.value, headers=headers)
        for subject in subjects_of(article)
    ]
    outputs += [retraction(ctx.topics, article, subject) for subject in to_retract]
    return outputs


def fit_for_topic(
    topics: Topics, out: Output, ref: SourceRef, source_value: bytes | None, source_key: bytes | None, limit: int
) -> Output:
    """The output itself, or, when it would exceed the message limit (and so fail the commit and
    block the partition), a `too_large_to_publish` dead letter holding the input record."""
    if out.topic == topics.deadletter or len(out.value) + len(out.key or b"") <= limit - DEAD_LETTER_HEADROOM:
        return out
    return dead_letter(
        topics,
        ref,
        source_value,
        source_key,
        "publish",
        "too_large_to_publish",
        f"{len(out.value)} bytes for {out.topic} exceed the {limit}-byte limit",
        max_message_bytes=limit,
    )


def missing_topic(
    topics: Topics, out: Output, ref: SourceRef, source_value: bytes | None, source_key: bytes | None
) -> Output:
    """A `missing_topic` dead letter holding the input record, for an output to a topic the worker did
    not find at its start: the worker creates no topic at run time (`newsroom topics create` does)."""
    log.error(
        "topic %s does not exist: `newsroom topics create` makes every topic the worker writes; "
        "the input at %s is a missing_topic dead letter",
        out.topic,
        src_of(ref),
    )
    return dead_letter(
        topics,
        ref,
        source_value,
        source_key,
        "publish",
        "missing_topic",
        f"topic {out.topic} does not exist (run `newsroom topics create`)",
    )


def _first_error(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ())) or "value"
    return f"{where}: {first.get('msg')} ({err.error_count()} error(s))"
