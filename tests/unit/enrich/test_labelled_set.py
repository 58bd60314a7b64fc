"""The labelled set under tests/fixtures/tagging: every case passes, and it covers the gazetteer."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.enrich import default_enricher
from streams.enrich.labelled import case_failures, evaluate, load_cases

CASES = load_cases(Path(__file__).parents[2] / "fixtures" / "tagging")
ENRICHER = default_enricher()


def test_labelled_set_is_large_enough_with_negatives():
    assert len(CASES) >= 150
    assert sum(1 for c in CASES if not c.ministries) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


def test_labelled_set_covers_every_body_abbreviation_and_rename():
    positive_text = {
        b: " ".join(c.title + " ".join(c.paragraphs) for c in CASES if b in c.ministries)
        for b in {b.id for b in ENRICHER.gazetteer.bodies}
    }
    for body in ENRICHER.gazetteer.bodies:
        assert positive_text[body.id], f"no case for {body.id}"
        for form in body.abbreviations:
            assert form.text in positive_text[body.id], f"abbreviation {form.text} of {body.id} has no case"
        expected_names = {n for c in CASES for i, n in zip(c.ministries, c.names_ko) if i == body.id}
        for name in body.names:
            assert name.ko in expected_names, f"{body.id}: no case expects the name {name.ko}"
        for official in body.officials:
            assert official.name in positive_text[body.id], f"official {official.name} of {body.id} has no case"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_labelled_case(case):
    assert case_failures(case, ENRICHER.enrich(case.article())) == []


def test_precision_and_recall_meet_targets_per_kind():
    scores = evaluate(ENRICHER, CASES)
    for kind in ("부", "처", "청", "위원회", None):
        assert scores.precision(kind) >= 0.98, kind
        assert scores.recall(kind) >= 0.95, kind
