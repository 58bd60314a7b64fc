"""DOM subtree -> text blocks (paragraphs / lines), without recursive Python over the tree.

Block boundaries are marked by inserting a separator text node around every block element and
`<br>` (one pass over the elements), then the subtree's text is read once by lexbor and split on the marks.
"""

from __future__ import annotations

import re

from .tags import elements, tag_ids
from .text import BLOCK_MARK, normalise

BLOCK_TAGS = (
    "p, div, br, li, ul, ol, dl, dt, dd, h1, h2, h3, h4, h5, h6, section, article, main, "
    "blockquote, pre, table, tr, td, th, figure, figcaption, header, footer, hr, address, "
    "center, details, summary"
)
# A block element's start tag in serialised HTML (text content has `<` escaped, so no false negatives).
_BLOCK_START = re.compile(r"<(?:%s)[\s/>]" % "|".join(BLOCK_TAGS.split(", ")), re.IGNORECASE)


_BLOCK_IDS = tag_ids(BLOCK_TAGS.split(", "))
_BR = tag_ids(["br"])


def mark_blocks(node) -> None:
    for block in elements(node, _BLOCK_IDS):
        block.insert_before(BLOCK_MARK)
        if block.tag_id not in _BR:
            block.insert_after(BLOCK_MARK)


def block_texts(node) -> list[str]:
    """Normalised non-empty text blocks of a subtree, in document order."""
    mark_blocks(node)
    raw = node.text(deep=True, separator="")
    return [text for text in (normalise(part) for part in raw.split(BLOCK_MARK) if part and not part.isspace()) if text]


def node_text(node) -> str:
    """One line of normalised text of a node (its blocks joined by a space)."""
    if node is None:
        return ""
    if _BLOCK_START.search(node.html or "", 1) is None:  # no block inside (a title, a byline): one read
        return normalise(node.text(deep=True, separator=""))
    return " ".join(block_texts(node))
