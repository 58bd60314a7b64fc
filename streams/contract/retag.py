"""`newsroom retag --since ISO [--until ISO] [--dry-run]`: re-tag stored articles with today's data.

After the gazetteer or the taxonomy changes (a government reorganisation), the articles already
published keep the tags of the data that tagged them (`data_version`). Retag reads news.enriched
(which holds every cleaned article, in its EnrichedArticle, for the topic's retention: 30 days by
default, docs/contract.md), takes the newest (revision, tag_revision) of each article whose date
falls in [since, until), runs the enricher on its cleaned part with today's data and, where the
tags differ, sends it back to news.enriched as the next tag revision: same id and revision,
`tag_revision` + 1. The publish stage then treats it as any newer revision: the article is published
on the topics of its new subjects, a retraction goes to those it left, and the counts follow.
A later update of the article (revision + 1) orders after every tag revision of the one before.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import orjson
from pydantic import ValidationError

from schemas import CleanArticle, EnrichedArticle
from streams.enrich.validity import SEOUL
from streams.settings import Settings
from streams.steps import enriched_headers, subjects_of

# the fields of an EnrichedArticle that are not its cleaned article
TAG_FIELDS = {"ministries", "topics", "data_version", "tag_revision"}


@dataclass(frozen=True)
class Retagged:
    before: EnrichedArticle
    after: EnrichedArticle
    added: list[str]  # subjects (`ministry:<id>`, `topic:<id>`) the new tags add
    dropped: list[str]  # and those they drop (retracted by the publish stage)


def subjects(article: EnrichedArticle) -> set[str]:
    return set(subjects_of(article))


def _tags(article: EnrichedArticle) -> tuple:
    """What a consumer sees of the tags: subjects and the names they are shown by."""
    return (
        sorted((m.id, m.name_ko, m.name_en, m.kind, m.primary) for m in article.ministries),
        sorted(t.id for t in article.topics),
    )


def seoul_time(text: str) -> dt.datetime:
    """An ISO 8601 time as an aware datetime: a date-only or naive time is Seoul's. Raises ValueError."""
    when = dt.datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=SEOUL)


def article_time(article: EnrichedArticle) -> dt.datetime | None:
    """The article's date as an aware datetime (published, else fetched), or None if it has none."""
    for value in (article.published_at, article.fetched_at):
        if not value:
            continue
        try:
            return seoul_time(value)
        except ValueError:
            continue
    return None


def newest(articles: Iterable[EnrichedArticle]) -> dict[str, EnrichedArticle]:
    """The newest (revision, tag_revision) of each article id."""
    out: dict[str, EnrichedArticle] = {}
    for article in articles:
        seen = out.get(article.id)
        if seen is None or (article.revision, article.tag_revision) > (seen.revision, seen.tag_revision):
            out[article.id] = article
    return out


def plan(
    articles: Iterable[EnrichedArticle],
    since: dt.datetime,
    until: dt.datetime | None = None,
    enrich: Callable[[CleanArticle], EnrichedArticle] | None = None,
) -> list[Retagged]:
    """The articles of [since, until) whose tags today's data changes, as their next tag revision."""
    if enrich is None:
        from streams.enrich import enrich as default_enrich

        enrich = default_enrich
    changed = []
    for article in newest(articles).values():
        when = article_time(article)
        if when is None or when < since or (until is not None and when >= until):
            continue
        clean = CleanArticle.model_validate(article.model_dump(exclude=TAG_FIELDS))
        fresh = enrich(clean)
        if _tags(fresh) == _tags(article):
            continue
        after = fresh.model_copy(
            update={"revision": article.revision, "update": article.update, "tag_revision": article.tag_revision + 1}
        )
        changed.append(
            Retagged(
                article, after, sorted(subjects(after) - subjects(article)), sorted(subjects(article) - subjects(after))
            )
        )
    return changed


def read_enriched(settings: Settings, *, idle: float = 2.0) -> tuple[list[EnrichedArticle], int | None]:
    """Every EnrichedArticle on news.enriched, and the timestamp (ms) of its oldest record."""
    from streams.kafka_io import tail_topic

    articles: list[EnrichedArticle] = []
    oldest: int | None = None

    def keep(key, value, meta) -> None:
        nonlocal oldest
        stamp = meta.get("timestamp")
        if stamp is not None and (oldest is None or stamp < oldest):
            oldest = stamp
        try:
            articles.append(EnrichedArticle.model_validate_json(value or b""))
        except ValidationError:
            pass  # not an article (someone else wrote here)

    asyncio.run(tail_topic(settings, settings.topics.enriched, keep, timeout=idle))
    return articles, oldest


def send(settings: Settings, retagged: list[Retagged]) -> int:
    """Send the new tag revisions to news.enriched, keyed by article id, with the contract's headers."""
    from streams.kafka_io import produce_records

    records = [(r.after.id.encode(), r.after.model_dump_json().encode(), enriched_headers(r.after)) for r in retagged]
    return asyncio.run(produce_records(settings, settings.topics.enriched, records))


def describe(r: Retagged) -> dict:
    return {
        "id": r.after.id,
        "revision": r.after.revision,
        "tag_revision": r.after.tag_revision,
        "data_version": r.after.data_version,
        "was": r.before.data_version,
        "added": r.added,
        "dropped": r.dropped,
    }


def describe_line(r: Retagged) -> str:
    return orjson.dumps(describe(r)).decode()
