"""Load the cleaner's data files once: text rules and site profiles (streams/clean/data/)."""

from __future__ import annotations

import re
from pathlib import Path

from streams.yaml_data import parse_yaml

DATA_DIR = Path(__file__).parent / "data"


def load_yaml(name: str) -> dict:
    return parse_yaml((DATA_DIR / name).read_text(encoding="utf-8"))


_LEADING_LITERAL = re.compile(r"(?:\\b)?([\w ]{2,})")


class LineRules:
    """Line rules (regexes) that say whether a whole line is of a kind (junk, chrome...).

    Rules anchored at the line start are joined into one regex (one `match` instead of one call
    each); each other rule is only searched when a plain substring test finds one of the literals
    its matches must contain (Python's regex engine scans ~50x slower than `in`)."""

    def __init__(self, patterns: list[str]) -> None:
        scoped = [f"(?i:{p[4:]})" if p.startswith("(?i)") else p for p in patterns]
        anchored = [p for p in scoped if p.startswith(("^", "(?i:^"))]
        self.start = re.compile("|".join(f"(?:{p})" for p in anchored) or "(?!)")
        self.anywhere = [(*_literals(p), re.compile(p)) for p in scoped if p not in anchored]

    def any_line(self, text: str) -> bool:
        if self.start.match(text) is not None:
            return True
        lower: str | None = None
        for literals, ignore_case, pattern in self.anywhere:
            if literals:
                if ignore_case:
                    lower = text.lower() if lower is None else lower
                haystack = lower if ignore_case and lower is not None else text
                for literal in literals:  # a plain loop: a generator costs more than the tests
                    if literal in haystack:
                        break
                else:
                    continue
            if pattern.search(text) is not None:
                return True
        return False


def _literals(pattern: str) -> tuple[tuple[str, ...] | None, bool]:
    """Substrings one of which every match of `pattern` contains: the leading literal run of each
    top-level alternative (without its last character, which a quantifier may follow),
    lowercased for `(?i:` rules; None when some alternative starts with no literal."""
    ignore_case = pattern.startswith("(?i:")
    body = pattern[4:-1] if ignore_case else pattern
    alternatives = _top_level_alternatives(body)
    if len(alternatives) == 1 and alternatives[0].startswith("(") and not alternatives[0].startswith("(?"):
        inner = alternatives[0]
        if _top_level_alternatives(inner[1:-1]) and _closing(inner) == len(inner) - 1:
            alternatives = _top_level_alternatives(inner[1:-1])
    found = []
    for alternative in alternatives:
        match = _LEADING_LITERAL.match(alternative)
        literal = match.group(1)[:-1] if match else ""
        if not literal:
            return None, ignore_case
        found.append(literal.lower() if ignore_case else literal)
    return tuple(found), ignore_case


def _top_level_alternatives(body: str) -> list[str]:
    parts, start = [], 0
    for i, ch, depth in _structure(body):
        if ch == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


def _closing(group: str) -> int:
    """Index of the parenthesis closing the one at group[0]."""
    return next((i for i, ch, depth in _structure(group) if ch == ")" and depth == 0), -1)


def _structure(pattern: str):
    """(index, character, parenthesis depth after it) of each regex character that is neither
    escaped nor inside a character class."""
    depth, in_class, i = 0, False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        else:
            depth += (ch == "(") - (ch == ")")
            yield i, ch, depth
        i += 1


RULES: dict = load_yaml("text_rules.yaml")
