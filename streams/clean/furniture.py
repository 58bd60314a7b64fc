"""Stage 4 of cleaning: the body's text blocks sorted into story and newsroom furniture.

A block is a paragraph unless the rules of data/text_rules.yaml say it is furniture: a broadcast
cue (`[앵커]`, removed, the words after it kept), a photo caption (`▲ ...`, `(Image: Getty)`,
`/사진=연합뉴스`), a byline or dateline (`(서울=연합뉴스) 홍길동 기자 =` -> bylines), a sign-off
(`KBS 뉴스 이윤우입니다.`), a copyright, promotion or programme line, a deck of highlight bullets
above an interview (-> subtitle), or the linked headlines after the story.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from schemas.events import Byline

from . import bylines as by
from .blocks import node_text
from .press import press_name, press_of_hosts
from .rule_cache import Patterns
from .rules import RULES, LineRules
from .text import normalise

_KEPT = Patterns("furniture")  # this module's patterns, kept between runs: `_KEPT.keep()` at its end

_JUNK = LineRules(RULES["junk_line_patterns"], kept_as="junk")
_COPYRIGHT = [_KEPT.compile(p) for p in RULES["copyright_patterns"]]
_SCRIPT_CUE = _KEPT.compile(RULES["script_cue"])
_SPEAKER_LABEL = _KEPT.compile(RULES["speaker_label"])
_LEAD_CAPTION = _KEPT.compile(RULES["lead_caption"])
_PHOTO_CREDIT = LineRules(RULES["photo_credit_patterns"], kept_as="photo-credit")
_CAPTION_MAX = 300  # characters: a caption is a line or two; a paragraph quoting a credit is longer
_DECK_BULLET = _KEPT.compile(r"^[-–•]\s+\S")
_DECK_LINE = 80  # characters: a highlight line of a deck
_LINK_LINE = 8  # characters: a linked line this long is a headline, not a word linked in the text


@dataclass
class Sorted:
    """A body's blocks, sorted."""

    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)  # captions met in the text
    bylines: list[Byline] = field(default_factory=list)  # byline lines and datelines
    signed: list[Byline] = field(default_factory=list)  # reporters named in a sign-off
    press: str | None = None  # press named in a dateline or a copyright line
    wire: str | None = None  # press named in the story's own dateline (`[부산=스포츠조선 선수민 기자]`)
    email: str | None = None  # a reporter's email on a line of its own (or beside a sign-off)
    deck: list[str] = field(default_factory=list)  # highlight bullets that opened the body


_PROMPT = RULES["channel_prompt"]
_PROMPT_NAMES = tuple(_PROMPT["names"])
_PROMPT_NAME = _KEPT.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, _PROMPT["names"])))
_PROMPT_READER = _KEPT.compile(r"\b(?:%s)\b" % "|".join(_PROMPT["reader"]))
# the polite form, case-sensitive, not opening the line or a sentence
_PROMPT_FORMAL = _KEPT.compile(r"(?<!^)(?<![.!?:]\s)(?<![.!?:])\b(?:%s)\b" % "|".join(_PROMPT["reader_formal"]))
_PROMPT_ASKS = _KEPT.compile(r"\b(?:%s)\b" % "|".join(_PROMPT["asks"]))


def channel_prompt(text: str) -> bool:
    """A short line that names a newsletter, an app or a messenger channel, speaks to the reader and
    asks for the click (data/text_rules.yaml `channel_prompt`); a plain substring test first."""
    if len(text) > _PROMPT["max"]:
        return False
    lower = text.lower()
    if not any(name in lower for name in _PROMPT_NAMES):
        return False
    reader = _PROMPT_READER.search(lower) or _PROMPT_FORMAL.search(text.strip())
    return bool(_PROMPT_NAME.search(lower) and reader and _PROMPT_ASKS.search(lower))


def is_junk(text: str) -> bool:
    return _JUNK.any_line(text) or channel_prompt(text)


def reads_as_story(text: str) -> bool:
    """A line that no line rule of `sort_blocks` takes for furniture (a caption, a credit, a
    byline, a sign-off, a cue, a promotion), read on its own, without the body around it."""
    return not (
        _SCRIPT_CUE.match(text)
        or _LEAD_CAPTION.match(text)
        or text.startswith("▲")
        or by.sign_off(text)
        or is_junk(text)
        or by.is_byline_line(text)
        or (len(text) <= _CAPTION_MAX and _PHOTO_CREDIT.any_line(text))
    )


def sort_blocks(blocks: list[str], skip: set[str], body, title: str | None = None) -> Sorted:
    """The body's blocks sorted into paragraphs and furniture; `skip` holds texts already taken
    (title, subtitle, figure captions); a block before the first paragraph that is the `title`
    shown with its kicker or other punctuation is the headline (`headline_again`)."""
    out = Sorted()
    links = _link_texts(body)
    title_words = _words(title) if title else []
    lone_emails: list[str | None] = []
    paragraphs = out.paragraphs
    pointed = False  # after a "read more" label: lines that are each a whole link are the stories it points to
    for text in blocks:
        if not any(ch.isalnum() for ch in text):
            continue  # a separator (`◇`, `* * *`, `___`), never words of the story
        if pointed and len(text) <= _HEADLINE_MAX and text in links:
            continue
        # the label itself is left to the line rules
        pointed = len(text) <= _LABEL_MAX and _READ_MORE.match(text) is not None
        cue = _SCRIPT_CUE.match(text)
        if cue:  # `[앵커]`, `◀ 리포트 ▶`: the cue goes, the words after it stay
            text = text[cue.end() :]
            if not text or _SPEAKER_LABEL.match(text):
                continue
        if not paragraphs and _LEAD_CAPTION.match(text):
            out.captions.append(text.lstrip("▲ "))
            continue
        if not paragraphs and text.startswith("▲"):  # `▲ caption[스포티비뉴스=기자] 본문`
            at = by.dateline_at(text)
            if at:
                out.captions.append(text[:at].lstrip("▲ ").strip())
                text = text[at:]
        signs = by.sign_off(text)  # a sign-off line is furniture whatever else it says
        if signs or is_junk(text):
            out.signed.extend(signs)
            out.press = out.press or copyright_press(text)
            lone_emails.append(by.email_in(text))
            continue
        if by.is_byline_line(text):
            found = by.parse_bylines(text)
            out.bylines.extend(found)
            if not found:
                lone_emails.append(by.email_in(text))
            continue
        if len(paragraphs) < 2:
            rest, found, bracket_press = by.split_dateline(text)
            if bracket_press:
                out.bylines.extend(found)
                out.wire = out.wire or press_name(bracket_press)
                out.press = out.press or out.wire
                text = normalise(rest)
                if not text:
                    continue
        if text in skip or (not paragraphs and headline_again(text, title, title_words)) or arrow_link(text, links):
            continue
        if len(text) <= _CAPTION_MAX and _PHOTO_CREDIT.any_line(text):  # `... (Image: Getty)`
            out.captions.append(text)
            continue
        paragraphs.append(text)
    out.email = next((e for e in lone_emails if e), None)
    out.paragraphs = _without_tail_links(paragraphs, links)
    if out.paragraphs:  # `...처리했다.부산=선수민 기자 sunsoo@...`: the sign-off run into the last sentence
        out.paragraphs[-1], signed = by.trailing_sign_off(out.paragraphs[-1])
        out.signed.extend(signed)
    out.deck = _leading_deck(out.paragraphs)
    if out.deck:  # `- 尹 우크라 관련 입장 변화 가능성 보인 것` x5 over an interview: the standfirst
        out.paragraphs = out.paragraphs[len(out.deck) :]
    else:
        out.deck, out.paragraphs = korean_frame(out.paragraphs, title)
    return out


# A Korean story's paragraphs are sentences (`...밝혔다.`, `...있습니다`, `...했다"고 말했다`); the
# short lines before the first one that are none are not its lead (a 부제 `닛케이 인터뷰서 협력
# 강조`, a section's label `경제`, a reporter's name, the page's controls `글꼴 글자크기`, `가`, the
# headline again), nor the short ones after the last its end (`인기 키워드`, `14F`, `엠빅뉴스`).
_HANGUL = _KEPT.compile("[가-힣]")
_SENTENCE_END = _KEPT.compile(r"(?:[다요죠까]|[.!?…])[.!?…~]*[\"'”’」』)\]]*\s*$")
_FRAME_LEAD = 6  # lines at most before the first sentence (a label, a name, a page's buttons)
_FRAME_LINE = 60  # characters: a lead line longer than this may be the story's own
_DECK_WORDS = 3  # words: a lead line of fewer is a label, not a deck
_FRAME_TAIL = 20  # characters: a closing line longer than this may be the story's own


def _same_line(line: str, heading: str) -> bool:
    return line in heading or heading in line


def korean_frame(paragraphs: list[str], title: str | None) -> tuple[list[str], list[str]]:
    """(deck lines, paragraphs without the lines around a Korean story that are no sentences):
    a lead line of `_DECK_WORDS` words or more is a deck line, a shorter one and the headline again
    go, as do short closing lines. Nothing changes where the story's first paragraph is no Korean
    sentence (an English story, a list, a story that is all short lines)."""
    first = next((i for i, text in enumerate(paragraphs[: _FRAME_LEAD + 1]) if _SENTENCE_END.search(text)), None)
    if first is None or not _HANGUL.search(paragraphs[first]):
        return [], paragraphs
    lead = paragraphs[:first]
    if not all(len(text) <= _FRAME_LINE for text in lead):
        return [], paragraphs
    heading = normalise(title or "")
    deck = [t for t in lead if len(t.split()) >= _DECK_WORDS and not (heading and _same_line(normalise(t), heading))]
    end = len(paragraphs)
    while end > first + 1:
        text = paragraphs[end - 1]
        if len(text) > _FRAME_TAIL or _SENTENCE_END.search(text):
            break
        end -= 1
    return deck, paragraphs[first:end]


_WORD = _KEPT.compile(r"\w+")
_TITLE_MIN_WORDS = 4  # a shorter headline's words are too likely to open a story's first sentence too
_TITLE_SHARE = 1.0  # of the headline's words in the block, in its order
_KICKER = 60  # characters a kicker (`Ausschuss zur Ahrtal-Flut`, `Premiere in Eisenhüttenstadt -`) adds


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def headline_again(text: str, title: str | None, title_words: list[str] | None = None) -> bool:
    """A block that is the page's headline as the story box shows it again above the story, with
    its kicker or other punctuation (`Ausschuss zur Ahrtal-Flut Zwei Rücktritte - und viele offene
    Fragen` under the title `Ausschuss zur Ahrtal-Flut: Zwei Rücktritte`): nearly all the title's
    words in the title's order, not much longer than it, and no sentence (a story's first sentence
    may repeat the headline's words; it ends with a full stop)."""
    if not title:
        return False
    words = title_words if title_words is not None else _words(title)
    if len(words) < _TITLE_MIN_WORDS or len(text) > len(title) + _KICKER or text.rstrip().endswith("."):
        return False
    matcher = SequenceMatcher(None, words, _words(text), autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) >= _TITLE_SHARE * len(words)


def _leading_deck(paragraphs: list[str]) -> list[str]:
    """Highlight lines opening the body, each a short `- ...` bullet (two or more, text after)."""
    deck = []
    for text in paragraphs:
        if len(text) > _DECK_LINE or not _DECK_BULLET.match(text):
            break
        deck.append(text)
    return deck if 2 <= len(deck) < len(paragraphs) else []


def _link_texts(body) -> set[str]:
    """The texts of the body's links long enough to be a headline (`_LINK_LINE`)."""
    return {text for text in (node_text(a) for a in body.css("a")) if len(text) >= _LINK_LINE}


# A label that points to other stories (`Weiterlesen:`, `Lesen Sie auch`, `Read more`, `À lire aussi`) on a
# line of its own: the lines after it that are each the whole text of one link are those stories' headlines.
_READ_MORE = _KEPT.compile(RULES["read_more_label"])
_HEADLINE_MAX = 160  # characters: a linked line longer than a headline is an embed's text, not a pointer
_LABEL_MAX = 60  # characters: a label is a few words (the regex is not tried on the story's paragraphs)
_ARROW = _KEPT.compile(r"^\s*(?:>{2,3}|»»)\s*")


def arrow_link(text: str, links: set[str]) -> bool:
    """A line led by a double arrow whose words after it are mostly linked: a pointer to another
    story or page (`>> Mehr lesen: Was ihr im Winter erleben könnt`, `>>> Mehr Gastkommentare`,
    `>> Affaire Benalla : le scandale ...`), not the story's words (an arrow before unlinked
    words is the writer's own emphasis or a quoted mail)."""
    arrow = _ARROW.match(text)
    if arrow is None:
        return False
    rest = text[arrow.end() :]
    linked = sum(len(bare) for bare in (_ARROW.sub("", link) for link in links) if bare and bare in rest)
    return linked * 2 >= len(rest)


def _without_tail_links(paragraphs: list[str], links: set[str]) -> list[str]:
    """The story without the headlines linked after it: paragraphs at the end that are each the
    whole text of one link (`[EPL] 36R 프리뷰 - 첼시...`, related stories, promotions) go; the
    first paragraph always stays."""
    if len(paragraphs) < 2:
        return paragraphs
    end = len(paragraphs)
    while end > 1 and paragraphs[end - 1] in links:
        end -= 1
    return paragraphs[:end]


# -- copyright lines: the press a page names in its notice ----------------------------------------
_LINE_BREAK = _KEPT.compile(r"(?<=[.!>])\s+|\n")
_COPYRIGHT_MARKS = ("ⓒ", "©", "(c)", "(C)", "Copyright", "저작권")
_BEFORE_MARK, _AFTER_MARK = 40, 200  # a copyright notice starts just before its mark and is short


def _marks(text: str, literals: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of the literals, in order (str.find: no regex scan)."""
    spans = []
    for literal in literals:
        at = text.find(literal)
        while at >= 0:
            spans.append((at, at + len(literal)))
            at = text.find(literal, at + len(literal))
    return sorted(spans)


def _copyright_lines(text: str):
    """The pieces of the lines (sentences) of a text around each copyright mark: from the line
    start (at most _BEFORE_MARK before the mark) to the line end (at most _AFTER_MARK after it)."""
    line_end = -1
    for mark_start, mark_end in _marks(text, _COPYRIGHT_MARKS):
        if mark_start < line_end:
            continue
        start = max(0, mark_start - _BEFORE_MARK)
        for brk in _LINE_BREAK.finditer(text, start, mark_start):
            start = brk.end()
        after = _LINE_BREAK.search(text, mark_end, mark_end + _AFTER_MARK)
        line_end = after.start() if after else min(len(text), mark_end + _AFTER_MARK)
        yield text[start:line_end]


def copyright_press(text: str) -> str | None:
    """The publisher a copyright notice in the text names (`ⓒ 연합뉴스`, `Copyright 2024 Reuters`)."""
    for line in _copyright_lines(text):
        for pattern in _COPYRIGHT:
            match = pattern.search(line)
            if match:
                host = match.groupdict().get("host")
                name = press_of_hosts((host.removeprefix("www."),)) if host else press_name(match.group("press"))
                if name and name.lower() not in ("all", "by", "the"):
                    return name
    return None


_KEPT.keep()  # after the module's last pattern
