"""Which topics an article is about: taxonomy terms -> weighted hits -> ranked TopicTag.

An editor files an article under a topic when the article is about it, not when a word of the
topic passes by. So (all numbers live in the taxonomy file, `scoring:`):
- a hit weighs field weight x term weight (title and lead count more than the body);
- repeats of one term add less and less (each repeat x `repeat_decay`), so one word said ten
  times is not ten pieces of evidence;
- body evidence is divided by the article's length (sqrt of its size in `length_unit` chars), so
  a long profile does not collect every topic it brushes; title/subtitle evidence is not;
- a topic needs evidence in the headline or the opening paragraphs (the best topic excepted),
  and either a full-weight headline term the body takes up, or `min_distinct` distinct terms in
  `min_places` paragraphs (rule_passes; a learned model may decide instead, see topic_model.py);
- topics under `min_score`, or under `relative_min` x the best topic's score, are dropped, and at
  most `max_topics` are kept, best first (the first is the article's primary topic);
- idioms and compounds that contain a term but mean something else (통상적으로, 경기도, office
  space, bird strike) are data (`idioms_ko`/`idioms_en` of a topic) and hide the term they contain.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from schemas.events import Evidence, TopicTag

from .korean import PARTICLE_TAILS, ascii_word_bounded, korean_word_bounded
from .matcher import Hit, Pattern, longest_non_overlapping
from .taxonomy import Idiom, Taxonomy, Term

HEADLINE_FIELDS = ("title", "subtitle")
# The taxonomy's terms are Korean and English: an article the cleaner found to be in another language
# gets no topics, for its words are not the taxonomy's (German `war` is `was`, `Art` a kind). An
# article of no known language is read.
TOPIC_LANGUAGES = frozenset({"ko", "en"})


def reads_topics(language: str | None) -> bool:
    """Whether an article in `language` (CleanArticle.language) is read for topics."""
    return language is None or language in TOPIC_LANGUAGES


def topic_patterns(taxonomy: Taxonomy) -> list[Pattern]:
    """Acronym-like English terms (AI, HBM) are case-sensitive; other English terms are not."""
    patterns = [
        Pattern(term.text, term, case_sensitive=term.text.isascii() and term.text.isupper())
        for topic in taxonomy.topics
        for term in topic.terms
    ]
    patterns += [
        Pattern(idiom.text, idiom, case_sensitive=idiom.case_sensitive)
        for topic in taxonomy.topics
        for idiom in topic.idioms
    ]
    return patterns


def _term_ok(text: str, start: int, end: int, term: Term | Idiom) -> bool:
    if term.text.isascii():
        return ascii_word_bounded(text, start, end)
    if getattr(term, "whole_word", False):
        return korean_word_bounded(text, start, end, PARTICLE_TAILS)
    return True


def topic_spans(
    text: str, hits: list[Hit], taken: Sequence[tuple[int, int, str]] = ()
) -> list[tuple[int, int, tuple[Term, ...]]]:
    """Non-overlapping (start, end, terms) in one field; the longest term wins an overlap
    ("피지컬 AI" rather than "AI"), and one surface may belong to several topics.

    Terms inside a body's name (`taken` spans: 통상 in 산업통상자원부) are not topic evidence, nor
    are terms inside an idiom (통상 in 통상적으로): the idiom wins the overlap and hides its topic's terms,
    and hides them even where another topic's term takes the overlap from it (`offshore wind` of
    energy, chosen leftmost, must not leave agriculture's `farm` of the idiom `wind farm` standing)."""
    spans = []
    starts = [s for s, _, _ in taken]  # sorted and non-overlapping (longest_non_overlapping)
    idioms: list[tuple[int, int, str]] = []  # (start, end, topic) of each idiom found, for the pre-pass
    for hit in hits:
        if taken:
            i = bisect_left(starts, hit.end) - 1  # the last taken span starting before the hit ends
            if i >= 0 and taken[i][1] > hit.start:
                continue
        terms = tuple(p for p in hit.payloads if isinstance(p, (Term, Idiom)) and _term_ok(text, hit.start, hit.end, p))
        if terms:
            spans.append((hit.start, hit.end, terms))
            idioms += [(hit.start, hit.end, t.topic_id) for t in terms if isinstance(t, Idiom)]
    if idioms:
        spans = [span for span in (_outside_idioms(span, idioms) for span in spans) if span is not None]
    chosen: list[tuple[int, int, tuple[Term, ...]]] = []
    for s, e, found in longest_non_overlapping(spans):  # an idiom still wins its overlaps, hiding them
        kept = tuple(t for t in found if isinstance(t, Term))
        if kept:
            chosen.append((s, e, kept))
    return chosen


def _outside_idioms(span, idioms: list[tuple[int, int, str]]):
    """The span without the terms an idiom of their topic holds, on its own surface too (`Labour`,
    a case-sensitive idiom, hides the term `labour`); None where nothing is left."""
    start, end, terms = span
    hidden = {topic for s, e, topic in idioms if s <= start and end <= e}
    if not hidden:
        return span
    kept = tuple(t for t in terms if isinstance(t, Idiom) or t.topic_id not in hidden)
    return (start, end, kept) if kept else None


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
    field: str
    start: int
    end: int
    text: str

    @property
    def evidence(self) -> Evidence:
        """Built only for the topics kept (most hits belong to topics that are dropped)."""
        return Evidence(field=self.field, start=self.start, end=self.end, text=self.text)


@dataclass(slots=True)
class TopicEvidence:
    """What one topic has in one article, as numbers the rules (and a learned model) read."""

    topic_id: str
    hits: list[TopicHit]
    score: float  # headline evidence + length-normalised body evidence, repeats decayed
    distinct: int  # distinct terms ('tariff' and 'tariffs' are one)
    strong_headline: bool  # a full-weight term (weight >= 1) in the title or subtitle
    headline: float  # the headline part of the score
    places: int  # distinct paragraphs and captions with a hit
    coverage: float  # places / the article's paragraphs and captions
    weight_max: float  # the heaviest term's own weight
    blocks: int  # the article's paragraphs and captions
    early: bool  # a hit in the headline or the opening paragraphs, where a story says what it is about
    relative: float = 1.0  # score / the best topic's score in the article (set by topic_evidence)


def _paragraph_index(field: str) -> int:
    """i of "paragraphs[i]"; captions and other fields count as late."""
    return int(field[11:-1]) if field.startswith("paragraphs[") else 1 << 30


def _evidence(topic_id: str, hits: list[TopicHit], taxonomy: Taxonomy, length: int, blocks: int) -> TopicEvidence:
    s = taxonomy.scoring
    opening = max(s.early_paragraphs, math.ceil(s.early_share * blocks))
    per_term: dict[str, list[float]] = {}
    places: set[str] = set()
    head_hits: dict[str, int] = {}
    early = strong = False
    weight_max = 0.0
    for h in hits:
        term = h.term
        weight_max = max(weight_max, term.weight)
        if h.headline:
            early = True
            strong = strong or term.weight >= 1.0
            head_hits[term.key] = head_hits.get(term.key, 0) + 1
        else:
            places.add(h.field)
            early = early or _paragraph_index(h.field) < opening
        per_term.setdefault(term.key, []).append(h.weight)
    # repeats of one term decay (heaviest first); the headline part is not length-normalised
    total = head = 0.0
    for key, weights in per_term.items():
        weights.sort(reverse=True)
        decayed = [w * s.repeat_decay**i for i, w in enumerate(weights)]
        total += sum(decayed)
        # headline hits are the heaviest of their term (title 3.0 and subtitle 2.0 > any body field)
        head += sum(decayed[: head_hits.get(key, 0)])
    body = total - head
    size = max(1.0, length / s.length_unit)
    return TopicEvidence(
        topic_id=topic_id,
        hits=hits,
        score=round(head + body / math.sqrt(size), 3),
        distinct=len(per_term),
        strong_headline=strong,
        headline=head,
        places=len(places),
        coverage=len(places) / max(1, blocks),
        weight_max=weight_max,
        blocks=blocks,
        early=early,
    )


def topic_evidence(
    found: dict[str, list[TopicHit]], taxonomy: Taxonomy, length: int, blocks: int
) -> list[TopicEvidence]:
    """Every topic with a hit, best score first (ties by id), with its relative score filled in."""
    out = [_evidence(t, hits, taxonomy, length, blocks) for t, hits in found.items()]
    out.sort(key=lambda e: (-e.score, e.topic_id))
    best = out[0].score if out else 0.0
    for e in out:
        e.relative = e.score / best if best else 0.0
    return out


def rule_passes(e: TopicEvidence, taxonomy: Taxonomy) -> bool:
    """The article is about the topic: enough score, near enough the best topic, and
    - evidence in the headline or the opening paragraphs (news states its subject first: a topic
      that only turns up further down is a side matter), unless it is the article's best topic;
    - a headline alone (no paragraphs): any term of the topic in it;
    - otherwise a full-weight term (weight >= 1) in the headline that the body takes up (a second
      term, or the same one in a paragraph), or several distinct terms spread over several
      paragraphs. A weak word in the title ('family', 'war'), a headline word the body never
      returns to, or a list in one paragraph is a passing mention."""
    s = taxonomy.scoring
    if e.score < taxonomy.min_score or e.relative < s.relative_min or not (e.early or e.relative >= 1.0):
        return False
    if e.blocks == 0:
        return e.headline > 0 or e.distinct >= s.min_distinct
    if e.strong_headline and (e.distinct >= 2 or e.places >= 1):
        return True
    return e.distinct >= s.min_distinct and e.places >= min(s.min_places, e.blocks)


def topic_tags(
    found: dict[str, list[TopicHit]], taxonomy: Taxonomy, length: int, blocks: int = 1, model=None
) -> list[TopicTag]:
    """The article's topics, best first, at most max_topics; the first is marked `primary`.

    `blocks`: the article's paragraphs and captions; `model`: a learned TopicModel that decides
    instead of the rules (see topic_model.py), None for the rules."""
    evidence = topic_evidence(found, taxonomy, length, blocks)
    if model is None or not model.decides(blocks):
        kept = [e for e in evidence if rule_passes(e, taxonomy)]
    else:
        kept = model.select(evidence, taxonomy.min_score)
    tags = []
    for rank, e in enumerate(kept[: taxonomy.scoring.max_topics]):
        topic = taxonomy.topic(e.topic_id)
        tags.append(
            TopicTag(
                id=e.topic_id,
                label_ko=topic.label_ko,
                label_en=topic.label_en,
                score=e.score,
                primary=rank == 0,
                evidence=[h.evidence for h in e.hits],
            )
        )
    return tags
