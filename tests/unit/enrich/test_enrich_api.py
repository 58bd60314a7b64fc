"""The interface the shell relies on: ordering, primary, evidence, errors, only cleaned fields."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.events import EnrichedArticle
from streams.enrich import EnrichError, Enricher, enrich, load_gazetteer, load_taxonomy

from .helpers import article


def field_text(a, field: str) -> str:
    if "[" in field:
        name, index = field.rstrip("]").split("[")
        return getattr(a, name)[int(index)]
    return getattr(a, field)


def test_primary_first_then_by_mentions():
    a = article(
        title="환경부, 여름철 대책",
        paragraphs=[
            "환경부는 발표했다.",
            "국토부와 행안부가 협조한다.",
            "행안부는 점검한다.",
            "행안부 관계자는 말했다.",
        ],
    )
    out = enrich(a)
    assert [(m.id, m.primary, m.mentions) for m in out.ministries] == [
        ("mois", True, 3),
        ("me", True, 2),
        ("molit", False, 1),
    ]


def test_passing_reference_in_the_body_is_not_primary():
    out = enrich(
        article(title="폭염 대책", paragraphs=["지자체가 나섰다.", "이와 관련해 행안부는 지원을 검토 중이다."])
    )
    assert [(m.id, m.primary) for m in out.ministries] == [("mois", False)]


def test_lead_or_subtitle_mention_is_primary():
    out = enrich(article(title="폭염 대책", subtitle="행안부, 긴급 점검", paragraphs=["지자체가 나섰다."]))
    assert out.ministries[0].primary


def test_topics_are_sorted_by_score_and_title_weighs_more():
    out = enrich(article(title="반도체 수출 역대 최대", paragraphs=["AI 수요가 늘었다.", "반도체 업계는 환영했다."]))
    scores = [t.score for t in out.topics]
    assert scores == sorted(scores, reverse=True)
    assert out.topics[0].id == "semiconductor"


def test_the_best_scored_topic_and_only_it_is_primary():
    out = enrich(
        article(
            title="반도체 수출 역대 최대",
            subtitle="관세 협상에도 반도체 수출이 늘었다",
            paragraphs=[
                "반도체 수출이 늘었다.",
                "미국과의 관세 협상과 통상 마찰에도 수출은 늘었다.",
                "반도체 업계는 수출 증가를 환영했다.",
            ],
        )
    )
    assert len(out.topics) >= 2, out.topics
    assert [t.primary for t in out.topics] == [True] + [False] * (len(out.topics) - 1)


def test_only_cleaned_fields_are_read():
    a = article(
        title="날씨",
        paragraphs=["맑음"],
        press="산업부 소식",
        url="https://x/과기정통부",
        bylines=[{"name": "국토부", "email": None}],
        images=[{"url": "https://x/a.jpg", "caption": "교육부"}],
    )
    assert enrich(a).ministries == []
    assert [m.id for m in enrich(article(title="날씨", captions=["교육부 장관"])).ministries] == ["moe"]


def test_enrich_is_deterministic():
    a = article(title="과기정통부·산업부 AI 협력", paragraphs=["배경훈 장관과 김정관 장관이 만났다."])
    assert enrich(a).model_dump_json() == enrich(a).model_dump_json()


def test_enricher_can_be_built_from_explicit_data():
    e = Enricher(load_gazetteer(), load_taxonomy())
    assert isinstance(e.enrich(article(title="산업부 발표")), EnrichedArticle)


def test_wrong_input_type_raises_enrich_error():
    try:
        enrich({"title": "산업부"})  # type: ignore[arg-type]
    except EnrichError as exc:
        assert exc.code == "not_clean_article"
    else:
        raise AssertionError("expected EnrichError")


FORMS = [
    "과기정통부",
    "산업부",
    "배경훈 장관",
    "AI",
    "반도체",
    "중국 외교부",
    "美",
    "문화",
    "부문",
    "Ministry of Science and ICT",
    "MSIT",
]
PIECES = st.sampled_from(FORMS + ["의", "는", "와", " ", ", ", "가나다", "\n", "AIR", "·"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(PIECES, max_size=12).map("".join), min_size=1, max_size=4))
def test_evidence_is_always_the_text_at_its_offsets(paragraphs):
    a = article(title=paragraphs[0], paragraphs=paragraphs[1:], captions=paragraphs[:1])
    out = enrich(a)
    for ev in [e for m in out.ministries for e in m.evidence] + [e for t in out.topics for e in t.evidence]:
        assert field_text(a, ev.field)[ev.start : ev.end] == ev.text
    for m in out.ministries:
        assert m.mentions == len(m.evidence)


def test_every_body_has_a_label_ended_ones_with_their_last_name():
    import datetime as dt

    from streams.enrich import ministry_catalogue, ministry_names

    names = ministry_names(dt.date(2026, 11, 25))
    in_force = {m["id"]: m["name_ko"] for m in ministry_catalogue(dt.date(2026, 11, 25))}
    assert {k: names[k] for k in in_force} == in_force
    assert set(names) > set(in_force)  # bodies that ended (e.g. 검찰청) keep a label
    assert names["motie"] == "산업통상부" and ministry_names(dt.date(2025, 8, 14))["motie"] == "산업통상자원부"
