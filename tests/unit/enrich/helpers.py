"""Small helpers for the enricher tests: a one-sentence article and its tags."""

from __future__ import annotations

from schemas.events import CleanArticle, EnrichedArticle
from streams.enrich import enrich


def article(
    title: str = "", paragraphs: list[str] | None = None, day: str | None = "2025-08-20", **extra
) -> CleanArticle:
    return CleanArticle(
        id="t", title=title, paragraphs=paragraphs or [], published_at=day, fingerprint="f", extractor="test", **extra
    )


def tagged(text: str, day: str = "2025-08-20") -> EnrichedArticle:
    """`text` as the lead paragraph of an article with an empty title."""
    return enrich(article(paragraphs=[text], day=day))


def ids(text: str, day: str = "2025-08-20") -> list[str]:
    return sorted(m.id for m in tagged(text, day).ministries)


def names(text: str, day: str) -> dict[str, str]:
    return {m.id: m.name_ko for m in tagged(text, day).ministries}


def topic_ids(text: str, day: str = "2025-08-20") -> list[str]:
    return [t.id for t in enrich(article(title=text, day=day)).topics]
