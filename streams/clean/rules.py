"""Load the cleaner's data files once: text rules and site profiles (streams/clean/data/)."""

from __future__ import annotations

import re
from pathlib import Path

import ahocorasick

from streams.yaml_data import load_data_file

from . import rule_cache
from .pattern_facts import Opening, alternatives, anchored, needed, opening, prefixes

DATA_DIR = Path(__file__).parent / "data"


def load_yaml(name: str) -> dict:
    return load_data_file(DATA_DIR / name)


class LineRules:
    """Line rules (regexes) that say whether a whole line is of a kind (junk, chrome...).

    A rule anchored at the line start is only tried on the lines it could match: where its
    matches open with two ASCII letters on every path (`^\\s*(?:tags?|kategorie)`), on the lines
    whose first two characters (past leading whitespace) are one of those pairs
    (`pattern_facts.prefixes`), else on the lines whose first character it can open with
    (`pattern_facts.opening`). Each other rule, and an anchored one that may open with any
    character, is only searched when a plain substring test finds a literal it needs
    (`pattern_facts.needed`; Python's regex engine scans ~50x slower than `in`)."""

    def __init__(self, patterns: list[str], kept_as: str | None = None) -> None:
        """`kept_as`: the name under which the rules' facts and compiled patterns are kept between
        runs (rule_cache); unnamed, they are read from the patterns at every start."""
        kept = rule_cache.load(kept_as, patterns) if kept_as else None
        if kept is not None:
            try:
                self._build(*kept)
                return
            except (TypeError, ValueError, KeyError, IndexError):  # facts not of this shape: read them again
                pass
        facts = _facts(patterns)
        every = [rule[0] for rule in facts["anchored"]] + [rule[2] for rule in facts["anywhere"]]
        self._build(facts, rule_cache.keep(kept_as, patterns, facts, every) if kept_as else {})

    def _build(self, facts: dict, compiled: dict[str, re.Pattern]) -> None:
        self._compiled = compiled  # the rules not in it are compiled when a line first needs them
        self.anchored = [
            (Opening([tuple(r) for r in ranges], folds), p) for p, ranges, folds, _, _ in facts["anchored"]
        ]
        by_pair: dict[str, list[str]] = {}  # two ASCII characters (lowercased if folded) -> rules
        self._unpaired = []  # anchored rules without such pairs: by their opening
        for (opens, pattern), (_, _, _, pairs, folded) in zip(self.anchored, facts["anchored"]):
            if pairs is None:
                self._unpaired.append((opens, pattern))
                continue
            for pair in pairs:
                by_pair.setdefault(("i" if folded else "=") + pair, []).append(pattern)
        self._by_pair = by_pair
        self._paired: dict[str, tuple[re.Pattern, ...]] = {}  # a line's first two characters -> paired rules
        self._opening: dict[tuple[str, bool], tuple[re.Pattern, ...]] = {}  # (first character, all?) -> rules
        # `search` of an anchored rule still matches at the line start only (`^` without re.M)
        self.anywhere = [
            (tuple(lits) if lits is not None else None, folded, p) for lits, folded, p in facts["anywhere"]
        ]
        self._always = [p for literals, _, p in self.anywhere if not literals]  # no literal to test first
        # the others by the literals they need: one automaton per case finds those a line holds in one scan
        self._exact = _automaton([(lit, p) for lits, folded, p in self.anywhere if lits and not folded for lit in lits])
        self._folded = _automaton([(lit, p) for lits, folded, p in self.anywhere if lits and folded for lit in lits])

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


def _facts(patterns: list[str]) -> dict:
    """What the rules need of a line, as data (kept between runs by rule_cache): each top-level
    alternative of a pattern is a rule of its own (with its own opening and literals).
    `anchored`: [rule, the ranges it opens with, whether they fold case, its two-character
    prefixes or None, whether those are lowercased] of each rule anchored at the line start with
    a known opening; `anywhere`: [the literals it needs or None, folded?, rule] of each other one."""
    scoped = [f"(?i:{p[4:]})" if p.startswith("(?i)") else p for p in patterns]
    scoped = list(dict.fromkeys(part for p in scoped for part in alternatives(p)))
    anchored_rules, anywhere = [], []
    for pattern in scoped:
        opens = opening(pattern) if anchored(pattern) else None
        if opens is None:
            literals, folded = needed(pattern)
            anywhere.append([literals, folded, pattern])
            continue
        paired = prefixes(pattern)
        pairs, folded = (sorted(paired[0]), paired[1]) if paired is not None else (None, False)
        anchored_rules.append([pattern, opens.ranges, opens.ignore_case, pairs, folded])
    return {"anchored": anchored_rules, "anywhere": anywhere}


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
