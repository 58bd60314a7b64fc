"""Every gazetteer and taxonomy entry loads, is valid, and is found in text; bad data is refused
with a message naming the entry."""

from __future__ import annotations

import copy
import re
import datetime as dt

import pytest
import yaml

from streams.enrich import (
    EnrichDataError,
    default_enricher,
    load_gazetteer,
    load_taxonomy,
    ministry_catalogue,
    topic_catalogue,
)
from streams.enrich.gazetteer import DEFAULT_GAZETTEER, parse_gazetteer
from streams.enrich.taxonomy import DEFAULT_TAXONOMY, parse_taxonomy

from .helpers import article, ids, topic_ids

GAZ = load_gazetteer()
TAX = load_taxonomy()
RAW_GAZ = yaml.safe_load(DEFAULT_GAZETTEER.read_text(encoding="utf-8"))
RAW_TAX = yaml.safe_load(DEFAULT_TAXONOMY.read_text(encoding="utf-8"))


def a_day_in(window) -> str:
    """A date inside a validity window (its start, or a recent date when open)."""
    if window.valid_from:
        return window.valid_from.isoformat()
    return (window.valid_to or dt.date(2025, 8, 20)).isoformat()


def korean_forms():
    for body in GAZ.bodies:
        for name in body.names:
            yield pytest.param(body.id, name.ko, a_day_in(name.window), id=f"{body.id}:{name.ko}")
        for form in body.abbreviations:
            yield pytest.param(body.id, form.text, a_day_in(form.window), id=f"{body.id}:{form.text}")


def english_forms():
    for body in GAZ.bodies:
        for name in body.names:
            yield pytest.param(body.id, name.en, a_day_in(name.window), id=f"{body.id}:{name.en}")
        for form in (*body.acronyms, *body.english_aliases):
            yield pytest.param(body.id, form.text, a_day_in(form.window), id=f"{body.id}:{form.text}")


def officials():
    for body in GAZ.bodies:
        for o in body.officials:
            yield pytest.param(body.id, o, id=f"{body.id}:{o.name}:{o.role}")


def test_gazetteer_has_every_central_body_kind():
    kinds = {b.names[-1].kind for b in GAZ.bodies}
    assert kinds == {"부", "처", "청", "위원회"}
    assert len(GAZ.bodies) >= 50
    assert sum(1 for b in GAZ.bodies if b.names[-1].kind == "부" and b.in_force_on(dt.date(2025, 11, 1))) == 19


@pytest.mark.parametrize(("body_id", "form", "day"), list(korean_forms()))
def test_every_korean_name_and_abbreviation_is_found_with_a_particle(body_id, form, day):
    assert ids(f"{form}는 이날 발표했다.", day) == [body_id]
    assert ids(f"정부는 {form}의 계획을 검토했다.", day) == [body_id]


def committee_chairs():
    for body in GAZ.bodies:
        for name in body.names:
            if name.ko.endswith("위원회"):
                chair = name.ko[:-1] + "장"
                yield pytest.param(body.id, chair, a_day_in(name.window), id=f"{body.id}:{chair}")


@pytest.mark.parametrize(("body_id", "chair", "day"), list(committee_chairs()))
def test_every_committees_chair_named_by_its_title_names_the_committee(body_id, chair, day):
    """공정거래위원장, 방송통신위원장: the press names a committee's chair by its name with 장 for 회."""
    assert ids(f"홍길동 {chair}은 이날 기자간담회에서 밝혔다.", day) == [body_id]


def test_a_chair_of_the_assemblys_committees_is_no_body():
    assert ids("국회 교육위원장은 이날 전체회의를 열었다.", "2024-05-01") == []
    assert ids("국회 정무위원장은 이날 법안을 상정했다.", "2024-05-01") == []
    assert ids("일본 공정거래위원장은 이날 구글을 제재했다.", "2024-05-01") == []  # another country's


@pytest.mark.parametrize(("body_id", "form", "day"), list(english_forms()))
def test_every_english_name_and_acronym_is_found(body_id, form, day):
    assert ids(f"Officials at the {form} said on Monday.", day) == [body_id]


@pytest.mark.parametrize(("body_id", "official"), list(officials()))
def test_every_official_resolves_to_their_body_in_term(body_id, official):
    day = a_day_in(official.window)
    assert ids(f"{official.name} {official.role}은 이날 현장을 찾았다.", day) == [body_id]


def test_catalogue_lists_bodies_in_force_today_with_current_names():
    cat = ministry_catalogue()
    by_id = {c["id"]: c for c in cat}
    assert len(by_id) == len(cat) >= 50
    assert set(cat[0]) == {"id", "name_ko", "name_en", "kind"}
    on = ministry_catalogue(dt.date(2025, 11, 10))
    names = {c["id"]: c["name_ko"] for c in on}
    assert names["motie"] == "산업통상부" and names["me"] == "기후에너지환경부" and names["kostat"] == "국가데이터처"
    assert "mpb" not in names and names["moef"] == "기획재정부"
    names_2026 = {c["id"]: c["name_ko"] for c in ministry_catalogue(dt.date(2026, 3, 1))}
    assert names_2026["moef"] == "재정경제부" and names_2026["mpb"] == "기획예산처"


def test_taxonomy_has_at_least_25_topics_with_both_languages():
    cat = topic_catalogue()
    assert len(cat) >= 25
    assert {"ai", "semiconductor", "energy", "nuclear", "trade", "north-korea", "space"} <= {c["id"] for c in cat}
    for topic in TAX.topics:
        assert any(not t.text.isascii() for t in topic.terms) and any(t.text.isascii() for t in topic.terms)


@pytest.mark.parametrize(
    "term", [pytest.param(t, id=f"{t.topic_id}:{t.text}") for topic in TAX.topics for t in topic.terms]
)
def test_every_topic_term_is_evidence_of_its_topic_and_tags_it_in_a_headline_alone(term):
    found = default_enricher().topic_evidence(article(title=f"{term.text} 관련 소식"))
    assert term in [h.term for e in found if e.topic_id == term.topic_id for h in e.hits]
    # alone, a term is a topic when its headline weight reaches min_score (the weakest, 0.4 x 3, do not)
    strong_enough = TAX.field_weights["title"] * term.weight >= TAX.min_score
    assert (term.topic_id in topic_ids(f"{term.text} 관련 소식")) == strong_enough


# --- bad data is refused, naming the entry -----------------------------------------------------


def broken_gazetteer(mutate):
    raw = copy.deepcopy(RAW_GAZ)
    mutate(raw)
    return raw


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["bodies"][0].update(id="Bad Id"), "Bad Id"),
        (lambda r: r["bodies"][0].update(kind="국"), "kind"),
        (lambda r: r["bodies"][0]["names"][0].update(valid_from="2025-13-40"), "body 'moef' names[0]"),
        (lambda r: r["bodies"][0]["names"][2].update(valid_from="2020-01-01"), "date order"),
        (lambda r: r["bodies"][0]["officials"][0].update(role="대통령"), "body 'moef' officials[0]"),
        (lambda r: r["bodies"][1].update(abbreviations=["기재부"]), "'기재부' is also a form of 'moef'"),
        (lambda r: r["bodies"].append(copy.deepcopy(r["bodies"][0])), "duplicate body ids"),
        (lambda r: r["bodies"][0]["names"][0].pop("ko"), "ko must be"),
        (lambda r: r["foreign_markers"].update(home_prefixes=["우리", ""]), "foreign_markers.home_prefixes"),
        (lambda r: r["foreign_markers"].update(apposition_roles="대변인"), "foreign_markers.apposition_roles"),
        (lambda r: r["foreign_markers"].update(shared_forms=["외교부", "외무성"]), "shared_forms names no body's form"),
        (
            lambda r: r["foreign_markers"].update(seong_context=["도쿄", "오사카"]),
            "seong_context names no context marker",
        ),
        (
            lambda r: r["foreign_markers"].update(surnames_with_role=["오스틴", "홍길동"]),
            "surnames_with_role names no official's name in foreign_markers.context: ['홍길동']",
        ),
    ],
)
def test_bad_gazetteer_entries_raise_enrich_data_error_naming_the_entry(mutate, message):
    with pytest.raises(EnrichDataError, match=re.escape(message)) as info:
        parse_gazetteer(broken_gazetteer(mutate))
    assert info.value.code == "bad_enrich_data"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["topics"][0].update(id="AI"), "id must match"),
        (lambda r: r["topics"][0]["terms_ko"].append({"text": "인공지능2", "weight": 0}), "weight"),
        (lambda r: r["topics"][0].update(terms_en=[]), "topic 'ai'"),
        (lambda r: r["topics"][0]["terms_ko"].append("인공지능"), "duplicate terms"),
        (lambda r: r.update(min_score=0), "min_score"),
        (lambda r: r["field_weights"].pop("title"), "field_weights"),
    ],
)
def test_bad_taxonomy_entries_raise_enrich_data_error_naming_the_entry(mutate, message):
    raw = copy.deepcopy(RAW_TAX)
    mutate(raw)
    with pytest.raises(EnrichDataError, match=re.escape(message)):
        parse_taxonomy(raw)


def test_unreadable_file_raises_enrich_data_error(tmp_path):
    bad = tmp_path / "g.yaml"
    bad.write_text("bodies: [unclosed", encoding="utf-8")
    with pytest.raises(EnrichDataError, match="g.yaml"):
        load_gazetteer(bad)
    with pytest.raises(EnrichDataError, match="missing.yaml"):
        load_taxonomy(tmp_path / "missing.yaml")


def test_foreign_context_home_prefixes_and_apposition_roles_are_loaded_from_the_gazetteer():
    gaz = parse_gazetteer(copy.deepcopy(RAW_GAZ))
    assert {"우리", "한국"} <= gaz.home_prefixes
    assert {"대변인", "spokesman"} <= gaz.apposition_roles
    assert gaz.foreign_context_re.match("Qin Gang")


def test_each_phrase_naming_korea_as_the_party_addressed_starts_with_a_korean_marker():
    """korea_addressed hides Korean markers (a phrase that starts with none hides nothing, a typo
    an editor would not see); a bad entry is refused naming the list."""
    gaz = parse_gazetteer(copy.deepcopy(RAW_GAZ))
    assert gaz.korea_addressed and gaz.korea_addressed_re is not None
    for phrase in gaz.korea_addressed:
        assert phrase.startswith(gaz.korean_markers), phrase
    raw = copy.deepcopy(RAW_GAZ)
    raw["foreign_markers"]["korea_addressed"] = ["한국 정부에", ""]
    with pytest.raises(EnrichDataError, match="korea_addressed"):
        parse_gazetteer(raw)
