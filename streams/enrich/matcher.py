"""One compiled Aho-Corasick automaton over every surface form (names, officials, topic terms).

Text is scanned once per field; matching is case-insensitive for ASCII (the text is lowercased
with a length-preserving ASCII-only table, so offsets stay valid) and case-sensitive patterns
(acronyms such as MSIT, AI) are checked against the original text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

import ahocorasick

_ASCII_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


def ascii_lower(text: str) -> str:
    """Lowercase with the same length as `text`, so offsets into it are offsets into `text`.

    str.lower is fast but may change the length of a few characters (İ); then only A-Z are lowered."""
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


@dataclass(frozen=True, slots=True)
class Pattern:
    text: str
    payload: Any
    case_sensitive: bool = False


class Hit(NamedTuple):
    start: int
    end: int
    payloads: tuple[Any, ...]


class CompiledMatcher:
    """All patterns in one automaton; `scan` returns every (possibly overlapping) hit."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        grouped: dict[str, list[Pattern]] = {}
        for p in patterns:
            grouped.setdefault(ascii_lower(p.text), []).append(p)
        self._automaton = ahocorasick.Automaton()
        for key, group in grouped.items():
            payloads = tuple(p.payload for p in group)
            checked = tuple(group) if any(p.case_sensitive for p in group) else None
            self._automaton.add_word(key, (len(key), payloads, checked))
        self.size = len(grouped)
        if grouped:
            self._automaton.make_automaton()

    def scan(self, text: str) -> list[Hit]:
        if not self.size or not text:
            return []
        hits = []
        for last, (length, payloads, checked) in self._automaton.iter(ascii_lower(text)):
            start, end = last - length + 1, last + 1
            if checked is not None:
                payloads = tuple(p.payload for p in checked if not p.case_sensitive or text[start:end] == p.text)
                if not payloads:
                    continue
            hits.append(Hit(start, end, payloads))
        return hits


def longest_non_overlapping(spans: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """Leftmost-longest selection: of overlapping spans keep the earliest, then the longest."""
    chosen: list[tuple[int, int, Any]] = []
    last_end = -1
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if span[0] >= last_end:
            chosen.append(span)
            last_end = span[1]
    return chosen
