"""The seed page: exactly 과학기술정보통신부 and 산업통상자원부, both primary, topic ai first."""

from __future__ import annotations

from schemas.events import EnrichedArticle
from streams.enrich import enrich

from .seed_article import BODY, seed_article, seed_expected


def resolve(article, field: str) -> str:
    if "[" in field:
        name, index = field.rstrip("]").split("[")
        return getattr(article, name)[int(index)]
    return getattr(article, field)


def test_seed_article_matches_the_expected_fields():
    exact = seed_expected()["exact"]
    assert BODY[0] == exact["first_paragraph"] and BODY[-1] == exact["last_paragraph"]


def test_seed_ministries_are_exactly_msit_and_motie_by_their_names_on_the_day():
    out = enrich(seed_article())
    assert isinstance(out, EnrichedArticle)
    assert sorted(m.name_ko for m in out.ministries) == sorted(seed_expected()["ministries_exactly"])
    assert sorted(m.id for m in out.ministries) == ["motie", "msit"]
    assert all(m.primary and m.kind == "부" for m in out.ministries)


def test_seed_ministers_and_vice_ministers_resolve_to_their_ministries():
    out = enrich(seed_article())
    texts = {m.id: {e.text for e in m.evidence} for m in out.ministries}
    assert {"배경훈 장관", "류제명 제2차관"} <= texts["msit"]
    assert {"김정관 장관", "문신학 제1차관"} <= texts["motie"]


def test_seed_topics_put_ai_first_and_exclude_crime_and_entertainment():
    out = enrich(seed_article())
    ids = [t.id for t in out.topics]
    assert ids[0] == "ai"
    assert not set(ids) & set(seed_expected()["topics_must_not_include"])


def test_every_evidence_is_the_text_at_its_offsets():
    article = seed_article()
    out = enrich(article)
    evidence = [e for m in out.ministries for e in m.evidence] + [e for t in out.topics for e in t.evidence]
    assert evidence
    for e in evidence:
        assert resolve(article, e.field)[e.start : e.end] == e.text


def test_enrich_keeps_the_clean_article_fields():
    article = seed_article()
    out = enrich(article)
    assert out.model_dump(exclude={"ministries", "topics", "data_version", "tag_revision"}) == article.model_dump()
    assert out.data_version and out.data_version.startswith("g") and out.tag_revision == 0
