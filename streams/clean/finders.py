"""Stage 3 of cleaning: the element that holds the story, from the body finders tried in order.

    FINDERS = (site profile, HTML markup, the page's JSON, the library)

Each finder gets the page, the profiles that recognise it and what the finders before it found,
and returns a better find or None. A site profile's body settles it. The generic finder reads
the page without its chrome (then, if that is weak, with it: a layout whose story sits in a box
named like chrome). A page rendered in the browser carries its story as JSON: that body wins
where the HTML holds much less text. Where all of them found nothing, or almost nothing, the
library (trafilatura, streams/clean/library.py) reads the page, and its body wins where it holds
three times the text, in sentences. A new finder (another framework's JSON) is one function added to FINDERS;
`Found.finder` says which one produced the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from selectolax.lexbor import LexborNode

from .chrome import strip_body_chrome, strip_page_chrome
from .embedded import embedded_bodies, text_length
from .generic import find_body, in_story_box, prose_length
from .library import library_body
from .page import Page, parse
from .profiles import Profile, detect_profiles
from .selectors import PageNames, first_css
from .text import normalise

_WEAK_BODY = 500  # characters: a body this short may be the wrong box, or a spinner over JSON
# characters: the library is asked only where the own finders found less (a page they refuse, or
# nearly so); asked below 500, it won 3 more pages of trafilatura-eval for 0.3 ms more CPU per
# article in bench/e2e.py (two short stories in table layouts asked it every time)
_LIBRARY_BELOW = 100
_LIBRARY_GAIN = 3  # the library's body replaces a weak one that it holds this many times the text of
# Tags (`<`) in the page: trafilatura's time grows with them (0.5 s at 19,000 on the real pages,
# 25 s at 360,000 in a 5 MB page of menus), and a page must not hold the stream up.
_LIBRARY_MAX_TAGS = 30_000
# The library's own reading (without its fallbacks) is taken where at least this share of its text is
# sentences (`prose_length`); elsewhere its full reading is asked. Tuned on two pages, between the fast
# readings of goose's twitter.com page (0.47: UI messages and a reply around the tweet, where the full
# reading is refused) and readability's archive-of-our-own page (0.57: a story's dialogue, read the
# same either way); see library.py.
_FAST_PROSE = 0.5
_LIBRARY_MIN = 200  # characters: less from the library is a login wall or a stray label (`false`), no story


@dataclass
class Found:
    body: LexborNode  # the lexbor element holding the story
    finder: str  # "profile", "generic", "embedded-json" or "library"
    extractor: str  # the profile's name, or the finder's
    profile: Profile | None  # the site profile whose body it is
    names: PageNames  # class and id names of the tree the body lives in
    home: object  # that tree (kept alive as long as the body is used)
    settled: bool = False  # no later finder may replace it

    @cached_property
    def length(self) -> int:
        """Characters of text in the body (measured once: finders compare it, nothing edits the
        body until a finder has settled)."""
        return len((self.body.text(deep=True) or "").strip())


def recognising_profiles(page: Page) -> list[Profile]:
    return detect_profiles(page.tree, page.text, page.hosts, page.meta, page.names)


def profile_body(page: Page, profile: Profile):
    """The profile's body element on the page, or None; looked up once per page and profile (the
    extract stage asks which profile reads the page before the finders run)."""
    if profile.name not in page.profile_bodies:
        page.profile_bodies[profile.name] = next(
            (n for n in (first_css(page.tree, s) for s in profile.body) if n is not None), None
        )
    return page.profile_bodies[profile.name]


def from_profile(page: Page, profiles: list[Profile], found: Found | None) -> Found | None:
    """The first recognising profile whose body is on the page (a site's older layout has its own)."""
    for profile in profiles:
        body = profile_body(page, profile)
        if body is not None:
            strip_body_chrome(body, page.names, profile.drop)
            return Found(body, "profile", profile.name, profile, page.names, page.tree, settled=True)
    return None


def from_markup(page: Page, profiles: list[Profile], found: Found | None) -> Found | None:
    """The generic extractor over the page without its chrome; where that is weak, over the page
    with its chrome (parsed again)."""
    strip_page_chrome(page.tree.body, page.names)
    body = find_body(page.tree.body)
    best = Found(body, "generic", "generic", None, page.names, page.tree) if body is not None else None
    if best is None or best.length < _WEAK_BODY:
        fresh = parse(page.html)
        other = find_body(fresh.body) if fresh.body is not None else None
        retry = Found(other, "generic", "generic", None, page.names, fresh) if other is not None else None
        if retry is not None and (best is None or retry.length > best.length):
            best = retry
    if best is not None:
        best.settled = best.length >= _WEAK_BODY * 4
    return best


def from_json(page: Page, profiles: list[Profile], found: Found | None) -> Found | None:
    """The body the page's own JSON carries, where it holds twice the text the HTML gave."""
    length = found.length if found is not None else 0
    for fragment in embedded_bodies(page.html, page.ld)[:1]:
        if text_length(fragment) > 2 * length:
            home = parse(fragment)
            if home.body is None:  # lexbor always builds a body; a parser that did not would find nothing here
                return None
            return Found(home.body, "embedded-json", "embedded-json", None, PageNames(home), home)
    return None


def _a_short_story(found: Found) -> bool:
    """A find that reads as a whole short story (a flash): in a box that says it holds the story,
    and mostly sentences. The library is not asked of it: it would cost a page's time for nothing."""
    return found.length > 0 and in_story_box(found.body) and prose_length(found.body) * 2 >= found.length


def from_library(page: Page, profiles: list[Profile], found: Found | None) -> Found | None:
    """trafilatura's body, where the finders before it found none or almost none, and it holds
    `_LIBRARY_GAIN` times that text and at least `_LIBRARY_MIN` characters, in sentences. Not asked
    of a page of more than `_LIBRARY_MAX_TAGS` tags."""
    length = found.length if found is not None else 0
    if length >= _LIBRARY_BELOW or page.html.count("<") > _LIBRARY_MAX_TAGS:
        return None
    bar = max(_LIBRARY_MIN, _LIBRARY_GAIN * length + 1)
    if text_length(page.text) < bar:
        return None  # the library reads no more text than the page holds: it could not win here
    if found is not None and _a_short_story(found):
        return None
    for fast in (True, False):  # its own reading first, its fallbacks only where that is no story in sentences
        key = "library, fast" if fast else "library"
        if key not in page.readings:  # asked once a page: the retry after an all-furniture body asks again
            page.readings[key] = library_body(page.html, fast=fast)
        fragment = page.readings[key]
        length = text_length(fragment) if fragment is not None else 0
        if length < bar:
            continue
        home = parse(fragment)
        if home.body is None:  # lexbor always builds a body; a parser that did not would find nothing here
            continue
        prose = prose_length(home.body)
        if prose < bar:
            continue  # its gain is a heading, a menu or teasers, not sentences of a story
        if fast and prose < length * _FAST_PROSE:
            continue  # half of it is no sentence: the reading its fallbacks choose decides
        return Found(home.body, "library", "library", None, PageNames(home), home)
    return None


_STORY_BOXES = "[itemprop=articleBody], article"


def from_described_box(page: Page, profiles: list[Profile], found: Found | None) -> Found | None:
    """Where no finder found a body: a short story box (`itemprop=articleBody`, `<article>`; under
    `_WEAK_BODY` characters) that holds the page's own description. A video's or a photo's item
    holds one line under its headline (TV조선's `[씨박스]` clips: the clip's caption, its
    og:description too, then the box's copyright line), too short for the generic finder's
    paragraph scores; the page says twice that the line is its story. The box's furniture goes
    as any body's does (`sort_blocks`)."""
    if found is not None:
        return None
    described = [line for line in page.descriptions() if line]
    if not described:
        return None
    tree = parse(page.html)  # as served: the chrome removed for the generic finder may hold the box
    for box in tree.css(_STORY_BOXES):
        text = normalise(box.text(deep=True, separator=" "))
        if len(text) < _WEAK_BODY and any(line in text for line in described):
            return Found(box, "generic", "generic", None, page.names, tree)
    return None


FINDERS = (from_profile, from_markup, from_json, from_library, from_described_box)


def find(page: Page, profiles: list[Profile]) -> Found | None:
    """The story's element, from the first finder that settles it or the last better find."""
    found = None
    for finder in FINDERS:
        found = finder(page, profiles, found) or found
        if found is not None and found.settled:
            break
    return found
