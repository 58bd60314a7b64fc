"""more_labels.jsonl: real articles labelled blind for training the topic model (never scored as
unseen text). Its labels are well formed, its keys name files the real-text cache extracts, and no
article of it is one of the external set's (whose job is to be unseen) or of labels.jsonl's, not
even as another package's copy of the same page. Ministries are not labelled in it (their lists
stay empty): it trains topics, and bench/tagging.py shows no ministry measures for it."""

from __future__ import annotations

import fnmatch
import hashlib

import pytest

from bench._external_text import ABSENT, BY_NAME, build_article, cached, key_path, load_external_labels, split_key
from bench.tagging import MORE_LABELS, load_real_labels

from .test_real_set import assert_labels_well_formed


def more_labels() -> list[dict]:
    return load_real_labels(MORE_LABELS)


def test_every_label_is_well_formed_and_names_known_ids():
    labels = more_labels()
    assert len(labels) >= 200
    assert_labels_well_formed(labels)


def test_ministries_are_not_labelled_here():
    for lab in more_labels():
        assert lab["ministries"] == lab["ministries_minor"] == lab["ministries_traps"] == [], lab["key"]


def test_every_key_names_a_pinned_package_and_a_file_it_extracts():
    for lab in more_labels():
        name, _, path = lab["key"].partition(":")
        assert name in BY_NAME, lab["key"]
        source, rel = split_key(lab["key"])
        assert any(fnmatch.fnmatch(rel.partition("#")[0], p) for p in source.members), lab["key"]


def test_no_article_is_also_in_the_external_set_or_labels_jsonl():
    keys = {lab["key"] for lab in more_labels()}
    assert not keys & {lab["key"] for lab in load_external_labels()}
    assert not keys & {lab["key"] for lab in load_real_labels()}


def _text_of(key: str) -> bytes:
    """The bytes a key stands for: the file, or its line for a file of one article a line."""
    path = key_path(key)
    line = key.partition("#")[2] if ":" in key and "#" in key.split(":", 1)[1] else ""
    data = path.read_bytes()
    return data.split(b"\n")[int(line) - 1].strip() if line else data


def test_no_article_is_an_external_text_under_another_name():
    """go-htmldate's test pages overlap go-trafilatura's: a page of both is the external set's."""
    if cached() is None:
        pytest.skip(ABSENT)
    external = {hashlib.sha256(_text_of(lab["key"])).hexdigest() for lab in load_external_labels()}
    for lab in more_labels():
        assert hashlib.sha256(_text_of(lab["key"])).hexdigest() not in external, lab["key"]


def test_every_labelled_file_builds_an_article():
    base = cached()
    if base is None:
        pytest.skip(ABSENT)
    for lab in more_labels():
        article, reason = build_article(base, lab)
        assert article is not None, (lab["key"], reason)
        assert article.title.strip() and article.paragraphs, lab["key"]
