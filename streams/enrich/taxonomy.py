"""The topic taxonomy: topics a Korean newsroom files under, with Korean and English terms.

Loaded from `data/taxonomy.yaml`; validated on load (EnrichDataError names the bad entry).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .datafiles import entry_id, read_yaml
from .errors import EnrichDataError
from .errors import data_error as _fail

DEFAULT_TAXONOMY = Path(__file__).parent / "data" / "taxonomy.yaml"
TOPIC_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
FIELDS = ("title", "subtitle", "lead", "body", "caption")


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    topic_id: str
    weight: float
    whole_word: bool  # Korean: apply the particle/compound rules as for names
    key: str = ""  # what makes terms distinct: 'tariff' and 'tariffs' are one (term_key)


def term_key(text: str) -> str:
    """Distinct terms: 'tariff' and 'tariffs' are one term."""
    low = text.lower()
    return low[:-1] if low.isascii() and low.endswith("s") and len(low) > 3 else low


@dataclass(frozen=True, slots=True)
class Idiom:
    """A compound or idiom that contains a term but means something else (통상적으로, office space):
    where it matches, the term inside it is not evidence for any topic."""

    text: str
    topic_id: str  # the topic whose term it contains (where an editor looks for it)
    case_sensitive: bool = False


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label_ko: str
    label_en: str
    terms: tuple[Term, ...]
    idioms: tuple[Idiom, ...] = ()


@dataclass(frozen=True, slots=True)
class Scoring:
    """How evidence becomes a topic (see topics.py)."""

    repeat_decay: float = 0.5
    length_unit: float = 1500.0
    min_distinct: int = 2
    relative_min: float = 0.3
    max_topics: int = 3
    min_places: int = 2  # without a full-weight headline term: paragraphs (or captions) with a hit
    early_paragraphs: int = 3  # the opening: this many paragraphs, or early_share of them if more
    early_share: float = 0.2


@dataclass(frozen=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    field_weights: dict[str, float]
    min_score: float
    scoring: Scoring = Scoring()

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {t.id: t for t in self.topics})

    def topic(self, topic_id: str) -> Topic:
        return self._by_id[topic_id]  # type: ignore[attr-defined]


def _entry_text(where: str, raw: Any) -> tuple[dict, str]:
    """A term or idiom entry (a string, or a mapping with `text`) as (mapping, checked text)."""
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, dict):
        raise _fail(where, f"must be a string or a mapping with text, got {raw!r}")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip() or text != text.strip():
        raise _fail(where, f"text must be a non-empty string without surrounding spaces, got {text!r}")
    return raw, text


def _term(where: str, raw: Any, topic_id: str) -> Term:
    raw, text = _entry_text(where, raw)
    weight = raw.get("weight", 1.0)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not 0 < weight <= 5:
        raise _fail(where, f"weight of {text!r} must be a number in (0, 5], got {weight!r}")
    whole = raw.get("whole_word", False)
    if not isinstance(whole, bool):
        raise _fail(where, f"whole_word of {text!r} must be true or false")
    return Term(text, topic_id, float(weight), whole, term_key(text))


def _idiom(where: str, raw: Any, topic_id: str, terms: tuple[Term, ...]) -> Idiom:
    raw, text = _entry_text(where, raw)
    case = raw.get("case_sensitive", False)
    if not isinstance(case, bool):
        raise _fail(where, f"case_sensitive of {text!r} must be true or false")
    low = text.lower()
    if not any(t.text.lower() in low for t in terms):
        raise _fail(where, f"idiom {text!r} contains none of the topic's terms")
    return Idiom(text, topic_id, case)


def _topic(where: str, raw: Any) -> Topic:
    topic_id = entry_id(where, raw, TOPIC_ID)
    where = f"topic {topic_id!r}"
    labels = []
    for key in ("label_ko", "label_en"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _fail(where, f"{key} must be a non-empty string")
        labels.append(value)
    terms_raw = (raw.get("terms_ko") or []) + (raw.get("terms_en") or [])
    if not raw.get("terms_ko") or not raw.get("terms_en"):
        raise _fail(where, "needs both terms_ko and terms_en (non-empty lists)")
    terms = tuple(_term(f"{where} term[{i}]", t, topic_id) for i, t in enumerate(terms_raw))
    texts = [t.text for t in terms]
    dupes = sorted({t for t in texts if texts.count(t) > 1})
    if dupes:
        raise _fail(where, f"duplicate terms {dupes}")
    idioms_raw = (raw.get("idioms_ko") or []) + (raw.get("idioms_en") or [])
    idioms = tuple(_idiom(f"{where} idiom[{i}]", t, topic_id, terms) for i, t in enumerate(idioms_raw))
    clash = sorted({i.text for i in idioms} & set(texts))
    if clash:
        raise _fail(where, f"{clash} are both terms and idioms")
    return Topic(topic_id, labels[0], labels[1], terms, idioms)


def _scoring(origin: str, raw: Any) -> Scoring:
    if raw is None:
        return Scoring()
    if not isinstance(raw, dict) or set(raw) - set(Scoring.__slots__):
        raise EnrichDataError(f"{origin}: scoring must be a mapping with keys among {Scoring.__slots__}")
    checks = {
        "repeat_decay": lambda v: 0 <= v <= 1,
        "length_unit": lambda v: v > 0,
        "min_distinct": lambda v: isinstance(v, int) and v >= 1,
        "relative_min": lambda v: 0 <= v <= 1,
        "max_topics": lambda v: isinstance(v, int) and v >= 1,
        "min_places": lambda v: isinstance(v, int) and v >= 1,
        "early_paragraphs": lambda v: isinstance(v, int) and v >= 1,
        "early_share": lambda v: 0 <= v <= 1,
    }
    for key, value in raw.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not checks[key](value):
            raise EnrichDataError(f"{origin}: scoring.{key} has a bad value {value!r}")
    return Scoring(**raw)


def parse_taxonomy(raw: Any, origin: str = "taxonomy") -> Taxonomy:
    if not isinstance(raw, dict) or not isinstance(raw.get("topics"), list):
        raise EnrichDataError(f"{origin}: expected a mapping with a 'topics' list")
    weights = raw.get("field_weights") or {}
    if set(weights) != set(FIELDS) or not all(isinstance(v, (int, float)) and v >= 0 for v in weights.values()):
        raise EnrichDataError(f"{origin}: field_weights needs non-negative numbers for exactly {FIELDS}")
    min_score = raw.get("min_score")
    if not isinstance(min_score, (int, float)) or min_score <= 0:
        raise EnrichDataError(f"{origin}: min_score must be a positive number")
    topics = tuple(_topic(f"{origin} topics[{i}]", t) for i, t in enumerate(raw["topics"]))
    ids = [t.id for t in topics]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise EnrichDataError(f"{origin}: duplicate topic ids {dupes}")
    return Taxonomy(
        topics, {k: float(v) for k, v in weights.items()}, float(min_score), _scoring(origin, raw.get("scoring"))
    )


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load and validate the taxonomy YAML (the packaged one by default)."""
    path = Path(path) if path else DEFAULT_TAXONOMY
    return parse_taxonomy(read_yaml(path, "taxonomy"), str(path.name))
