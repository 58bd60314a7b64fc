"""Stage 5 of cleaning: the article's fields from the page, the profile and the sorted body.

Title, subtitle, bylines and the publication date come from the site profile's sources where a
profile reads the page, else from the page's metadata and common markup; the press is the first
of: the original publisher an Arc XP page names, the profile's, `og:article:author`, JSON-LD's
publisher, a dateline or copyright in the body, the catalogue's publisher of the page's host, a
copyright anywhere, `og:site_name`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemas.events import Byline

from . import bylines as by
from . import dates
from .zones import page_zone
from .blocks import block_texts, node_text
from .furniture import copyright_press, reads_as_story
from .generic import class_and_id
from .metadata import json_ld_names
from .page import Page
from .press import is_portal, is_press, press_name, press_of_hosts
from .profiles import Profile
from .rules import RULES
from .selectors import first_css
from .tags import tag_ids
from .text import normalise

_DATE_KEYWORD = re.compile(
    r"(?:입력|등록|송고|기사입력|최초입력|발행|작성|Published|Posted|Updated|Date)\s*[:：]?\s*", re.I
)
# The same keywords searched in the lowercased text without re.I: four times faster over a page's
# text. Where lowercasing changes the text's length (İ) or re.I would fold a letter that lower()
# keeps (ſ, the long s, and ı, the dotless i: every other letter of the keywords folds alike both
# ways, checked over all of Unicode), the text is searched with the case-blind pattern itself.
_DATE_KEYWORD_LOWER = re.compile(_DATE_KEYWORD.pattern.lower())
_FOLDED_APART = ("\u017f", "\u0131")
_META_DATES = [
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "og:regdate",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "parsely-pub-date",
    "sailthru.date",
]
_SUBTITLES = [{"css": selector} for selector in RULES["subtitle_selectors"]]
_TITLE_SPLIT = re.compile(r"\s+(?:\||-|–|—|::|:)\s+")
_TITLE_SEPARATORS = " |-–—:ㅣ│｜"
_TITLE_MAX = 300  # characters: the longest headline kept whole
# The breadcrumb that ND소프트's news CMS (many Korean papers) appends: `제목 < 경제 < 기사본문 - 신문`.
_BREADCRUMB = re.compile(r"(?:\s*<\s*[^<>]{1,20}?)*\s*<\s*기사본문\s*$")
# What stays of `headline-정치ㅣ한국일보` once the site is gone: a short section name after a separator.
_LAST_PART = re.compile(r"\s+[|\-–—:ㅣ│｜]+\s+([^|\-–—:ㅣ│｜]{2,20})\s*$")
_SECTION_SUFFIX = re.compile(r"\s*[|\-–—ㅣ│｜]\s*[^\s|\-–—ㅣ│｜]{1,8}\s*$")


def source_values(page: Page, sources: list[dict], *, lines: bool = False):
    """Yield (value, source) for each source of a profile field that finds something."""
    root = page.tree
    for source in sources:
        value = None
        if "css" in source:
            node = first_css(root, source["css"])
            if node is not None and lines:  # every match, one line per block (subtitles)
                value = "\n".join(line for n in root.css(source["css"]) for line in block_texts(n))
            elif node is not None:
                if "attr" in source:
                    value = normalise(node.attributes.get(source["attr"]) or "")
                else:
                    value = node_text(node)
        elif "meta" in source:
            value = page.meta.get(source["meta"].lower())
        elif "text" in source:
            match = re.search(source["text"], page.text[:20000])
            value = normalise(match.group(1)) if match else None
        elif "const" in source:
            value = source["const"]
        if value:
            yield value, source


def _first(page: Page, sources: list[dict], **kw):
    return next((v for v, _ in source_values(page, sources, **kw)), None)


# -- title and subtitle ----------------------------------------------------------------------------
def without_site(title: str, meta: dict) -> str:
    """`headline | Site`, `headline-정치ㅣ한국일보` -> `headline` (the site as og:site_name names it)."""
    site = meta.get("og:site_name")
    if site and title.endswith(site) and title != site:
        return _SECTION_SUFFIX.sub("", title[: -len(site)].rstrip(_TITLE_SEPARATORS)) or title
    tail = _LAST_PART.search(title)  # `headline - 매일경제`, `headline : 네이트 뉴스`: a publisher or portal
    if tail and (is_press(tail.group(1)) or is_portal(tail.group(1))):
        return title[: tail.start()].rstrip(_TITLE_SEPARATORS) or title
    return title


def title(page: Page, profile: Profile | None) -> str:
    """The profile's title where it finds one, else the page's own (h1, og:title, <title>...);
    a headline is a line: one longer than _TITLE_MAX is cut there (a page may put a whole text,
    or megabytes of it, in its h1)."""
    found = without_site(_first(page, profile.title) or "", page.meta) if profile is not None else ""
    found = found or generic_title(page)
    return found if len(found) <= _TITLE_MAX else found[:_TITLE_MAX].rstrip() + "…"


# characters: an h2 this long, and half the declared title or more, is its headline (not a section or site name)
_H2_TITLE_MIN = 10


def generic_title(page: Page) -> str:
    """The headline: an h1 that a declared title (og:title, JSON-LD, <title>) holds or is held by,
    else the declared title. The site's own name is neither, where a page writes it into its
    logo's h1 or its <title> (`연합뉴스TV`, `뉴스타파`; og:site_name, or a press of the catalogue)."""
    tree, meta, ld = page.tree, page.meta, page.ld
    site = meta.get("og:site_name") or ""

    def sites_name(text: str) -> bool:
        return text == site or is_press(text)

    title_tag = tree.css_first("title")  # RCDATA: only text inside, no blocks to split on
    declared = [
        t
        for t in (
            meta.get("og:title"),
            meta.get("twitter:title"),
            normalise(ld.get("headline")) if isinstance(ld.get("headline"), str) else None,
            normalise(title_tag.text()) if title_tag is not None else None,
        )
        if t and not sites_name(t)
    ]
    for h1 in tree.css("h1"):
        text = node_text(h1)
        if not 4 <= len(text) <= _TITLE_MAX or sites_name(text):
            continue
        if not declared:
            return text
        for d in declared:
            if text in d or d in text:
                return text
    for h2 in tree.css("h2") if declared else []:  # no h1 is the headline: an h2 the declared title holds
        text = node_text(h2)  # (`대전일보 모바일 :: 코로나19 극복 ...` declared, `코로나19 극복 ...` shown)
        if _H2_TITLE_MIN <= len(text) <= _TITLE_MAX and any(text in d and 2 * len(text) >= len(d) for d in declared):
            return text
    for found in declared:
        found = without_site(found, meta)
        parts = _TITLE_SPLIT.split(found)
        if len(parts) > 1 and len(parts[0]) >= 10:
            found = parts[0]
        found = _BREADCRUMB.sub("", found)
        if found:
            return found
    first = tree.css_first("h1")
    return node_text(first) if first is not None else ""


def subtitle(page: Page, profile: Profile | None, *, generic: bool) -> str | None:
    """The profile's subtitle (lines kept), else, with `generic`, a dek/standfirst box's."""
    found = _first(page, profile.subtitle, lines=True) if profile is not None else None
    if found or not generic:
        return found
    selectors = [s["css"] for s in _SUBTITLES if page.names.may_match(s["css"])]
    if not selectors or page.tree.body is None:
        return None
    where: tuple[str, int] | None = None  # the page's text and where its story starts: read once, if needed
    for selector in selectors:
        for node in page.tree.css(selector):
            lines = [line for line in block_texts(node) if not by.is_byline_line(line)]
            if not _reads_as_standfirst(node, lines):
                continue
            if where is None:
                where = _story_start(page.tree.body)
            shown, story_at = where
            at = shown.find(node.text(deep=True, separator=" ")[:_DECK_MIN].strip())
            if 0 <= story_at < at:  # below the story's first paragraph: a teaser of another story
                continue
            return "\n".join(lines)
    return None


def _story_start(body) -> tuple[str, int]:
    """The body's text, and where in it the first story-length paragraph starts (-1: none)."""
    shown = body.text(deep=True, separator=" ")
    texts = (p.text(deep=True) for p in body.css("p"))
    story = next((t for t in texts if len(t) >= _STORY_PARAGRAPH), "")
    return shown, shown.find(story) if story else -1


def inside_the_story(lines: list[str], blocks: list[str]) -> bool:
    """Subtitle lines the body also holds below its first story paragraph: a generic `h3.subtitle`
    matched the story's inter-titles. A standfirst stands above that paragraph (or the body's first)."""
    first = next((i for i, b in enumerate(blocks) if len(b) >= _STORY_PARAGRAPH and b not in lines), len(blocks))
    return any(line in blocks[max(first, 1) :] for line in lines)


# Where a box named `subtitle` or `dek` is no standfirst: a video player's subtitle menu, a
# newsletter or app prompt, a menu (`Anmelden / Mein Konto / Home`).
_NOT_DECK_TAGS = {"nav", "footer", "aside", "form", "button", "select", "label", "menu", "ul", "ol", "li", "a"}
_NOT_DECK_NAMES = re.compile(
    r"(?<![a-z])(?:menu|nav|navbar|navigation|player|vjs|video|newsletter|signup|sign-up|subscribe|cookie|consent|"
    r"modal|popup|promo|teaser-list|related|footer|disclaimer|disclosure)(?![a-z])",
    re.I,
)
_STORY_PARAGRAPH = 150  # characters: a paragraph this long is the story's, and a standfirst comes before it
_DECK_WORDS = 5  # a standfirst says something: at least this many words (or 20 characters of CJK)


def _reads_as_standfirst(node, lines: list[str]) -> bool:
    """A generic subtitle box's text reads as a standfirst: a sentence or two, not a menu, a
    prompt, a byline or links, and not inside navigation, a form or a video player."""
    text = " ".join(lines)
    if not text or len(text) > _DECK_MAX * 2 or not reads_as_story(text):  # a byline, a caption, a credit
        return False
    if text.endswith(_CUT_OFF):  # a teaser cut off mid-sentence (WordPress' `post-excerpt`): the story's opening
        return False
    if len(lines) > 2 and sum(map(len, lines)) / len(lines) < 30:  # short lines one under another: a menu
        return False
    cjk = sum(1 for ch in text if ord(ch) > 0x2E80)
    if len(text.split()) < _DECK_WORDS and cjk < 20:
        return False
    links = sum(len(a.text(deep=True) or "") for a in node.css("a"))
    if links > len(text) / 2:
        return False
    parent = node
    for _ in range(12):  # the box and its nearest ancestors
        if parent is None or parent.tag in ("body", "html"):
            break
        if parent.tag in _NOT_DECK_TAGS:
            return False
        if _NOT_DECK_NAMES.search(class_and_id(parent)) or _hidden(parent):
            return False
        parent = parent.parent
    return True


_DECK_MIN, _DECK_MAX = 40, 400  # characters of a standfirst
_CUT_OFF = ("…", "...", "[…]", "[...]")


def _hidden(node) -> bool:
    """An element the reader does not see (`style="display:none"`, `hidden`): Wikipedia's
    `div.shortdescription`, read by search engines only."""
    attrs = node.attributes
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "hidden" in attrs


_DECK_TAGS = "p, h2, div, span, strong"
_DIV = tag_ids(["div"])
_DIV_BLOCKS = tag_ids(["p", "div", "h2", "ul", "ol", "table", "section", "article"])


def described_deck(page: Page) -> str | None:
    """The standfirst a page states twice: its description (JSON-LD, og:, <meta name=description>)
    is the whole text of one of its elements (a `p.lead`, a `div.teaser` under the headline), or of a
    list's items, read in order (key points under the headline: returned a line each). Where the
    description is the story's own first paragraph, the caller finds it in the body and drops it."""
    wanted = {c for c in page.descriptions() if _DECK_MIN <= len(c) <= _DECK_MAX}
    body = page.tree.body
    if not wanted or body is None:
        return None
    longest = max(len(w) for w in wanted)
    # No test of the whole page's text first: an element whose text is a description is in the page
    # anyway, and normalising the page's text cost more than reading these elements.
    for node in page.tree.css(_DECK_TAGS):
        if node.tag_id in _DIV and any(child.tag_id in _DIV_BLOCKS for child in node.iter()):
            continue  # a container: its text is its blocks', each read on its own (not the page's text again)
        raw = node.text(deep=True, separator="")  # read only: node_text would mark the page's blocks
        if len(raw) < _DECK_MIN or len(raw) > 2 * longest:
            continue
        text = normalise(raw)
        if text in wanted and not _in_a_caption(node):
            return text
    for node in page.tree.css("ul, ol"):  # the description as a list of key points under the headline
        raw = node.text(deep=True, separator=" ")
        if len(raw) < _DECK_MIN or len(raw) > 2 * longest:
            continue
        items = [normalise(item.text(deep=True, separator=" ")) for item in node.css("li")]
        if len(items) >= 2 and " ".join(items) in wanted and not _in_a_caption(node):
            return "\n".join(items)
    return None


_FIGURE = tag_ids(["figure", "figcaption"])


def _in_a_caption(node) -> bool:
    """The element is, or sits in, a photo's caption (a figure, or a box whose class says caption):
    a page that describes itself by its lead photo's caption has no standfirst there."""
    while node is not None and node.tag not in ("body", "html"):
        if node.tag_id in _FIGURE or "caption" in (node.attributes.get("class") or "").lower():
            return True
        node = node.parent
    return False


# -- bylines ---------------------------------------------------------------------------------------
def profile_bylines(page: Page, profile: Profile) -> list[Byline]:
    """The reporters the profile's byline sources name; a css source is read in every element it
    matches (a site may give each of several reporters an element of their own)."""
    found: list[Byline] = []
    for value, source in source_values(page, profile.byline):
        values = [value]
        if "css" in source and "attr" not in source:
            values = [node_text(n) for n in page.tree.css(source["css"])[:_BYLINE_NODES]] or values
        for one in values:
            # the site's own byline box may hold the bare name (`우영식`): a name there is a reporter
            found.extend(by.parse_bylines(one) or ([Byline(name=one)] if by.is_person_name(one) else []))
    return found


_BYLINE_NODES = 3  # byline elements read per selector (one per author)


def _byline_box(node) -> int | None:
    """The element a byline sits in with its co-authors: its grandparent (`p > a`, `li > span`)."""
    parent = node.parent
    grand = parent.parent if parent is not None else None
    return (grand or parent or node).mem_id


def generic_bylines(page: Page) -> list[Byline]:
    """The reporters the page's byline boxes name (the first selector of `byline_selectors` that
    finds one), else those its metadata names. Where the boxes show every person the JSON-LD
    names, and no fewer people than the boxes, the JSON-LD's names are taken, as the page spells
    them: the same people, one name each (a box of `<a>Jasper Riemann</a><a>Barbara Schneider</a>`
    reads as one run of words)."""
    people = _ld_people(page.ld.get("author"))
    for selector in RULES["byline_selectors"]:
        found: list[Byline] = []  # the authors of one byline box: `a[rel=author]` once per author, side by side
        box = None
        shown = []
        for node in page.tree.css(selector)[:_BYLINE_NODES] if page.names.may_match(selector) else []:
            text = node_text(node)
            shown.append(text)
            named = by.parse_bylines(text) or by.parse_bylines("By " + text) if len(text) < 80 else []
            if not named and by.reads_as_korean_name(text):  # `div.byline > p`: the bare name, no 기자 after it
                named = [Byline(name=text)]
            if not named:
                continue
            if box is None:
                box = _byline_box(node)
            elif _byline_box(node) != box:
                continue  # an author of another story (a teaser, a comment) elsewhere on the page
            found += named
        if found:
            found = by.merge(found)
            as_shown = _as_shown(people, " ".join(shown)) if len(people) >= len(found) else None
            if as_shown:
                emails = {b.name.casefold(): b.email for b in found if b.email}  # the box's, kept
                named = [b for name in as_shown for b in by.parse_bylines(name) or [Byline(name=name)]]
                return by.merge([Byline(name=b.name, email=b.email or emails.get(b.name.casefold())) for b in named])
            return found
    return [Byline(name=n) for n in _metadata_authors(page)]


def _as_shown(names: list[str], shown: str) -> list[str] | None:
    """Each name as the page shows it (`viktor hedlund` in the metadata is `Viktor Hedlund` on the
    page), or None where the page does not show every one."""
    lower = shown.lower()
    out = []
    for name in names:
        at = lower.find(name.lower())
        if at < 0:
            return None
        out.append(shown[at : at + len(name)] if len(lower) == len(shown) else name)
    return out


def _ld_people(value) -> list[str]:
    """The names of the JSON-LD authors typed as persons."""
    items = value if isinstance(value, list) else [value]
    people = [i for i in items[:20] if isinstance(i, dict) and i.get("@type") == "Person"]
    return [n for n in json_ld_names(people) if _a_name(n)]


def _a_name(value: str) -> bool:
    """A metadata author value that can be a name: not a letter alone, not a sentence, not a URL."""
    return 1 < len(value) < 60 and "http" not in value


def _metadata_authors(page: Page) -> list[str]:
    """The authors the page's metadata names: JSON-LD's, else `<meta name=author>`, else Open
    Graph's `article:author` where it is a name (it is mostly a profile's URL)."""
    meta = page.meta
    for names in (json_ld_names(page.ld.get("author")), [meta.get("author") or ""], [meta.get("article:author") or ""]):
        names = [n for n in names if _a_name(n)]
        if names:
            return names
    return []


def reporters(found: list[Byline], fallback, signed: list[Byline]) -> list[Byline]:
    """The bylines found, less publishers' names; where none is left, the first person named by
    `fallback()` (Arc credits, the page's metadata) or a sign-off, else the sign-off's."""
    found = [b for b in by.merge(by.tidy(found)) if not is_press(b.name)]
    if found:
        return found
    return [b for b in by.tidy(fallback()) + signed if not is_press(b.name) and by.is_person_name(b.name)][:1] or signed


# -- press -----------------------------------------------------------------------------------------
def profile_press(page: Page, profile: Profile) -> str | None:
    return next(
        (
            p
            for p, source in ((press_name(v), src) for v, src in source_values(page, profile.press))
            if p and (is_press(p) or not source.get("known"))
        ),
        None,
    )


def press(
    page: Page,
    *,
    distributor: str | None,
    named: str | None,
    read_by_profile: bool,
    body_press: str | None,
    wire: str | None = None,
) -> str | None:
    """The press as a reader names it: `distributor` is the original publisher an Arc XP page
    names, `wire` the newsroom the story's own dateline names (a partner's story on a site: its
    newsroom, not the site's), `named` the recognising profile's press, `body_press` a dateline's
    or copyright's."""
    meta = page.meta
    return (
        _catalogued(distributor)
        or (wire if wire and is_press(wire) else None)
        or named
        or press_name(meta.get("og:article:author") if read_by_profile else None)
        # the page's author where the catalogue knows it: the desk or newsroom that wrote the story
        # (`iMBC 연예` for an entertainment story on MBC NEWS, `연합뉴스` for a wire story on a
        # paper's site), more precisely than the site's own name; a person's name is no press
        or _catalogued(meta.get("author"))
        or _ld_publisher(page.ld)
        or body_press
        or press_of_hosts(page.hosts)
        or copyright_press(page.text)
        or press_name(meta.get("og:site_name"))
    )


def _catalogued(value: str | None) -> str | None:
    """The press a value names, as a reader names it, where the press catalogue knows it; else None."""
    name = press_name(value)
    return name if name and is_press(name) else None


def _ld_publisher(ld: dict) -> str | None:
    names = json_ld_names(ld.get("publisher"))
    return press_name(names[0]) if names else None


# -- publication date ------------------------------------------------------------------------------
def _declared_dates(page: Page):
    """The publication times a page declares, in order of trust: meta tags, JSON-LD, `<time>` and
    date-like elements (their attributes, then their text)."""
    for key in _META_DATES:
        yield page.meta.get(key)
    if isinstance(page.ld.get("datePublished"), str):
        yield page.ld["datePublished"]
    for selector in RULES["date_selectors"]:
        for node in page.tree.css(selector)[:5] if page.names.may_match(selector) else []:
            for attr in RULES["date_attrs"]:
                yield node.attributes.get(attr)
            yield node_text(node)[:80]


def _date_keywords(text: str) -> Iterator[re.Match[str]]:
    """`_DATE_KEYWORD`'s matches in `text` (their offsets are the text's)."""
    lowered = text.lower()
    if len(lowered) != len(text) or any(letter in text for letter in _FOLDED_APART):
        return _DATE_KEYWORD.finditer(text)
    return _DATE_KEYWORD_LOWER.finditer(lowered)


def published_at(page: Page, profile: Profile | None, image_urls: list[str]) -> str | None:
    """The page's publication time, from its most trusted source that gives one: the profile's,
    the declared ones (a zoned time first), a dated keyword in the text, a month and day with the
    year from elsewhere, a date in an address. A date later than the fetch is none of them."""
    month_day_sources = []
    zone = page_zone(page.meta.get("og:locale"), page.language_hint, page.hosts)  # for times without an offset
    fetched_at = page.fetched_at
    fetched = dates.parse_date(fetched_at) if fetched_at else None

    def parsed(value: str | None) -> str | None:
        found = dates.parse_date(value, zone)
        return None if found is None or dates.after(found, fetched) else found

    if profile:
        for value, source in source_values(page, profile.date):
            if source.get("month_day"):
                month_day_sources.append(value)
                continue
            found = parsed(value)
            if found:
                return found
    naive = None  # a time the page gives without its offset is its local time, unless it also gives it zoned
    for value in _declared_dates(page):
        found = parsed(value)
        if found and dates.has_offset(value):
            return found
        naive = naive or found
    if naive:
        return naive
    for match in _date_keywords(page.text[:50000]):
        found = parsed(page.text[match.end() : match.end() + 40])
        if found:
            return found
    in_urls = (d for d in map(dates.date_in_url, image_urls + [page.url]) if d and not dates.after(d, fetched))
    from_urls = next(in_urls, None)
    year = dates.year_of(fetched_at) or dates.year_of(from_urls)
    for value in month_day_sources:
        found = dates.parse_month_day(value, year, zone)
        if found and not dates.after(found, fetched):
            return found
    return from_urls
