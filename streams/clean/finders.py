"""Stage 3 of cleaning: the element that holds the story, from the body finders tried in order.

    FINDERS = (site profile, HTML markup, the page's JSON)

Each finder gets the page, the profiles that recognise it and what the finders before it found,
and returns a better find or None. A site profile's body settles it. The generic finder reads
the page without its chrome (then, if that is weak, with it: a layout whose story sits in a box
named like chrome). A page rendered in the browser carries its story as JSON: that body wins
where the HTML holds much less text. A new finder (a library fallback, another framework's JSON)
is one function added to FINDERS; `Found.finder` says which one produced the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from selectolax.lexbor import LexborNode

from .chrome import strip_body_chrome, strip_page_chrome
from .embedded import embedded_bodies, text_length
from .generic import find_body
from .page import Page, parse
from .profiles import Profile, detect_profiles
from .selectors import PageNames, first_css

_WEAK_BODY = 500  # characters: a body this short may be the wrong box, or a spinner over JSON


@dataclass
class Found:
    body: LexborNode  # the lexbor element holding the story
    finder: str  # "profile", "generic" or "embedded-json"
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


FINDERS = (from_profile, from_markup, from_json)


def find(page: Page, profiles: list[Profile]) -> Found | None:
    """The story's element, from the first finder that settles it or the last better find."""
    found = None
    for finder in FINDERS:
        found = finder(page, profiles, found) or found
        if found is not None and found.settled:
            break
    return found
