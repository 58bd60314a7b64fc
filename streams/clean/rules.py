"""Load the cleaner's data files once: text rules and site profiles (streams/clean/data/)."""

from __future__ import annotations

import re
from pathlib import Path

import ahocorasick

from streams.yaml_data import parse_yaml

from .pattern_facts import alternatives, anchored, needed, opening, prefixes

DATA_DIR = Path(__file__).parent / "data"


def load_yaml(name: str) -> dict:
    return parse_yaml((DATA_DIR / name).read_text(encoding="utf-8"))


class LineRules:
    """Line rules (regexes) that say whether a whole line is of a kind (junk, chrome...).

    A rule anchored at the line start is only tried on the lines it could match: where its
    matches open with two ASCII letters on every path (`^\\s*(?:tags?|kategorie)`), on the lines
    whose first two characters (past leading whitespace) are one of those pairs
    (`pattern_facts.prefixes`), else on the lines whose first character it can open with
    (`pattern_facts.opening`). Each other rule, and an anchored one that may open with any
    character, is only searched when a plain substring test finds a literal it needs
    (`pattern_facts.needed`; Python's regex engine scans ~50x slower than `in`)."""

    def __init__(self, patterns: list[str]) -> None:
        # each top-level alternative a rule of its own (with its own opening and literals)
        scoped = [f"(?i:{p[4:]})" if p.startswith("(?i)") else p for p in patterns]
        scoped = list(dict.fromkeys(part for p in scoped for part in alternatives(p)))
        opened = {p: opening(p) for p in scoped if anchored(p)}
        self.anchored = [(opens, p) for p, opens in opened.items() if opens is not None]
        by_pair: dict[str, list[str]] = {}  # two ASCII characters (lowercased if folded) -> rules
        self._unpaired = []  # anchored rules without such pairs: by their opening
        for opens, pattern in self.anchored:
            paired = prefixes(pattern)
            if paired is None:
                self._unpaired.append((opens, pattern))
                continue
            pairs, folded = paired
            for pair in pairs:
                by_pair.setdefault(("i" if folded else "=") + pair, []).append(pattern)
        self._by_pair = by_pair
        self._paired: dict[str, tuple[re.Pattern, ...]] = {}  # a line's first two characters -> paired rules
        self._opening: dict[tuple[str, bool], tuple[re.Pattern, ...]] = {}  # (first character, all?) -> rules
        # `search` of an anchored rule still matches at the line start only (`^` without re.M)
        self.anywhere = [(*needed(p), p) for p in scoped if opened.get(p) is None]
        self._always = [p for literals, _, p in self.anywhere if not literals]  # no literal to test first
        # the others by the literals they need: one automaton per case finds those a line holds in one scan
        self._exact = _automaton([(lit, p) for lits, folded, p in self.anywhere if lits and not folded for lit in lits])
        self._folded = _automaton([(lit, p) for lits, folded, p in self.anywhere if lits and folded for lit in lits])
        self._compiled: dict[str, re.Pattern] = {}  # a rule is compiled when a line first needs it

    def _rule(self, pattern: str) -> re.Pattern:
        found = self._compiled.get(pattern)
        if found is None:
            found = self._compiled[pattern] = re.compile(pattern)
        return found

    def anchored_for(self, text: str) -> tuple[tuple[re.Pattern, ...], tuple[re.Pattern, ...]]:
        """The anchored rules that can match a line opening as `text` does: (those read by the
        line's first two characters, those read by its first character)."""
        first = text[:1]
        pair = text.lstrip()[:2]
        if len(pair) < 2 or not pair.isascii():  # too short, or outside ASCII (which case folding may map)
            return (), self._by_opening(first, True)
        paired = self._paired.get(pair)
        if paired is None:
            by_pair = self._by_pair
            paired = self._paired[pair] = tuple(
                map(self._rule, by_pair.get("=" + pair, []) + by_pair.get("i" + pair.lower(), []))
            )
        return paired, self._by_opening(first, False)

    def _by_opening(self, first: str, every: bool) -> tuple[re.Pattern, ...]:
        """The anchored rules (`every` one, or those without pairs) that can open with `first`."""
        found = self._opening.get((first, every))
        if found is None:
            rules = self.anchored if every else self._unpaired
            found = self._opening[(first, every)] = tuple(
                self._rule(p) for opens, p in rules if first and opens.admits(first)
            )
        return found

    def any_line(self, text: str) -> bool:
        for rules in self.anchored_for(text):
            for rule in rules:
                if rule.match(text) is not None:
                    return True
        for pattern in self._always:
            if self._rule(pattern).search(text) is not None:
                return True
        for automaton, haystack in ((self._exact, text), (self._folded, text.casefold())):
            if automaton is not None:
                for _, patterns in automaton.iter(haystack):
                    for pattern in patterns:
                        if self._rule(pattern).search(text) is not None:
                            return True
        return False


def _automaton(literals: list[tuple[str, str]]):
    """An Aho-Corasick automaton of the literals (pyahocorasick): each found gives the rules that
    need it, in their order."""
    if not literals:
        return None
    by_literal: dict[str, dict[str, None]] = {}
    for literal, pattern in literals:
        by_literal.setdefault(literal, {})[pattern] = None
    automaton = ahocorasick.Automaton()
    for literal, patterns in by_literal.items():
        automaton.add_word(literal, tuple(patterns))
    automaton.make_automaton()
    return automaton


RULES: dict = load_yaml("text_rules.yaml")
