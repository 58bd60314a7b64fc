"""Long CSS selector lists (chrome, profile detection, bylines...) run only where they can match.

lexbor evaluates every selector of a list against every element, so a list of 80 `[class*=share]`
selectors costs 80 tests per element. Most of them name a class or id literal that appears nowhere
in the page; `PageNames` collects the page's class and id values once (one CSS query), and a
selector whose literal is absent is dropped before lexbor sees the list. The check is a superset
(lowercased substring), so a selector that could match is never dropped.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Attributes whose values PageNames collects; `[attr]` alone needs the marker "[attr]".
_ATTRS = ("class", "id", "style", "role", "aria-hidden", "rel", "itemprop")
_PRESENCE = ("hidden", *_ATTRS)
_LITERAL = re.compile(
    r"""\[\s*(?:%s)\s*[*^$~|]?=\s*(?:'([^']*)'|"([^"]*)"|([^\]\s]+))[^\]]*\]"""
    r"""|[.#](-?[_a-zA-Z][\w-]*)|(\[\s*(?:%s)\s*\])""" % ("|".join(_ATTRS), "|".join(_PRESENCE)))
_BRACKETS = re.compile(r"\[[^\]]*\]")
_QUERY = ", ".join(f"[{name}]" for name in _PRESENCE)


@lru_cache(maxsize=4096)
def needle(selector: str) -> str | None:
    """The longest class/id literal `selector` needs to match, lowercased; None if it needs none
    (tag or other-attribute selectors) or may negate one (pseudo-classes such as :not)."""
    if "," in selector or ":" in _BRACKETS.sub("", selector):  # pseudo-classes, outside [...]
        return None
    literals = [next(g for g in m.groups() if g is not None) for m in _LITERAL.finditer(selector)]
    literals = [lit.strip().lower().replace(" ", "") if lit.startswith("[") else lit.strip().lower()
                for lit in literals if lit.strip()]
    return max(literals, key=len) if literals else None


class PageNames:
    """The values of the _ATTRS attributes (class, id, style, ...) of one page, and "[attr]" for
    each of those attributes (and `hidden`) that some element has, for `may_match` checks."""

    def __init__(self, root) -> None:
        parts = set()
        for node in root.css(_QUERY):
            attrs = node.attributes
            for name, value in attrs.items():
                if name in _PRESENCE:
                    parts.add(f"[{name}]")
                    if value:
                        parts.add(value)
        self.text = " ".join(parts).lower()

    def may_match(self, selector: str) -> bool:
        literal = needle(selector)
        return literal is None or literal in self.text

    def keep(self, selectors: list[str]) -> str:
        """The selectors of a list that may match this page, joined into one selector list."""
        text = self.text
        return ", ".join([s for n, s in _needles(tuple(selectors)) if n is None or n in text])


@lru_cache(maxsize=256)
def _needles(selectors: tuple[str, ...]) -> list[tuple[str | None, str]]:
    return [(needle(s), s) for s in selectors]
