"""A learned alternative to the topic rules: logistic regression over a topic's evidence numbers
and three priors an editor's filing shows.

The model never sees the article's other words. Its inputs are the numbers the rules read (score, headline, distinct
terms, paragraphs reached, share of the article, score against the best topic, ...; not `early`), so what it
learns is how much evidence makes an article about a topic, not which pages said what; and three
priors, tables learned from the same labels:
- `topic_prior`: how often a topic with evidence is one the article is about (log-odds): some
  topics are filed whenever they are argued (culture, justice), others are mostly passing words
  (regional, economy);
- `pair_prior`: how that changes beside the article's best topic (log-odds shift): a war story is
  usually also about diplomacy, a court story about politics less often than its words suggest;
- `term_prior`: how it changes with the taxonomy terms that found the topic (log-odds shifts from the
  topic's rate, one per term, averaged by the terms' weight in the article): `tariff` is nearly
  always filed under trade, `business` seldom under economy. Only the taxonomy's own terms have a
  shift, so this reads which of an editor's terms are reliable, not which pages said what.
The first two are smoothed toward the overall rate (`smoothing` pseudo-articles), a term's toward its
topic's (`term_smoothing`), so a topic, pair or term seen rarely counts for little. It is trained on the labelled real text (labels.jsonl and
more_labels.jsonl; `bench/tagging.py --train-topic-model`; an article's acceptable topics count as
topics it is about at a lower weight, `fit`'s and `Priors.learn`'s row weights), its threshold the
highest cross-validated must-recall with traps at or under 5 %, and shipped as `data/topic_model.yaml`;
with `at_least_one` (an article is always about something: every labelled article has a topic an
editor must file), an article none of whose topics reaches the threshold keeps its most probable one
where that one has the taxonomy's `min_score` of evidence (a single passing mention is still no topic);
`Enricher(..., topic_model=...)` uses it instead of the rules. bench/tagging.py scores both on the
external set, which neither saw; the packaged enricher uses whichever `data/topic_model.yaml` says.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from .datafiles import read_yaml
from .errors import EnrichDataError
from .topics import TopicEvidence

DEFAULT_TOPIC_MODEL = Path(__file__).parent / "data" / "topic_model.yaml"


def _log(x: float) -> float:
    return math.log1p(max(0.0, x))


# Not among them: `early` (a hit in the headline or the opening paragraphs, which the rules require):
# cross-validated (eleventh session), the model without it finds more must topics at the same traps on
# every fold assignment (pooled 0.872 / 4.7 % -> 0.877 / 4.8 %; at traps of 4.5 % or less 0.866 ->
# 0.874): `lead`, `headline` and `relative` carry what it told, and its opening (3 paragraphs or a
# fifth of them) means other things in a sentence-per-paragraph text than in a news page.
EVIDENCE_FEATURES: dict[str, Any] = {
    "score": lambda e: _log(e.score),
    "strong_headline": lambda e: float(e.strong_headline),
    "headline": lambda e: _log(e.headline),
    "lead": lambda e: float(any(h.field == "paragraphs[0]" for h in e.hits)),
    "distinct": lambda e: _log(e.distinct),
    "places": lambda e: _log(e.places),
    "coverage": lambda e: e.coverage,
    "relative": lambda e: e.relative,
    "best": lambda e: float(e.relative >= 1.0),
    "weight_max": lambda e: e.weight_max,
}
PRIOR_FEATURES = ("topic_prior", "pair_prior", "term_prior")
FEATURES: tuple[str, ...] = (*EVIDENCE_FEATURES, *PRIOR_FEATURES)


def logit(q: float) -> float:
    return math.log(q / (1.0 - q))


TermWeights = Mapping[str, float]  # a candidate's taxonomy terms (Term.key) -> their hits' weight in the article


def term_weights(e: TopicEvidence) -> dict[str, float]:
    """The terms that found a topic in an article, each with its hits' summed weight."""
    found: dict[str, float] = {}
    for h in e.hits:
        found[h.term.key] = found.get(h.term.key, 0.0) + h.weight
    return found


@dataclass(frozen=True)
class Priors:
    """How often a candidate topic is filed, by topic, beside the article's best topic and by the
    terms that found it (log-odds)."""

    default: float = 0.0  # a topic the tables do not know
    topics: Mapping[str, float] = field(default_factory=dict)
    pairs: Mapping[tuple[str, str], float] = field(default_factory=dict)  # (best topic, topic) -> shift
    terms: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # topic -> term key -> shift

    def features(self, topic_id: str, best_id: str | None, terms: TermWeights | None = None) -> list[float]:
        shift = 0.0 if best_id is None or best_id == topic_id else self.pairs.get((best_id, topic_id), 0.0)
        return [self.topics.get(topic_id, self.default), shift, self.term_shift(topic_id, terms)]

    def term_shift(self, topic_id: str, terms: TermWeights | None) -> float:
        """The terms' shifts averaged by their weight in the article (0 for a term the table lacks)."""
        table = self.terms.get(topic_id)
        if not table or not terms:
            return 0.0
        total = sum(terms.values())
        return sum(table.get(key, 0.0) * w for key, w in terms.items()) / total if total else 0.0

    @classmethod
    def learn(
        cls,
        rows: list[tuple],
        smoothing: float,
        weights: list[float] | None = None,
        term_smoothing: float | None = None,
    ) -> Priors:
        """From (topic, best topic of its article, 1 if filed else 0[, its TermWeights]) rows, each
        counted `weights` times (1 without): each topic's rate smoothed toward the overall rate, each
        pair's toward its topic's, each term's (over the rows it found) toward its topic's by
        `term_smoothing` pseudo-rows (`smoothing` without), as log-odds (pairs and terms as shifts)."""
        weights = weights or [1.0] * len(rows)
        overall = sum(w * row[2] for row, w in zip(rows, weights)) / sum(weights)
        per_topic: dict[str, list[float]] = {}
        per_pair: dict[tuple[str, str], list[float]] = {}
        per_term: dict[tuple[str, str], list[float]] = {}

        def count(table: dict, key, y: int, w: float) -> None:
            seen = table.setdefault(key, [0.0, 0.0])
            seen[0] += w * y
            seen[1] += w

        for row, w in zip(rows, weights):
            topic, best, y = row[:3]
            count(per_topic, topic, y, w)
            if best is not None and best != topic:
                count(per_pair, (best, topic), y, w)
            for key in row[3] if len(row) > 3 else ():
                count(per_term, (topic, key), y, w)
        rate = {t: (k + smoothing * overall) / (n + smoothing) for t, (k, n) in per_topic.items()}

        def shift(k: float, n: float, base: float, pseudo: float) -> float:
            return logit((k + pseudo * base) / (n + pseudo)) - logit(base)

        pairs = {(b, t): shift(k, n, rate[t], smoothing) for (b, t), (k, n) in per_pair.items()}
        terms: dict[str, dict[str, float]] = {}
        for (t, key), (k, n) in sorted(per_term.items()):
            terms.setdefault(t, {})[key] = shift(k, n, rate[t], smoothing if term_smoothing is None else term_smoothing)
        return cls(logit(overall), {t: logit(q) for t, q in rate.items()}, pairs, terms)


def features(e: TopicEvidence, best_id: str | None = None, priors: Priors | None = None) -> list[float]:
    """The model's inputs for one topic of an article: its evidence numbers, then its priors beside
    `best_id`, the article's best topic by score, and by its terms (zeros without priors)."""
    x = [f(e) for f in EVIDENCE_FEATURES.values()]
    if priors is None:
        return x + [0.0] * len(PRIOR_FEATURES)
    return x + priors.features(e.topic_id, best_id, term_weights(e))


def _sigmoid(z: float) -> float:
    if z < -60:
        return 0.0
    if z > 60:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


def probability(weights, bias: float, x: list[float]) -> float:
    return _sigmoid(bias + sum(w * xi for w, xi in zip(weights, x)))


@dataclass(frozen=True)
class TopicModel:
    weights: tuple[float, ...]  # one per FEATURES entry, in order
    bias: float
    threshold: float  # keep a topic whose probability is at least this
    use: str = "rules"  # what the packaged enricher uses: "model" or "rules"
    trained_on: str = ""  # which labels (file digests, counts) it was fitted to
    min_blocks: int = 0  # shorter articles (paragraphs + captions) are the rules' to decide
    priors: Priors = field(default_factory=Priors)
    at_least_one: bool = False  # no topic at the threshold: the most probable one is kept if it has min_score

    def decides(self, blocks: int) -> bool:
        """The model decides this article's topics: it was fitted on full articles, and a flash of
        a sentence or two (a headline and a lead) lies outside what it learned, so the rules decide."""
        return blocks >= self.min_blocks

    def probability(self, e: TopicEvidence, best_id: str | None = None) -> float:
        return probability(self.weights, self.bias, features(e, best_id, self.priors))

    def select(self, evidence: list[TopicEvidence], min_score: float = 0.0) -> list[TopicEvidence]:
        """The topics at or above the threshold, most probable first (`evidence` best score first,
        as topic_evidence gives it: its first is the article's best topic); with `at_least_one`, the
        most probable topic alone where none reaches the threshold and its score is at least
        `min_score` (the taxonomy's: an article is filed under something, but a single passing
        mention is not evidence enough to file it)."""
        best_id = evidence[0].topic_id if evidence else None
        scored = [(self.probability(e, best_id), e) for e in evidence]
        scored.sort(key=lambda pe: (-pe[0], pe[1].topic_id))
        return kept_at(self.threshold, scored, (lambda e: e.score >= min_score) if self.at_least_one else None)


def kept_at(threshold: float, ranked: list[tuple[float, Any]], first_if: Callable[[Any], bool] | None = None) -> list:
    """The candidates of `ranked` ((probability, candidate), most probable first) at or above the
    threshold; where none is and `first_if` is given, the most probable one alone if `first_if`
    says it has evidence enough (`at_least_one`). TopicModel.select and the bench's cross-validation
    keep topics through this one function."""
    kept = [c for p, c in ranked if p >= threshold]
    if not kept and ranked and first_if is not None and first_if(ranked[0][1]):
        kept = [ranked[0][1]]
    return kept


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (a small, positive definite system)."""
    n = len(vector)
    m = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col and m[r][col]:
                f = m[r][col] / m[col][col]
                row, top = m[r], m[col]
                for k in range(col, n + 1):
                    row[k] -= f * top[k]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit(
    rows: list[list[float]],
    labels: list[int],
    l2: float = 0.01,
    iterations: int = 50,
    weights: list[float] | None = None,
) -> tuple[list[float], float]:
    """Logistic regression: mean log-loss (each row counted `weights` times, 1 without) + l2/2 |w|^2
    (the bias not penalised), by Newton's method (a few thousand rows, a dozen features: exact in a
    few steps, where gradient descent was slow)."""
    k = len(rows[0])
    weights = weights or [1.0] * len(rows)
    n = sum(weights)
    beta = [0.0] * (k + 1)  # weights, then the bias
    for _ in range(iterations):
        grad = [0.0] * (k + 1)
        hess = [[0.0] * (k + 1) for _ in range(k + 1)]
        for x, y, wt in zip(rows, labels, weights):
            xx = [*x, 1.0]
            p = _sigmoid(sum(b * v for b, v in zip(beta, xx)))
            err, curv = wt * (p - y) / n, wt * p * (1 - p) / n
            for i in range(k + 1):
                grad[i] += err * xx[i]
                if curv and xx[i]:
                    hi = curv * xx[i]
                    row = hess[i]
                    for j in range(i, k + 1):
                        row[j] += hi * xx[j]
        for i in range(k + 1):
            for j in range(i):
                hess[i][j] = hess[j][i]
        for i in range(k):
            grad[i] += l2 * beta[i]
            hess[i][i] += l2
        hess[k][k] += 1e-9  # a bias with no curvature (every row certain) stays solvable
        step = _solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return beta[:k], beta[k]


def _number(raw: Any) -> TypeGuard[float]:
    return isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw)


def _parse_priors(raw: Any, origin: str) -> Priors:
    if not isinstance(raw, dict) or not _number(raw.get("default")):
        raise EnrichDataError(f"{origin}: priors must be a mapping with a finite `default`")
    topics, pairs = raw.get("topics", {}), raw.get("pairs", {})
    if not isinstance(topics, dict) or not all(isinstance(t, str) and _number(v) for t, v in topics.items()):
        raise EnrichDataError(f"{origin}: priors.topics must map topic ids to finite numbers")
    if not isinstance(pairs, dict) or not all(
        isinstance(key, str) and key.count(">") == 1 and all(key.split(">")) and _number(v) for key, v in pairs.items()
    ):
        raise EnrichDataError(f"{origin}: priors.pairs must map 'best>topic' to finite numbers")
    terms = raw.get("terms", {})
    if not isinstance(terms, dict) or not all(
        isinstance(t, str)
        and isinstance(shifts, dict)
        and all(isinstance(key, str) and key and _number(v) for key, v in shifts.items())
        for t, shifts in terms.items()
    ):
        raise EnrichDataError(f"{origin}: priors.terms must map topic ids to {{term: finite number}}")
    return Priors(
        float(raw["default"]),
        {t: float(v) for t, v in topics.items()},
        {tuple(key.split(">")): float(v) for key, v in pairs.items()},
        {t: {str(key): float(v) for key, v in shifts.items()} for t, shifts in terms.items()},
    )


def parse_topic_model(raw: Any, origin: str = "topic model") -> TopicModel:
    if not isinstance(raw, dict):
        raise EnrichDataError(f"{origin}: expected a mapping")
    names = raw.get("features")
    if names != list(FEATURES):
        raise EnrichDataError(f"{origin}: features must be exactly {list(FEATURES)}, got {names!r}")
    weights = raw.get("weights")
    if not isinstance(weights, list) or len(weights) != len(FEATURES) or not all(_number(v) for v in weights):
        raise EnrichDataError(f"{origin}: weights must be {len(FEATURES)} finite numbers")
    bias, threshold = raw.get("bias"), raw.get("threshold")
    if not _number(bias):
        raise EnrichDataError(f"{origin}: bias must be a finite number")
    if not _number(threshold) or not 0 < threshold < 1:
        raise EnrichDataError(f"{origin}: threshold must be a number in (0, 1)")
    use = raw.get("use", "rules")
    if use not in ("model", "rules"):
        raise EnrichDataError(f"{origin}: use must be 'model' or 'rules', got {use!r}")
    min_blocks = raw.get("min_blocks", 0)
    if not isinstance(min_blocks, int) or isinstance(min_blocks, bool) or min_blocks < 0:
        raise EnrichDataError(f"{origin}: min_blocks must be a whole number >= 0")
    at_least_one = raw.get("at_least_one", False)
    if not isinstance(at_least_one, bool):
        raise EnrichDataError(f"{origin}: at_least_one must be true or false, got {at_least_one!r}")
    return TopicModel(
        tuple(float(v) for v in weights),
        float(bias),
        float(threshold),
        use,
        str(raw.get("trained_on", "")),
        min_blocks,
        _parse_priors(raw.get("priors"), origin),
        at_least_one,
    )


def load_topic_model(path: str | Path | None = None) -> TopicModel:
    path = Path(path) if path else DEFAULT_TOPIC_MODEL
    return parse_topic_model(read_yaml(path, "topic model"), path.name)
