"""The cleaner's regular expressions kept between runs, as Python keeps compiled modules (.pyc).

Python compiles a regex from its source at every start, by a parser and a code generator written
in Python. For the cleaner that was about 0.15 s of CPU per batch: 45 ms of its modules' patterns
and 25 ms of line-rule facts at every start (before a batch's workers can fork), and 65 ms of
junk-line rules compiled again in each worker. Kept in files of the user's cache, they are read
back in a few milliseconds: each pattern rebuilt from its compiled code by `_sre.compile`, the call
with which `re.compile` ends (the engine checks the code it is given), and a line list's facts
(`pattern_facts`) as data.

- `LineRules(patterns, kept_as=name)`: `load` and `keep` the facts and every compiled rule of one
  list (`line-rules-junk.json`), under a digest of its patterns.
- `Patterns(name)`: a module's patterns (`patterns-bylines.json`), each kept under its own text
  and flags; the module calls `keep()` after its last one.

Each file holds a digest of Python's version, its regex engine's, and the source of the modules
that build what is kept. Any difference, a file that does not read or does not rebuild, and the
patterns are compiled as before (and the file written again where the folder can be written). A
pattern is kept only if its rebuilt form equals what `re.compile` gives (a Pattern compares its
compiled code too).

The files live in the run cache's folder (streams/run_cache.py: `$XDG_CACHE_HOME/newsroom-streams`,
by default `~/.cache/newsroom-streams`); where it cannot be written (a read-only container), every
start compiles, as without it.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from functools import lru_cache
from pathlib import Path
from re import _compiler, _parser  # type: ignore[attr-defined]  # re's internals, 3.11+ (as pattern_facts)

import _sre
import orjson

from streams import run_cache

log = logging.getLogger(__name__)

_FORMAT = 1
_HERE = Path(__file__).parent
# the modules whose code decides what the facts are and how they are kept: an edit there is a new key
_SOURCES = (_HERE / "rule_cache.py", _HERE / "pattern_facts.py", _HERE / "rules.py")


@lru_cache(maxsize=1)
def _sources() -> bytes:
    try:
        return b"".join(source.read_bytes() for source in _SOURCES)
    except OSError:  # installed without its sources: then they cannot be edited either
        return b""


def _key(patterns: list[str]) -> str:
    digest = hashlib.sha256(orjson.dumps([_FORMAT, sys.version, _sre.MAGIC, _sre.CODESIZE, patterns]))
    digest.update(_sources())
    return digest.hexdigest()


def load(name: str, patterns: list[str]) -> tuple[dict, dict[str, re.Pattern]] | None:
    """(the facts, the compiled patterns) kept for this list of patterns, or None."""
    kept = run_cache.load(f"line-rules-{name}", _key(patterns))
    if kept is None:
        return None
    try:
        return kept["facts"], {form[0]: _rebuilt(form) for form in kept["compiled"]}
    except Exception as exc:  # noqa: BLE001 - a damaged file, or another engine's code: read them again
        log.debug("line rules %s: kept file not used (%s: %s)", name, type(exc).__name__, exc)
        return None


def keep(name: str, patterns: list[str], facts: dict, rules: list[str]) -> dict[str, re.Pattern]:
    """The rules compiled, and written with the facts of their list for the next start; {} where
    the folder cannot be written (the rules are then compiled when a line first needs them, as
    without a cache: a start that could not keep them need not compile them all)."""
    if not run_cache.writable():
        return {}
    try:
        compiled = {rule: re.compile(rule) for rule in rules}
    except re.error:  # a rule Python refuses: refused where a line needs it, as without a cache
        return {}
    forms = _forms([(rule, 0, compiled[rule]) for rule in rules])
    if forms is not None:
        run_cache.keep(f"line-rules-{name}", _key(patterns), {"facts": facts, "compiled": forms})
    return compiled


class Patterns:
    """A module's patterns kept between runs (`bylines`' 23 cost 24 ms to compile at every start):
    `compile` each as `re.compile` would (from the kept file, where it holds that very pattern),
    then `keep` once, after the module's last, to write them where some were not yet kept."""

    def __init__(self, name: str) -> None:
        self._name = f"patterns-{name}"
        kept = run_cache.load(self._name, _key([]))
        self._kept: dict[str, list] = kept if isinstance(kept, dict) else {}
        self._asked: list[tuple[str, int, re.Pattern]] = []
        self._new = False

    def compile(self, pattern: str, flags: int = 0) -> re.Pattern:
        if not isinstance(pattern, str):  # a bytes pattern: compiled, not kept (the files hold text)
            return re.compile(pattern, flags)
        form = self._kept.get(f"{int(flags)}:{pattern}")
        compiled = None
        if form is not None:
            try:
                compiled = _rebuilt(form)
            except Exception:  # noqa: BLE001 - damaged, or another engine's: compiled below
                compiled = None
        if compiled is None:
            compiled = re.compile(pattern, flags)
            self._new = True
        self._asked.append((pattern, int(flags), compiled))
        return compiled

    def keep(self) -> None:
        """Write the patterns asked so far (only they: an edited pattern's old form goes), where
        one was not kept and the folder can be written."""
        if not self._new or not run_cache.writable():
            return
        forms = _forms(self._asked)
        if forms is not None:
            run_cache.keep(
                self._name, _key([]), {f"{flags}:{p}": form for (p, flags, _), form in zip(self._asked, forms)}
            )
        self._new = False


def _forms(compiled: list[tuple[str, int, re.Pattern]]) -> list[list] | None:
    """What each pattern is rebuilt from; None where one would not rebuild as `re.compile` built it
    (another Python's internals: then nothing is kept)."""
    try:
        forms = [_form(pattern, flags) for pattern, flags, _ in compiled]
        if all(_rebuilt(form) == done for form, (_, _, done) in zip(forms, compiled)):
            return forms
    except Exception as exc:  # noqa: BLE001 - see the docstring
        log.debug("rules not kept: %s: %s", type(exc).__name__, exc)
    return None


def _form(pattern: str, flags: int) -> list:
    """What `re.compile(pattern, flags)` builds its Pattern from (re._compiler.compile, 3.11)."""
    parsed = _parser.parse(pattern, flags)
    names = parsed.state.groupdict
    index: list[str | None] = [None] * parsed.state.groups
    for group, number in names.items():
        index[number] = group
    code = _compiler._code(parsed, flags)
    return [pattern, flags | parsed.state.flags, code, parsed.state.groups - 1, names, index]


def _rebuilt(form: list) -> re.Pattern:
    pattern, flags, code, groups, names, index = form
    return _sre.compile(pattern, flags, code, groups, names, tuple(index))
