"""Which topics an article covers: taxonomy terms -> weighted hits -> TopicTag.

score = sum over term hits of (field weight x term weight); the field weights (title counts more
than the body) and the minimum score live in the taxonomy file.
"""
from __future__ import annotations

from schemas.events import Evidence, TopicTag

from .korean import PARTICLE_TAILS, ascii_word_bounded, korean_word_bounded
from .matcher import Hit, Pattern, longest_non_overlapping
from .taxonomy import Taxonomy, Term


def topic_patterns(taxonomy: Taxonomy) -> list[Pattern]:
    """Acronym-like English terms (AI, HBM) are case-sensitive; other English terms are not."""
    return [
        Pattern(term.text, term, case_sensitive=term.text.isascii() and term.text.isupper())
        for topic in taxonomy.topics
        for term in topic.terms
    ]


def _term_ok(text: str, start: int, end: int, term: Term) -> bool:
    if term.text.isascii():
        return ascii_word_bounded(text, start, end)
    if term.whole_word:
        return korean_word_bounded(text, start, end, PARTICLE_TAILS)
    return True


def topic_spans(text: str, hits: list[Hit], taken: list[tuple[int, int, str]] = ()) -> list[tuple[int, int, tuple[Term, ...]]]:
    """Non-overlapping (start, end, terms) in one field; the longest term wins an overlap
    ("피지컬 AI" rather than "AI"), and one surface may belong to several topics.

    Terms inside a body's name (`taken` spans: 통상 in 산업통상자원부) are not topic evidence."""
    spans = []
    for hit in hits:
        if taken and any(s < hit.end and hit.start < e for s, e, _ in taken):
            continue
        terms = tuple(p for p in hit.payloads if isinstance(p, Term) and _term_ok(text, hit.start, hit.end, p))
        if terms:
            spans.append((hit.start, hit.end, terms))
    return longest_non_overlapping(spans)


def field_kind(field: str) -> str:
    if field in ("title", "subtitle"):
        return field
    if field == "paragraphs[0]":
        return "lead"
    return "caption" if field.startswith("captions") else "body"


def topic_tags(found: dict[str, list[tuple[float, Evidence]]], taxonomy: Taxonomy) -> list[TopicTag]:
    """Topics at or above the taxonomy's min_score, by score desc then id."""
    tags = []
    for topic_id, hits in found.items():
        score = round(sum(w for w, _ in hits), 3)
        if score >= taxonomy.min_score:
            topic = taxonomy.topic(topic_id)
            tags.append(TopicTag(id=topic_id, label_ko=topic.label_ko, label_en=topic.label_en,
                                 score=score, evidence=[e for _, e in hits]))
    tags.sort(key=lambda t: (-t.score, t.id))
    return tags
