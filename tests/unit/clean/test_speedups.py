"""The shortcuts the cleaner takes for speed never change what it finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from streams.clean import clean_html, nesting
from streams.clean.decode import decode_bytes
from streams.clean.images import widest
from streams.clean.pattern_facts import _ASCII_FOLDS, alternatives, opening
from streams.clean.rules import RULES, LineRules
from streams.clean.selectors import PageNames, needle
from streams.clean.text import normalise

PAGE = """<!DOCTYPE html><html><body>
<div id="Main-Header" class="site-Header top"><nav>menu</nav></div>
<div class="story share-tools" style="display: none" role="navigation" hidden></div>
<span rel="author" itemprop="author">A</span><p aria-hidden="true">x</p>
</body></html>"""

SELECTORS = [
    *RULES["chrome_selectors"],
    *RULES["page_chrome_selectors"],
    *RULES["byline_selectors"],
    *RULES["date_selectors"],
    *RULES["figure_selectors"],
    *RULES["caption_selectors"],
    "#main-header",
    ".site-header",
    "div.story",
    "[class*=share-tools]",
    "#nothing-here",
    ".absent",
    "div:not(.absent)",
    "[data-x]",
    "nav",
]


@pytest.mark.parametrize("selector", SELECTORS)
def test_a_selector_that_matches_is_never_skipped(selector):
    tree = LexborHTMLParser(PAGE)
    if tree.css_first(selector) is not None:
        assert PageNames(tree).may_match(selector)


def test_selectors_naming_absent_literals_are_skipped():
    names = PageNames(LexborHTMLParser(PAGE))
    assert not names.may_match("#nothing-here")
    assert not names.may_match("[class*=comment]")
    assert not names.may_match("[id*=share]")  # "share" is in a class, not in an id
    assert names.may_match("div:not(.absent)")  # a negation needs nothing
    assert needle("[style*='display: none']") == ("style", "display: none")


def test_a_list_keeps_the_selectors_that_may_match_on_every_page():
    """`keep` works out a list's needles once and reads them on each page: a second page, and a
    list built anew for one call, keep what `may_match` says of each of their selectors."""
    for page in (PAGE, "<html><body><div class='share-tools'><p id=x>a</p></div></body></html>"):
        names = PageNames(LexborHTMLParser(page))
        for selectors in (SELECTORS, list(SELECTORS[:7]), SELECTORS):
            assert names.keep(selectors) == ", ".join(s for s in selectors if names.may_match(s))


def test_a_literal_first_asked_after_the_page_was_read_is_still_found():
    """The literals the page holds are found in one pass for the literals asked so far; one asked
    for the first time later (a profile's selector) is searched on its own, never taken as absent."""
    names = PageNames(LexborHTMLParser("<div class='story-body quux-only-here'><p>a</p></div>"))
    assert names.may_match(".story-body") and not names.may_match(".absent-box")
    assert names.may_match("div.quux-only-here")  # a literal no selector had asked for until now
    assert not names.may_match("div.quux-nowhere-else")


JUNK = LineRules(RULES["junk_line_patterns"])
LINES = [
    "Advertisement",
    "Sign up for our newsletter",
    "Get the brief. Sign up here.",
    "무단전재 및 재배포 금지",
    "기사제보 카카오톡 okjebo",
    "네이버에서 아시아경제 구독하기",
    "© 2025 Foo. All Rights Reserved.",
    "Dec 5, 2025",
    "Published: Dec. 2, 2025 - 09:30",
    "The bank kept rates unchanged, as expected.",
    "정부는 예산을 늘렸다.",
    "Reporting by Minho Kang in Seoul; Editing by Tom Aldous",
    "Story continues below advertisement",
]


@pytest.mark.parametrize("line", LINES)
def test_line_rules_agree_with_every_rule_searched_one_by_one(line):
    plain = any(re.search(p, line) for p in RULES["junk_line_patterns"])
    assert JUNK.any_line(line) == plain


@pytest.mark.parametrize("key", ["junk_line_patterns", "photo_credit_patterns"])
def test_every_line_a_rule_matches_is_found_through_the_shortcuts(key):
    """LineRules tries an anchored rule only on lines opening with a character it can open with,
    and searches the others only where a literal they need is in the line: every line any rule
    matches (searched, as written), generated from the rule itself, is still found."""
    rules = LineRules(RULES[key])
    for pattern in RULES[key]:
        _every_match_found(rules, pattern)


def _every_match_found(rules: LineRules, pattern: str) -> None:
    @settings(max_examples=8, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(pattern))
    def found(line):
        assert rules.any_line(line), (pattern, line)

    found()


def test_an_alternative_without_the_line_start_anchor_is_searched_anywhere():
    """`^a|b`: only `a` is held to the line start (the loader once tried the whole rule there)."""
    rules = LineRules([r"(?i)^\s*this entry was posted\b|\bbookmark the permalink\.?\s*$"])
    assert rules.any_line("This entry was posted in News.")
    assert rules.any_line("Tags: rates. Bookmark the permalink.")
    assert not rules.any_line("The bank kept rates unchanged.")


@pytest.mark.parametrize(
    "pattern, parts",
    [
        (r"(?i)^a|^b", [r"(?i:^a)", r"(?i:^b)"]),
        (r"(?i:^tags?|categories)", [r"(?i:^tags?)", r"(?i:categories)"]),
        (r"[|]x|y", [r"(?:[|]x)", r"(?:y)"]),  # a | inside a class
        (r"\|x|y", [r"(?:\|x)", r"(?:y)"]),  # an escaped |
        (r"^(?:a|b)c", [r"^(?:a|b)c"]),  # one alternative (its group's are not top level)
        (r"(a)|\1", [r"(a)|\1"]),  # a part that does not compile alone
    ],
)
def test_a_rule_is_split_into_its_top_level_alternatives(pattern, parts):
    assert alternatives(pattern) == parts
    for line in ("a", "B", "Tags: x", "categories", "|x", "y", "bc", "ac"):
        assert bool(re.search(pattern, line)) == any(re.search(part, line) for part in parts)


def test_a_repeat_that_may_match_nothing_leaves_a_rule_to_its_opening():
    rules = LineRules([r"^(?:\s*)*tags:", r"^\s*(?:\b)*x+y"])
    assert rules.any_line("tags: a, b") and rules.any_line("  xxy") and not rules.any_line("tag")


def test_openings_of_classes_and_folded_case():
    """\\s and \\d open with every character Python's engine gives them; a rule that ignores case
    opens with every character the engine folds to its letters (the Kelvin sign for `k`)."""
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    digits = [chr(c) for c in range(0x110000) if re.match(r"\d", chr(c))]
    assert all(opening(r"^\s*x").admits(ch) for ch in spaces)
    assert all(opening(r"^\d").admits(ch) for ch in digits)
    assert not opening(r"^\d").admits("가") and not opening(r"^\d").admits("a")
    outside = {c for c in range(0x80, 0x110000) if re.match(r"(?i)[a-z]", chr(c))}
    assert outside == set(_ASCII_FOLDS)  # the engine's only non-ASCII stand-ins for ASCII letters
    kelvin = opening(r"(?i)^\s*kelvin")
    assert re.match(r"(?i)^\s*kelvin", "\u212aelvin") and kelvin.admits("\u212a")
    assert kelvin.admits("K") and not kelvin.admits("x") and opening(r"^kelvin").admits("K") is False


def test_normalise_removes_invisible_and_control_characters():
    assert normalise(" a\u200bb\x01c \u00ad d\ufeff\x7f  e ") == "abc d e"
    assert normalise("한\u1100\u1161") == "한가"  # NFC


def test_control_characters_in_a_page_never_reach_a_field():
    page = (
        "<html><body><article><h1>Ti\x01tle \u200bhere</h1><p>Body\x00 text with\x1e a mark and "
        "\x07 a bell, long enough to be the body of the article, with commas, and more.</p></article></body></html>"
    )
    article = clean_html(page, id="c")
    assert article.title == "Title here"
    assert article.paragraphs == [
        "Body text with a mark and a bell, long enough to be the body of the article, with commas, and more."
    ]


def test_srcset_gives_its_widest_candidate():
    assert widest("a.jpg 240w, b.jpg 976w, c.jpg 480w") == "b.jpg"
    assert widest("a.jpg 1x, b.jpg 2x") == "b.jpg"
    assert widest("") is None


@pytest.mark.parametrize(
    "value",
    [
        "2025-10-14T05:00:11.000Z",
        "2025-08-14T18:39:00+09:00",
        "2025-08-14 18:39",
        "2025-12-01",
        "2025-11-11T16:45:00-05:00",
        "2025-02-30",
        "2025-08-14T24:00",
        "2025-08-14T18:39:59.123456+00:00",
        "1999-01-01T00:00",
    ],
)
def test_iso_dates_read_by_the_c_parser_as_by_the_patterns(value):
    from streams.clean import dates

    from streams.timezones import SEOUL

    assert dates._from_iso(value) in (None, dates._via_patterns(value, SEOUL))
    assert dates.parse_date(value) == dates._via_patterns(value, SEOUL)


@pytest.mark.parametrize(
    "data",
    [
        "<html><body><article><p>서울 날씨가 맑겠습니다. 기온은 영상으로 오르겠습니다.</p></article></body></html>".encode(),
        b"<html><body><article><p>Plain ASCII words of a story that ends here.</p></article></body></html>",
        b"\xef\xbb\xbf<html><body><article><p>A byte-order mark opens this story page.</p></article></body></html>",
        b"<html><body><article><p>A broken byte \xff sits in the middle of this sentence.</p></article></body></html>",
        b"<html><body><article><p>A block mark \x1e the cleaner inserts itself, in a line.</p></article></body></html>",
        b"<html><body><article>" + b"<div>" * 3500 + b"<p>A story nested deeper than the parser is let go.</p>"
        b"</article></body></html>",
    ],
)
def test_a_page_parsed_from_its_bytes_cleans_as_from_its_text(data):
    """The parser reads a UTF-8 page's bytes where they are the decoded text (decode.utf8_of), and
    `newsroom clean` hands a file's bytes beside its text: the article is the one the text gives."""
    text, _codec = decode_bytes(data)
    from_text = clean_html(text, id="a").model_dump(exclude={"cleaned_at"})
    assert clean_html(data, id="a").model_dump(exclude={"cleaned_at"}) == from_text
    if text.encode() == data:  # as `newsroom clean` reads a UTF-8 file: its text and its bytes
        assert clean_html(text, id="a", utf8=data).model_dump(exclude={"cleaned_at"}) == from_text


@pytest.mark.parametrize(
    "page, deep",
    [
        ("<div>" * 3500 + "<p>x</p>" + "</div>" * 3500, True),
        ("<div><p>x</p></div>" * 3500, False),  # as many tags, side by side
        ("<DIV class=a>" * 3500, True),  # tag names in any ASCII case
        ("<ſection>" * 3500 + "<div>" * 10, False),  # not a tag name the parser knows (ſ is no s)
        ("<p>서울</p>" * 10, False),
    ],
)
def test_a_page_is_too_deep_read_as_text_or_as_its_bytes_alike(page, deep):
    assert nesting.too_deep(page) is deep
    assert nesting.too_deep(page.encode()) is deep


ARC_PAGE = (
    "<html><head><script>Fusion.globalContent={\"credits\":{\"by\":[{\"name\":\"박선민\","
    "\"additional_properties\":{\"original\":{\"byline\":\"박선민 기자\"}}}]},"
    "\"distributor\":{\"name\":\"Sports Chosun\"}};</script></head><body><article>"
    "<h1>정부, 내년 예산안 발표</h1><p>정부는 오늘 내년 예산안을 발표했다. 총지출은 지난해보다 늘었다.</p>"
    "<p>기획재정부는 재정 건전성도 함께 챙기겠다고 밝혔다.</p></article></body></html>"
)


def test_arc_credits_are_read_from_a_page_given_as_text_or_as_its_bytes():
    """Whether a page carries Arc XP's story object is asked of its UTF-8 bytes where the cleaner
    has them (Page.mentions): the byline in Arc's credits is found either way."""
    from_text = clean_html(ARC_PAGE, id="a")
    from_bytes = clean_html(ARC_PAGE.encode(), id="a")
    assert [b.name for b in from_text.bylines] == [b.name for b in from_bytes.bylines] == ["박선민"]


_KEYWORD_TEXT = st.lists(
    st.sampled_from(
        [
            "Published",
            "POSTED",
            "upDated",
            "date",
            "Date:",
            "입력",
            "기사입력 ",
            "발행：",
            "publıshed",
            "poſted",
            "İ",
            "DATE",
            " ",
            "：",
            "\n",
            "x",
            "2024-05-01",
            "Pub",
            "lished",
        ]
    ),
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_KEYWORD_TEXT)
def test_date_keywords_are_found_in_the_lowered_text_as_case_blind(text):
    """The lowered-text search finds the case-blind pattern's matches, at the same offsets, even
    with the letters that lowering and re.I fold apart (ſ, ı, İ)."""
    from streams.clean.fields import _DATE_KEYWORD, _date_keywords

    assert [m.span() for m in _date_keywords(text)] == [m.span() for m in _DATE_KEYWORD.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.text(max_size=60))
def test_nearly_utf8_counts_decoded_characters_as_one_by_one(noise, text):
    """The share of non-ASCII characters that decoded, counted by whole-string operations, is the
    count character by character."""
    from streams.clean.decode import _UTF8_SHARE, _nearly_utf8

    data = text.encode("utf-8", "surrogatepass") + noise
    decoded_text = data.decode("utf-8", errors="replace")
    broken = decoded_text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    decoded = sum(1 for ch in decoded_text if ord(ch) > 127 and ch != "\ufffd")
    expected = decoded_text if broken <= (decoded + broken) * (1 - _UTF8_SHARE) else None
    assert _nearly_utf8(data) == expected
