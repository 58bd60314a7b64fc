"""The labelled tagging set (tests/fixtures/tagging/*.jsonl): loading cases and scoring an enricher.

A case: {"id", "date", "text" | "title" + "paragraphs", "ministries": [ids], "names_ko": [names on
the date], "topics": [ids that must be among the tags] (optional)}. "text" is used as the title
(one sentence is scored like a headline). Used by the unit tests and by bench/tagging.py.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from schemas.events import CleanArticle, EnrichedArticle

from .enricher import Enricher, article_date
from .gazetteer import KINDS


@dataclass(frozen=True)
class Case:
    id: str
    date: str
    title: str
    paragraphs: tuple[str, ...]
    ministries: tuple[str, ...]
    names_ko: tuple[str, ...]
    topics: tuple[str, ...]

    def article(self) -> CleanArticle:
        body = " ".join((self.title, *self.paragraphs))
        return CleanArticle(
            id=self.id,
            title=self.title,
            paragraphs=list(self.paragraphs),
            published_at=self.date,
            fingerprint=hashlib.sha1(body.encode()).hexdigest(),
            extractor="labelled-set",
        )


def load_cases(directory: str | Path) -> list[Case]:
    cases = []
    for path in sorted(Path(directory).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            raw = json.loads(line)
            title = raw.get("text", raw.get("title", ""))
            cases.append(
                Case(
                    raw["id"],
                    raw["date"],
                    title,
                    tuple(raw.get("paragraphs", ())),
                    tuple(raw["ministries"]),
                    tuple(raw["names_ko"]),
                    tuple(raw.get("topics", ())),
                )
            )
    return cases


@dataclass
class Scores:
    """True/false positives and false negatives per kind of body (kind as on the case's date)."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def precision(self, kind: str | None = None) -> float:
        tp, fp = self._sum(self.tp, kind), self._sum(self.fp, kind)
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, kind: str | None = None) -> float:
        tp, fn = self._sum(self.tp, kind), self._sum(self.fn, kind)
        return tp / (tp + fn) if tp + fn else 1.0

    def support(self, kind: str | None = None) -> int:
        return self._sum(self.tp, kind) + self._sum(self.fn, kind)

    @staticmethod
    def _sum(counter: Counter, kind: str | None) -> int:
        return counter[kind] if kind else sum(counter.values())


def case_failures(case: Case, out: EnrichedArticle) -> list[str]:
    """What is wrong with `out` for `case` (empty when it passes)."""
    problems = []
    got = {m.id: m.name_ko for m in out.ministries}
    want = dict(zip(case.ministries, case.names_ko))
    if set(got) != set(want):
        problems.append(f"ministries {sorted(got)} != expected {sorted(want)}")
    for body_id, name in want.items():
        if body_id in got and got[body_id] != name:
            problems.append(f"{body_id} named {got[body_id]!r}, expected {name!r}")
    missing_topics = set(case.topics) - {t.id for t in out.topics}
    if missing_topics:
        problems.append(f"topics missing {sorted(missing_topics)} (got {[t.id for t in out.topics]})")
    return problems


def evaluate(enricher: Enricher, cases: list[Case]) -> Scores:
    scores = Scores()
    for case in cases:
        article = case.article()
        out = enricher.enrich(article)
        day = article_date(article)
        got = {m.id for m in out.ministries}
        want = set(case.ministries)
        kind_of = {m.id: m.kind for m in out.ministries}
        for body_id in want | got:
            kind = kind_of.get(body_id) or enricher.gazetteer.body(body_id).name_on(day).kind
            if body_id in want and body_id in got:
                scores.tp[kind] += 1
            elif body_id in got:
                scores.fp[kind] += 1
            else:
                scores.fn[kind] += 1
        problems = case_failures(case, out)
        if problems:
            scores.failures.append(f"{case.id}: " + "; ".join(problems))
    return scores


__all__ = ["KINDS", "Case", "Scores", "case_failures", "evaluate", "load_cases"]
