"""Load the cleaner's data files once: text rules and site profiles (streams/clean/data/)."""

from __future__ import annotations

import re
from pathlib import Path

from streams.yaml_data import parse_yaml

from .pattern_facts import anchored, needed, opening

DATA_DIR = Path(__file__).parent / "data"


def load_yaml(name: str) -> dict:
    return parse_yaml((DATA_DIR / name).read_text(encoding="utf-8"))


class LineRules:
    """Line rules (regexes) that say whether a whole line is of a kind (junk, chrome...).

    A rule anchored at the line start is only tried on a line whose first character it can open
    with (`pattern_facts.opening`); each other rule, and an anchored one that may open with any
    character, is only searched when a plain substring test finds a literal it needs
    (`pattern_facts.needed`; Python's regex engine scans ~50x slower than `in`)."""

    def __init__(self, patterns: list[str]) -> None:
        scoped = [f"(?i:{p[4:]})" if p.startswith("(?i)") else p for p in patterns]
        opened = {p: opening(p) for p in scoped if anchored(p)}
        self.anchored = [(opens, re.compile(p)) for p, opens in opened.items() if opens is not None]
        self._by_first: dict[str, tuple[re.Pattern, ...]] = {}  # a line's first character -> its rules
        # `search` of an anchored rule still matches at the line start only (`^` without re.M)
        self.anywhere = [(*needed(p), re.compile(p)) for p in scoped if opened.get(p) is None]

    def starting_with(self, first: str) -> tuple[re.Pattern, ...]:
        """The anchored rules that can match a line opening with the character `first` ("": an
        empty line, which none of them matches: each needs a first character)."""
        found = self._by_first.get(first)
        if found is None:
            found = self._by_first[first] = tuple(
                rule for opens, rule in self.anchored if first and opens.admits(first)
            )
        return found

    def any_line(self, text: str) -> bool:
        for rule in self.starting_with(text[:1]):
            if rule.match(text) is not None:
                return True
        lower: str | None = None
        for literals, ignore_case, pattern in self.anywhere:
            if literals:
                if ignore_case:
                    lower = text.casefold() if lower is None else lower
                haystack = lower if ignore_case and lower is not None else text
                for literal in literals:  # a plain loop: a generator costs more than the tests
                    if literal in haystack:
                        break
                else:
                    continue
            if pattern.search(text) is not None:
                return True
        return False


RULES: dict = load_yaml("text_rules.yaml")
