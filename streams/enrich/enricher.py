"""CleanArticle -> EnrichedArticle: one scan per cleaned field, then ministries and topics."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from schemas.events import CleanArticle, EnrichedArticle, Evidence

from .data_version import data_version
from .errors import EnrichError
from .gazetteer import Gazetteer
from .matcher import CompiledMatcher, longest_non_overlapping
from .ministries import (
    PRIMARY_FIELDS,
    AbroadArticle,
    first_abroad,
    is_parent_mention,
    korean_marked,
    ministry_patterns,
    ministry_spans,
    ministry_tags,
)
from .taxonomy import Taxonomy
from .topic_model import TopicModel
from .topics import (
    HEADLINE_FIELDS,
    TopicEvidence,
    TopicHit,
    field_kind,
    reads_topics,
    topic_evidence,
    topic_patterns,
    topic_spans,
    topic_tags,
)
from .validity import parse_date, today_in_seoul


def article_date(article: CleanArticle) -> dt.date:
    """published_at (date part), else fetched_at, else today in Seoul."""
    for name in ("published_at", "fetched_at"):
        value = getattr(article, name)
        if value:
            try:
                day = parse_date(value)
            except ValueError as exc:
                raise EnrichError("bad_date", f"{name} is not an ISO 8601 date: {value!r}") from exc
            if day is not None:  # always: parse_date answers None for None only
                return day
    return today_in_seoul()


_CAPITALISED = re.compile(r"[A-Z][\w.]*")


def _names_abroad(text: str, markers: frozenset[str]) -> bool:
    """A capitalised word (or two) of `text` is one of `markers` (China, New Zealand, U.S.)."""
    words = [w.rstrip(".") if not w.endswith("S.") else w for w in _CAPITALISED.findall(text)]
    return any(w in markers for w in words) or any(f"{a} {b}" in markers for a, b in zip(words, words[1:]))


_HANGUL = re.compile("[\uac00-\ud7a3]")


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

    def __init__(self, gazetteer: Gazetteer, taxonomy: Taxonomy, topic_model: TopicModel | None = None) -> None:
        """`topic_model`: a learned model that decides the topics instead of the rules (None: rules)."""
        self.gazetteer = gazetteer
        self.taxonomy = taxonomy
        self.topic_model = topic_model
        self._matcher = CompiledMatcher([*ministry_patterns(gazetteer), *topic_patterns(taxonomy)])

    def _abroad(self, article: CleanArticle) -> bool:
        """No Hangul and no mention of Korea, but a mention of another country."""
        texts = [text for _, text in cleaned_fields(article)]
        gaz = self.gazetteer
        if any(_HANGUL.search(t) or any(m in t for m in gaz.home_markers) for t in texts):
            return False
        return any(_names_abroad(t, gaz.abroad_markers) for t in texts)

    def _abroad_ko(self, article: CleanArticle) -> AbroadArticle | None:
        """A Korean article about another country: its title names one (not North Korea), and neither
        the title nor the lead speaks of Korea (`korean_markers`); None otherwise."""
        gaz = self.gazetteer
        lead = article.paragraphs[0] if article.paragraphs else ""
        if not _HANGUL.search(article.title):
            return None  # an English article: its own rule (_abroad) reads home_markers, Korea in English
        if first_abroad(article.title, gaz) < 0 or korean_marked(article.title, gaz) or korean_marked(lead, gaz):
            return None
        return AbroadArticle(set())

    def _scan(self, article: CleanArticle):
        """One scan of the cleaned fields: (day, body evidence, parent mentions, topic hits, chars)."""
        if not isinstance(article, CleanArticle):
            raise EnrichError("not_clean_article", f"expected a CleanArticle, got {type(article).__name__}")
        day = article_date(article)
        bodies: dict[str, list[Evidence]] = {}
        parents: set[tuple[str, int]] = set()
        topics: dict[str, list[TopicHit]] = {}
        weights = self.taxonomy.field_weights
        length = 0
        abroad = self._abroad_ko(article)
        read_topics = reads_topics(article.language)
        for field, text in cleaned_fields(article):
            length += len(text)
            hits = self._matcher.scan(text)
            if not hits:
                continue
            if abroad is not None:
                abroad.active = field not in PRIMARY_FIELDS
                abroad.whole = field.startswith("captions")
            mentions = longest_non_overlapping(ministry_spans(text, hits, day, self.gazetteer, abroad))
            if abroad is not None and mentions and field in PRIMARY_FIELDS:
                abroad = None  # the title, subtitle or lead names a Korean body: the article is Korea's
            for start, end, body_id in mentions:
                bodies.setdefault(body_id, []).append(Evidence(field=field, start=start, end=end, text=text[start:end]))
                if is_parent_mention(text, end):
                    parents.add((field, start))
            if not read_topics:
                continue
            field_weight = weights[field_kind(field)]
            headline = field in HEADLINE_FIELDS
            for start, end, terms in topic_spans(text, hits, mentions):
                surface = text[start:end]
                for term in terms:
                    topics.setdefault(term.topic_id, []).append(
                        TopicHit(term, field_weight * term.weight, headline, field, start, end, surface)
                    )
        if any(e.text.isascii() for found in bodies.values() for e in found) and self._abroad(article):
            # English forms in an article about another country (and never Korea) name its bodies
            bodies = {b: [e for e in found if not e.text.isascii()] for b, found in bodies.items()}
            bodies = {b: found for b, found in bodies.items() if found}
        return day, bodies, parents, topics, length

    def topic_evidence(self, article: CleanArticle) -> list[TopicEvidence]:
        """Every topic with a hit in `article` and its evidence numbers (what the rules and the model read)."""
        _, _, _, topics, length = self._scan(article)
        return topic_evidence(topics, self.taxonomy, length, _blocks(article))

    def enrich(self, article: CleanArticle) -> EnrichedArticle:
        day, bodies, parents, topics, length = self._scan(article)
        return EnrichedArticle(
            **dict(article),
            ministries=ministry_tags(bodies, day, self.gazetteer, parents),
            topics=topic_tags(topics, self.taxonomy, length, _blocks(article), self.topic_model),
            data_version=data_version(),  # the packaged data's version (streams/enrich/data_version.py)
        )


def _blocks(article: CleanArticle) -> int:
    """Paragraphs and captions: the places a topic's evidence can spread over."""
    return len(article.paragraphs) + len(article.captions)
