"""Elements by tag name without a long CSS selector list.

lexbor tests every selector of a list against every element, so `p, div, br, li, ...` (30 tag
names) costs 30 tests per element; one `*` query filtered by lexbor's integer tag id costs one.
Only standard HTML tag names have fixed ids; custom elements are never looked up this way.
"""

from __future__ import annotations

from selectolax.lexbor import create_tag


def tag_ids(names) -> frozenset[int]:
    """lexbor's tag ids of standard HTML tag names."""
    return frozenset(create_tag(name).tag_id for name in names)


def elements(node, ids: frozenset[int]) -> list:
    """The elements of a subtree (the node itself included) whose tag is one of `ids`, in order."""
    return [el for el in node.css("*") if el.tag_id in ids]
