"""The standfirst a page shows between its headline and its story, in a box of its own.

Many pages set the lead apart from the story's container: an `h2` in a page builder's row above
the text column (WordPress themes), a `div.field-perex` beside `div.field-body` (Drupal), a
`div.Post__lead` in the article's header, a bold first paragraph in a column of its own. The body
finder picks the story's container, so that lead is lost, while a reader (and every reference
text) reads it first.

Read before any chrome is removed (`following`): the text leaves after the page's `h1`, in
document order, up to a bound. Once the body is found (`above_story`): the leaves before the
story's first paragraph that read as a standfirst (a sentence or two of prose, not a menu, a
byline, links, a caption) are its lead, where the body does not already hold them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .furniture import reads_as_story
from .generic import class_and_id
from .rule_cache import Patterns
from .tags import tag_ids
from .text import normalise

_KEPT = Patterns("standfirst")  # this module's patterns, kept between runs: `_KEPT.keep()` at its end

_LEAVES = 60  # text leaves read after the headline: a lead stands right under it
_STEPS = 600  # elements visited at most, skipped subtrees included
_BLOCKS = "p div h1 h2 h3 h4 h5 h6 li ul ol table section article header footer figure blockquote main aside nav"
_BLOCK_IDS = tag_ids(_BLOCKS.split())
# Subtrees that hold no standfirst: navigation, forms, figures and their captions, lists (tags,
# share buttons, related links), tables, and what is not shown.
_SKIP = frozenset(
    "nav aside footer form figure figcaption button select label menu ul ol dl table time address "
    "script style noscript template iframe svg picture video audio a".split()
)
_NOT_LEAD_NAMES = _KEPT.compile(
    r"(?<![a-z])(?:caption|credit|copyright|legend|byline|author|date|meta|share|social|tags?|breadcrumbs?|"
    r"menu|nav|navbar|navigation|player|video|newsletter|signup|subscribe|cookie|consent|modal|popup|promo|"
    r"related|footer|ad|ads|advert|advertisement|banner|sponsor|disclaimer|disclosure)(?![a-z])"
)
_MIN_CHARS, _MIN_CJK, _MAX_CHARS = 60, 30, 1500
_MIN_WORDS = 8
_SENTENCE_END = _KEPT.compile(r"[.!?…。！？\"”»)’]$")
_CJK = _KEPT.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_LINES = 2  # a standfirst is a line or two
_FIRST_BLOCKS = (
    6  # the body's first blocks, one of which the leaves must reach (a key-points list opening it is skipped)
)


@dataclass(frozen=True)
class Leaf:
    text: str
    lead: bool  # reads as a standfirst by its shape and its boxes (the furniture rules are asked later)


def following(tree, headline: str) -> list[Leaf]:
    """The text leaves after the `h1` that shows `headline`, in document order (none without it)."""
    h1 = _headline_node(tree, headline)
    if h1 is None:
        return []
    leaves: list[Leaf] = []
    node, descend, steps = h1, False, 0
    while len(leaves) < _LEAVES and steps < _STEPS:
        node = _next(node, descend)
        if node is None:
            break
        steps += 1
        descend = False
        tag = node.tag or "-"
        if tag.startswith("-") or tag in _SKIP:  # text between blocks, comments, skipped subtrees
            continue
        if _is_container(node):
            descend = True  # a container: read its blocks one by one
            continue
        text = normalise(node.text(deep=True, separator=""))  # inline parts join as shown
        if text:
            leaves.append(Leaf(text, _reads_as_lead(node, text)))
    return leaves


def above_story(leaves: list[Leaf], blocks: list[str], headline: str) -> list[str]:
    """The standfirst: the first run of lead-like leaves under the headline, above the body's
    first blocks (`blocks`) and not held by the body; none where the body is not found under them."""
    starts = tuple({block[:_MIN_CHARS] for block in blocks[:_FIRST_BLOCKS] if len(block) >= 20})
    at = next((i for i, leaf in enumerate(leaves) if leaf.text.startswith(starts)), None) if starts else None
    if at is None:
        return []
    lines: list[str] = []
    for leaf in leaves[:at]:  # the first run of lead-like leaves under the headline
        if leaf.lead and leaf.text not in blocks and leaf.text != headline and reads_as_story(leaf.text):
            lines.append(leaf.text)
        elif lines:
            break  # a box after the standfirst (`Helfen Sie mit!`): what follows is not its lead
    return lines[:_LINES]


def _headline_node(tree, headline: str):
    if not headline:
        return None
    for h1 in tree.css("h1"):
        text = normalise(h1.text(deep=True, separator=" "))
        if text and (text == headline or headline in text or (len(text) >= 10 and text in headline)):
            return h1
    return None


def _is_container(node) -> bool:
    """A block among the element's descendants (its children's own tags first, the cheap test;
    then its subtree in document order, which stops at the first block: a CSS query per child
    cost twice as much)."""
    if any(child.tag_id in _BLOCK_IDS for child in node.iter()):
        return True
    inside = node.traverse()
    next(inside)  # the element itself
    return any(descendant.tag_id in _BLOCK_IDS for descendant in inside)


def _next(node, descend: bool):
    """The element or text after `node` in document order: its first child with `descend`, else
    its next sibling or an ancestor's; None past the page's body."""
    if descend and node.child is not None:
        return node.child
    while node is not None:
        if node.next is not None:
            return node.next
        node = node.parent
        if node is None or node.tag in ("body", "html"):
            return None
    return None


def _reads_as_lead(node, text: str) -> bool:
    """A sentence or two of prose, not links, in no box named for furniture (cheap tests first:
    most leaves are labels, dates and links)."""
    if len(text) > _MAX_CHARS or _SENTENCE_END.search(text[-3:]) is None:  # a label, a kicker, links
        return False
    if (len(text) < _MIN_CHARS or len(text.split()) < _MIN_WORDS) and len(_CJK.findall(text)) < _MIN_CJK:
        return False
    parent = node
    for _ in range(4):  # the leaf and its nearest boxes name what they are
        if parent is None or parent.tag in ("body", "html"):
            break
        if _NOT_LEAD_NAMES.search(class_and_id(parent).lower()):
            return False
        parent = parent.parent
    return sum(len(a.text(deep=True) or "") for a in node.css("a")) <= len(text) / 3


_KEPT.keep()  # after the module's last pattern
