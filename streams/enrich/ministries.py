"""Which government bodies an article concerns: surface forms -> mentions -> MinistryTag.

Rules (see korean.py for the boundary rules):
- official names match at any date and resolve to the body's name in force on the article date;
  abbreviations and acronyms with a validity window match only inside it;
- a form preceded by a foreign country (중국 외교부, 美 국방부, China's Ministry of ...) is not a
  Korean body;
- an official's name followed (within a few words) by their role (장관, 제2차관, 청장, ...) is a
  mention of their body if the article date is within their term;
- primary = mentioned in the title, subtitle or lead paragraph, or at least PRIMARY_MIN_MENTIONS times.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from schemas.events import Evidence, MinistryTag

from .gazetteer import Body, Gazetteer, Official
from .korean import (
    PARTICLE_TAILS,
    TAILS_BY_KIND,
    ascii_word_bounded,
    is_hangul,
    korean_word_bounded,
    previous_tokens,
    strip_particle,
)
from .matcher import Hit, Pattern
from .validity import Window

PRIMARY_MIN_MENTIONS = 3
PRIMARY_FIELDS = ("title", "subtitle", "paragraphs[0]")
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "장관": ("장관", "부총리"),
    "제1차관": ("제1차관", "1차관", "차관"),
    "제2차관": ("제2차관", "2차관", "차관"),
    "차관": ("차관",),
    "청장": ("청장",),
    "처장": ("처장",),
    "위원장": ("위원장",),
    "본부장": ("본부장",),
}
ROLE_TAILS = PARTICLE_TAILS | {"후보자", "내정자", "직무대행", "겸"}
ROLE_STOP = set(",.;:!?\"'“”‘’()[]{}<>…\n")
ROLE_MAX_TOKENS = 4


@dataclass(frozen=True, slots=True)
class BodyForm:
    body_id: str
    text: str
    window: Window
    is_ascii: bool
    tails: frozenset[str]


@dataclass(frozen=True, slots=True)
class OfficialForm:
    name: str
    officials: tuple[Official, ...]


def _tails_for(form: str, body_kind: str) -> frozenset[str]:
    if form.endswith(("위원회", "위")):
        return TAILS_BY_KIND["위원회"]
    for kind in ("부", "처", "청"):
        if form.endswith(kind):
            return TAILS_BY_KIND[kind]
    return TAILS_BY_KIND["other"]


def ministry_patterns(gazetteer: Gazetteer) -> list[Pattern]:
    """Every surface form of every body and official, as automaton patterns."""
    patterns: list[Pattern] = []

    def add(body: Body, text: str, window: Window, case_sensitive: bool) -> None:
        form = BodyForm(body.id, text, window, text.isascii(), _tails_for(text, body.names[-1].kind))
        patterns.append(Pattern(text, form, case_sensitive))

    officials: dict[str, list[Official]] = {}
    for body in gazetteer.bodies:
        for name in body.names:
            add(body, name.ko, Window(), False)
            add(body, name.en, Window(), False)
        for f in body.abbreviations:
            add(body, f.text, f.window, False)
        for f in body.english_aliases:
            add(body, f.text, f.window, False)
        for f in body.acronyms:
            add(body, f.text, f.window, True)
        for o in body.officials:
            officials.setdefault(o.name, []).append(o)
    patterns += [Pattern(n, OfficialForm(n, tuple(os))) for n, os in officials.items()]
    return patterns


def _is_foreign(text: str, start: int, gazetteer: Gazetteer) -> bool:
    tokens = previous_tokens(text, start, 2)
    if not tokens:
        return False
    last = tokens[-1]
    if last in gazetteer.foreign_abbreviations or last in gazetteer.foreign_countries:
        return True
    if strip_particle(last) in gazetteer.foreign_countries:
        return True
    english = {last.lower(), " ".join(tokens).lower()}
    return bool(english & gazetteer.foreign_english)


def _role_end(text: str, end: int, role_words: tuple[str, ...]) -> int | None:
    """Offset just after a role word within a few words after an official's name, or None."""
    n, i = len(text), end
    for _ in range(ROLE_MAX_TOKENS):
        while i < n and text[i] in " \t\u00a0":
            i += 1
        j = i
        while j < n and not text[j].isspace() and text[j] not in ROLE_STOP:
            j += 1
        token = text[i:j]
        for word in role_words:
            k = token.find(word)
            if k >= 0 and (not token[k + len(word):] or token[k + len(word):] in ROLE_TAILS):
                return i + k + len(word)
        if j == i or (j < n and text[j] in ROLE_STOP):
            return None
        i = j
    return None


def _official_span(text: str, hit: Hit, form: OfficialForm, day: dt.date) -> tuple[int, int, str] | None:
    if hit.start > 0 and is_hangul(text[hit.start - 1]):
        return None
    if hit.end < len(text) and is_hangul(text[hit.end]) and not text.startswith(("장관", "차관", "제", "청장", "처장", "위원장"), hit.end):
        return None
    for official in form.officials:
        if official.window.contains(day):
            end = _role_end(text, hit.end, ROLE_WORDS[official.role])
            if end is not None:
                return hit.start, end, official.body_id
    return None


def ministry_spans(text: str, hits: list[Hit], day: dt.date, gazetteer: Gazetteer) -> list[tuple[int, int, str]]:
    """Candidate (start, end, body_id) spans in one field, boundary-, date- and foreign-checked."""
    spans: list[tuple[int, int, str]] = []
    for hit in hits:
        for p in hit.payloads:
            if isinstance(p, BodyForm):
                if not p.window.contains(day):
                    continue
                if p.is_ascii:
                    if not ascii_word_bounded(text, hit.start, hit.end):
                        continue
                elif not korean_word_bounded(text, hit.start, hit.end, p.tails):
                    continue
                if _is_foreign(text, hit.start, gazetteer):
                    continue
                spans.append((hit.start, hit.end, p.body_id))
            elif isinstance(p, OfficialForm):
                span = _official_span(text, hit, p, day)
                if span:
                    spans.append(span)
    return spans


def ministry_tags(evidence: dict[str, list[Evidence]], day: dt.date, gazetteer: Gazetteer) -> list[MinistryTag]:
    """One tag per body with evidence; primary first, then by mentions, then by id."""
    tags = []
    for body_id, found in evidence.items():
        body = gazetteer.body(body_id)
        name = body.name_on(day)
        primary = len(found) >= PRIMARY_MIN_MENTIONS or any(e.field in PRIMARY_FIELDS for e in found)
        tags.append(MinistryTag(id=body_id, name_ko=name.ko, name_en=name.en, kind=name.kind,
                                mentions=len(found), primary=primary, evidence=found))
    tags.sort(key=lambda t: (not t.primary, -t.mentions, t.id))
    return tags
