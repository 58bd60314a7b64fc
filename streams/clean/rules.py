"""Load the cleaner's data files once: text rules and site profiles (streams/clean/data/)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent / "data"


def load_yaml(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


_LEADING_LITERAL = re.compile(r"(?:\\b)?([\w ]{2,})")


class LineRules:
    """Line rules (regexes) that say whether a whole line is of a kind (junk, chrome...).

    Rules anchored at the line start are joined into one regex (one `match` instead of one call
    each); each other rule that starts with a literal is only searched when a plain substring
    test finds that literal (Python's regex engine scans ~50x slower than `in`)."""

    def __init__(self, patterns: list[str]) -> None:
        scoped = [f"(?i:{p[4:]})" if p.startswith("(?i)") else p for p in patterns]
        anchored = [p for p in scoped if p.startswith(("^", "(?i:^"))]
        self.start = re.compile("|".join(f"(?:{p})" for p in anchored) or "(?!)")
        self.anywhere = [(*_literal(p), re.compile(p)) for p in scoped if p not in anchored]

    def any_line(self, text: str) -> bool:
        if self.start.match(text) is not None:
            return True
        lower = None
        for literal, ignore_case, pattern in self.anywhere:
            if literal:
                if ignore_case:
                    lower = text.lower() if lower is None else lower
                if literal not in (lower if ignore_case else text):
                    continue
            if pattern.search(text) is not None:
                return True
        return False


def _literal(pattern: str) -> tuple[str | None, bool]:
    """A substring every match of `pattern` contains (its leading literal run, without the last
    character, which a quantifier may follow), lowercased for `(?i:` rules; or None (also for
    any rule with an alternation)."""
    ignore_case = pattern.startswith("(?i:")
    if "|" in pattern:  # an alternative may not contain the literal
        return None, ignore_case
    match = _LEADING_LITERAL.match(pattern[4:] if ignore_case else pattern)
    literal = match.group(1)[:-1] if match else ""
    return (literal.lower() if ignore_case else literal) or None, ignore_case


RULES: dict = load_yaml("text_rules.yaml")
