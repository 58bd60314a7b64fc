"""Names in force on the article's date; renames on both sides of each date; officials by term."""

from __future__ import annotations

import datetime as dt

import pytest

from streams.enrich import EnrichError, enrich, load_gazetteer

from .helpers import article, ids, names

GAZ = load_gazetteer()

# (text, body id, day before, name before, day of change, name from then)
RENAMES = [
    ("환경부", "me", "2025-09-30", "환경부", "2025-10-01", "기후에너지환경부"),
    ("산업통상자원부", "motie", "2025-09-30", "산업통상자원부", "2025-10-01", "산업통상부"),
    ("산업부", "motie", "2025-09-30", "산업통상자원부", "2025-10-01", "산업통상부"),
    ("여성가족부", "mogef", "2025-09-30", "여성가족부", "2025-10-01", "성평등가족부"),
    ("통계청", "kostat", "2025-09-30", "통계청", "2025-10-01", "국가데이터처"),
    ("특허청", "kipo", "2025-09-30", "특허청", "2025-10-01", "지식재산처"),
    ("방송통신위원회", "kcc", "2025-09-30", "방송통신위원회", "2025-10-01", "방송미디어통신위원회"),
    ("기획재정부", "moef", "2026-01-01", "기획재정부", "2026-01-02", "재정경제부"),
    ("미래창조과학부", "msit", "2017-07-25", "미래창조과학부", "2017-07-26", "과학기술정보통신부"),
    ("국가보훈처", "mpva", "2023-06-04", "국가보훈처", "2023-06-05", "국가보훈부"),
    ("문화재청", "kha", "2024-05-16", "문화재청", "2024-05-17", "국가유산청"),
    ("질병관리본부", "kdca", "2020-09-11", "질병관리본부", "2020-09-12", "질병관리청"),
]


@pytest.mark.parametrize(("form", "body_id", "before", "old", "on", "new"), RENAMES, ids=[r[0] + r[2] for r in RENAMES])
def test_renamed_body_gets_the_name_in_force_on_each_side_of_the_date(form, body_id, before, old, on, new):
    assert names(f"{form}는 발표했다.", before) == {body_id: old}
    assert names(f"{form}는 발표했다.", on) == {body_id: new}


def test_every_rename_in_the_data_switches_on_its_date():
    for body in GAZ.bodies:
        for old, new in zip(body.names, body.names[1:]):
            assert body.name_on(old.window.valid_to) == old
            assert body.name_on(new.window.valid_from) == new


def test_kind_follows_the_date_when_a_body_changes_kind():
    kinds = {m.id: m.kind for m in enrich(article(title="통계청 발표", day="2025-09-30")).ministries}
    assert kinds == {"kostat": "청"}
    kinds = {m.id: m.kind for m in enrich(article(title="통계청 발표", day="2025-10-01")).ministries}
    assert kinds == {"kostat": "처"}


def test_split_keeps_the_old_id_and_the_new_body_starts_on_its_date():
    assert names("기재부와 예산처가 협의했다.", "2026-01-02") == {"moef": "재정경제부", "mpb": "기획예산처"}
    assert names("기재부와 예산처가 협의했다.", "2026-01-01") == {"moef": "기획재정부"}


@pytest.mark.parametrize(
    ("form", "body_id", "first_day"),
    [
        ("기후부", "me", "2025-10-01"),
        ("성평등부", "mogef", "2025-10-01"),
        ("방미통위", "kcc", "2025-10-01"),
        ("데이터처", "kostat", "2025-10-01"),
    ],
)
def test_new_abbreviations_match_only_from_their_date(form, body_id, first_day):
    day_before = (dt.date.fromisoformat(first_day) - dt.timedelta(days=1)).isoformat()
    assert ids(f"{form}는 발표했다.", day_before) == []
    assert ids(f"{form}는 발표했다.", first_day) == [body_id]


# The press's short forms of names of 2001-2013 (issue 15's texts span 2007-2026), each only while the
# name it shortens was in force: (form, body id, a day inside, the name then, a day after it ended)
OLDER_SHORT_FORMS = [
    ("외교부", "mofa", "2010-05-01", "외교통상부", None),  # 외교부 is the body's own name from 2013-03-23
    ("교육부", "moe", "2007-05-01", "교육인적자원부", "2010-05-01"),  # 교육과학기술부's was 교과부
    ("건교부", "molit", "2007-05-01", "건설교통부", "2010-05-01"),
    ("문광부", "mcst", "2007-05-01", "문화관광부", "2010-05-01"),
    ("지경부", "motie", "2010-05-01", "지식경제부", "2014-05-01"),
]


@pytest.mark.parametrize(
    ("form", "body_id", "inside", "name", "after"), OLDER_SHORT_FORMS, ids=[f[0] for f in OLDER_SHORT_FORMS]
)
def test_older_short_forms_name_the_body_only_while_their_name_was_in_force(form, body_id, inside, name, after):
    assert names(f"{form}는 1일 대책을 발표했다.", inside) == {body_id: name}
    if after is not None:
        assert ids(f"{form}는 1일 대책을 발표했다.", after) == []


def test_the_gender_equality_ministry_has_its_names_of_2001_2010():
    """여성부 (2001-2005), 여성가족부 (2005-2008), 여성부 again (2008-2010), 여성가족부 (2010-2025);
    an official name matches from its first day on and resolves to the name in force (여성부 in 2012)."""
    assert names("여성부는 1일 대책을 발표했다.", "2000-05-01") == {}
    assert names("여성부는 1일 대책을 발표했다.", "2003-05-01") == {"mogef": "여성부"}
    assert names("여성가족부는 1일 대책을 발표했다.", "2007-05-01") == {"mogef": "여성가족부"}
    assert names("여성부는 1일 대책을 발표했다.", "2009-05-01") == {"mogef": "여성부"}
    assert names("여성부는 1일 대책을 발표했다.", "2012-05-01") == {"mogef": "여성가족부"}


def test_ministers_resolve_to_their_ministry_on_the_date():
    assert names("배경훈 장관은 말했다.", "2025-08-14") == {"msit": "과학기술정보통신부"}
    assert names("김정관 장관은 말했다.", "2025-11-10") == {"motie": "산업통상부"}
    assert names("김성환 장관은 말했다.", "2025-11-10") == {"me": "기후에너지환경부"}
    assert names("류제명 제2차관이 말했다.", "2025-08-14") == {"msit": "과학기술정보통신부"}
    assert names("배경훈 부총리 겸 과기정통부 장관이 말했다.", "2025-11-10") == {"msit": "과학기술정보통신부"}


def test_same_person_in_two_roles_resolves_by_role_and_date():
    assert ids("정은경 청장은 말했다.", "2021-03-01") == ["kdca"]
    assert ids("정은경 장관은 말했다.", "2025-09-10") == ["mohw"]


def test_official_name_without_role_or_outside_term_is_not_a_mention():
    assert ids("배경훈 LG AI연구원장은 말했다.", "2025-03-01") == []
    assert ids("배경훈 장관은 말했다.", "2025-03-01") == []
    assert ids("김정관 사장이 말했다.", "2024-05-10") == []


def test_article_date_prefers_published_then_fetched_then_today():
    assert names("산업부 발표", "2025-11-10T09:00:00+09:00") == {"motie": "산업통상부"}
    out = enrich(article(title="산업부 발표", day=None, fetched_at="2025-09-01T00:00:00Z"))
    assert out.ministries[0].name_ko == "산업통상자원부"
    out = enrich(article(title="산업부 발표", day=None))
    assert out.ministries[0].name_ko == "산업통상부"  # today (2025-10-01 or later)


def test_bad_date_raises_enrich_error_with_a_code():
    with pytest.raises(EnrichError) as info:
        enrich(article(title="산업부 발표", day="14 Aug 2025"))
    assert info.value.code == "bad_date" and "published_at" in info.value.message
