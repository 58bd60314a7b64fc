"""Line rules kept between runs (streams/clean/rule_cache.py) read back as the patterns give them,
and a kept file that is not theirs, damaged, or cannot be written is never used."""

from __future__ import annotations

import re

import orjson
import pytest

from streams import run_cache
from streams.clean import rule_cache
from streams.clean.rules import RULES, LineRules, _facts

JUNK = RULES["junk_line_patterns"]
LINES = [
    "Share on Facebook",
    "관련기사",
    "Copyright © 2024 Example Media. All rights reserved.",
    "무단전재 및 재배포 금지",
    "The minister said the budget would rise by 3 per cent next year.",
    "정부는 내년 예산을 3% 늘리겠다고 밝혔다.",
    "",
    "   ",
]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A cache folder of the test's own (the user's is never read or written here)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "newsroom-streams"


def _same_rules(kept: LineRules, fresh: LineRules) -> None:
    assert [(o.ranges, o.ignore_case, p) for o, p in kept.anchored] == [
        (o.ranges, o.ignore_case, p) for o, p in fresh.anchored
    ]
    assert kept.anywhere == fresh.anywhere
    assert sorted(kept._by_pair) == sorted(fresh._by_pair)
    for line in LINES:
        assert kept.any_line(line) == fresh.any_line(line), line


def test_kept_rules_read_back_as_the_patterns_give_them(cache):
    """The first start writes the facts and compiled patterns; the next reads them back: the
    same facts, and every pattern equal to re.compile's (a Pattern compares its compiled code)."""
    first = LineRules(JUNK, kept_as="junk")
    assert (cache / "line-rules-junk.json").is_file()
    kept = rule_cache.load("junk", JUNK)
    assert kept is not None
    facts, compiled = kept
    assert facts == orjson.loads(orjson.dumps(_facts(JUNK)))
    every = [rule[0] for rule in facts["anchored"]] + [rule[2] for rule in facts["anywhere"]]
    assert sorted(compiled) == sorted(every)
    assert all(compiled[rule] == re.compile(rule) for rule in every)
    again = LineRules(JUNK, kept_as="junk")
    assert again._compiled.keys() == compiled.keys()  # nothing left to compile in a worker
    _same_rules(again, LineRules(JUNK))
    _same_rules(first, LineRules(JUNK))


def test_a_kept_file_of_other_patterns_is_not_used(cache):
    """An editor's change to the rules gives another key: the file is read again, not trusted."""
    LineRules([r"^\s*share on facebook\s*$"], kept_as="junk")
    assert rule_cache.load("junk", JUNK) is None
    rules = LineRules(JUNK, kept_as="junk")
    assert rules.any_line("관련기사") and rules.any_line("무단전재 및 재배포 금지")
    assert rule_cache.load("junk", JUNK) is not None  # written again for these patterns


def _with_value(data: bytes, **changed) -> bytes:
    kept = orjson.loads(data)
    return orjson.dumps({**kept, "value": {**kept["value"], **changed}})


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short (a full disk, a killed writer)
        lambda data: _with_value(data, compiled=[["^x", 32, [99, 99, 99], 0, {}, []]]),
        lambda data: _with_value(data, facts={"anchored": 1}),
    ],
    ids=["truncated", "bad-code", "bad-facts"],
)
def test_a_damaged_kept_file_is_read_again(cache, damage):
    LineRules(JUNK, kept_as="junk")
    path = cache / "line-rules-junk.json"
    path.write_bytes(damage(path.read_bytes()))
    rules = LineRules(JUNK, kept_as="junk")
    _same_rules(rules, LineRules(JUNK))
    assert rule_cache.load("junk", JUNK) is not None  # and kept whole again


def test_rules_work_where_the_cache_cannot_be_written(tmp_path, monkeypatch):
    """A home that cannot be written (a read-only container): no file, and the rules compiled as
    lines first need them, as without a cache."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    rules = LineRules(JUNK, kept_as="junk")
    assert rules._compiled == {}
    _same_rules(rules, LineRules(JUNK))


PATTERNS = [
    (r"(?P<y>(?:19|20)\d{2})\s*[./]\s*(?P<m>\d{1,2})", re.I),
    (r"^[김이박][가-힣]{2}$", 0),
    (r"\bshare (?:on|via) (?:facebook|x)\b", re.I | re.M),
]


def test_a_modules_patterns_read_back_as_re_compile_gives_them(cache):
    first = rule_cache.Patterns("sample")
    built = [first.compile(pattern, flags) for pattern, flags in PATTERNS]
    first.keep()
    assert (cache / "patterns-sample.json").is_file()
    again = rule_cache.Patterns("sample")
    read = [again.compile(pattern, flags) for pattern, flags in PATTERNS]
    assert not again._new  # every one from the file
    for (pattern, flags), old, new in zip(PATTERNS, built, read):
        assert new == old == re.compile(pattern, flags)
        assert new.groupindex == old.groupindex and new.flags == old.flags
    assert read[0].search("2024. 5").group("m") == "5" and read[1].match("김민수")


def test_an_edited_pattern_is_compiled_and_its_old_form_dropped(cache):
    first = rule_cache.Patterns("sample")
    for pattern, flags in PATTERNS:
        first.compile(pattern, flags)
    first.keep()
    edited = rule_cache.Patterns("sample")
    changed = edited.compile(r"^[김이박최][가-힣]{2}$")
    assert edited._new and changed.match("최민수")
    edited.keep()
    kept = orjson.loads((cache / "patterns-sample.json").read_bytes())["value"]
    assert list(kept) == ["0:^[김이박최][가-힣]{2}$"]


def test_a_damaged_patterns_file_is_compiled_again(cache):
    first = rule_cache.Patterns("sample")
    first.compile(PATTERNS[1][0])
    first.keep()
    path = cache / "patterns-sample.json"
    data = orjson.loads(path.read_bytes())
    data["value"] = {key: [form[0], form[1], [7, 7, 7], *form[3:]] for key, form in data["value"].items()}
    path.write_bytes(orjson.dumps(data))
    again = rule_cache.Patterns("sample")
    assert again.compile(PATTERNS[1][0]) == re.compile(PATTERNS[1][0]) and again._new


def test_the_cleaners_kept_patterns_are_what_re_compile_gives():
    """Whatever the user's cache held when the cleaner loaded (this suite may run warm or cold),
    every pattern its modules and line rules use equals re.compile's."""
    from streams.clean import bylines, dates, furniture, standfirst, text

    for module in (bylines, dates, furniture, standfirst, text):
        assert module._KEPT._asked, module.__name__
        for pattern, flags, compiled in module._KEPT._asked:
            assert compiled == re.compile(pattern, flags), (module.__name__, pattern)
    for rules in (furniture._JUNK, furniture._PHOTO_CREDIT):
        for pattern, compiled in rules._compiled.items():
            assert compiled == re.compile(pattern), pattern


def test_rules_work_for_a_user_without_a_home(monkeypatch):
    """No XDG_CACHE_HOME and no home folder (a service account): nothing kept, nothing fails."""
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(run_cache.Path, "home", staticmethod(no_home))
    assert run_cache.folder() is None
    rules = LineRules(JUNK, kept_as="junk")
    assert rules._compiled == {} and rule_cache.load("junk", JUNK) is None
    _same_rules(rules, LineRules(JUNK))
    patterns = rule_cache.Patterns("sample")
    assert patterns.compile(PATTERNS[1][0]).match("김민수")
    patterns.keep()


def test_a_bytes_pattern_is_compiled_and_the_text_ones_still_kept(cache):
    first = rule_cache.Patterns("sample")
    assert first.compile(rb"<(/?)div").match(b"</div").group(1) == b"/"
    first.compile(PATTERNS[1][0])
    first.keep()
    again = rule_cache.Patterns("sample")
    assert again.compile(PATTERNS[1][0]) == re.compile(PATTERNS[1][0]) and not again._new
