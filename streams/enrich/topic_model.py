"""A learned alternative to the topic rules: logistic regression over a topic's evidence numbers.

The model never sees words: its inputs are the numbers the rules read (score, headline, distinct
terms, paragraphs reached, share of the article, score against the best topic, ...), so what it
learns is how much evidence makes an article about a topic, not which pages said what. It is
trained on the real-text set (labels.jsonl, both halves; `bench/tagging.py --train-topic-model`),
its threshold the highest cross-validated must-recall with traps at or under 5 %, and shipped as
`data/topic_model.yaml`; `Enricher(..., topic_model=...)` uses it instead of the rules.
bench/tagging.py scores both on the external set, which neither saw; the packaged enricher uses
whichever `data/topic_model.yaml` says won there (`use: model` today, `use: rules` before).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .datafiles import read_yaml
from .errors import EnrichDataError
from .topics import TopicEvidence

DEFAULT_TOPIC_MODEL = Path(__file__).parent / "data" / "topic_model.yaml"


def _log(x: float) -> float:
    return math.log1p(max(0.0, x))


FEATURES: dict[str, Any] = {
    "score": lambda e: _log(e.score),
    "strong_headline": lambda e: float(e.strong_headline),
    "headline": lambda e: _log(e.headline),
    "lead": lambda e: float(any(h.field == "paragraphs[0]" for h in e.hits)),
    "early": lambda e: float(e.early),
    "distinct": lambda e: _log(e.distinct),
    "places": lambda e: _log(e.places),
    "coverage": lambda e: e.coverage,
    "relative": lambda e: e.relative,
    "best": lambda e: float(e.relative >= 1.0),
    "weight_max": lambda e: e.weight_max,
}


def features(e: TopicEvidence) -> list[float]:
    return [f(e) for f in FEATURES.values()]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0


def probability(weights, bias: float, x: list[float]) -> float:
    return _sigmoid(bias + sum(w * xi for w, xi in zip(weights, x)))


@dataclass(frozen=True)
class TopicModel:
    weights: tuple[float, ...]  # one per FEATURES entry, in order
    bias: float
    threshold: float  # keep a topic whose probability is at least this
    use: str = "rules"  # what the packaged enricher uses: "model" or "rules"
    trained_on: str = ""  # which labels (file digest, half) it was fitted to
    min_blocks: int = 0  # shorter articles (paragraphs + captions) are the rules' to decide

    def decides(self, blocks: int) -> bool:
        """The model decides this article's topics: it was fitted on full articles, and a flash of
        a sentence or two (a headline and a lead) lies outside what it learned, so the rules decide."""
        return blocks >= self.min_blocks

    def probability(self, e: TopicEvidence) -> float:
        return probability(self.weights, self.bias, features(e))

    def select(self, evidence: list[TopicEvidence]) -> list[TopicEvidence]:
        """The topics at or above the threshold, most probable first."""
        scored = [(self.probability(e), e) for e in evidence]
        kept = [(p, e) for p, e in scored if p >= self.threshold]
        kept.sort(key=lambda pe: (-pe[0], pe[1].topic_id))
        return [e for _, e in kept]


def fit(
    rows: list[list[float]], labels: list[int], l2: float = 0.01, epochs: int = 3000, rate: float = 0.1
) -> tuple[list[float], float]:
    """Logistic regression by full-batch gradient descent (a few hundred rows, a few features)."""
    n, k = len(rows), len(rows[0])
    w, b = [0.0] * k, 0.0
    for _ in range(epochs):
        gw, gb = [l2 * x for x in w], 0.0
        for x, y in zip(rows, labels):
            err = _sigmoid(b + sum(wi * xi for wi, xi in zip(w, x))) - y
            gb += err / n
            for i in range(k):
                gw[i] += err * x[i] / n
        w = [wi - rate * g for wi, g in zip(w, gw)]
        b -= rate * gb
    return w, b


def parse_topic_model(raw: Any, origin: str = "topic model") -> TopicModel:
    if not isinstance(raw, dict):
        raise EnrichDataError(f"{origin}: expected a mapping")
    names = raw.get("features")
    if names != list(FEATURES):
        raise EnrichDataError(f"{origin}: features must be exactly {list(FEATURES)}, got {names!r}")
    weights = raw.get("weights")
    if (
        not isinstance(weights, list)
        or len(weights) != len(FEATURES)
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in weights)
    ):
        raise EnrichDataError(f"{origin}: weights must be {len(FEATURES)} finite numbers")
    bias, threshold = raw.get("bias"), raw.get("threshold")
    if not isinstance(bias, (int, float)) or isinstance(bias, bool) or not math.isfinite(bias):
        raise EnrichDataError(f"{origin}: bias must be a finite number")
    if not isinstance(threshold, (int, float)) or isinstance(threshold, bool) or not 0 < threshold < 1:
        raise EnrichDataError(f"{origin}: threshold must be a number in (0, 1)")
    use = raw.get("use", "rules")
    if use not in ("model", "rules"):
        raise EnrichDataError(f"{origin}: use must be 'model' or 'rules', got {use!r}")
    min_blocks = raw.get("min_blocks", 0)
    if not isinstance(min_blocks, int) or isinstance(min_blocks, bool) or min_blocks < 0:
        raise EnrichDataError(f"{origin}: min_blocks must be a whole number >= 0")
    return TopicModel(
        tuple(float(v) for v in weights),
        float(bias),
        float(threshold),
        use,
        str(raw.get("trained_on", "")),
        min_blocks,
    )


def load_topic_model(path: str | Path | None = None) -> TopicModel:
    path = Path(path) if path else DEFAULT_TOPIC_MODEL
    return parse_topic_model(read_yaml(path, "topic model"), path.name)
