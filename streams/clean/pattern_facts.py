"""What a line rule's regex needs of a line, read from its parsed pattern (Python's own parser).

Line rules (rules.LineRules) are many, a line is furniture if any matches, and Python's engine
tries every alternative of every rule; most lines match none. Two facts let most rules be skipped:
- `opening`: the characters a match can open with. A rule anchored at the line start
  (`^\\s*Copyright`: whitespace, `C` or `c`) is tried only on lines opening with one of them.
- `needed`: literals one of which every match contains (`sign up` somewhere in the line).
Both are supersets, never a reason to skip a line the rule matches: where the pattern does not say
(a `.`, a `\\w`, a back-reference), any character opens it and no literal is needed, and for a
rule that ignores case a cased character is left to the engine's own case folding.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]  # the parser's opcodes (re's internals, 3.11+)
from re import _parser  # type: ignore[attr-defined]

# \s as Python's engine reads it in a str pattern: every whitespace character is below U+3001.
_SPACE = [(c, c) for c in range(0x3001) if chr(c).isspace()]
# \d (every decimal digit) within these ranges: ASCII's, then none before U+0660 (Arabic-Indic) and
# none among the Hangul syllables (a test checks them against the engine's own \\d).
_DIGIT = [(0x30, 0x39), (0x660, 0xABFF), (0xD7A4, 0x10FFFF)]


# The only characters outside ASCII that Python's engine, ignoring case, takes for ASCII letters
# (a test checks every code point): dotted and dotless I, the long s, the Kelvin sign.
_ASCII_FOLDS = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}
_WIDE = 256  # code points: a range this wide is tested by its ends, a narrower one by its members


class Opening:
    """The first characters a pattern's match can have: code point ranges, and whether some part
    of the pattern ignores case."""

    def __init__(self, ranges: list[tuple[int, int]], ignore_case: bool) -> None:
        self.ranges = ranges
        self.ignore_case = ignore_case
        # asked for every new first character of a line: a set of the narrow ranges' members, a
        # short list of the wide ones (`[가-힣]`, `\d`)
        self._codes = frozenset(c for lo, hi in ranges if hi - lo < _WIDE for c in range(lo, hi + 1))
        self._wide = [(lo, hi) for lo, hi in ranges if hi - lo >= _WIDE]
        # ASCII letters a member outside ASCII stands for when case is ignored (`K` for `k`)
        self._folds_to = {letter for code, letter in _ASCII_FOLDS.items() if self._has(code)} if ignore_case else set()

    def admits(self, ch: str) -> bool:
        """Whether a match can open with the character `ch`."""
        if self._has(ord(ch)):
            return True
        if not self.ignore_case or ch.lower() == ch.upper():
            return False  # an uncased character (Hangul, digits, marks) is matched as it is
        if not ch.isascii():
            return True  # a cased letter outside ASCII: its case partners are many; admitted, to be safe
        lower = ch.lower()
        return self._has(ord(lower)) or self._has(ord(ch.upper())) or lower in self._folds_to

    def _has(self, code: int) -> bool:
        if code in self._codes:
            return True
        for lo, hi in self._wide:
            if lo <= code <= hi:
                return True
        return False


def opening(pattern: str) -> Opening | None:
    """The characters a match of `pattern` can open with; None where any character may open one
    (or the pattern may match the empty string, or it cannot be read here)."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    ranges, nullable = _starts(list(parsed))
    if ranges is None or nullable:
        return None
    return Opening(ranges, _ignores_case(pattern, parsed))


@lru_cache(maxsize=1024)
def _parsed(pattern: str):
    """The pattern as Python's parser reads it (read once for all the facts asked of it); None
    where the parser refuses it (the pattern is compiled, and refused, where it is used)."""
    try:
        return _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - see the docstring
        return None


def _ignores_case(pattern: str, parsed) -> bool:
    """Whether some part of the pattern ignores case: its flags, or an inline `(?i...)` group."""
    return bool(parsed is not None and parsed.state.flags & re.IGNORECASE) or _CASE_FLAG.search(pattern) is not None


_CASE_FLAG = re.compile(r"\(\?[a-zA-Z-]*i[a-zA-Z-]*[:)]")  # `(?i)`, `(?i:`, `(?ai-m:` (over-read: safe)


def _starts(items: list) -> tuple[list[tuple[int, int]] | None, bool]:
    """(ranges of the first characters of these parsed items' matches, None for any; whether
    they can match the empty string)."""
    ranges: list[tuple[int, int]] = []
    for op, av in items:
        if op is sre.AT or op is sre.ASSERT or op is sre.ASSERT_NOT:
            continue  # zero-width (`^`, `\b`, a lookaround): the next item opens the match
        if op is sre.LITERAL:
            return ranges + [(av, av)], False
        if op is sre.IN:
            found = _class(av)
            return (None if found is None else ranges + found), False
        if op is sre.SUBPATTERN:
            found, nullable = _starts(list(av[-1]))
        elif op is sre.ATOMIC_GROUP:
            found, nullable = _starts(list(av))
        elif op is sre.BRANCH:
            found, nullable = [], False
            for branch in av[1]:
                got, empty = _starts(list(branch))
                if got is None:
                    return None, False
                found += got
                nullable = nullable or empty
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _high, sub = av
            found, nullable = _starts(list(sub))
            nullable = nullable or low == 0
        else:  # `.`, a negated literal, a back-reference, a conditional: any character
            return None, False
        if found is None:
            return None, False
        ranges += found
        if not nullable:
            return ranges, False
    return ranges, True


def _class(items: list) -> list[tuple[int, int]] | None:
    """The ranges of a character class; None where it is negated or names a category other than \\s."""
    ranges: list[tuple[int, int]] = []
    for op, av in items:
        if op is sre.LITERAL:
            ranges.append((av, av))
        elif op is sre.RANGE:
            ranges.append(av)
        elif op is sre.CATEGORY and av is sre.CATEGORY_SPACE:
            ranges += _SPACE
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            ranges += _DIGIT
        else:  # NEGATE, \w, \S...: any character, to be safe
            return None
    return ranges


def anchored(pattern: str) -> bool:
    """Whether every top-level alternative of `pattern` starts at the line start (`^`): then its
    `match` is its `search`. (`^a|b` is not: `b` is searched anywhere in the line.)"""
    parsed = _parsed(pattern)
    if parsed is None:
        return False
    return all(items and items[0] in _LINE_START for items in _alternatives(list(parsed)))


_LINE_START = ((sre.AT, sre.AT_BEGINNING), (sre.AT, sre.AT_BEGINNING_STRING))  # `^`, `\\A`


def _alternatives(items: list) -> list[list]:
    """A sequence's top-level alternatives: through a group or a branch that is the whole of it."""
    if len(items) == 1 and items[0][0] is sre.SUBPATTERN:
        return _alternatives(list(items[0][1][-1]))
    if len(items) == 1 and items[0][0] is sre.BRANCH:
        return [alt for branch in items[0][1][1] for alt in _alternatives(list(branch))]
    return [items]


def needed(pattern: str) -> tuple[tuple[str, ...] | None, bool]:
    """(literals one of which every match of `pattern` contains, case-folded where some part of
    the pattern ignores case (to be found in the case-folded line), or None where no literal of
    `_MIN_RUN` characters is needed; whether it ignores case)."""
    parsed = _parsed(pattern)
    ignore_case = _ignores_case(pattern, parsed)
    if parsed is None:
        return None, ignore_case
    found = _needed_in(list(parsed))
    if found is None:
        return None, ignore_case
    return tuple(dict.fromkeys(f.casefold() for f in found) if ignore_case else found), ignore_case


_MIN_RUN = 2  # characters: a shorter literal is in too many lines to be worth the test
_LONG_ENOUGH = 6  # characters: literals this long are rare enough; then fewer tests are better
_MOST_LITERALS = 40  # more substring tests than this cost more than the regex's own search


def _needed_in(items: list) -> tuple[str, ...] | None:
    """Literals one of which every match of a parsed sequence contains: a run of literal
    characters it always matches, or, for a group or branch it always passes through, one literal
    of each alternative; of these, the choice whose shortest literal is longest (up to
    `_LONG_ENOUGH`), then the one of fewest literals."""
    options: list[tuple[str, ...]] = [(run,) for run in _runs(items) if len(run) >= _MIN_RUN]
    for op, av in items:
        if op is sre.SUBPATTERN or op is sre.BRANCH:
            branches = [list(av[-1])] if op is sre.SUBPATTERN else [list(b) for b in av[1]]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            branches = [list(av[2])]
        else:
            continue
        found: list[str] = []
        for branch in branches:
            got = _needed_in(branch)
            if got is None:
                break
            found += got
        else:
            options.append(tuple(found))
    options = [option for option in options if len(option) <= _MOST_LITERALS]
    if not options:
        return None
    return max(options, key=lambda option: (min(_LONG_ENOUGH, *map(len, option)), -len(option)))


def _runs(items: list) -> list[str]:
    """The runs of literal characters a sequence matches one after another (a zero-width item
    inside a run does not break it: the characters are still adjacent in the line)."""
    runs, run = [], ""
    for op, av in items:
        if op is sre.LITERAL:
            run += chr(av)
        elif op is not sre.AT and op is not sre.ASSERT and op is not sre.ASSERT_NOT:
            runs.append(run)
            run = ""
    runs.append(run)
    return runs


def prefixes(pattern: str, size: int = 2) -> tuple[frozenset[str], bool] | None:
    """(the first `size` characters every match of `pattern` has after the line start and any
    leading whitespace, lowercased where the pattern ignores case; whether it does), where they are
    ASCII literals on every path (`^\\s*(?:tags?|kategorie)`: `ta`, `ka`); None where some match may
    open otherwise (a class, an optional start, a letter outside ASCII, a space)."""
    parsed = _parsed(pattern)
    if parsed is None:
        return None
    ignore_case = _ignores_case(pattern, parsed)
    try:
        found = _prefixes(list(parsed), size, True)
    except RecursionError:  # a repeat of something that may be empty (`(?:\s*)*x`) unrolls for ever
        return None
    if not found or any(not p.isascii() or not p.isprintable() or " " in p for p in found):
        return None
    return frozenset(p.lower() for p in found) if ignore_case else frozenset(found), ignore_case


_PREFIXES_MOST = 64  # prefixes of one rule: more, and the rule is left to its first character


def _prefixes(items: list, size: int, start: bool) -> set[str] | None:
    """The strings of `size` characters a match of the sequence `items` opens with (after `^` and
    leading whitespace, while `start`), or None where a match may open with something else."""
    if size == 0:
        return {""}
    if not items:
        return None  # the match may end before `size` characters
    (op, av), rest = items[0], items[1:]
    if op is sre.AT or (start and op is sre.MAX_REPEAT and av[0] == 0 and list(av[2]) == _SPACES):
        return _prefixes(rest, size, start)  # `^`, `\b`; `\s*` before anything (the line is read stripped)
    if op is sre.LITERAL:
        tails = _prefixes(rest, size - 1, False)
        return None if tails is None else {chr(av) + tail for tail in tails}
    if op is sre.SUBPATTERN:
        return _prefixes(list(av[-1]) + rest, size, start)
    if op is sre.BRANCH:
        found: set[str] = set()
        for branch in av[1]:
            got = _prefixes(list(branch) + rest, size, start)
            if got is None or len(found | got) > _PREFIXES_MOST:
                return None
            found |= got
        return found
    if op is sre.MAX_REPEAT or op is sre.MIN_REPEAT:
        low, high, sub = av
        if high == 0:
            return _prefixes(rest, size, start)
        again = [(op, (max(low - 1, 0), high - 1 if high != sre.MAXREPEAT else high, sub))]
        once = _prefixes(list(sub) + again + rest, size, start)
        if low > 0 or once is None:
            return once
        skipped = _prefixes(rest, size, start)
        return None if skipped is None or len(once | skipped) > _PREFIXES_MOST else once | skipped
    return None


_SPACES = _parser.parse(r"\s").data  # the one item of a `\s` class, as the parser gives it


def alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of `pattern`, each a pattern of its own with the flags it was
    under (`(?i)^a|^b` -> `(?i:^a)`, `(?i:^b)`): a line matches the pattern where it matches one of
    them, and each has its own opening and literals. `[pattern]` where it has one alternative, or
    where a part does not compile alone (a back-reference to another part)."""
    wrap, body = "(?:%s)", pattern
    if body.startswith("(?i)"):
        wrap, body = "(?i:%s)", body[4:]
    for opener in ("(?i:", "(?:"):
        if body.startswith(opener) and _closing(body) == len(body) - 1:
            wrap = "(?i:%s)" if opener == "(?i:" or wrap == "(?i:%s)" else wrap
            body = body[len(opener) : -1]
            break
    parts, start = [], 0
    for i, ch, depth in _structure(body):
        if ch == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    if len(parts) < 2:
        return [pattern]
    split = [wrap % part for part in parts]
    if any(_parsed(part) is None for part in split):  # the parser refuses a reference to another part's group
        return [pattern]
    return split


def _closing(group: str) -> int:
    """Index of the parenthesis closing the one at group[0]."""
    return next((i for i, ch, depth in _structure(group) if ch == ")" and depth == 0), -1)


def _structure(pattern: str):
    """(index, character, parenthesis depth after it) of each character of a pattern that is
    neither escaped nor inside a character class."""
    depth, i, end = 0, 0, len(pattern)
    while i < end:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":  # a class: to its closing bracket (a `]` first in it, or escaped, is a member)
            j = i + 1
            j += pattern.startswith("^", j)
            j += pattern.startswith("]", j)
            while j < end and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        depth += (ch == "(") - (ch == ")")
        yield i, ch, depth
        i += 1
