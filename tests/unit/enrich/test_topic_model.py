"""The learned topic model (data/topic_model.yaml): loaded and checked, fitted, and used only when it says so."""

from __future__ import annotations

import copy

import pytest
import yaml

from streams.enrich import EnrichDataError, Enricher, default_enricher, load_gazetteer, load_taxonomy
from streams.enrich.topic_model import (
    DEFAULT_TOPIC_MODEL,
    FEATURES,
    TopicModel,
    fit,
    load_topic_model,
    parse_topic_model,
    probability,
)

from .helpers import article

RAW = yaml.safe_load(DEFAULT_TOPIC_MODEL.read_text(encoding="utf-8"))
SPORT = article(
    title="Champion wins the tennis final",
    paragraphs=[
        "The tennis player won the tournament final in front of fans.",
        "The coach said the players were ready.",
    ],
)


def test_the_packaged_model_loads_with_one_weight_per_feature_and_says_what_it_was_trained_on():
    model = load_topic_model()
    assert len(model.weights) == len(FEATURES) and 0 < model.threshold < 1
    assert model.use in ("rules", "model")
    assert "both halves" in model.trained_on and model.min_blocks > 0


def test_the_packaged_enricher_uses_the_model_only_when_the_file_says_so():
    assert (default_enricher().topic_model is not None) == (load_topic_model().use == "model")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r.update(features=r["features"][:-1]), "features must be exactly"),
        (lambda r: r.update(weights=r["weights"][:-1]), "weights must be"),
        (lambda r: r.update(weights=[float("nan")] * len(r["weights"])), "weights must be"),
        (lambda r: r.update(threshold=1.5), "threshold"),
        (lambda r: r.update(bias="high"), "bias"),
        (lambda r: r.update(use="sometimes"), "use must be"),
    ],
)
def test_bad_model_data_is_refused_naming_the_field(mutate, message):
    raw = copy.deepcopy(RAW)
    mutate(raw)
    with pytest.raises(EnrichDataError, match=message):
        parse_topic_model(raw)


def test_fit_learns_a_separable_rule():
    rows = [[x / 10, 1.0] for x in range(10)]
    labels = [int(x >= 5) for x in range(10)]
    w, b = fit(rows, labels, l2=0.0, epochs=2000, rate=1.0)
    assert all((probability(w, b, r) >= 0.5) == bool(y) for r, y in zip(rows, labels))


def test_a_model_in_use_decides_the_topics_most_probable_first():
    gazetteer, taxonomy = load_gazetteer(), load_taxonomy()
    rules = Enricher(gazetteer, taxonomy).enrich(SPORT)
    assert [t.id for t in rules.topics] == ["culture"]
    never = TopicModel(tuple(0.0 for _ in FEATURES), bias=-10.0, threshold=0.5)
    assert Enricher(gazetteer, taxonomy, never).enrich(SPORT).topics == []
    weights = tuple(1.0 if name == "score" else 0.0 for name in FEATURES)
    by_score = TopicModel(weights, bias=0.0, threshold=0.01)
    evidence = Enricher(gazetteer, taxonomy).topic_evidence(SPORT)
    kept = by_score.select(evidence)
    assert [e.topic_id for e in kept] == [e.topic_id for e in sorted(evidence, key=lambda e: -e.score)]


def test_a_flash_shorter_than_min_blocks_is_left_to_the_rules():
    """The model was fitted on full articles: a one- or two-paragraph flash is the rules' to decide."""
    gazetteer, taxonomy = load_gazetteer(), load_taxonomy()
    never = TopicModel(tuple(0.0 for _ in FEATURES), bias=-10.0, threshold=0.5, min_blocks=len(SPORT.paragraphs) + 1)
    assert [t.id for t in Enricher(gazetteer, taxonomy, never).enrich(SPORT).topics] == ["culture"]
    assert not never.decides(len(SPORT.paragraphs)) and never.decides(len(SPORT.paragraphs) + 1)


def test_min_blocks_must_be_a_whole_number():
    raw = copy.deepcopy(RAW)
    raw["min_blocks"] = -1
    with pytest.raises(EnrichDataError, match="min_blocks"):
        parse_topic_model(raw)
