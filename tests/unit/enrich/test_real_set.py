"""The real-text set: its labels are valid, and its measured half (never tuned on by the rules; the
learned topic model in use is trained on both halves), scored as bench/tagging.py does, stays above
the floors pinned for this exact set. The set unseen by both is the external one
(test_external_set.py).

Floors sit slightly below what the tagger reaches; raise them, never lower them for an unchanged
set and tagger. When the labels change (articles added), LABELS_SHA256 fails: re-pin it together
with floors measured on the new set, and say so. Re-pinned 2026-12-02 when the learned model took
over topics (trained on this set: topics must-recall 0.760, traps 8.9 % on the measured half, where
the rules gave 0.798 and 15.2 %). Raised 2026-12-02 (sixth session) when the model was retrained with
its priors on this set and more_labels.jsonl: must-recall 0.817, traps 7.6 % on the measured half."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from bench.tagging import REAL_LABELS, load_real_labels, real_half, real_items, score_real
from streams.enrich import load_gazetteer, load_taxonomy

# 172 articles (110 of the first pass + 62 English pages of fundus and readability labelled blind)
LABELS_SHA256 = "01c970cd19dfd2b34f90f4f8e7d56a2b3806cbb234e3fb74861f2813a165d257"
FLOORS = {"m_precision": 0.75, "m_recall": 1.0, "t_recall": 0.80}
TRAPS_CEILING = 0.08
LABEL_KEYS = {
    "key",
    "lang",
    "date",
    "title",
    "ministries",
    "ministries_minor",
    "ministries_traps",
    "topics",
    "topics_ok",
    "topics_traps",
    "why",
}


def test_the_split_is_fixed_by_the_key():
    assert real_half("ko-pool/kbs-1.html") == real_half("ko-pool/kbs-1.html")
    assert {real_half(f"k{i}") for i in range(20)} == {"development", "measured"}


def test_floors_are_pinned_to_this_exact_set_of_labels():
    assert hashlib.sha256(REAL_LABELS.read_bytes()).hexdigest() == LABELS_SHA256, (
        "labels.jsonl changed: re-pin LABELS_SHA256 with floors measured on the new set"
    )


def assert_labels_well_formed(labels: list[dict]) -> None:
    """Every label of a real-text set: its fields, one key each, known topic and body ids, and no
    id in two of its lists (a topic is wanted, acceptable or a trap, never two of these)."""
    topics = {t.id for t in load_taxonomy().topics}
    bodies = {b.id for b in load_gazetteer().bodies}
    keys = [lab["key"] for lab in labels]
    assert len(keys) == len(set(keys))
    for lab in labels:
        where = lab["key"]
        assert set(lab) == LABEL_KEYS, where
        assert lab["lang"] in ("ko", "en"), where
        dt.date.fromisoformat(lab["date"])
        assert lab["title"].strip() and lab["topics"] and lab["why"].strip(), where
        for kinds, known in (("topics", topics), ("ministries", bodies)):
            a, b, c = (
                set(lab[f"{kinds}{suffix}"]) for suffix in ("", "_ok" if kinds == "topics" else "_minor", "_traps")
            )
            assert a | b | c <= known, where
            assert not (a & b or a & c or b & c), where


def test_every_label_is_well_formed_and_names_known_ids():
    labels = load_real_labels()
    assert_labels_well_formed(labels)
    assert all(lab["key"].split("/")[0] in ("ko-real", "ko-pool", "fundus", "readability") for lab in labels)


def test_measured_half_meets_its_floors():
    items = real_items(halves=("measured",))
    if items is None:
        pytest.skip("../shared/corpora (or NEWSROOM_CORPORA) is absent: the real pages cannot be read")
    scores = score_real(items)
    for key, floor in FLOORS.items():
        assert scores[key] >= floor, (key, scores)
    assert scores["t_traps"] <= TRAPS_CEILING, scores
