"""Long CSS selector lists (chrome, profile detection, bylines...) run only where they can match.

lexbor evaluates every selector of a list against every element, so a list of 80 `[class*=share]`
selectors costs 80 tests per element. Most of them name a class or id literal that appears nowhere
in the page; `PageNames` collects the page's class, id (and a few more) attribute values once
(one CSS query), and a selector whose literal is absent from that attribute's values is dropped
before lexbor sees the list. The check is a superset (lowercased substring), so a selector that
could match is never dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

# Attributes whose values PageNames collects; `[attr]` alone needs the marker "[attr]".
_ATTRS = ("class", "id", "style", "role", "aria-hidden", "rel", "itemprop")
_PRESENCE = ("hidden", *_ATTRS)
_LITERAL = re.compile(
    r"""\[\s*(%s)\s*[*^$~|]?=\s*(?:'([^']*)'|"([^"]*)"|([^\]\s]+))[^\]]*\]"""
    r"""|[.#](-?[_a-zA-Z][\w-]*)|(\[\s*(?:%s)\s*\])""" % ("|".join(_ATTRS), "|".join(_PRESENCE))
)
_BRACKETS = re.compile(r"\[[^\]]*\]")


@lru_cache(maxsize=4096)
def needle(selector: str) -> tuple[str, str] | None:
    """(attribute, literal): the longest literal `selector` needs in a value of that attribute
    (lowercased; attribute "" means the literal is an "[attr]" presence marker), or None if it
    needs none (tag or other-attribute selectors) or may negate one (pseudo-classes like :not)."""
    if "," in selector or ":" in _BRACKETS.sub("", selector):  # pseudo-classes, outside [...]
        return None
    found = []
    for match in _LITERAL.finditer(selector):
        attr, quoted, double, bare, name, presence = match.groups()
        if presence:
            found.append(("", presence.replace(" ", "").lower()))
        elif name:
            found.append(("class" if match.group(0)[0] == "." else "id", name.lower()))
        else:
            literal = next(v for v in (quoted, double, bare) if v is not None).strip().lower()
            if literal:
                found.append((attr.lower(), literal))
    if not found:
        return None
    best = max(found, key=lambda f: len(f[1]))
    _LITERALS.add(*best)
    return best


class _Literals:
    """Every literal a selector was found to need, per attribute, in an Aho-Corasick automaton
    (pyahocorasick): one pass over a page's values of that attribute finds which of them it holds,
    instead of a substring search per literal (about 2.5x faster over these pages' class names)."""

    def __init__(self) -> None:
        self._words: dict[str, set[str]] = {}
        self._automata: dict[str, tuple[ahocorasick.Automaton, frozenset[str]]] = {}

    def add(self, attr: str, literal: str) -> None:
        words = self._words.setdefault(attr, set())
        if literal not in words:
            words.add(literal)
            self._automata.pop(attr, None)  # built again when next read (only while the lists are first read)

    def present(self, attr: str, text: str) -> tuple[set[str], frozenset[str]]:
        """(the literals in `text`, the literals looked for): a literal outside the second was
        not looked for, and is tested on its own."""
        built = self._automata.get(attr)
        if built is None:
            automaton = ahocorasick.Automaton()
            for word in self._words.get(attr, ()):
                automaton.add_word(word, word)
            automaton.make_automaton()
            built = self._automata[attr] = (automaton, frozenset(self._words.get(attr, ())))
        automaton, words = built
        return ({word for _, word in automaton.iter(text)} if text and words else set()), words


_LITERALS = _Literals()


class PageNames:
    """The values of the _ATTRS attributes (class, id, style, ...) of one page, per attribute,
    and "[attr]" for each of those attributes (and `hidden`) that some element has."""

    def __init__(self, root) -> None:
        values: dict[str, set] = {}
        for name in _PRESENCE:  # one query per attribute, reading only it: half the time of all attributes
            nodes = root.css(f"[{name}]")
            if nodes:
                values.setdefault("", set()).add(f"[{name}]")
                found = values.setdefault(name, set())
                for node in nodes:
                    value = node.attrs.get(name)
                    if value:
                        found.add(value)
        self.texts = {name: " ".join(found).lower() for name, found in values.items() if found or not name}
        self._has: dict[tuple[str, str], bool] = {}  # needle -> its literal is in the page (lists share needles)
        self._held: dict[str, tuple[set[str], frozenset[str]]] = {}  # attribute -> _Literals.present

    def may_match(self, selector: str) -> bool:
        found = needle(selector)
        return found is None or self._present(found)

    def keep(self, selectors: list[str]) -> str:
        """The selectors of a list that may match this page, joined into one selector list."""
        has, kept = self._has, []
        for found, selector in _needles_of(selectors):
            if found is not None:  # `_present`'s memo, written out: it runs for each selector of every list
                present = has.get(found)
                if present is None:
                    present = self._present(found)
                if not present:
                    continue
            kept.append(selector)
        return ", ".join(kept)

    def _present(self, found: tuple[str, str]) -> bool:
        """Whether the needle's literal is in a value of its attribute (asked once per page)."""
        has = self._has.get(found)
        if has is None:
            attr, literal = found
            held = self._held.get(attr)
            if held is None:
                held = self._held[attr] = _LITERALS.present(attr, self.texts.get(attr, ""))
            present, looked_for = held
            has = literal in present if literal in looked_for else literal in self.texts.get(attr, "")
            self._has[found] = has
        return has


_LISTS: dict[int, tuple[list[str], list]] = {}  # id of a selector list -> (the list, its needles)


def _needles_of(selectors: list[str]) -> list[tuple[tuple[str, str] | None, str]]:
    """(needle, selector) of each selector of a list, worked out once per list: the lists are the
    data files' and the profiles', never changed once loaded (kept here with their needles, so an
    id is never reused); past 256 lists, a list is read again at each call."""
    known = _LISTS.get(id(selectors))
    if known is not None and known[0] is selectors:
        return known[1]
    needles = [(needle(s), s) for s in selectors]
    if len(_LISTS) < 256:
        _LISTS[id(selectors)] = (selectors, needles)
    return needles


def first_css(root, selector: str):
    """The first element matching a selector from a data file, or None (a bad selector in a data
    file must not take the page down)."""
    try:
        return root.css_first(selector)
    except Exception:  # noqa: BLE001 - see the docstring
        return None
