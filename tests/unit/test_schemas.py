"""The JSON Schema files beside the models are current, and the contracts hold their shape."""
from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from schemas import CleanArticle, EnrichedArticle, RawArticle
from schemas.generate import rendered


def test_json_schema_files_are_current():
    for path, text in rendered().items():
        assert path.exists(), f"{path.name} missing: run `make schemas`"
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run `make schemas`"


def test_enriched_article_schema_extends_clean_article():
    clean = set(CleanArticle.model_json_schema()["properties"])
    enriched = set(EnrichedArticle.model_json_schema()["properties"])
    assert clean < enriched and enriched - clean == {"ministries", "topics"}


def test_raw_article_needs_id_and_html():
    with pytest.raises(ValidationError):
        RawArticle.model_validate_json(json.dumps({"url": "https://x"}))
    raw = RawArticle.model_validate_json(json.dumps({"id": "a", "html": "<p>x</p>", "extra": 1}))
    assert raw.id == "a"
