"""CleanArticle -> EnrichedArticle: one scan per cleaned field, then ministries and topics."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from schemas.events import CleanArticle, EnrichedArticle, Evidence

from .errors import EnrichError
from .gazetteer import Gazetteer
from .matcher import CompiledMatcher, longest_non_overlapping
from .ministries import ministry_patterns, ministry_spans, ministry_tags
from .taxonomy import Taxonomy
from .topics import field_kind, topic_patterns, topic_spans, topic_tags
from .validity import parse_date, today_in_seoul


def article_date(article: CleanArticle) -> dt.date:
    """published_at (date part), else fetched_at, else today in Seoul."""
    for name in ("published_at", "fetched_at"):
        value = getattr(article, name)
        if value:
            try:
                return parse_date(value)
            except ValueError as exc:
                raise EnrichError("bad_date", f"{name} is not an ISO 8601 date: {value!r}") from exc
    return today_in_seoul()


def cleaned_fields(article: CleanArticle) -> Iterator[tuple[str, str]]:
    """(field path, text) of the cleaned text fields, the only ones the enricher reads."""
    yield "title", article.title
    if article.subtitle:
        yield "subtitle", article.subtitle
    for i, p in enumerate(article.paragraphs):
        yield f"paragraphs[{i}]", p
    for i, c in enumerate(article.captions):
        yield f"captions[{i}]", c


class Enricher:
    """Tags articles with a given gazetteer and taxonomy, using one compiled automaton."""

    def __init__(self, gazetteer: Gazetteer, taxonomy: Taxonomy) -> None:
        self.gazetteer = gazetteer
        self.taxonomy = taxonomy
        self._matcher = CompiledMatcher([*ministry_patterns(gazetteer), *topic_patterns(taxonomy)])

    def enrich(self, article: CleanArticle) -> EnrichedArticle:
        if not isinstance(article, CleanArticle):
            raise EnrichError("not_clean_article", f"expected a CleanArticle, got {type(article).__name__}")
        day = article_date(article)
        bodies: dict[str, list[Evidence]] = {}
        topics: dict[str, list[tuple[float, Evidence]]] = {}
        weights = self.taxonomy.field_weights
        for field, text in cleaned_fields(article):
            hits = self._matcher.scan(text)
            if not hits:
                continue
            mentions = longest_non_overlapping(ministry_spans(text, hits, day, self.gazetteer))
            for start, end, body_id in mentions:
                bodies.setdefault(body_id, []).append(Evidence(field=field, start=start, end=end, text=text[start:end]))
            field_weight = weights[field_kind(field)]
            for start, end, terms in topic_spans(text, hits, mentions):
                ev = Evidence(field=field, start=start, end=end, text=text[start:end])
                for term in terms:
                    topics.setdefault(term.topic_id, []).append((field_weight * term.weight, ev))
        return EnrichedArticle(
            **dict(article),
            ministries=ministry_tags(bodies, day, self.gazetteer),
            topics=topic_tags(topics, self.taxonomy),
        )
