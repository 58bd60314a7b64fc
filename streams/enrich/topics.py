"""Which topics an article is about: taxonomy terms -> weighted hits -> ranked TopicTag.

An editor files an article under a topic when the article is about it, not when a word of the
topic passes by. So (all numbers live in the taxonomy file, `scoring:`):
- a hit weighs field weight x term weight (title and lead count more than the body);
- repeats of one term add less and less (each repeat x `repeat_decay`), so one word said ten
  times is not ten pieces of evidence;
- body evidence is divided by the article's length (sqrt of its size in `length_unit` chars), so
  a long profile does not collect every topic it brushes; title/subtitle evidence is not;
- a topic needs a title/subtitle hit or at least `min_distinct` distinct terms;
- topics under `min_score`, or under `relative_min` x the best topic's score, are dropped, and at
  most `max_topics` are kept, best first (the first is the article's primary topic);
- idioms and compounds that contain a term but mean something else (통상적으로, 경기도, office
  space, bird strike) are data (`idioms_ko`/`idioms_en` of a topic) and hide the term they contain.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from schemas.events import Evidence, TopicTag

from .korean import PARTICLE_TAILS, ascii_word_bounded, korean_word_bounded
from .matcher import Hit, Pattern, longest_non_overlapping
from .taxonomy import Idiom, Taxonomy, Term

HEADLINE_FIELDS = ("title", "subtitle")


def topic_patterns(taxonomy: Taxonomy) -> list[Pattern]:
    """Acronym-like English terms (AI, HBM) are case-sensitive; other English terms are not."""
    patterns = [
        Pattern(term.text, term, case_sensitive=term.text.isascii() and term.text.isupper())
        for topic in taxonomy.topics
        for term in topic.terms
    ]
    patterns += [Pattern(idiom.text, idiom, case_sensitive=idiom.case_sensitive)
                 for topic in taxonomy.topics for idiom in topic.idioms]
    return patterns


def _term_ok(text: str, start: int, end: int, term: Term | Idiom) -> bool:
    if term.text.isascii():
        return ascii_word_bounded(text, start, end)
    if getattr(term, "whole_word", False):
        return korean_word_bounded(text, start, end, PARTICLE_TAILS)
    return True


def topic_spans(text: str, hits: list[Hit], taken: list[tuple[int, int, str]] = ()) -> list[tuple[int, int, tuple[Term, ...]]]:
    """Non-overlapping (start, end, terms) in one field; the longest term wins an overlap
    ("피지컬 AI" rather than "AI"), and one surface may belong to several topics.

    Terms inside a body's name (`taken` spans: 통상 in 산업통상자원부) are not topic evidence, nor
    are terms inside an idiom (통상 in 통상적으로): the idiom wins the overlap and hides its topic's terms."""
    spans = []
    for hit in hits:
        if taken and any(s < hit.end and hit.start < e for s, e, _ in taken):
            continue
        terms = tuple(p for p in hit.payloads if isinstance(p, (Term, Idiom)) and _term_ok(text, hit.start, hit.end, p))
        if terms:
            spans.append((hit.start, hit.end, terms))
    chosen = []
    for s, e, found in longest_non_overlapping(spans):
        hidden = {t.topic_id for t in found if isinstance(t, Idiom)}
        terms = tuple(t for t in found if isinstance(t, Term) and t.topic_id not in hidden)
        if terms:
            chosen.append((s, e, terms))
    return chosen


def field_kind(field: str) -> str:
    if field in ("title", "subtitle"):
        return field
    if field == "paragraphs[0]":
        return "lead"
    return "caption" if field.startswith("captions") else "body"


@dataclass(slots=True)
class TopicHit:
    term: Term
    weight: float  # field weight x term weight
    headline: bool
    evidence: Evidence


def _term_key(text: str) -> str:
    """Distinct terms: 'tariff' and 'tariffs' are one term."""
    low = text.lower()
    return low[:-1] if low.isascii() and low.endswith("s") and len(low) > 3 else low


def topic_score(hits: list[TopicHit], taxonomy: Taxonomy, length: int) -> tuple[float, int, bool]:
    """(score, distinct terms, has a headline hit) of one topic's hits in an article of `length` chars."""
    s = taxonomy.scoring
    per_term: dict[str, list[TopicHit]] = {}
    for h in hits:
        per_term.setdefault(_term_key(h.term.text), []).append(h)
    head = body = 0.0
    for term_hits in per_term.values():
        term_hits.sort(key=lambda h: -h.weight)
        for i, h in enumerate(term_hits):
            w = h.weight * s.repeat_decay ** i
            if h.headline:
                head += w
            else:
                body += w
    size = max(1.0, length / s.length_unit)
    return head + body / math.sqrt(size), len(per_term), any(h.headline for h in hits)


def topic_tags(found: dict[str, list[TopicHit]], taxonomy: Taxonomy, length: int) -> list[TopicTag]:
    """The article's topics, best first (the first is its primary topic), at most max_topics."""
    s = taxonomy.scoring
    scored = []
    for topic_id, hits in found.items():
        score, distinct, headline = topic_score(hits, taxonomy, length)
        if score < taxonomy.min_score or not (headline or distinct >= s.min_distinct):
            continue
        scored.append((round(score, 3), topic_id, hits))
    scored.sort(key=lambda t: (-t[0], t[1]))
    if scored:
        floor = scored[0][0] * s.relative_min
        scored = [t for t in scored if t[0] >= floor][: s.max_topics]
    tags = []
    for score, topic_id, hits in scored:
        topic = taxonomy.topic(topic_id)
        tags.append(TopicTag(id=topic_id, label_ko=topic.label_ko, label_en=topic.label_en,
                             score=score, evidence=[h.evidence for h in hits]))
    return tags
