"""Which government bodies an article concerns: surface forms -> mentions -> MinistryTag.

Rules (see korean.py for the boundary rules):
- official names match at any date and resolve to the body's name in force on the article date; a
  committee's name with its chair's title for 회 (공정거래위원장, 방송통신위원장) names it too;
  abbreviations and acronyms with a validity window match only inside it;
- a form preceded by a foreign country (중국 외교부, 美 국방부, China's Ministry of ...) is not a
  Korean body;
- an official's name followed (within a few words) by their role (장관, 제2차관, 청장, ...) is a
  mention of their body if the article date is within their term;
- a form is also foreign when earlier in its sentence there is a foreign context marker (a
  foreign official's name, a capital, 중국 측: `foreign_markers.context` of the gazetteer), unless
  the marker is inside what the body answers: a reply word (대해, 관련해, 항의하며, 두고, 초치해:
  `REPLY_WORDS`) closes its phrase before the body and no word ending in 은/는 before that makes it
  its own clause's subject (마오닝 대변인의 발언에 대해 외교부는 is Korea's; 마오닝 대변인은 ...
  외교부 is China's), or the marker is the place the body visits (워싱턴을 방문 중인 외교부 당국자는);
- a title Korea's ministries do not have right after a form ending in 부 (부장, 부부장: China's
  minister and vice minister; 부장관: a US deputy secretary) makes it foreign (외교부 부부장);
- a one-syllable country abbreviation (미, 중, 일) names a country standing alone before the form
  (미 국방부), not glued to a particle (이날 중으로 선관위에);
- a body named as foreign in a field (paragraph) stays foreign when named bare again in it, unless
  a home prefix (우리, 한국) comes right before (which also beats a foreign marker earlier in the
  sentence: 마오닝 대변인은 한국 외교부의 항의에 대해), or its sentence opens by answering what the
  paragraph just said (중국 외교부는 ... 반발했다. 이에 대해 외교부는: the other side, Korea's), or
  it follows a clause of the foreign body (its subject, not the sentence's topic) closed by a reply
  word or 가운데 (중국 외교부 대변인이 ... 비판한 가운데, 외교부는); a foreign official right after a
  form, alone or after a role (외교부 마오닝 대변인, Foreign Ministry spokesman Qin Gang), makes it
  foreign, and so does a foreign official's surname right before a form with a role after it (오스틴
  국방부 장관, 라이더 국방부 대변인: surnames that are Korean words or places too, so no markers alone);
- a body with no official name in force on the article's date is not tagged (a name the body takes
  again later matches only inside its own windows);
- a form right after a local government (인천시 선거관리위원회, 부산 경찰청) is a local office, not the body;
  a word ending in 도 is a province only after a province's name (경기도, 경북도; not 아직도, 그럼에도),
  and a place before a ministry (부) followed by its building (용산구 국방부 청사에서, 앞에서) or
  glued to a particle of place (종로구 외교부로 초치되고 있다) is its address (a ministry has no local
  offices);
- an official name is matched from its valid_from on, as abbreviations and officials only inside
  their windows: a body not yet in force on the article's date (named in a sentence about a
  coming reorganisation) is never tagged;
- a form followed by 산하/소속 (with a particle too: 산하에, 소속인, 소속기관으로), or by its own
  institute or regional office as press releases write them (해양수산부 국립수산과학원은, 행정안전부
  국가기록원은, 고용노동부 서울지방고용노동청은), names the body only as the parent of another organisation: low
  weight; a body with nothing but one such mention is not tagged, and is never primary by it;
- in an article about another country (its title names one, not North Korea, and neither the title
  nor the lead has a Korean marker: 우리, 한국, 정부, 국회, ... `foreign_markers.korean_markers`), a
  bare body in a paragraph with no Korean marker is foreign when the paragraph names a foreign
  country, official, capital or side before it, or when the article has named that body as
  foreign before (베트남 국방부는 ... / 국방부 대변인은, in the next paragraph), from the second
  paragraph on and unless the title, subtitle or lead named a Korean body; an article with no such
  title, as most reports of a foreign act and Korea's answer, keeps the sentence rule;
- in an article without Hangul and without a mention of Korea (`home_markers`), English forms
  (Defense Ministry, Ministry of Foreign Affairs) are some other country's bodies;
- primary = a non-parent mention in the title, subtitle or lead paragraph, or at least
  PRIMARY_MIN_MENTIONS non-parent mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from schemas.events import Evidence, MinistryTag

from .gazetteer import Body, Gazetteer, Official
from .korean import (
    PARTICLE_TAILS,
    TAILS_BY_KIND,
    TOKEN_PUNCT,
    ascii_word_bounded,
    hangul_run_after,
    is_hangul,
    korean_word_bounded,
    previous_tokens,
    strip_particle,
)
from .matcher import Hit, Pattern
from .validity import Window

PRIMARY_MIN_MENTIONS = 3
PARENT_WORDS = (
    "산하",
    "소속",
    "산하기관",
    "산하의",
    "소속의",
    "소속기관",
    "산하기관인",
    "산하기관의",
    "소속기관인",
    "출연연구기관",
    "출연연구기관인",
    "출연기관",
    "출연기관인",
    # an agency of the ministry (행정안전부 외청인 경찰청은, 기재부 외청 국세청), a body affiliated with it
    # (과기정통부 유관기관인 정보통신산업진흥원은): the ministry is named as the other one's parent
    "외청",
    "외청인",
    "외청의",
    "유관기관",
    "유관기관인",
    "유관기관의",
)
SENTENCE_ENDS = (". ", "? ", "! ", "다.", "\n", "…")
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
        for i, name in enumerate(body.names):  # past and current names, not names still to come
            # a name the body takes again later (재정경제부 before 2008 and from 2026) matches only in
            # its own windows: in between it names the coming body, not a past one
            again = any(later.ko == name.ko for later in body.names[i + 1 :])
            window = name.window if again else Window(name.window.valid_from, None)
            add(body, name.ko, window, False)
            if name.ko.endswith("위원회"):  # its chair, who speaks for it: 공정거래위원회 -> 공정거래위원장
                add(body, name.ko[:-1] + "장", window, False)
            add(
                body,
                name.en,
                window
                if any(later.en == name.en for later in body.names[i + 1 :])
                else Window(name.window.valid_from, None),
                False,
            )
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


def _is_foreign(tokens: list[str], gazetteer: Gazetteer) -> bool:
    """`tokens`: the two tokens before the form (previous_tokens)."""
    if not tokens:
        return False
    if len(tokens) > 1 and tokens[-1] in gazetteer.between:  # 영국의 현 교육부: the country before `현`
        tokens = tokens[:-1]
    last = tokens[-1]
    if last in gazetteer.foreign_abbreviations or last in gazetteer.foreign_countries:
        return True
    # 중국의, 미국과: a country with its particle; not a one-syllable abbreviation with one (이날 중으로,
    # 그 일에, 회의 중에: words of their own, and 미 국방부, 中 외교부 stand alone before the body)
    if len(word := strip_particle(last)) >= 2 and word in gazetteer.foreign_countries:
        return True
    english = {last.lower(), " ".join(tokens).lower()}
    return bool(english & gazetteer.foreign_english)


_TOKEN = re.compile(r"\S+")
_NEXT_WORD = re.compile(r"\s*(\S+)")
_PUNCT = TOKEN_PUNCT + "…"


def first_abroad(text: str, gazetteer: Gazetteer, seong_too: bool = True) -> int:
    """Offset of the first foreign country (two or more letters), foreign abbreviation (美), or
    foreign context marker (official, capital, side) of `text`, not North Korea's; -1 if none.
    Without `seong_too`, not one of a country whose ministries the Korean press names -성 (일본, 日,
    도쿄, 하야시): after only those, a form ending in 부 is Korea's (_foreign_context's convention)."""
    first = -1
    for m in _TOKEN.finditer(text):
        token = m.group().strip(_PUNCT)
        if not token:
            continue
        word = token if token in gazetteer.foreign_countries else strip_particle(token)  # 캐나다 is no 캐나 + 다
        if (len(word) >= 2 and word in gazetteer.foreign_countries and word not in gazetteer.not_abroad) or (
            not is_hangul(token[0])
            and (word := token[0]) in gazetteer.foreign_abbreviations
            and word not in gazetteer.not_abroad
        ):
            if seong_too or not _seong_country(word, gazetteer):
                first = m.start()
                break
    for m in _context_words(text, 0, first if first >= 0 else len(text), gazetteer):
        marker = m.group()
        if marker in gazetteer.not_abroad or marker.startswith(tuple(gazetteer.not_abroad)):
            continue
        if seong_too or marker not in gazetteer.seong_context:
            return m.start()
    return first


def _seong_country(word: str, gazetteer: Gazetteer) -> bool:
    """A country (or its abbreviation, 日) whose ministries the Korean press names -성: its side
    (`일본 측`) or the abbreviation itself is among `seong_context`."""
    return word in gazetteer.seong_context or f"{word} 측" in gazetteer.seong_context


def korean_marked(text: str, gazetteer: Gazetteer) -> bool:
    """A word of `text` says it speaks of Korea (우리, 한국, 정부, 국회, ...), not after a foreign
    country (베트남 정부 is Vietnam's), nor where Korea is the party addressed (`한국 정부에 ...
    촉구했다`: the speaker is the other country)."""
    markers = gazetteer.korean_markers
    if not markers:
        return False
    addressed = gazetteer.korea_addressed_re
    if addressed is not None:
        text = addressed.sub(lambda m: " " * len(m.group()), text)
    previous = ""
    for m in _TOKEN.finditer(text):
        token = m.group().strip(_PUNCT)
        if token.startswith(markers) and not _is_foreign([previous] if previous else [], gazetteer):
            return True
        previous = token
    return False


@dataclass
class AbroadArticle:
    """An article about another country (`Enricher` decides): the bodies its fields have named as
    foreign so far, which stay foreign named bare in a later field with no Korean marker."""

    named_foreign: set[str] = field(default_factory=set)
    # the rule reads this field: off in the title, subtitle and lead (they decided the article is
    # about abroad) and for good once they name a Korean body (김정관 장관은 미국 출장길에 ...)
    active: bool = False
    # the field is a photo's caption: in an article about abroad it shows that country's scene and
    # credits its sources (`[사진 출처 : 산루이스포토시 검찰청 공식 트위터 캡처]`), so with no Korean
    # marker its bare bodies are foreign from its first character, not from a foreign marker on
    whole: bool = False


CONTEXT_TAILS = TAILS_BY_KIND["other"]  # 파리에서, 베이징발, 중국 측 대변인, 트럼프의


def _context_word(text: str, m: re.Match[str]) -> bool:
    """A foreign context marker that is a word of its own: not 한정 (Han Zheng) in 한정된, 파리 in
    파리바게뜨, 베이징 in 베이징올림픽; a Hanja one (美, 中) qualifies what it is glued to."""
    marker = m.group()
    if marker.isascii():
        return ascii_word_bounded(text, m.start(), m.end())
    if is_hangul(marker[-1]):
        return korean_word_bounded(text, m.start(), m.end(), CONTEXT_TAILS)
    return True


def _context_words(text: str, lo: int, hi: int, gazetteer: Gazetteer) -> Iterator[re.Match[str]]:
    """The foreign context markers (officials, capitals, sides) of text[lo:hi] that are words."""
    found = gazetteer.foreign_context_re
    if found:
        yield from (m for m in found.finditer(text, lo, hi) if _context_word(text, m))


def _sentence_start(text: str, start: int) -> int:
    return max(text.rfind(end, 0, start) for end in SENTENCE_ENDS) + 1


# Words that close the phrase before them as what the body that follows answers: `마오닝 대변인의
# 발언에 대해 외교부는`, `... 주장과 관련해`, `... 발표에 항의하며`, `... 대사를 초치해`, `... 발언을 두고`.
REPLY_WORDS = frozenset(
    """
    대해 대해서 대해선 대해서는 대해서도 대하여 관해 관해서 관하여 관련해 관련해서 관련하여 항의해 항의하며
    항의하고 반박해 반박하며 반박하고 유감을 초치해 초치한 초치하고 초치하며 두고 놓고
    """.split()
)
VISIT_WORDS = ("방문", "찾은", "찾아")  # 워싱턴을 방문한, 방문 중인, 베이징을 찾은
TOPIC_ENDS = ("은", "는")  # a word ending so is its clause's subject (마오닝 대변인은, 중국 측은)


def _answered(text: str, marker_end: int, start: int) -> bool:
    """The foreign marker is inside what the body answers, not the body's owner: between it and the
    body a reply word closes its phrase (마오닝 대변인의 발언에 대해 외교부는: Korea's 외교부 answers
    China's spokeswoman), and no word before that makes the marker's phrase the subject of its own
    clause (마오닝 대변인은 ... 발언에 대해 외교부는 stays China's). A place the body visits is no
    owner either: `워싱턴을 방문 중인 외교부 당국자는`, `베이징을 찾은 국방부 대표단`."""
    tokens = text[marker_end:start].split()
    if len(tokens) > 1 and tokens[0].endswith(("을", "를")) and tokens[1].startswith(VISIT_WORDS):
        return True
    for token in tokens:
        word = token.strip(_PUNCT)
        if word in REPLY_WORDS:
            return True
        if word.endswith(TOPIC_ENDS):
            return False
    return False


BACK_REFERENCES = ("이에", "이와", "이를")  # 이에 대해, 이와 관련해, 이를 두고: what was just said


def _answers_back(text: str, start: int) -> bool:
    """The body's sentence opens by answering what the paragraph just said (이에 대해 외교부는, 이와
    관련해, 이에 외교부는): after `중국 외교부는 ... 반발했다.` it is the other side, Korea's, not the
    same foreign body again (a body does not answer its own statement)."""
    words = [w.strip(_PUNCT) for w in text[_sentence_start(text, start) : start].split()]
    if not words or words[0] not in BACK_REFERENCES or len(words) > 4:
        return False
    return words == ["이에"] or any(w in REPLY_WORDS for w in words[1:])


ANSWER_ENDS = REPLY_WORDS | {"가운데"}  # 중국 외교부 대변인이 ... 비판한 가운데, 외교부는


def _answers_in_sentence(text: str, foreign_ends: Iterable[int], start: int) -> bool:
    """The body's own sentence named it as foreign earlier, as the subject of a clause that a reply
    word or 가운데 closes right before the body: `중국 외교부 대변인이 ... 비판한 가운데, 외교부는`, `중국
    외교부가 ... 밝힌 데 대해 외교부는`: the other side, Korea's. Not when that mention was its
    sentence's topic (중국 외교부는 ... 에 대해 외교부 대변인 명의로: the same body)."""
    lo = _sentence_start(text, start)
    before = text[lo:start].split()
    if not before or before[-1].strip(_PUNCT) not in ANSWER_ENDS:
        return False
    for end in foreign_ends:
        if lo <= end < start:
            words = [w.strip(_PUNCT) for w in text[end:start].split()][:-1]  # up to the closing word
            if not any(w.endswith(TOPIC_ENDS) for w in words):
                return True
    return False


def _foreign_context(text: str, start: int, gazetteer: Gazetteer, form: str = "") -> bool:
    """A foreign official, a capital or 중국 측 earlier in the mention's sentence, not one the body
    answers (_answered); for a form ending in 부, one of a country whose ministries the Korean press
    names -성 (일본 정부, 평양) is not enough."""
    words = (
        m
        for m in _context_words(text, _sentence_start(text, start), start, gazetteer)
        if not _answered(text, m.end(), start)
    )
    if not form.endswith("부") or not gazetteer.seong_context:
        return next(words, None) is not None
    return any(m.group() not in gazetteer.seong_context for m in words)


def _newsroom_desk(text: str, end: int, gazetteer: Gazetteer) -> bool:
    """The form is a newsroom's desk of that name: the next word is a reporter (산업부 기자, 산업부
    기자들이), not the body's own press corps or briefing (산업부 기자단, 산업부 기자간담회)."""
    if not gazetteer.desk_words:
        return False
    m = _NEXT_WORD.match(text, end)
    word = m.group(1) if m else ""
    return word.startswith(gazetteer.desk_words) and not word.startswith(gazetteer.desk_not)


def _shared_form(form: str, gazetteer: Gazetteer) -> bool:
    """A form the Korean press also gives other countries' bodies (외교부, 국방부, 경찰청): only such a
    form is read as foreign from its sentence or its article; 산업통상자원부 is Korea's whatever the
    sentence is about (every form is shared for a gazetteer without the list)."""
    return gazetteer.shared_forms is None or form in gazetteer.shared_forms


def _home_prefixed(tokens: list[str], gazetteer: Gazetteer) -> bool:
    """'우리 외교부', '한국 외교부': the body is Korea's whatever the paragraph said before."""
    return bool(tokens) and strip_particle(tokens[-1]) in gazetteer.home_prefixes


def _foreign_apposition(text: str, end: int, gazetteer: Gazetteer) -> bool:
    """A foreign official named right after the body, alone or after a role: '외교부 마오닝 대변인',
    'Foreign Ministry spokesman Qin Gang'."""
    found = gazetteer.foreign_context_re
    if not found:
        return False
    i = end
    for _ in range(2):  # the name itself, or one role word and then the name
        while i < len(text) and text[i] in " \t\u00a0":
            i += 1
        m = found.match(text, i)
        if m and _context_word(text, m):
            return True
        j = i
        while j < len(text) and not text[j].isspace():
            j += 1
        if text[i:j].lower() not in gazetteer.apposition_roles:
            return False
        i = j
    return False


def _foreign_surname(before: list[str], text: str, end: int, gazetteer: Gazetteer) -> bool:
    """'오스틴 국방부 장관', '라이더 국방부 대변인': a foreign official's surname right before the body
    and a role right after it name whose body it is (the surnames are Korean words or places too, so
    they are no context markers alone: `foreign_markers.surnames_with_role`)."""
    if not before or before[-1].strip(_PUNCT) not in gazetteer.surnames_with_role:
        return False
    return _next_word_stem(text, end).lower() in gazetteer.apposition_roles


def _next_word_stem(text: str, end: int) -> str:
    """The word after text[:end], without its punctuation and particle ('' at the end of the text)."""
    m = _NEXT_WORD.match(text, end)
    return strip_particle(m.group(1).strip(_PUNCT)) if m else ""


# after a ministry, its building: a place before it is its address (용산구 국방부 청사에서, 앞에서)
ADDRESS_WORDS = ("앞", "앞에서", "앞에", "앞의", "정문", "정문에서", "정문에", "정문의")
# ... or the ministry itself as a place, with a particle of place (종로구 외교부로 초치되고 있다)
LOCATIVES = frozenset({"로", "으로", "에서", "에", "에서는", "에서도", "에서의", "로의"})


# Titles Korea's ministries do not have, right after a form ending in 부: China's minister and vice
# minister (부장, 부부장, 부장조리: 쑨웨이둥 외교부 부부장) and the US deputy secretary (부장관: 국방부
# 부장관); Korea's are 장관 and 차관.
FOREIGN_TITLES = frozenset({"부장", "부부장", "부장조리", "부장관"})


def _foreign_title(text: str, end: int, form: str) -> bool:
    """'외교부 부부장', '국방부 부장관': the title says the ministry is another country's."""
    return form.endswith("부") and _next_word_stem(text, end) in FOREIGN_TITLES


def _is_local(tokens: list[str], gazetteer: Gazetteer, body_id: str, text: str, end: int) -> bool:
    """A local government right before the form: the body's local office (인천시 선거관리위원회, 부산
    경찰청). Not a word ending in 도 that is no province (아직도, 그럼에도, 이번에도: 도 is a province only
    after a province's name, 경기도, 경북도), and not a place before a ministry (부) followed by its
    building or named as a place itself (서울 용산구 국방부 청사에서, 종로구 외교부로 초치되고 있다): a
    ministry has no local offices, the place is its address."""
    if not tokens:
        return False
    token = tokens[-1].strip(TOKEN_PUNCT)
    if token.endswith("도") and token not in gazetteer.local_places and token[:-1] not in gazetteer.local_places:
        return False
    if not gazetteer.is_local_place(token, body_id):
        return False
    if gazetteer.body(body_id).names[-1].kind == "부":
        m = _NEXT_WORD.match(text, end)
        word = m.group(1).strip(_PUNCT) if m else ""
        glued = hangul_run_after(text, end)  # the particle or suffix glued to the form
        if word in ADDRESS_WORDS or word.startswith("청사") or glued.startswith("청사") or glued in LOCATIVES:
            return False
    return True


# The body's own institutions and regional offices, named right after it as press releases do
# (`해양수산부 국립수산과학원(원장 ...)은`, `행정안전부 국가기록원은`, `고용노동부 서울지방고용노동청은`):
# the body is the parent of what the text is about.
AFFILIATE = re.compile(r"(?:국립[가-힣]{2,}|국가[가-힣]{1,8}원|[가-힣]{1,6}지방[가-힣]{1,8}청|[가-힣]{1,4}유역환경청)")


def is_parent_mention(text: str, end: int) -> bool:
    """'과기정통부 산하 한국연구재단', '행안부 소속 공무원', '해양수산부 국립해양조사원은': the body is
    named as a parent."""
    i = end
    while i < len(text) and text[i] in " \t\u00a0":
        i += 1
    # with its particle too: 산하에 설치된, 소속기관으로 두고, 소속인 (a parent word is at most 7
    # characters and a particle 3, so the run's first 12 decide)
    run = hangul_run_after(text, i, limit=24)  # an institute's name may be longer than a parent word
    word = run[:12]
    if word in PARENT_WORDS or strip_particle(word) in PARENT_WORDS:
        return True
    return i > end and AFFILIATE.match(run) is not None


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
            if k >= 0 and (not token[k + len(word) :] or token[k + len(word) :] in ROLE_TAILS):
                return i + k + len(word)
        if j == i or (j < n and text[j] in ROLE_STOP):
            return None
        i = j
    return None


def _official_span(text: str, hit: Hit, form: OfficialForm, day: dt.date) -> tuple[int, int, str] | None:
    if hit.start > 0 and is_hangul(text[hit.start - 1]):
        return None
    if (
        hit.end < len(text)
        and is_hangul(text[hit.end])
        and not text.startswith(("장관", "차관", "제", "청장", "처장", "위원장"), hit.end)
    ):
        return None
    for official in form.officials:
        if official.window.contains(day):
            end = _role_end(text, hit.end, ROLE_WORDS[official.role])
            if end is not None:
                return hit.start, end, official.body_id
    return None


def ministry_spans(
    text: str, hits: list[Hit], day: dt.date, gazetteer: Gazetteer, abroad: AbroadArticle | None = None
) -> list[tuple[int, int, str]]:
    """Candidate (start, end, body_id) spans in one field, boundary-, date- and foreign-checked.
    `abroad`: the article is about another country (fields given in order; it collects the bodies
    named as foreign)."""
    spans: list[tuple[int, int, str]] = []
    foreign: set[str] = set()  # bodies this field (a paragraph) has named as another country's
    foreign_ends: dict[str, list[int]] = {}  # ... and where each such mention ends
    abroad_from = -1  # in an article about abroad, a field with no Korean marker: its first foreign marker
    abroad_from_bu = -1  # ... not counting Japan's (a form ending in 부 after only those is Korea's)
    to_read = abroad is not None and abroad.active  # read at the field's first body form (most have none)
    for hit in sorted(hits, key=lambda h: h.start):
        for p in hit.payloads:
            if isinstance(p, BodyForm):
                if not p.window.contains(day):
                    continue
                if p.is_ascii:
                    if not ascii_word_bounded(text, hit.start, hit.end):
                        continue
                elif not korean_word_bounded(text, hit.start, hit.end, p.tails):
                    continue
                if to_read and abroad is not None:
                    to_read = False
                    if not korean_marked(text, gazetteer):
                        foreign |= abroad.named_foreign
                        abroad_from = 0 if abroad.whole else first_abroad(text, gazetteer)
                        abroad_from_bu = 0 if abroad.whole else first_abroad(text, gazetteer, seong_too=False)
                before = previous_tokens(text, hit.start, 2)  # the two tokens before the form, read once
                form = text[hit.start : hit.end]
                shared = _shared_form(form, gazetteer)  # may name another country's body
                home = _home_prefixed(before, gazetteer)  # 우리 외교부, 한국 외교부: Korea's whatever the sentence
                if (
                    _is_foreign(before, gazetteer)
                    or (shared and not home and _foreign_context(text, hit.start, gazetteer, form))
                    or _foreign_apposition(text, hit.end, gazetteer)
                    or _foreign_surname(before, text, hit.end, gazetteer)
                    or _foreign_title(text, hit.end, form)
                ):
                    foreign.add(p.body_id)
                    foreign_ends.setdefault(p.body_id, []).append(hit.end)
                    if abroad is not None:
                        abroad.named_foreign.add(p.body_id)
                    continue
                after_abroad = 0 <= (abroad_from_bu if form.endswith("부") else abroad_from) < hit.start
                if not home and (
                    (
                        p.body_id in foreign
                        and not _answers_back(text, hit.start)
                        and not _answers_in_sentence(text, foreign_ends.get(p.body_id, ()), hit.start)
                    )
                    or (shared and after_abroad)
                ):
                    continue  # 중국 외교부는 ... 외교부 대변인은: the same foreign body again
                if not p.is_ascii and (
                    _is_local(before, gazetteer, p.body_id, text, hit.end) or _newsroom_desk(text, hit.end, gazetteer)
                ):
                    continue
                spans.append((hit.start, hit.end, p.body_id))
            elif isinstance(p, OfficialForm):
                span = _official_span(text, hit, p, day)
                if span:
                    spans.append(span)
    return spans


def ministry_tags(
    evidence: dict[str, list[Evidence]],
    day: dt.date,
    gazetteer: Gazetteer,
    parents: AbstractSet[tuple[str, int]] = frozenset(),
) -> list[MinistryTag]:
    """One tag per body with evidence; primary first, then by mentions, then by id.

    `parents`: (field, start) of the mentions that name the body only as a parent (산하, 소속)."""
    tags = []
    for body_id, found in evidence.items():
        body = gazetteer.body(body_id)
        if not body.in_force_on(day):
            continue  # no name in force on the date: a body still to come, or one before its first name
        direct = [e for e in found if (e.field, e.start) not in parents]
        if not direct and len(found) < 2:
            continue  # named once, only as the parent of what the article is about
        name = body.name_on(day)
        primary = len(direct) >= PRIMARY_MIN_MENTIONS or any(e.field in PRIMARY_FIELDS for e in direct)
        tags.append(
            MinistryTag(
                id=body_id,
                name_ko=name.ko,
                name_en=name.en,
                kind=name.kind,
                mentions=len(found),
                primary=primary,
                evidence=found,
            )
        )
    tags.sort(key=lambda t: (not t.primary, -t.mentions, t.id))
    return tags
