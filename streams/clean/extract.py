"""HTML text -> the fields of a CleanArticle, in named stages (decoding is done before, in
article.py):

1. page      read_page: the tree parsed once, its metadata, hosts, text and class names;
2. profiles  the site profiles that recognise the page (strong evidence only);
3. fields the page states about itself, read before any chrome is removed: title, subtitle,
             bylines, the profile's press and, for a page no profile reads, the date;
4. body      finders.find: site profile, then HTML markup (generic), then the page's JSON;
5. figures   photos and captions taken out of the body;
6. furniture furniture.sort_blocks: paragraphs apart from cues, captions, bylines, sign-offs...;
7. fields    press, reporters and date resolved from all of the above.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.events import Byline, Image

from . import bylines as by
from . import fields as f
from . import standfirst
from .blocks import block_texts
from .embedded import FUSION_MARK, arc_credits
from .errors import CleanError
from .figures import collect_figures
from .finders import Found, find, from_described_box, from_library, profile_body, recognising_profiles
from .furniture import sort_blocks
from .page import read_page
from .text import normalise_lines


@dataclass
class Fields:
    title: str = ""
    subtitle: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    bylines: list[Byline] = field(default_factory=list)
    press: str | None = None
    published_at: str | None = None
    language_hint: str | None = None
    extractor: str = "generic"  # the profile's name, "generic", "embedded-json" or "library" (finders.Found)


def _figures_and_blocks(found: Found, url: str | None) -> tuple[list[Image], list[str], list[str]]:
    """A found body's figures (taken out of it: images and their captions), then its text blocks."""
    images, captions = collect_figures(found.body, found.profile, url, found.names)
    return images, captions, block_texts(found.body)


def extract(html: str, *, url: str | None = None, fetched_at: str | None = None, utf8: bytes | None = None) -> Fields:
    """`utf8`: the page's bytes where they are `html` in UTF-8 (decode.utf8_of), parsed as they are."""
    page = read_page(html, url=url, fetched_at=fetched_at, utf8=utf8)
    profiles = recognising_profiles(page)
    reader = next((p for p in profiles if profile_body(page, p) is not None), None)
    named = reader or (profiles[0] if profiles else None)  # its sources still name title, press...

    title = f.title(page, named)
    subtitle = f.subtitle(page, named, generic=reader is None)
    deck = f.described_deck(page) if subtitle is None and reader is None else None
    leaves = standfirst.following(page.tree, title) if subtitle is None and deck is None and reader is None else []
    stated = f.profile_bylines(page, named) if named is not None else []
    if not stated and reader is None:
        stated = f.generic_bylines(page)
    named_press = f.profile_press(page, named) if named is not None else None
    date_value = f.published_at(page, None, []) if reader is None else None  # before chrome goes

    found = find(page, profiles)
    if found is None:
        raise CleanError("no_article_text", "no element of the page holds article text")
    images, captions, blocks = _figures_and_blocks(found, url)
    subtitle_lines = normalise_lines(subtitle)
    if found.profile is None and f.inside_the_story(subtitle_lines, blocks):
        subtitle_lines = []  # `h3.subtitle` inside the story: its inter-titles, not a standfirst
    deck_lines = deck.split("\n") if deck else []
    if deck_lines and not subtitle_lines and not any(line in block for line in deck_lines for block in blocks):
        subtitle_lines = deck_lines  # the description is a standfirst above the story, not its first paragraph
    if leaves and not subtitle_lines and found.profile is None:
        subtitle_lines = standfirst.above_story(leaves, blocks, title)  # a lead in a box of its own
    not_story = set(subtitle_lines) | {title}  # lines that are the page's fields, not its paragraphs
    body = sort_blocks(blocks, not_story | set(captions), found.body, title)
    if not body.paragraphs and found.finder == "generic":
        # every block of the generic body was furniture (a home page's teasers, a layout read wrong,
        # a headline box beside a one-line story): the library's reading, held to the same rules,
        # or the story box that is the page's description, or the refusal
        retry = from_library(page, profiles, None) or from_described_box(page, profiles, None)
        if retry is not None:
            found = retry
            images, captions, blocks = _figures_and_blocks(found, url)
            body = sort_blocks(blocks, not_story | set(captions), found.body, title)
    if not body.paragraphs:
        raise CleanError("no_article_text", "the page has no article body text")

    # a story syndicated on Arc XP names its source
    arc_bylines, distributor = arc_credits(page.html) if page.mentions(FUSION_MARK) else ([], None)

    def fallback() -> list[Byline]:
        return [b for v in arc_bylines for b in by.parse_bylines(v)] + f.generic_bylines(page)

    return Fields(
        title=title,
        subtitle="\n".join(subtitle_lines or body.deck) or None,
        paragraphs=body.paragraphs,
        captions=captions + body.captions,  # figure captions, then captions met in the text
        images=images,
        bylines=f.reporters(by.attach_email(stated + body.bylines, body.email), fallback, body.signed),
        press=f.press(
            page,
            distributor=distributor,
            named=named_press,
            read_by_profile=found.profile is not None,
            body_press=body.press,
            wire=body.wire,
        ),
        published_at=date_value or f.published_at(page, found.profile, [i.url for i in images]),
        language_hint=page.language_hint,
        extractor=found.extractor,
    )
