"""The JSON Schema files beside the models are current, and the contracts hold their shape."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from schemas import SCHEMA_VERSIONS, CleanArticle, EnrichedArticle, RawArticle
from schemas.compat import breaking_changes, ignored_fields
from schemas.generate import compatibility_problems, releases, rendered, schema_of


def test_json_schema_files_are_current():
    for path, text in rendered().items():
        assert path.exists(), f"{path.name} missing: run `make schemas`"
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run `make schemas`"


def test_enriched_article_schema_extends_clean_article():
    clean = set(CleanArticle.model_json_schema()["properties"])
    enriched = set(EnrichedArticle.model_json_schema()["properties"])
    assert clean < enriched and enriched - clean == {"ministries", "topics", "data_version", "tag_revision"}


def test_raw_article_needs_id_and_html():
    with pytest.raises(ValidationError):
        RawArticle.model_validate_json(json.dumps({"url": "https://x"}))
    raw = RawArticle.model_validate_json(json.dumps({"id": "a", "html": "<p>x</p>", "extra": 1}))
    assert raw.id == "a"


def test_readers_accept_fields_a_newer_writer_adds_at_any_depth():
    """A rolling upgrade: an older worker reads a newer one's events, new fields and all."""
    base = {
        "id": "a",
        "title": "t",
        "paragraphs": ["p"],
        "fingerprint": "f",
        "extractor": "generic",
        "images": [{"url": "https://x.kr/i.jpg", "caption": None, "width": 640}],
        "ministries": [
            {
                "id": "msit",
                "name_ko": "과학기술정보통신부",
                "name_en": "MSIT",
                "kind": "부",
                "mentions": 1,
                "primary": True,
                "evidence": [],
                "confidence": 0.9,
            }
        ],
        "topics": [],
        "sentiment": 0.3,
    }
    article = EnrichedArticle.model_validate_json(json.dumps(base))
    assert article.ministries[0].id == "msit" and article.data_version is None
    assert sorted(ignored_fields(EnrichedArticle, base)) == [
        "$.images[0].width",
        "$.ministries[0].confidence",
        "$.sentiment",
    ]


def test_published_schemas_allow_additional_properties_and_carry_id_and_version():
    for name, version in SCHEMA_VERSIONS.items():
        schema = schema_of(name)
        assert schema["$id"].endswith(f"/{name}/{version}.schema.json") and schema["version"] == version
        assert "\"additionalProperties\": false" not in json.dumps(schema), name


def test_every_schema_is_compatible_with_the_releases_of_its_major_version():
    assert compatibility_problems() == []
    for name, version in SCHEMA_VERSIONS.items():
        assert version in [v for v, _ in releases(name)], f"{name} {version} is not released: run `make schemas`"


def _released(name: str) -> dict:
    return dict(releases(name))["1.1"]


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda s: s["properties"].pop("title"), "$.title: removed"),
        (lambda s: s["properties"].update(revision={"type": "string"}), "$.revision: retyped"),
        (lambda s: s["required"].append("language"), "$.language: newly required"),
        (lambda s: s.update(additionalProperties=False), "additional properties now forbidden"),
        (lambda s: s["$defs"]["Image"]["properties"].pop("caption"), "$.images[].caption: removed"),
    ],
)
def test_a_breaking_change_against_the_last_release_is_found(change, expected):
    import copy

    released = _released("CleanArticle")
    changed = copy.deepcopy(released)
    change(changed)
    assert any(expected in p for p in breaking_changes(released, changed)), breaking_changes(released, changed)


def test_a_narrowed_enum_is_breaking_and_additions_are_not():
    import copy

    released = _released("DeadLetter")
    narrowed = copy.deepcopy(released)
    narrowed["properties"]["stage"]["enum"].remove("decode")
    assert any("enum narrowed" in p and "decode" in p for p in breaking_changes(released, narrowed))
    widened = copy.deepcopy(released)
    widened["properties"]["stage"]["enum"].append("retag")
    widened["properties"]["note"] = {"type": "string", "default": ""}
    assert breaking_changes(released, widened) == []
