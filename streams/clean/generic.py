"""Generic extractor: finds the article body of any page by text density and link density.

The method is Readability's (Mozilla, Apache-2.0), in our own code over lexbor's tree:
1. every paragraph-like element with 25+ characters scores 1 + commas + length/100 (at most 3),
   added to its parent, half to its grandparent, a sixth to the next, ...; a container with much
   bare text (`<br>` bodies, usual in Korean pages) scores itself;
2. each candidate starts from its tag and its class/id names (`article`, `본문` help; `comment`,
   `related` hurt) and is scaled by 1 - its link density;
3. the best candidate gives way to an ancestor that several other good candidates share, or whose
   score goes up (the story split into several boxes);
4. its siblings join it when they score well or are plain paragraphs (a body in several columns);
5. boxes inside it that are lists of links, forms or image strips are dropped.
No recursion: CSS queries, child iteration and parent pointers only.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from functools import lru_cache

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .figures import block_caption
from .rules import RULES
from .tags import tag_ids

_FIGURE_MAX_TEXT = RULES["figure_max_text"]
_STORY_PART = re.compile(RULES["story_part_names"])  # in lowercased class and id names

# Searched in lowercased class and id names (a case-insensitive regex is several times slower).
_GOOD = re.compile(r"article|content|body|story|entry|post|text|news|view|main|detail|본문|기사")
_BAD = re.compile(
    r"comment|related|footer|sidebar|nav|menu|share|popular|rank|banner|promo|recommend|"
    r"header|widget|sponsor|outbrain|taboola|newsletter|subscribe|social|tags?\b|byline|author|"
    r"masthead|breadcrumb|pagination|pager|popup|modal|cookie|consent|meta|caption|credit"
)
_PARA_TAGS = ["p", "pre", "blockquote", "td", "li"]
_BOX_TAGS = ["div", "td", "article", "section", "main", "span", "font"]
_PARA_IDS = tag_ids(_PARA_TAGS)
_BOX_IDS = tag_ids(_BOX_TAGS)
_SCORED = ", ".join(dict.fromkeys(_PARA_TAGS + _BOX_TAGS))  # one query for both, in document order
_DIV = tag_ids(["div"])
_P = tag_ids(["p"])
_IMG = tag_ids(["img"])
_LISTS = tag_ids(["ul", "ol"])
_BODY = tag_ids(["body"])
_EMPTY_ROOT = LexborHTMLParser("").root
assert _EMPTY_ROOT is not None and _EMPTY_ROOT.parent is not None  # lexbor always builds <html> in a document
_NOT_CANDIDATES = tag_ids(["html", "head"]) | {_EMPTY_ROOT.parent.tag_id}
_TOP_LEVEL = _NOT_CANDIDATES | _BODY  # no promotion or sibling search above the body
_TAG_SCORE = {
    **{t: 5 for t in tag_ids(["div", "article", "main"])},
    **{t: 3 for t in tag_ids(["pre", "td", "blockquote", "section"])},
    **{t: -3 for t in tag_ids(["address", "ol", "ul", "dl", "dd", "dt", "li", "form"])},
    **{t: -5 for t in tag_ids(["h1", "h2", "h3", "h4", "h5", "h6", "th"])},
}
_MIN_P = 25
_LINKS_MAX = 0.5  # link density above which a candidate is a list of links, not a story
_RIVAL_SHARE = 0.75  # a rival this close to the top's score ...
_RIVAL_LENGTH = 3  # ... with this many times its text replaces it
_LIST_RIVAL_SHARE = 0.5  # a box named for the story, at this share of a list's score, is the story
_ANCESTOR_TEXT = 1.5  # a close candidate around the top holding this many times its text is the story
_PART_SHARE = 0.25  # another box of the top's kind joins it at this share of its score ...
_PART_TEXT = 200  # ... and this many characters of text
_SENTENCE_END = re.compile(r"[.!?。다요]\s*$|[.!?]\s")
# A slideshow numbers its slides `1/50` or `1 of 50` (The Independent's "Business news in
# pictures" beside a story): a list of such items is captions of pictures, not the story.
_SLIDE_COUNTER = re.compile(r"^\s*\d{1,3}\s*(?:/|of|von|de|sur)\s*\d{1,3}(?!\d)", re.I)
_SLIDES_MIN = 5


_LIVE_TEXT = re.compile(RULES["live_text_names"])


@lru_cache(maxsize=4096)
def _name_weight(names: str) -> int:
    names = names.lower()
    bad = _BAD.search(names) is not None and _LIVE_TEXT.search(names) is None
    return (25 if _GOOD.search(names) else 0) - (25 if bad else 0)


def class_and_id(node) -> str:
    """An element's class and id as one string (`article-body main`), what its name says it is."""
    attrs = node.attributes
    return f"{attrs.get('class') or ''} {attrs.get('id') or ''}"


def class_weight(node) -> int:
    return _name_weight(class_and_id(node))


def _linked_share(node, length: int, measure) -> float:
    """The share of an element's text (`length` characters) inside its links, each link's text
    measured by `measure`; 1.0 for an element without text."""
    linked = sum(measure(a) for a in node.css("a")) if length else 0
    return min(linked / length, 1.0) if length else 1.0


class _Page:
    """Text lengths, link densities and scores of one tree's elements, each computed once: a link's
    length too, however many boxes around it are asked for their density (a page of 3,000 links
    whose 22 nested boxes were asked measured 60,000 links, half its cleaning time)."""

    def __init__(self) -> None:
        self.scores: dict[int, list] = {}  # mem_id -> [node, content score]
        self._text: dict[int, int] = {}
        self._visible: dict[int, int] = {}
        self._density: dict[int, float] = {}
        self._visible_density: dict[int, float] = {}

    def text_len(self, node) -> int:
        key = node.mem_id
        found = self._text.get(key)
        if found is None:
            found = self._text[key] = len((node.text(deep=True) or "").strip())
        return found

    def visible_len(self, node) -> int:
        """Characters of an element's text, each run of white space read as one space."""
        key = node.mem_id
        found = self._visible.get(key)
        if found is None:
            found = self._visible[key] = len(" ".join((node.text(deep=True) or "").split()))
        return found

    def text(self, node) -> str:
        """An element's text, stripped (its length is kept for `text_len`)."""
        text = (node.text(deep=True) or "").strip()
        self._text[node.mem_id] = len(text)
        return text

    def link_density(self, node) -> float:
        key = node.mem_id
        found = self._density.get(key)
        if found is None:
            found = self._density[key] = _linked_share(node, self.text_len(node), self.text_len)
        return found

    def visible_link_density(self, node) -> float:
        """`link_density` over the text with each run of white space read as one space: the
        indentation a template puts around each `<li>` is no text of the page's, and counted in the
        box but not in its links, it made a list of links read as half prose (Readability measures
        link density on text with its white space collapsed, `_getInnerText`). For the boxes inside
        a found story only: the story's choice keeps `link_density`, by which its scores were set."""
        key = node.mem_id
        found = self._visible_density.get(key)
        if found is None:
            found = self._visible_density[key] = _linked_share(node, self.visible_len(node), self.visible_len)
        return found

    def add(self, node, score: float) -> None:
        if node is None or node.tag_id in _NOT_CANDIDATES:
            return
        entry = self.scores.get(node.mem_id)
        if entry is None:
            entry = self.scores[node.mem_id] = [node, _TAG_SCORE.get(node.tag_id, 0) + class_weight(node)]
        entry[1] += score

    def add_to_ancestors(self, node, score: float) -> None:
        parent, level = node.parent, 0
        while parent is not None and level < 5:
            if parent.tag_id in _NOT_CANDIDATES:
                return
            self.add(parent, score if level == 0 else score / 2 if level == 1 else score / (level * 3))
            parent, level = parent.parent, level + 1

    def final(self, node) -> float | None:
        entry = self.scores.get(node.mem_id)
        return None if entry is None else entry[1] * (1 - self.link_density(node))


def _holds_paragraphs(para) -> bool:
    """A table cell or list item (not a `<p>`) that holds paragraphs of its own."""
    return para.tag_id not in _P and para.css_first("p, div, table") is not None


def _score_paragraphs(root, page: _Page) -> None:
    paras, boxes = [], []
    for el in root.css(_SCORED):  # one pass, split by tag id (cheaper than two selector lists or `*`)
        tag_id = el.tag_id
        if tag_id in _PARA_IDS:
            paras.append(el)
        if tag_id in _BOX_IDS:
            boxes.append(el)
    for para in paras:
        text = (para.text() or "").strip()
        if len(text) < _MIN_P:
            continue
        if _holds_paragraphs(para):
            continue  # a cell or item holding paragraphs: its paragraphs score
        score: float = 1 + text.count(",") + text.count("，") + text.count("、") + min(len(text) // 100, 3)
        node = para
        parent = para.parent
        while parent is not None and parent.tag_id in _DIV and page.text_len(parent) == len(text):
            node, parent = parent, parent.parent  # a wrapper around one paragraph is the paragraph
        page.add_to_ancestors(node, score)
    for box in boxes:
        direct = (box.text(deep=False) or "").strip()
        if len(direct) < _MIN_P:
            continue
        if len(direct) >= 100 and box.css_first("br") is not None:  # a <br>-separated body
            score = 1 + min(len(direct) // 100, 10) + direct.count(",") / 2
            page.add(box, score)
            page.add_to_ancestors(box, score)
        else:  # a paragraph written as a bare text run
            page.add_to_ancestors(box, 1 + direct.count(",") + min(len(direct) // 100, 3))


def is_slideshow(box) -> bool:
    """A list of 5+ items of which nearly all open with a slide counter (`3/50`, `3 of 50`)."""
    if box.tag_id not in _LISTS:
        return False
    items = [c for c in box.iter() if c.tag == "li"]
    if len(items) < _SLIDES_MIN:
        return False
    counted = sum(1 for item in items if _SLIDE_COUNTER.match(item.text() or ""))
    return counted >= 0.8 * len(items)


def _top(page: _Page, limit: int = 5) -> list[tuple[float, LexborNode]]:
    """The best candidates, best first. A box whose text is mostly links (a list of teasers with
    their summaries, `ul.link-bogr2` of 40,000 characters beside a story of 12,000) is no story
    while any candidate with more text than links is left (Readability drops such boxes too), nor
    is a slideshow's list of captions."""
    ranked = _by_final(page)
    first: list[tuple[float, LexborNode]] = []
    prose: list[tuple[float, LexborNode]] = []
    for score, node in ranked:
        if len(first) < limit:
            first.append((score, node))
        if score <= 0 or len(prose) == limit:
            break
        if page.link_density(node) <= _LINKS_MAX and not is_slideshow(node):
            prose.append((score, node))
    if prose:
        return prose
    first.extend(entry for entry, _ in zip(ranked, range(limit - len(first))))
    return first


def _by_final(page: _Page) -> Iterator[tuple[float, LexborNode]]:
    """(final score, node) of every candidate, best first (ties in the order they were scored),
    each final score computed only when needed: link density is costly, and a candidate's final
    score is at most its raw score (at most 0 where that is negative), so one is certain to come
    next once its final score is above every raw score not yet read."""
    entries = list(page.scores.values())
    order = sorted(range(len(entries)), key=lambda i: entries[i][1], reverse=True)
    read: list[tuple[float, int, LexborNode]] = []  # a heap of (-final, index, node)
    pos = 0
    while pos < len(order) or read:
        if read and (pos == len(order) or -read[0][0] > max(entries[order[pos]][1], 0.0)):
            final, _, node = heapq.heappop(read)
            yield -final, node
            continue
        index = order[pos]
        pos += 1
        node = entries[index][0]
        heapq.heappush(read, (-(page.final(node) or 0.0), index, node))


def _longer_rival(top_score: float, top, others: list[tuple[float, LexborNode]], page: _Page):
    """A close rival holding several times the top's text, outside it, is the story: a short box
    whose name says `main_content` (a sign-up layer) must not beat the article beside it. A list
    is no such rival: a long `<ul>` beside the story is its comments (taz's readers' thread)."""
    length = page.text_len(top)
    lineage = set(_ancestor_ids(top))
    for score, node in others:
        if score < top_score * _RIVAL_SHARE:
            break
        if page.text_len(node) >= length * _RIVAL_LENGTH and node.tag_id not in _LISTS and _apart(node, top, lineage):
            return score, node
    return top_score, top


def _named_story_over_list(top_score: float, top, others: list[tuple[float, LexborNode]], page: _Page):
    """A box whose name says it is the story (`story-body`, `article-content`), scoring at least
    _LIST_RIVAL_SHARE of a top that is a list, outside it, is the story: the list beside it is a
    live feed or readers' comments (BBC's `ol.scroll-box-inner` of live text beside `div.story-body`)."""
    if top.tag_id not in _LISTS:
        return top_score, top
    lineage = set(_ancestor_ids(top))
    for score, node in others:
        if score < top_score * _LIST_RIVAL_SHARE:
            break
        if node.tag_id not in _LISTS and class_weight(node) > 0 and _apart(node, top, lineage):
            return score, node
    return top_score, top


def _apart(node, top, lineage: set[int]) -> bool:
    """`node` is neither inside `top` nor around it (`lineage`: `top`'s ancestors' ids)."""
    return node.mem_id not in lineage and top.mem_id not in set(_ancestor_ids(node))


def _ancestor_ids(node) -> list[int]:
    found, parent = [], node.parent
    while parent is not None and parent.tag_id not in _BODY:
        found.append(parent.mem_id)
        parent = parent.parent
    return found


def _promote(top, top_score: float, others: list[tuple[float, LexborNode]], page: _Page):
    """A better container than `top`: a close candidate above its parent holding more of the text
    (a post in sections, each in a box of its own, under a box named `content`: the walk up stops
    at the section box, which scores little), the ancestor shared by 3+ close candidates, or a
    parent whose score goes up (the text of the story lies in several boxes under it) and whose
    text is not mostly links."""
    lineage = _ancestor_ids(top)
    for rival_score, node in others:
        if top_score and rival_score / top_score < 0.75:
            break
        if node.mem_id in lineage[1:] and page.text_len(node) >= page.text_len(top) * _ANCESTOR_TEXT:
            return _single_child_up(node)  # the story's sections, each in a box of its own, under it
    close = [set(_ancestor_ids(node)) for score, node in others if top_score and score / top_score >= 0.75]
    if len(close) >= 3:
        parent = top.parent
        while parent is not None and parent.tag_id not in _TOP_LEVEL:
            if sum(parent.mem_id in ids for ids in close) >= 3:
                top = parent
                break
            parent = parent.parent
    last = page.final(top) or top_score
    threshold = last / 3
    parent = top.parent
    while parent is not None and parent.tag_id not in _TOP_LEVEL:
        score = page.final(parent)
        if score is None:
            parent = parent.parent
            continue
        if score < threshold:
            break
        if score > last:
            if page.link_density(parent) <= _LINKS_MAX:  # not up into a page of teaser lists
                top = parent
            break
        last, parent = score, parent.parent
    return _single_child_up(top)


def _single_child_up(top):
    """`top`, or the outermost ancestor of which it is the only element child."""
    while (
        top.parent is not None
        and top.parent.tag_id not in _TOP_LEVEL
        and sum(1 for c in top.parent.iter() if is_element(c)) == 1
    ):
        top = top.parent
    return top


def _join_siblings(top, page: _Page):
    """`top`, or its parent with the siblings that are not part of the story removed."""
    parent = top.parent
    if parent is None or parent.tag_id in _TOP_LEVEL:
        return top
    top_score = page.final(top) or 0.0
    threshold = max(10.0, top_score * 0.2)
    top_class = top.attributes.get("class") or ""
    keep: list[LexborNode] = []
    drop: list[LexborNode] = []
    before = True  # the siblings before `top` (where a lead in a box of its own sits)
    for sibling in parent.iter():
        if not is_element(sibling):
            continue
        if sibling.mem_id == top.mem_id:
            keep.append(sibling)
            before = False
            continue
        bonus = top_score * 0.2 if top_class and sibling.attributes.get("class") == top_class else 0.0
        score = page.final(sibling)
        joins = score is not None and score + bonus >= threshold
        if not joins and sibling.tag_id in _P:
            length = page.text_len(sibling)
            density = page.link_density(sibling)
            text = (sibling.text(deep=True) or "").strip()
            joins = (length > 80 and density < 0.25) or (
                0 < length <= 80 and density == 0 and bool(_SENTENCE_END.search(text))
            )
        elif not joins and before and sibling.tag_id in _DIV and class_weight(sibling) >= 0:
            joins = _a_lead_box(sibling, page) or _an_intro_box(sibling, page)
        if not joins and _is_story_part(sibling):
            joins = page.text_len(sibling) > 0  # a recipe's ingredients beside its method
        (keep if joins else drop).append(sibling)
    if len(keep) == 1:
        return top
    for sibling in drop:
        sibling.decompose()
    return parent


_INNER_BLOCKS = "div, p, ul, ol, dl, table, section, article, aside, form, button, input, h1, h2, h3, h4, h5, h6"


def _a_lead_box(box, page: _Page) -> bool:
    """A box before the story that is one run of sentences without links (the lead or the key facts
    in a `div` of their own before the rest of the story, `div.lead + div.paywalled`): 80+
    characters of text outside any inner block, ending as a sentence ends. A box holding blocks
    (a sign-up form, an author's card, a list of key points) is not one."""
    length = page.text_len(box)
    if length <= 80 or page.link_density(box) >= 0.1:
        return False
    if any(inner.mem_id != box.mem_id for inner in box.css(_INNER_BLOCKS)):  # lexbor's css() may return the box itself
        return False
    return bool(_SENTENCE_END.search(page.text(box)[-3:]))


# A box before the story named for its opening (`div.article-intro`, `div.c-article__lead`, `div.chapo`):
# searched in lowercased class and id names.
_INTRO_NAME = re.compile(RULES["intro_box_names"])
_INTRO_LINKS = 0.25  # link density at most: an intro is prose, a box of teasers is links


def _an_intro_box(box, page: _Page) -> bool:
    """A box before the story whose name says it opens the story, without the headline, and whose
    text is mostly sentences in paragraphs (the intro of a guide or a report in a box of its own,
    its paragraphs each too short to score: `div.article-intro` before `div.article-body`)."""
    if not _INTRO_NAME.search(class_and_id(box).lower()) or box.css_first("h1, header") is not None:
        return False  # a box holding the headline is the story's header (its dates, its sharing), no intro
    length = page.text_len(box)
    if length <= 80 or page.link_density(box) > _INTRO_LINKS:
        return False
    return prose_length(box) * 2 >= length


_STORY_TAGS = tag_ids(["article"])


def in_story_box(node, levels: int = 3) -> bool:
    """`node` or one of its `levels` nearest ancestors says it holds the story: an `<article>`, an
    `itemprop=articleBody`, or a class or id that names it (`article-body`, `본문`) and no chrome."""
    while node is not None and levels >= 0 and node.tag_id not in _TOP_LEVEL:
        if node.tag_id in _STORY_TAGS or node.attributes.get("itemprop") == "articleBody" or class_weight(node) > 0:
            return True
        node, levels = node.parent, levels - 1
    return False


def prose_length(root) -> int:
    """Characters of text in the paragraphs under `root` that read as sentences (25+ characters,
    ending as a sentence ends): a headline, a menu or a list of teasers has none."""
    total = 0
    for para in root.css("p, li, blockquote, pre, td, dd"):
        if _holds_paragraphs(para):
            continue  # a cell or item holding paragraphs: its paragraphs count
        text = (para.text() or "").strip()
        if len(text) >= _MIN_P and _SENTENCE_END.search(text[-3:]):
            total += len(text)
    return total


def find_body(root):
    """The element holding the article body (the best-scoring container and its sibling parts),
    or None when no element holds paragraph text."""
    page = _Page()
    _score_paragraphs(root, page)
    if not page.scores:
        return None
    ranked = _top(page)
    top_score, top = ranked[0]
    if top_score <= 0:
        return None
    top_score, top = _longer_rival(top_score, top, ranked[1:], page)
    top_score, top = _named_story_over_list(top_score, top, ranked[1:], page)
    inner = top
    top = _promote(top, top_score, ranked[1:], page)
    parts = _parts_of_same_kind(top, root, page)
    if len(parts) == 1 and inner.mem_id != top.mem_id and _single_child_up(inner).mem_id == top.mem_id:
        # `top` only wraps the best box, in wrappers named for their place (`flex_column av_two_third`):
        # the best box's kind (`avia_textblock`) says which are the story's other parts
        parts = _parts_of_same_kind(inner, root, page)
    if len(parts) > 1:  # one box per chunk of the story, ads between them: the boxes, joined
        joined = LexborHTMLParser("<div>%s</div>" % "".join(part.html or "" for part in parts)).body
        assert joined is not None and joined.child is not None  # lexbor always builds a body around the div
        body = joined.child
        drop_boxes(body)
        return body
    body = _join_siblings(_up_to_story_parts(top), page)
    _take_intro(body, page)
    drop_boxes(body, page)
    return body


_INTRO_LEVELS = 3  # the story's box and its nearest ancestors, whose box before them may be its intro


def _take_intro(body, page: _Page) -> None:
    """The intro box (`_an_intro_box`) standing just before the story's box or one of its nearest
    ancestors (`div.article-intro` beside `div.article-body`, the story found deeper inside the
    latter) is moved to the start of the body: the story opens with it."""
    node = body
    for _ in range(_INTRO_LEVELS):
        parent = node.parent
        if parent is None or parent.tag_id in _TOP_LEVEL:
            return
        before = element_sibling(node, before=True)
        if before is not None and before.tag_id in _DIV and class_weight(before) >= 0 and _an_intro_box(before, page):
            first = body.child
            if first is not None:
                first.insert_before(before)
            return
        node = parent


_PART_LEVELS = 3


def _up_to_story_parts(top):
    """`top`, or its ancestor (up to _PART_LEVELS above) beside which a part of the story stands
    that its text would not show as one (a recipe's ingredients beside its method, in a box of
    their own): the siblings of that ancestor are then read for the story, the part among them."""
    node = top
    for _ in range(_PART_LEVELS + 1):
        parent = node.parent
        if parent is None or parent.tag_id in _TOP_LEVEL:
            return top
        if any(s.mem_id != node.mem_id and is_element(s) and _is_story_part(s) for s in parent.iter()):
            return node
        node = parent
    return top


# A class token that names one element, not a kind: a page builder's element id (Elementor's
# `elementor-element-0161dc5`, WordPress' `post-15025`, `vc_custom_1536158467`).
_ELEMENT_ID_TOKEN = re.compile(r"(?=[a-f]*\d)[0-9a-f]{6,}|\d{3,}")


@lru_cache(maxsize=4096)
def _kind(names: str | None) -> frozenset[str]:
    """The class tokens that say what kind of box an element is (its own id tokens left out)."""
    return frozenset(t for t in (names or "").split() if not _ELEMENT_ID_TOKEN.search(t))


_CSS_NAME = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_-]*$")


def _kind_selector(tag: str, kind: frozenset[str]) -> str:
    """A selector for the elements of `tag` holding every class of `kind` (lexbor filters them,
    cheaper than reading every element's class here); leaving out the classes, or the tag (`*`),
    where one needs escaping (a tag name with a control character in it, as a damaged page gives:
    lexbor refuses such a selector). The caller checks both on what it finds."""
    selector = tag if _CSS_NAME.match(tag) else "*"
    if all(_CSS_NAME.match(token) for token in kind):
        selector += "".join(sorted("." + token for token in kind))
    return selector


def _parts_of_same_kind(top, root, page: _Page) -> list:
    """The story's boxes where a page splits it into several of the same kind (same tag and
    class, each scoring well: `div.body__inner-container` between ad rails), in page order;
    `[top]` where there is one."""
    name = _kind(top.attributes.get("class"))
    if not name or top.tag_id in _TOP_LEVEL:
        return [top]
    top_score = page.final(top) or 0.0
    parts, inside = [], None
    for node in root.css(_kind_selector(top.tag, name)):
        if node.tag != top.tag or _kind(node.attributes.get("class")) != name:
            continue
        if inside is not None and inside in set(ancestor_ids(node, root)):
            continue  # nested in a part already taken
        if node.mem_id != top.mem_id:
            score = page.final(node)
            if score is None or score < top_score * _PART_SHARE or page.text_len(node) < _PART_TEXT:
                continue
        parts.append(node)
        inside = node.mem_id
    return parts if any(p.mem_id == top.mem_id for p in parts) else [top]


def drop_boxes(body, page: _Page | None = None) -> None:
    """Remove boxes inside the body that are not story: mostly links (live-update boxes, topic
    lists, "more on this story"), forms, image strips, lists longer than the text around them,
    and any box with a bad class name and little text of its own (Readability's conditional
    cleaning)."""
    page = page or _Page()
    doomed: dict[int, LexborNode] = {}
    outside: set[int] = set()  # boxes found to lie inside no doomed one
    for box in body.css("div, ul, ol, section, table, form, aside, figure, article"):
        if box.mem_id == body.mem_id:
            continue  # lexbor's css() may return the element itself: the body is not a box in it
        if doomed and inside_doomed(box, doomed, outside, body.mem_id):
            continue
        if _is_clutter(box, page):
            doomed[box.mem_id] = box
    for box in doomed.values():
        if box.tag_id in _DIV and page.link_density(box) >= _LINKS_MAX:
            _keep_plain_sentences(box)
        box.decompose()


_PLAIN_SENTENCE = 80  # characters: a paragraph this long without a link, in a box of links, is a sentence


def _keep_plain_sentences(box) -> None:
    """The paragraphs without a link standing in a box dropped as a list of links (`Mehr zum Thema`:
    a sentence of the story announcing the links under it) stay where the box was; a teaser's
    summary sits inside its card or list item, never directly in the box, and goes with it."""
    for para in box.iter():
        if para.tag_id in _P and para.css_first("a") is None and len((para.text() or "").strip()) >= _PLAIN_SENTENCE:
            box.insert_before(para)


@lru_cache(maxsize=4096)
def _names_story_part(names: str) -> bool:
    return _STORY_PART.search(names.lower()) is not None


def _is_story_part(box) -> bool:
    """A box of the story that its text and links would not show as one: a recipe's ingredients."""
    return _names_story_part(class_and_id(box))


def _is_clutter(box, page: _Page) -> bool:
    return _looks_like_clutter(box, page) and not _is_story_part(box)


def _looks_like_clutter(box, page: _Page) -> bool:
    if box.tag_id in _STORY_TAGS:
        return _a_teaser(box, page)
    if is_slideshow(box):
        return True
    text = page.text(box)
    length = len(text)
    weight = class_weight(box)
    density = page.visible_link_density(box) if length else 0.0  # an empty box (an image) is no link list
    if density >= 0.5 and len(box.css("a")) >= 2:
        return True
    if weight < 0 and length < 200:
        # a photo and its caption in a `div` (`wp-caption`) is a figure for the figures stage to take
        return not (length <= _FIGURE_MAX_TEXT and box.css_first("img") is not None and block_caption(box, text=text))
    if text.count(",") + text.count("，") >= 10:
        return False
    if box.tag == "figure":
        return False
    is_list = box.tag_id in _LISTS
    paras = images = inputs = 0
    for el in box.css("p, img, input, select, textarea, button"):  # one query, counted by tag
        tag_id = el.tag_id
        if tag_id in _P:
            paras += 1
        elif tag_id in _IMG:
            images += 1
        else:
            inputs += 1
    if images > 1 and paras / images < 0.5 and length < 200:
        return True
    if inputs > paras // 3 and inputs:
        return True
    if not is_list and weight < 25 and density > 0.2 and length < 500:
        return not _a_paragraph_with_a_link(box, text, density)
    if weight >= 25 and density > 0.5:
        return True
    return False


_TEASER_MAX = 400  # characters: a teaser is a headline and a line or two
_LINKED_HEADING = "h2 a, h3 a, h4 a, a h2, a h3, a h4"


def _a_teaser(box, page: _Page) -> bool:
    """An `<article>` inside the story that is another story's teaser (a linked headline and a line or
    two: `Russland greift die Ukraine an :Aktuelles zum Krieg ...`), not a part of this one."""
    return page.text_len(box) <= _TEASER_MAX and box.css_first(_LINKED_HEADING) is not None


_LINKED_SENTENCE_MIN = 140  # characters: a call to action (`tap here to see ...`) is shorter
_CLOSES_SENTENCE = re.compile(r"[.!?。다요][\"'”’»)\]]*\s*$")


def _a_paragraph_with_a_link(box, text: str, density: float) -> bool:
    """A paragraph of the story written as a box, with one link in it (a source, a name): between
    paragraphs of its kind (a `p`, or a box of its tag and class), at most half of it linked, 140+
    characters, ending as a sentence ends (a quote's closing mark after the stop). A teaser is its
    link, or a list of them, and stands apart from the paragraphs."""
    if density >= 0.5 or len(text) < _LINKED_SENTENCE_MIN or not _CLOSES_SENTENCE.search(text[-4:]):
        return False
    if len(box.css("a")) != 1:
        return False
    while (
        box.parent is not None
        and box.parent.tag_id not in _TOP_LEVEL
        and element_sibling(box, before=True) is None
        and element_sibling(box, before=False) is None
    ):
        box = box.parent  # a wrapper around the paragraph alone (`div.block > div.paragraph`) stands in for it
    kind = (box.tag_id, box.attributes.get("class"))
    for sibling in (element_sibling(box, before=True), element_sibling(box, before=False)):
        if sibling is not None and (sibling.tag_id in _P or (sibling.tag_id, sibling.attributes.get("class")) == kind):
            return True
    return False


def is_element(node) -> bool:
    """Whether a node is an element: lexbor names text and comment nodes `-text` and `-comment`,
    and a processing instruction (`<?php ... ?>` left in a page) has no name at all."""
    tag = node.tag
    return tag is not None and not tag.startswith("-")


def element_sibling(node, before: bool):
    """The nearest element before or after `node` under its parent (text and comments skipped)."""
    sibling = node.prev if before else node.next
    while sibling is not None and not is_element(sibling):
        sibling = sibling.prev if before else sibling.next
    return sibling


def ancestor_ids(node, stop):
    """mem_ids of a node's ancestors below `stop`, nearest first."""
    parent = node.parent
    while parent is not None and parent.mem_id != stop.mem_id:
        yield parent.mem_id
        parent = parent.parent


def inside_doomed(node, doomed: dict, outside: set[int], stop: int | None = None) -> bool:
    """Whether an element lies inside one of the `doomed` (mem_id -> element), below the element
    whose mem_id is `stop`. For elements read in document order (a CSS query's matches): one found
    to lie outside every doomed element stays so (a later match is never its ancestor), so its
    mem_id goes into `outside` and the next walk up stops there."""
    walked = []
    parent = node.parent
    while parent is not None:
        key = parent.mem_id
        if key in doomed:
            return True
        if key in outside or key == stop:
            break
        walked.append(key)
        parent = parent.parent
    outside.update(walked)
    return False
