"""Page chrome: the boxes around a story (navigation, sharing, related links, newsletters, ads)
removed by CSS selectors from data/text_rules.yaml and the site profiles, before and after the
body is found. Never the page itself: not the root, not `<body>`, not a wrapper that holds a
large share of the page's text (its class happens to say `header` or `menu`), not a box whose
name also says it holds the story."""

from __future__ import annotations

import re
from functools import lru_cache

from .generic import class_and_id, element_sibling, inside_doomed
from .rules import RULES
from .selectors import PageNames
from .tags import tag_ids

CHROME = RULES["chrome_selectors"]
PAGE_CHROME = RULES["chrome_selectors"] + RULES["page_chrome_selectors"]
# Chrome whose name also saying `article` never makes it the story: an author's bio box after the
# story (`div.article-end__author-bio`, The Nation) is about who wrote it, wherever it sits.
_NEVER_SPARED = tuple(RULES["never_spared_chrome_words"])
# A class or id that says "story" as well as "chrome" is the story (Readability's okMaybeItsACandidate).
_STORY_NAME = re.compile(RULES["story_name"])  # lowercase words, searched in lowercased names (re.I is ~6x slower)
_CHROME_TAGS = tag_ids(["nav", "aside", "footer", "header", "form", "button", "select", "input", "textarea"])
_SEMANTIC_CHROME = tag_ids(["aside", "nav", "footer"])  # chrome by its tag, however much text it holds (a live feed)
_PAGE = tag_ids(["html", "body"])
_CHROME_SHARE = 0.4  # page chrome never holds this share of the page's text: such a box is the page


def says_story(node) -> bool:
    """Whether an element's class or id says it holds the story."""
    return _names_say_story(class_and_id(node))


@lru_cache(maxsize=4096)
def _names_say_story(names: str) -> bool:
    return _STORY_NAME.search(names.lower()) is not None


def remove(
    root, selectors: list[str], names: PageNames, keep_share: float | None = None, spare_story: bool = False
) -> None:
    """Remove the elements matching any of the selectors, never `root` itself and, with
    `keep_share`, never an element holding that share of root's text or more (a wrapper whose
    class happens to say `header` or `menu` is the page, not chrome); with `spare_story`, never an
    element whose class or id also says it holds the story (`articleBody -new-header-block`)."""
    selector = names.keep(selectors)
    if not selector:
        return
    try:
        nodes = root.css(selector)
    except Exception:  # noqa: BLE001 - a bad selector in a data file must not take the page down
        return
    limit = len(root.text(deep=True) or "") * keep_share if keep_share else None
    root_id = root.mem_id
    doomed: dict = {}  # mem_id -> element, in document order
    matched: set[int] | None = None
    known: dict[int, bool] = {}
    # a class `hidden` itself somewhere in the page (most pages have none; the plain test first: a
    # pattern opening with a look-behind is tried at every character of the page's class names)
    classes = names.texts.get("class", "")
    paged = _HIDDEN in classes and _HIDDEN_TOKEN.search(classes) is not None
    outside: set[int] = set()  # elements found to lie inside no doomed one
    for node in nodes:
        tag = node.tag_id
        if tag in _PAGE or node.mem_id == root_id:
            continue
        if doomed and inside_doomed(node, doomed, outside, root_id):
            continue  # it goes with the doomed element around it (most matches do: a menu's items)
        if paged and _HIDDEN in (names_of := node.attrs.get("class") or "") and _HIDDEN in names_of.split():
            matched = matched if matched is not None else {n.mem_id for n in nodes}
            if _a_later_page(node, matched, known):
                continue
        if limit is not None and tag not in _SEMANTIC_CHROME and len(node.text(deep=True) or "") >= limit:
            continue
        if spare_story and tag not in _CHROME_TAGS and says_story(node) and not _never_spared(node):
            continue
        doomed[node.mem_id] = node
    decompose_outermost(list(doomed.values()))


_HIDDEN = "hidden"
_HIDDEN_TOKEN = re.compile(r"(?<![\w-])hidden(?![\w-])")  # the class itself, not `hidden-xs` or `overflow-hidden`
_PAGES_BEFORE = 60  # siblings read back for the page shown


def _a_later_page(node, matched: set[int], known: dict[int, bool]) -> bool:
    """A page of a story in pages that a script reveals one at a time (a gallery's or a listicle's
    sections, `div.gallery--paragraph-section hidden` after the one shown): a box hidden by its
    class `hidden` alone, after a sibling of its kind (the same classes but `hidden`) that is
    shown and no chrome (`matched` holds every element the chrome selectors found; `known`, the
    answers so far: a hidden page before this one, of the same classes, has this one's answer)."""
    names = node.attrs.get("class") or ""
    kind = sorted(t for t in names.split() if t != _HIDDEN)
    found = False
    sibling, steps = element_sibling(node, before=True), 0
    while kind and sibling is not None and steps < _PAGES_BEFORE:
        steps += 1
        if sibling.tag_id == node.tag_id:
            other = sibling.attrs.get("class") or ""
            if other == names and sibling.mem_id in known:
                found = known[sibling.mem_id]
                break
            if sorted(other.split()) == kind:
                found = sibling.mem_id not in matched
                break
        sibling = element_sibling(sibling, before=True)
    known[node.mem_id] = found
    return found


def decompose_outermost(doomed: list) -> None:
    """Remove these elements of a tree (given in document order), each once: in reverse order an
    element's descendants go before it, so none is freed before its turn (lexbor frees a removed
    element's subtree)."""
    for node in reversed(doomed):
        node.decompose()


def strip_page_chrome(body, names: PageNames) -> None:
    """The whole page's chrome, before the generic finder looks for the story in what is left
    (a box whose name says story too is spared, unless its class says it is never spared)."""
    remove(body, PAGE_CHROME, names, keep_share=_CHROME_SHARE, spare_story=True)


def _never_spared(node) -> bool:
    """The element's class names a box that is chrome whatever else it says (`author-bio`)."""
    names = (node.attributes.get("class") or "").lower()
    return any(word in names for word in _NEVER_SPARED)  # substring tests beat one regex of alternatives 2x


def strip_body_chrome(body, names: PageNames, extra: list[str] | None = None) -> None:
    """Chrome inside a found body: a profile's own `drop` list, then the shared list."""
    if extra:
        remove(body, extra, names)
    remove(body, CHROME, names)
