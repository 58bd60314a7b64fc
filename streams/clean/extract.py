"""HTML text -> the fields of a CleanArticle: profile (or generic) body, title, bylines, dates..."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from schemas.events import Byline, Image

from . import bylines as by
from . import dates
from .blocks import block_texts, node_text
from .errors import CleanError
from .embedded import arc_credits, embedded_bodies, text_length
from .generic import ancestor_ids, find_body
from .images import image_url
from .nesting import cap_nesting
from .metadata import json_ld_names, read_json_ld, read_meta
from .press import is_press, press_name, press_of_hosts
from .profiles import Profile, detect_profiles, page_hosts_of
from .rules import RULES, LineRules
from .selectors import PageNames
from .text import normalise, normalise_lines, prepare_page

_JUNK = LineRules(RULES["junk_line_patterns"])
_COPYRIGHT = [re.compile(p) for p in RULES["copyright_patterns"]]
_SCRIPT_CUE = re.compile(RULES["script_cue"])
_LEAD_CAPTION = re.compile(RULES["lead_caption"])
_PHOTO_CREDIT = LineRules(RULES["photo_credit_patterns"])
_CAPTION_MAX = 300  # characters: a caption is a line or two; a paragraph quoting a credit is longer
_CHROME = RULES["chrome_selectors"]
_PAGE_CHROME = RULES["chrome_selectors"] + RULES["page_chrome_selectors"]
# A class or id that says "story" as well as "chrome" is the story (Readability's okMaybeItsACandidate).
_STORY_NAME = re.compile(RULES["story_name"], re.I)
_CHROME_TAGS = {"nav", "aside", "footer", "header", "form", "button", "select", "input", "textarea"}
_SEMANTIC_CHROME = {"aside", "nav", "footer"}  # chrome by its tag, however much text it holds (a live feed)
_CHROME_SHARE = 0.4  # page chrome never holds this share of the page's text: such a box is the page
_DATE_KEYWORD = re.compile(r"(?:입력|등록|송고|기사입력|최초입력|발행|작성|Published|Posted|Updated|Date)\s*[:：]?\s*", re.I)
_META_DATES = ["article:published_time", "og:article:published_time", "datepublished", "og:regdate",
               "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued",
               "parsely-pub-date", "sailthru.date"]
_IMAGES = RULES["image_tags"]
_FIGURE_MAX_TEXT = RULES["figure_max_text"]
_DECK_BULLET = re.compile(r"^[-–•]\s+\S")
_DECK_LINE = 80  # characters: a highlight line of a deck
_LINK_LINE = 8  # characters: a linked line this long is a headline, not a word linked in the text
_SUBTITLES = [{"css": selector} for selector in RULES["subtitle_selectors"]]
_TITLE_SPLIT = re.compile(r"\s+(?:\||-|–|—|::|:)\s+")
_TITLE_SEPARATORS = " |-–—:ㅣ│｜"
# What stays of `headline-정치ㅣ한국일보` once the site is gone: a short section name after a separator.
_SECTION_SUFFIX = re.compile(r"\s*[|\-–—ㅣ│｜]\s*[^\s|\-–—ㅣ│｜]{1,8}\s*$")


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
    extractor: str = "generic"


def _first_css(root, selector: str):
    try:
        return root.css_first(selector)
    except Exception:  # a bad selector in a data file must not take the page down
        return None


def _source_values(root, sources: list[dict], meta: dict, page_text: str, *, lines: bool = False):
    """Yield (value, source) for each source of a profile field that finds something."""
    for source in sources:
        value = None
        if "css" in source:
            node = _first_css(root, source["css"])
            if node is not None and lines:  # every match, one line per block (subtitles)
                value = "\n".join(line for n in root.css(source["css"]) for line in block_texts(n))
            elif node is not None:
                if "attr" in source:
                    value = normalise(node.attributes.get(source["attr"]) or "")
                else:
                    value = node_text(node)
        elif "meta" in source:
            value = meta.get(source["meta"].lower())
        elif "text" in source:
            match = re.search(source["text"], page_text[:20000])
            value = normalise(match.group(1)) if match else None
        elif "const" in source:
            value = source["const"]
        if value:
            yield value, source


def _without_site(title: str, meta: dict) -> str:
    """`headline | Site`, `headline-정치ㅣ한국일보` -> `headline` (the site as og:site_name names it)."""
    site = meta.get("og:site_name")
    if site and title.endswith(site) and title != site:
        return _SECTION_SUFFIX.sub("", title[: -len(site)].rstrip(_TITLE_SEPARATORS)) or title
    return title


def _generic_title(tree, meta: dict, ld: dict) -> str:
    title_tag = tree.css_first("title")  # RCDATA: only text inside, no blocks to split on
    declared = [t for t in (meta.get("og:title"), meta.get("twitter:title"),
                            normalise(ld.get("headline")) if isinstance(ld.get("headline"), str) else None,
                            normalise(title_tag.text()) if title_tag is not None else None) if t]
    for h1 in tree.css("h1"):
        text = node_text(h1)
        if len(text) < 4:
            continue
        if not declared:
            return text
        for d in declared:
            if text in d or d in text:
                return text
    for title in declared:
        title = _without_site(title, meta)
        parts = _TITLE_SPLIT.split(title)
        if len(parts) > 1 and len(parts[0]) >= 10:
            title = parts[0]
        if title:
            return title
    h1 = tree.css_first("h1")
    return node_text(h1) if h1 is not None else ""


_LINE_BREAK = re.compile(r"(?<=[.!>])\s+|\n")
_COPYRIGHT_MARKS = ("ⓒ", "©", "(c)", "(C)", "Copyright", "저작권")


def _marks(text: str, literals: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of the literals, in order (str.find: no regex scan)."""
    spans = []
    for literal in literals:
        at = text.find(literal)
        while at >= 0:
            spans.append((at, at + len(literal)))
            at = text.find(literal, at + len(literal))
    return sorted(spans)


_BEFORE_MARK, _AFTER_MARK = 40, 200  # a copyright notice starts just before its mark and is short


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
        brk = _LINE_BREAK.search(text, mark_end, mark_end + _AFTER_MARK)
        line_end = brk.start() if brk else min(len(text), mark_end + _AFTER_MARK)
        yield text[start:line_end]


def _copyright_press(text: str) -> str | None:
    for line in _copyright_lines(text):
        for pattern in _COPYRIGHT:
            match = pattern.search(line)
            if match:
                name = press_name(match.group("press"))
                if name and name.lower() not in ("all", "by", "the"):
                    return name
    return None


def _parse_date_value(value: str) -> str | None:
    return dates.parse_date(value)


def _dates(tree, profile: Profile | None, meta: dict, ld: dict, page_text: str,
           fetched_at: str | None, image_urls: list[str], url: str | None, names: PageNames) -> str | None:
    month_day_sources = []
    if profile:
        for value, source in _source_values(tree, profile.date, meta, page_text):
            if source.get("month_day"):
                month_day_sources.append(value)
                continue
            found = dates.parse_date(value)
            if found:
                return found
    for key in _META_DATES:
        found = dates.parse_date(meta.get(key))
        if found:
            return found
    if isinstance(ld.get("datePublished"), str):
        found = dates.parse_date(ld["datePublished"])
        if found:
            return found
    for selector in RULES["date_selectors"]:
        for node in (tree.css(selector)[:5] if names.may_match(selector) else []):
            for attr in RULES["date_attrs"]:
                found = dates.parse_date(node.attributes.get(attr))
                if found:
                    return found
            found = dates.parse_date(node_text(node)[:80])
            if found:
                return found
    for match in _DATE_KEYWORD.finditer(page_text[:50000]):
        found = dates.parse_date(page_text[match.end(): match.end() + 40])
        if found:
            return found
    from_urls = next((d for d in map(dates.date_in_url, image_urls + [url]) if d), None)
    year = dates.year_of(fetched_at) or dates.year_of(from_urls)
    for value in month_day_sources:
        found = dates.parse_month_day(value, year)
        if found:
            return found
    return from_urls


def _collect_figures(body, profile: Profile | None, base: str | None,
                     names: PageNames) -> tuple[list[Image], list[str]]:
    figure_sel = names.keep(profile.figures if profile and profile.figures else RULES["figure_selectors"])
    caption_sels = [s for s in (profile.caption if profile and profile.caption else RULES["caption_selectors"])
                    if names.may_match(s)]
    attrs = profile.image_attrs if profile and profile.image_attrs else RULES["image_attrs"]
    drop_query = bool(profile and profile.image_drop_query)
    images: list[Image] = []
    captions: list[str] = []
    seen: set[str] = set()
    for fig in body.css(figure_sel) if figure_sel else []:
        if fig.parent is None or len(fig.text(deep=True) or "") > _FIGURE_MAX_TEXT:
            continue  # gone with an outer figure, or a wrapper of the story that says `photo`
        caption = None
        for sel in caption_sels:
            node = _first_css(fig, sel)
            if node is not None:
                caption = node_text(node) or None
                break
        urls = [u for u in (image_url(img, attrs, base, drop_query) for img in fig.css(_IMAGES)) if u]
        for u in urls:
            if u not in seen:
                seen.add(u)
                images.append(Image(url=u, caption=caption))
        if caption and (urls or caption not in captions):
            captions.append(caption)
        fig.decompose()
    for img in body.css(_IMAGES):
        u = image_url(img, attrs, base, drop_query)
        size = img.attributes.get("width") or ""
        if u and u not in seen and not (size.isdigit() and int(size) < 100):
            seen.add(u)
            images.append(Image(url=u, caption=None))
    return images, captions


def _remove(root, selectors: list[str], names: PageNames, keep_share: float | None = None,
            spare: re.Pattern | None = None) -> None:
    """Remove the elements matching any of the selectors, never `root` itself and, with
    `keep_share`, never an element holding that share of root's text or more (a wrapper whose
    class happens to say `header` or `menu` is the page, not chrome); with `spare`, never an
    element whose class or id also says it holds the story (`articleBody -new-header-block`)."""
    selector = names.keep(selectors)
    if not selector:
        return
    try:
        nodes = root.css(selector)
    except Exception:  # a bad selector in a data file must not take the page down
        return
    limit = len(root.text(deep=True) or "") * keep_share if keep_share else None
    doomed: set[int] = set()
    for node in nodes:
        if node.mem_id == root.mem_id or node.tag in ("html", "body"):
            continue
        if (limit is not None and node.tag not in _SEMANTIC_CHROME
                and len(node.text(deep=True) or "") >= limit):
            continue
        if spare is not None and node.tag not in _CHROME_TAGS and spare.search(
                f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"):
            continue
        if doomed and any(a in doomed for a in ancestor_ids(node, root)):
            continue  # inside a removed element already
        doomed.add(node.mem_id)
    for node in nodes:
        if node.mem_id in doomed:
            node.decompose()


def _is_junk(text: str) -> bool:
    return _JUNK.any_line(text)


def _paragraphs(blocks: list[str], fields: Fields, skip: set[str]) -> tuple[list[str], str | None, list[Byline]]:
    """Filter body blocks: bylines and datelines become bylines; chrome lines are dropped.
    Returns (paragraphs, press named in a dateline or copyright, reporters named in a sign-off)."""
    paragraphs: list[str] = []
    signed: list[Byline] = []
    lone_emails: list[str | None] = []
    press = None
    for text in blocks:
        cue = _SCRIPT_CUE.match(text)
        if cue:  # `[앵커]`, `◀ 리포트 ▶`: the cue goes, the words after it stay
            text = text[cue.end():]
            if not text:
                continue
        if not paragraphs and _LEAD_CAPTION.match(text):
            fields.captions.append(text.lstrip("▲ "))
            continue
        if not paragraphs and text.startswith("▲"):  # `▲ caption[스포티비뉴스=기자] 본문`
            at = by.dateline_at(text)
            if at:
                fields.captions.append(text[:at].lstrip("▲ ").strip())
                text = text[at:]
        signs = by.sign_off(text)  # a sign-off line is furniture whatever else it says
        if signs or _is_junk(text):
            signed.extend(signs)
            press = press or _copyright_press(text)
            lone_emails.append(by.email_in(text))
            continue
        if by.is_byline_line(text):
            found = by.parse_bylines(text)
            fields.bylines.extend(found)
            if not found:
                lone_emails.append(by.email_in(text))
            continue
        if len(paragraphs) < 2:
            rest, found, bracket_press = by.split_dateline(text)
            if bracket_press:
                fields.bylines.extend(found)
                press = press or press_name(bracket_press)
                text = normalise(rest)
                if not text:
                    continue
        if text in skip:
            continue
        if len(text) <= _CAPTION_MAX and _PHOTO_CREDIT.any_line(text):  # `... (Image: Getty)`
            fields.captions.append(text)
            continue
        paragraphs.append(text)
    fields.bylines = by.attach_email(fields.bylines, next((e for e in lone_emails if e), None))
    return paragraphs, press, signed


def _generic_bylines(tree, meta: dict, ld: dict, names: PageNames) -> list[Byline]:
    for selector in RULES["byline_selectors"]:
        for node in (tree.css(selector)[:3] if names.may_match(selector) else []):
            text = node_text(node)
            found = by.parse_bylines(text) or by.parse_bylines("By " + text) if len(text) < 80 else []
            if found:
                return found
    names = json_ld_names(ld.get("author")) or ([meta["author"]] if meta.get("author") else [])
    return [Byline(name=n) for n in names if 1 < len(n) < 60 and "http" not in n]


def _leading_deck(paragraphs: list[str]) -> list[str]:
    """Highlight lines opening the body, each a short `- ...` bullet (two or more, text after)."""
    deck = []
    for text in paragraphs:
        if len(text) > _DECK_LINE or not _DECK_BULLET.match(text):
            break
        deck.append(text)
    return deck if 2 <= len(deck) < len(paragraphs) else []


def _without_tail_links(paragraphs: list[str], body) -> list[str]:
    """The story without the headlines linked after it: paragraphs at the end that are each the
    whole text of one link (`[EPL] 36R 프리뷰 - 첼시...`, related stories, promotions) go; the
    first paragraph always stays."""
    if len(paragraphs) < 2:
        return paragraphs
    links = {text for text in (node_text(a) for a in body.css("a")) if len(text) >= _LINK_LINE}
    end = len(paragraphs)
    while end > 1 and paragraphs[end - 1] in links:
        end -= 1
    return paragraphs[:end]


def _profile_body(tree, profile: Profile):
    return next((n for n in (_first_css(tree, s) for s in profile.body) if n is not None), None)


def extract(html: str, *, url: str | None = None, fetched_at: str | None = None) -> Fields:
    html = cap_nesting(prepare_page(html))
    try:
        tree = LexborHTMLParser(html)
    except Exception as exc:  # lexbor does not fail on bad HTML; this is for the unexpected
        raise CleanError("parse_failed", f"HTML parser failed: {exc}") from None
    if tree.body is None:
        raise CleanError("parse_failed", "document has no body")
    meta = read_meta(tree)
    ld = read_json_ld(tree)
    html_node = tree.root  # the <html> element (lexbor always makes one)
    fields = Fields(language_hint=html_node.attributes.get("lang") if html_node is not None else None)
    tree.strip_tags(RULES["unsafe_tags"])
    page_text = tree.body.text(deep=True, separator=" ")
    names = PageNames(tree)
    hosts = page_hosts_of(tree, url, meta, names)
    candidates = detect_profiles(tree, page_text, hosts, meta, names)
    # The first recognising profile whose body is on the page (a site's older layout has its own).
    profile, body = next(((p, b) for p in candidates for b in (_profile_body(tree, p),) if b is not None),
                         (candidates[0] if candidates else None, None))
    if profile:
        fields.extractor = profile.name
        fields.title = _without_site(next((v for v, _ in _source_values(tree, profile.title, meta, page_text)), ""), meta)
        fields.subtitle = next((v for v, _ in _source_values(tree, profile.subtitle, meta, page_text, lines=True)), None)
        for value, _ in _source_values(tree, profile.byline, meta, page_text):
            # the site's own byline box may hold the bare name (`우영식`): a name there is a reporter
            fields.bylines.extend(by.parse_bylines(value) or
                                  ([Byline(name=value)] if by.is_person_name(value) else []))
        fields.press = next((p for p, source in ((press_name(v), src) for v, src in _source_values(
            tree, profile.press, meta, page_text)) if p and (is_press(p) or not source.get("known"))), None)
        if body is not None:
            _remove(body, profile.drop, names)
    if not profile or body is None:
        fields.extractor = "generic"
        fields.title = fields.title or _generic_title(tree, meta, ld)
        fields.bylines = fields.bylines or _generic_bylines(tree, meta, ld, names)
        subtitles = [s for s in _SUBTITLES if names.may_match(s["css"])]
        fields.subtitle = fields.subtitle or next(
            (v for v, _ in _source_values(tree, subtitles, meta, page_text, lines=True)), None)
        profile = None
        body = None
    published_probe = tree  # dates are read before generic chrome removal (bylines/dates live there)
    images: list[Image] = []
    captions: list[str] = []
    if body is None:
        date_value = _dates(tree, None, meta, ld, page_text, fetched_at, [], url, names)
        body, fields.extractor, home = _generic_body(html, tree, names, ld)
        if home is not tree:  # a body parsed from the page's JSON: its own class names
            names = PageNames(home)
    else:
        date_value = None
        _remove(body, _CHROME, names)
    images, captions = _collect_figures(body, profile, url, names)
    blocks = block_texts(body)
    subtitle_lines = normalise_lines(fields.subtitle)
    if profile is None and any(line in blocks[1:] for line in subtitle_lines):
        subtitle_lines = []  # `h3.subtitle` inside the story: its inter-titles, not a standfirst
    skip = set(captions) | set(subtitle_lines) | {fields.title}
    paragraphs, body_press, signed = _paragraphs(blocks, fields, skip)
    paragraphs = _without_tail_links(paragraphs, body)
    deck = _leading_deck(paragraphs)
    if deck:  # `- 尹 우크라 관련 입장 변화 가능성 보인 것` x5 over an interview: the standfirst
        paragraphs = paragraphs[len(deck):]
        subtitle_lines = subtitle_lines or deck
    if not paragraphs:
        raise CleanError("no_article_text", "the page has no article body text")
    fields.paragraphs = paragraphs
    fields.captions = captions + fields.captions  # figure captions, then lead captions in the text
    fields.images = images
    fields.subtitle = "\n".join(subtitle_lines) or None
    fields.bylines = by.merge(fields.bylines)
    arc_bylines, distributor = arc_credits(html)  # a story syndicated on an Arc XP site names its source
    distributor = press_name(distributor)
    fields.press = ((distributor if distributor and is_press(distributor) else None)
                    or fields.press or press_name(meta.get("og:article:author") if profile else None)
                    or _ld_publisher(ld) or body_press or press_of_hosts(hosts)
                    or _copyright_press(page_text) or press_name(meta.get("og:site_name")))
    fields.bylines = [b for b in fields.bylines if not is_press(b.name)]
    if not fields.bylines:  # a profile's byline box was empty: the page's metadata, then its sign-off
        credited = [b for v in arc_bylines for b in by.parse_bylines(v)]
        fields.bylines = [b for b in credited + _generic_bylines(tree, meta, ld, names) + signed
                          if not is_press(b.name) and by.is_person_name(b.name)][:1] or signed
    fields.published_at = date_value or _dates(
        published_probe, profile, meta, ld, page_text, fetched_at, [i.url for i in images], url, names)
    return fields


_WEAK_BODY = 500  # characters: a body this short may be the wrong box, or a spinner over JSON


def _parse_fragment(html: str):
    tree = LexborHTMLParser(html)
    tree.strip_tags(RULES["unsafe_tags"])
    return tree


def _generic_body(html: str, tree, names: PageNames, ld: dict):
    """(body element, extractor name, the tree it lives in) for a page no profile reads.

    The page without its chrome first; where that gives a weak body, the page with its chrome
    (a layout whose article sits in a box named like chrome), then the body the page's own JSON
    carries (pages rendered in the browser), whichever holds the most text."""
    _remove(tree.body, _PAGE_CHROME, names, keep_share=_CHROME_SHARE, spare=_STORY_NAME)  # the body chrome too
    body, name, home = find_body(tree.body), "generic", tree
    length = _text_len(body)
    if length < _WEAK_BODY:
        fresh = _parse_fragment(html)
        other = find_body(fresh.body) if fresh.body is not None else None
        if _text_len(other) > length:
            body, home, length = other, fresh, _text_len(other)
    if length < _WEAK_BODY * 4:
        for fragment in embedded_bodies(html, ld)[:1]:
            if text_length(fragment) > 2 * length:
                home = _parse_fragment(fragment)
                body, name = home.body, "embedded-json"
    if body is None:
        raise CleanError("no_article_text", "no element of the page holds article text")
    return body, name, home


def _text_len(node) -> int:
    return len((node.text(deep=True) or "").strip()) if node is not None else 0


def _ld_publisher(ld: dict) -> str | None:
    names = json_ld_names(ld.get("publisher"))
    return press_name(names[0]) if names else None
