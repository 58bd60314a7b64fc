"""Korean boundary rules: particles yes, compounds no, foreign bodies no, English word bounds."""

from __future__ import annotations

import pytest

from .helpers import ids, topic_ids


@pytest.mark.parametrize(
    "particle",
    [
        "의",
        "는",
        "은",
        "이",
        "가",
        "와",
        "과",
        "를",
        "을",
        "도",
        "에",
        "에서",
        "로",
        "으로",
        "와의",
        "까지",
        "만",
        "부터",
        "에서는",
        "처럼",
        "이다",
        "",
    ],
)
def test_name_followed_by_a_particle_or_nothing_is_a_mention(particle):
    assert ids(f"이번 정책은 과기정통부{particle} 추진한다.") == ["msit"]


@pytest.mark.parametrize(
    "text",
    [
        "산업부장관은 출장을 떠났다.",
        "국세청장은 말했다.",
        "공정위원장이 답했다.",
        "기재부 측은 반박했다.",
        "(산업부)",
        "\"산업부\"가",
        "산업부·기재부",
        "[단독]산업부, 발표",
    ],
)
def test_title_suffixes_and_punctuation_keep_the_mention(text):
    assert ids(text)


@pytest.mark.parametrize(
    "text",
    [
        "문화산업부문 매출",
        "평생교육부서 직원",
        "문화산업부를 신설했다",
        "통일부터 하자",
        "교육부터 바꾸자",
        "국방부품 국산화",
        "금융위기 이후",
        "인사처리 결과",
        "우주청년 캠프",
        "서울경찰청은 밝혔다",
        "회사 교육부장이 맡았다",
    ],
)
def test_name_inside_another_word_is_not_a_mention(text):
    assert ids(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "중국 외교부는 반발했다.",
        "美 국방부는 부인했다.",
        "美국방부가 발표했다.",
        "미국의 법무부는 기소했다.",
        "러 국방부는 밝혔다.",
        "우크라이나 국방부는 밝혔다.",
        "중국 해경이 순찰했다.",
        "China's Ministry of Foreign Affairs said.",
        "Japanese Ministry of Education officials said.",
    ],
)
def test_foreign_bodies_are_not_korean_ones(text):
    assert ids(text) == []


def test_a_korean_body_next_to_a_foreign_one_is_still_found():
    assert ids("우리 국방부와 미 국방부가 만났다.") == ["mnd"]


def test_acronyms_are_case_sensitive_and_word_bounded():
    assert ids("MSIT announced a plan.") == ["msit"]
    assert ids("MSIT는 발표했다.") == ["msit"]
    assert ids("msit announced") == [] and ids("XMSIT announced") == []
    assert ids("두 회사가 MOU를 맺었다.") == []


def test_english_names_are_case_insensitive_and_word_bounded():
    assert ids("the ministry of science and ict said") == ["msit"]


def test_short_english_topic_terms_need_word_bounds():
    assert "ai" in topic_ids("AI 기본법 시행")
    assert "ai" in topic_ids("AI반도체 투자")
    assert "ai" not in topic_ids("AIR 지수 개선")
    assert "ai" not in topic_ids("PAID 구독 모델")


def test_topic_terms_inside_a_body_name_do_not_count_for_the_topic():
    # 통상 in 산업통상자원부 is the ministry's name, not trade news.
    assert "trade" not in topic_ids("산업통상자원부 체육대회 개최")
    assert "trade" in topic_ids("산업통상자원부, 대미 통상 협상")


def test_longest_form_wins_overlaps():
    assert ids("국가보훈부는 발표했다.") == ["mpva"]
    assert ids("기후에너지환경부는 발표했다.", "2025-11-10") == ["me"]
