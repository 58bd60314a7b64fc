"""Tagging as an editor reads real text (issue 15): ministries in context, topics from evidence."""

from __future__ import annotations

import pytest

from streams.enrich import default_enricher, enrich, load_taxonomy

from .helpers import article, ids, names, topic_ids


# -- ministries in context ------------------------------------------------------------------------
def test_a_body_without_its_country_is_foreign_after_a_foreign_official_or_side_in_the_sentence():
    assert ids("마오닝 외교부 대변인은 정례 브리핑에서 이같이 말했다.") == []
    assert ids("중국 측은 이날 외교부 성명을 통해 반발했다.") == []
    assert ids("외교부는 이날 중국 측에 유감을 표명했다.") == ["mofa"]  # the marker comes after: Korean


def test_any_countrys_side_capital_or_name_before_the_body_makes_it_foreign():
    # every country of the gazetteer has its side (`라오스 측`), and capitals beyond the great powers count
    assert ids("라오스 측은 이날 국방부 성명을 통해 반발했다.") == []
    assert ids("하노이에서 열린 회의에서 국방부 대변인은 이같이 말했다.") == []
    assert ids("탄자니아 외교부는 성명을 냈다.") == []
    assert ids("국방부는 하노이에서 열린 회의에 대표단을 보냈다.") == ["mnd"]  # the capital after: Korea's
    assert ids("정책 수단으로 국방부는 예산을 늘렸다.") == ["mnd"]  # 수단 (a means) is no Sudan


def test_officials_of_earlier_years_beside_a_body_name_whose_body_it_is():
    """News of 2007-2026 names China's spokespersons of its day beside the bare body (겅솽 외교부
    대변인, 2016-2020; 런궈창 국방부 대변인): they make it foreign as today's (마오닝) do."""
    assert ids("겅솽 외교부 대변인은 정례브리핑에서 이같이 말했다.", "2017-05-01") == []
    assert ids("훙레이 외교부 대변인은 정례브리핑에서 이같이 말했다.", "2012-05-01") == []
    assert ids("런궈창 국방부 대변인은 이날 기자회견에서 밝혔다.", "2019-05-01") == []
    assert ids("Foreign Ministry spokesman Geng Shuang said on Monday.", "2017-05-01") == []
    assert ids("외교부는 겅솽 대변인의 발언 이후 입장을 냈다.", "2017-05-01") == ["mofa"]  # named after: Korea's


def test_a_foreign_officials_surname_right_before_the_body_and_a_role_makes_the_body_foreign():
    """After a first mention the press writes a US official by surname, body and role (오스틴 국방부
    장관, 라이더 국방부 대변인). Those surnames are Korean words or places too (Austin, Texas), so alone
    they are no context markers: the body stays Korea's where the surname stands elsewhere."""
    assert ids("오스틴 국방부 장관은 기자회견에서 중국을 비판했다.", "2024-05-01") == []
    assert ids("게이츠 국방부 장관은 이날 아시아 순방에 나섰다.", "2010-05-01") == []
    assert ids("라이더 국방부 대변인은 정례 브리핑에서 이같이 말했다.", "2023-05-01") == []
    assert ids("신원식 국방부 장관은 오스틴 장관과 회담했다.", "2024-05-01") == ["mnd"]
    assert ids("오스틴에서 열린 행사에 국방부 장관이 참석했다.", "2024-05-01") == ["mnd"]
    assert ids("오스틴 국방부 청사 방문 일정이 공개됐다.", "2024-05-01") == ["mnd"]  # no role after the body


def test_a_foreign_context_marker_inside_another_word_is_not_one():
    # 한정 (Han Zheng) in 한정된, 파리 (Paris) in 파리바게뜨, 베이징 in 베이징올림픽: Korean words
    assert ids("한정된 예산으로 교육부는 사업을 추진했다.") == ["moe"]
    assert ids("파리바게뜨 매장에서 식품의약품안전처는 위생 점검을 벌였다.") == ["mfds"]
    assert ids("베이징올림픽 이후 문화체육관광부는 지원을 늘렸다.") == ["mcst"]
    # as words, with a particle or a suffix, they still are
    assert ids("파리에서 열린 회의에서 외교부 대변인은 말했다.") == []
    assert ids("베이징발 보도에 따르면 외교부는 항의했다.") == []
    assert ids("외교부 한정 대변인은 말했다.") == []


def test_a_word_of_time_between_a_country_and_its_body_leaves_the_body_the_countrys():
    assert ids("최근 영국의 현 교육부 장관은 성교육 의무화를 고려하고 있다고 밝혔다.") == []
    assert ids("미국 전 국방부 관리는 이같이 말했다.") == []
    assert ids("정부는 현 교육부 체제를 유지하기로 했다.") == ["moe"]  # no country before it: Korea's


def test_the_epidemic_response_headquarters_is_the_disease_control_agency():
    assert ids("중앙방역대책본부(방대본)는 이날 0시 기준 신규 확진자가 44명 늘었다고 밝혔다.", "2020-07-07") == ["kdca"]
    assert ids("방대본은 추가 확진자를 발표했다.", "2021-03-02") == ["kdca"]


def test_a_foreign_marker_in_an_earlier_sentence_does_not_make_the_next_one_foreign():
    assert ids("중국 측은 반발했다. 외교부는 유감을 표명했다.") == ["mofa"]


def test_a_country_in_the_sentence_before_does_not_make_a_bare_body_foreign():
    """Korean news states a foreign act, then Korea's answer with a bare body name: reading the
    previous sentence's country into the body would drop Korea's ministry from the commonest shape
    of such stories. So a bare body whose own sentence names no country stays Korea's, even where
    the story means another country's (the external set's one wrong ministry tag, Vietnam's 국방부
    after a sentence naming 베트남, is left for that reason; docs/tagging.md)."""
    assert ids("일본은 수출 규제를 발표했다. 산업통상자원부는 유감을 표명했다.", "2019-07-02") == ["motie"]
    assert ids("미국은 대북 제재를 강화했다. 외교부는 미국 측과 긴밀히 협의하겠다고 밝혔다.", "2019-07-02") == ["mofa"]
    assert ids("베트남은 해상 훈련을 발표했다. 국방부는 상황을 주시하고 있다고 밝혔다.", "2019-07-02") == ["mnd"]


def _ministries(title: str, *paragraphs: str) -> list[str]:
    return sorted(m.id for m in enrich(article(title=title, paragraphs=list(paragraphs), day="2019-07-02")).ministries)


def test_in_an_article_about_another_country_a_body_named_as_foreign_stays_foreign_in_later_paragraphs():
    assert (
        _ministries(
            "베트남, 남중국해서 해상 훈련",
            "베트남 국방부는 10일 훈련을 시작했다고 발표했다.",
            "국방부 대변인은 훈련이 일주일간 이어진다고 말했다.",
        )
        == []
    )
    # a paragraph that speaks of Korea reads it as Korea's
    assert _ministries(
        "베트남, 남중국해서 해상 훈련",
        "베트남 국방부는 10일 훈련을 시작했다고 발표했다.",
        "정부는 상황을 주시하고 있으며 국방부는 대응 방안을 검토했다.",
    ) == ["mnd"]


def test_a_body_only_korea_has_is_koreas_in_a_sentence_or_article_about_another_country():
    """Korea's reply told in an article about another country's measure: 산업통상자원부 and 기획재정부
    are bodies no other country has in the Korean press, so a foreign official, capital or country
    earlier in the sentence, or an article about abroad, does not make them foreign; a shared form
    (외교부, 국방부) still is read from its context."""
    title, lead = "美 관세 폭탄 현실화…철강 50% 부과", "미국 상무부가 철강 제품에 50% 관세를 부과한다고 밝혔다."
    assert _ministries(title, lead, "미국의 발표에 대해 산업통상자원부는 유감을 표명했다.") == ["motie"]
    assert _ministries(title, lead, "트럼프 대통령의 발표 직후 산업통상자원부는 긴급 대책회의를 열었다.") == ["motie"]
    assert _ministries(
        "中 희토류 수출 통제 강화",
        "중국 상무부는 희토류 수출 통제를 강화한다고 밝혔다.",
        "중국의 조치에 대해 기획재정부와 산업통상자원부는 공급망 점검에 나섰다.",
    ) == ["moef", "motie"]
    # a country right before it still makes it foreign; a shared form still reads its sentence
    assert _ministries(title, lead, "인도 산업통상자원부는 이를 환영했다.") == []
    assert _ministries(title, lead, "마오닝 외교부 대변인은 이를 비판했다.") == []


def test_a_ministry_form_after_japanese_or_north_korean_context_alone_is_koreas():
    """The Korean press names Japan's and North Korea's ministries -성 (외무성, 방위성, 국방성): a bare
    외교부 or 국방부 in a sentence whose only foreign context is theirs is Korea's; their 청 forms are
    shared (일본 경찰청), and another country's context beside theirs still makes the body foreign."""

    def one(text: str) -> list[str]:
        return ids(text, "2025-08-20")

    assert one("일본 정부의 발표에 외교부는 항의했다.") == ["mofa"]
    assert one("이시바 총리의 발언에 외교부는 유감을 표했다.") == ["mofa"]
    assert one("평양에서 열병식이 열린 날 국방부는 경계 태세를 강화했다.") == ["mnd"]
    assert one("북측이 회담 제안을 거부하자 국방부는 유감을 표명했다.") == ["mnd"]
    assert one("도쿄에서 열린 회의에서 경찰청 관계자는 수사 공조를 설명했다.") == []
    assert one("중국 측과 일본 정부가 반발하자 외교부는 입장을 냈다.") == []


def test_in_an_article_about_japan_a_ministry_form_after_japans_context_alone_is_koreas():
    """The -성 convention holds in an article about Japan too: its paragraphs name Japan, and a bare
    외교부 or 국방부 after only that is Korea's (Japan's are 외무성, 방위성); its 청 forms are shared
    (일본 경찰청), and another country named before the body still makes it foreign."""
    title, lead = "일본, 사도광산 추도식에 차관급 파견", "일본 정부가 사도광산 추도식에 차관급 인사를 보내기로 했다."
    assert _ministries(title, lead, "일본 측 대표의 참석이 확정되자 외교부는 유감을 표명했다.") == ["mofa"]
    assert _ministries(title, lead, "도쿄에서 회의가 열렸다. 국방부는 대응 방안을 검토했다.") == ["mnd"]
    assert _ministries(title, lead, "일본 당국의 발표 뒤 경찰청 관계자는 수사 공조를 설명했다.") == []
    assert _ministries(title, lead, "일본과 미국이 회담했다. 국방부는 이를 환영했다.") == []


def test_a_newsrooms_desk_bearing_a_bodys_short_name_is_not_the_body():
    """매일경제 산업부 기자: the paper's industry desk, not 산업통상자원부; the ministry's own press
    corps and briefings (산업부 기자단, 기자간담회) are still the ministry."""
    lead = "삼성전자가 2분기 영업이익 10조원을 기록했다."
    assert _ministries("삼성전자 2분기 실적 발표", lead, "김철수 매일경제 산업부 기자") == []
    assert _ministries("반도체 업황 회복", "반도체 업황이 회복되고 있다고 산업부 기자들이 전했다.") == []
    assert _ministries("수출 동향", "산업부 기자단 간담회에서 장관이 수출 전망을 밝혔다.") == ["motie"]
    assert _ministries("수출 동향", "산업부는 기자간담회를 열어 수출 전망을 밝혔다.") == ["motie"]


def test_in_an_article_about_another_country_a_paragraph_naming_it_makes_a_bare_body_foreign():
    lead = "베트남은 10일 남중국해에서 훈련을 시작했다."
    assert (
        _ministries(
            "베트남, 해상 훈련 발표", lead, "베트남 해군은 훈련이 정례적이라고 밝혔다. 국방부는 추가 훈련을 예고했다."
        )
        == []
    )
    # the body before the country: Korea's (국방부는 하노이에서 ...)
    assert _ministries("베트남, 해상 훈련 발표", lead, "국방부는 베트남 해군의 훈련 일정을 확인했다.") == ["mnd"]
    # a paragraph with a Korean marker: Korea's
    assert _ministries(
        "베트남, 해상 훈련 발표", lead, "베트남의 훈련에 우리 군은 대비 태세를 유지했다. 국방부는 이같이 밝혔다."
    ) == ["mnd"]


def test_in_an_article_about_another_country_a_caption_shows_its_scene_and_credits_its_sources():
    """A photo's caption in an article about abroad is that country's scene: a bare body in it is
    foreign from its first word (the photo credit of a Mexican state's prosecutors, KBS)."""
    title, lead = "멕시코 '무더기 실종' 모두 발견", "멕시코 도로에서 행방이 묘연했던 실종자들이 모두 발견됐습니다."
    credit = "[사진 출처 : 산루이스포토시 검찰청 공식 트위터 캡처]"
    day = "2023-04-07"
    assert enrich(article(title=title, paragraphs=[lead], captions=[credit], day=day)).ministries == []
    # the same caption in a paragraph needs a foreign marker before the body, as before
    assert [m.id for m in enrich(article(title=title, paragraphs=[lead, credit], day=day)).ministries] == ["spo"]
    # a caption that speaks of Korea is Korea's
    korean = "우리 정부 합동조사단이 현장을 찾았다. 사진=외교부 제공"
    assert [m.id for m in enrich(article(title=title, paragraphs=[lead], captions=[korean], day=day)).ministries] == [
        "mofa"
    ]
    # in a Korean article, a ministry credited for its photo is tagged as before
    home = article(title="국토교통부, 공급 대책 발표", paragraphs=["정부는 주택 공급 대책을 내놨다."], day=day)
    home.captions.append("사진=국토교통부 제공")
    assert "molit" in [m.id for m in enrich(home).ministries]


def test_a_country_whose_name_ends_like_a_particle_is_read_whole():
    # 캐나다 is not 캐나 + 다, 폴란드 not 폴란 + 드: the headline names Canada
    assert (
        _ministries(
            "캐나다 총선 앞두고 국방비 논쟁",
            "캐나다 정치권이 국방비 증액을 두고 맞섰다.",
            "캐나다 야권은 반대했다. 국방부는 증액이 필요하다고 밝혔다.",
        )
        == []
    )


def test_an_article_is_not_about_another_country_when_its_headline_or_lead_speaks_of_korea():
    body = "베트남 해군은 훈련이 정례적이라고 밝혔다. 국방부는 상황을 주시하고 있다고 밝혔다."
    # the lead names a Korean body, or the title a Korean marker: Korea's answer to a foreign act
    assert _ministries("베트남, 해상 훈련 발표", "외교부는 베트남의 훈련 발표에 유감을 표명했다.", body) == [
        "mnd",
        "mofa",
    ]
    assert _ministries("베트남 해상 훈련에 정부 '주시'", "베트남은 10일 훈련을 시작했다.", body) == ["mnd"]
    # 주한미군 (stationed in Korea) speaks of Korea; an English article keeps its own rule (home_markers)
    assert _ministries(
        "美 국방부, 감축 검토",
        "미국 국방부가 병력 감축을 검토하고 있다.",
        "국방부는 주한미군 감축은 논의된 바 없다고 밝혔다.",
    ) == ["mnd"]
    english = article(
        title="Seoul protests Manila's drills",
        paragraphs=[
            "South Korea protested on Monday.",
            "In Manila, drills went on. The Defense Ministry said it was watching.",
        ],
        day="2019-07-02",
    )
    assert [m.id for m in enrich(english).ministries] == ["mnd"]
    # 인도 is also a sidewalk: a headline naming it does not make the article about India
    assert _ministries(
        "인도 위 전동킥보드 사고 잇따라",
        "인도 위를 달리던 전동킥보드가 보행자를 쳤다.",
        "인도에서의 주행은 불법이지만 경찰청은 단속 인력이 부족하다고 밝혔다.",
    ) == ["knpa"]
    # North Korea's news is told from Seoul: not another country's article
    assert _ministries(
        "북한, 동해상으로 탄도미사일 발사",
        "북한이 10일 동해상으로 탄도미사일을 발사했다.",
        "북한은 이번 발사가 정례 훈련이라고 주장했다. 국방부는 북한의 도발을 규탄했다.",
    ) == ["mnd"]


def test_a_local_government_office_is_not_the_central_body():
    assert ids("인천시 선거관리위원회는 현수막 철거를 요청했다.") == []
    assert ids("강남구 교육부 협력관이 방문했다.") == []
    assert ids("당시 교육부는 반대했다.") == ["moe"]  # 당시 ends in 시 but is not a place


def test_a_district_before_a_body_with_no_district_offices_is_its_address():
    """경찰청 and 국세청 have offices at city and province level (서울경찰청, a 구 has a 경찰서): a
    district before them is where the body stands, not an office of the district."""
    assert ids("시민단체는 서울 서대문구 경찰청 앞에서 기자회견을 열고 수사를 촉구했다.") == ["knpa"]
    assert ids("부산 경찰청은 수사 결과를 발표했다.") == []  # a city's own agency: local
    assert ids("강남구 선거관리위원회는 투표소를 공개했다.") == []  # a district has its own 선관위


def test_a_body_named_for_district_offices_must_be_one_the_gazetteer_has(tmp_path):
    from streams.enrich.datafiles import read_yaml
    from streams.enrich.errors import EnrichDataError
    from streams.enrich.gazetteer import DEFAULT_GAZETTEER, parse_gazetteer

    raw = read_yaml(DEFAULT_GAZETTEER, "gazetteer")
    raw["local_markers"]["offices_above_districts"] = ["knpa", "no-such-body"]
    with pytest.raises(EnrichDataError, match="no-such-body"):
        parse_gazetteer(raw, "gazetteer.yaml")


def test_a_body_not_yet_in_force_on_the_date_is_never_tagged():
    # 기획예산처 (mpb) starts 2026-01-02; 기후에너지환경부 is 환경부's name from 2025-10-01.
    assert ids("내년 1월 기획예산처가 출범하면 예산 편성을 맡는다.", "2025-11-10") == []
    assert ids("기후에너지환경부가 출범하면 에너지 정책을 맡는다.", "2025-09-15") == []
    assert ids("기획예산처는 예산안을 발표했다.", "2026-02-01") == ["mpb"]


def test_a_body_named_only_as_a_parent_is_not_primary_and_alone_not_tagged():
    assert ids("과학기술정보통신부 산하 한국연구재단은 공모를 시작했다.") == []
    out = enrich(
        article(
            title="한국연구재단, 신규 과제 공모",
            paragraphs=[
                "과학기술정보통신부 산하 한국연구재단은 공모를 시작했다.",
                "재단은 과학기술정보통신부 소속 기관이다.",
            ],
        )
    )
    assert [(m.id, m.primary) for m in out.ministries] == [("msit", False)]


def test_english_forms_in_an_article_about_another_country_are_that_countrys_bodies():
    foreign = article(
        title="India strikes Pakistan",
        paragraphs=[
            "India's Ministry of Defence said the strikes were measured.",
            "Pakistan's Ministry of Foreign Affairs condemned them. The Defense Ministry in Islamabad said more.",
        ],
    )
    assert enrich(foreign).ministries == []
    korean = article(title="Seoul reacts", paragraphs=["South Korea's Defense Ministry said it was watching India."])
    assert [m.id for m in enrich(korean).ministries] == ["mnd"]
    # any country of the world, not only the large ones: a small island state's ministry is its own
    island = article(
        title="Schools reopen", paragraphs=["Barbados' Ministry of Education said schools reopen on Monday."]
    )
    assert enrich(island).ministries == []


def test_a_body_named_as_foreign_in_a_paragraph_stays_foreign_when_named_bare_again():
    assert ids("중국 외교부는 성명을 냈다. 외교부 대변인은 일본을 비판했다.") == []
    assert ids("美 국방부는 성명을 냈다. 국방부 대변인은 훈련이 계속된다고 말했다.") == []
    assert ids("중국 외교부는 항의했다. 이에 우리 외교부는 유감을 표명했다.") == ["mofa"]  # 우리: Korea's again
    # another paragraph starts afresh
    out = enrich(article(paragraphs=["중국 외교부는 성명을 냈다.", "외교부는 대응 방안을 논의했다."]))
    assert [m.id for m in out.ministries] == ["mofa"]


def test_a_foreign_official_right_after_the_body_makes_it_foreign():
    assert ids("외교부 마오닝 대변인은 정례 브리핑에서 말했다.") == []
    assert ids("Foreign Ministry spokesman Qin Gang said on Tuesday.", "2010-03-01") == []
    assert ids("외교부는 왕이 부장과 회담했다.") == ["mofa"]  # a foreign official as the other party


def test_a_foreign_official_in_what_the_body_answers_leaves_the_body_koreas():
    """Convention (thirteenth session): Korean news tells Korea's answer to a foreign official's words
    with the official inside the object of the reply (`~의 발언에 대해`, `~과 관련해`, `~에 항의하며`,
    `~을 두고`, `~한 데 대해`): the body that follows is Korea's. The official as the subject of their
    own clause (`마오닝 대변인은 ...`), beside the body or after the reply word still makes it foreign."""
    assert ids("마오닝 대변인의 발언에 대해 외교부는 유감을 표명했다.") == ["mofa"]
    assert ids("왕원빈 대변인이 대통령의 발언을 비난한 데 대해 외교부는 결례라고 밝혔다.", "2023-04-20") == ["mofa"]
    assert ids("헤그세스 장관의 주한미군 언급과 관련해 국방부는 정해진 바 없다고 밝혔다.") == ["mnd"]
    assert ids("마오닝 대변인의 발언을 두고 외교부 당국자는 신중한 입장을 보였다.") == ["mofa"]
    # the official's own ministry
    assert ids("마오닝 대변인은 한국 측 발표에 대해 외교부 입장을 설명했다.") == []
    assert ids("중국 측은 이날 한국의 조치에 대해 외교부 성명을 통해 반발했다.") == []
    assert ids("트럼프 대통령의 발언에 대해 마오닝 외교부 대변인은 반박했다.") == []
    assert ids("마오닝 대변인의 발언에 대해 외교부 마오닝 대변인은 다시 설명했다.") == []


def test_a_word_ending_in_do_is_a_province_only_after_a_provinces_name():
    """Convention (thirteenth session): before a body, a word ending in 도 is nearly always the
    particle 도 or an ending (아직도, 그럼에도, 이번에도, 없음에도: 일다's articles, konlp); a province is
    도 after a province's name (경기도, 경북도), so only those are local governments."""
    assert ids("표준안은 고칠 수 없음에도 교육부는 아직도 문제를 인식하지 못하고 있다.") == ["moe"]
    assert ids("그럼에도 국토교통부는 대책을 내놓지 않았다.") == ["molit"]
    assert ids("이번에도 외교부는 신중한 입장을 보였다.") == ["mofa"]
    assert ids("오늘도 경찰청은 수사를 이어갔다.") == ["knpa"]
    assert ids("반드시 국방부는 답해야 한다.") == ["mnd"]  # an adverb ending in 시 (`not_places`)
    assert ids("경기도 선거관리위원회는 투표소를 공개했다.") == []  # a province's own commission
    assert ids("경북도 선거관리위원회는 투표소를 공개했다.") == []


def test_a_place_before_a_ministry_and_its_building_is_its_address():
    """Convention (thirteenth session): a ministry (부) has no local offices; a district before it
    with its building after (`서울 종로구 외교부 청사로 싱 대사를 초치해`, real 2023 reports) is where
    it stands. A place before a 청 or 위원회 is still its local office (부산 경찰청 앞에서)."""
    assert ids("장 차관은 서울 종로구 외교부 청사로 대사를 초치했다.") == ["mofa"]
    assert ids("서울 용산구 국방부 청사에서 회의가 열렸다.") == ["mnd"]
    assert ids("시민단체는 세종시 교육부 앞에서 집회를 열었다.") == ["moe"]
    # the ministry named as a place itself (`총괄공사가 15일 서울 종로구 외교부로 초치되고 있다`, 2018)
    assert ids("총괄공사가 15일 서울 종로구 외교부로 초치되고 있다.", "2018-05-15") == ["mofa"]
    assert ids("서울 종로구 외교부에서 회의가 열렸다.") == ["mofa"]
    assert ids("강남구 교육부 협력관이 방문했다.") == []  # no building after: left as a local post
    assert ids("부산 경찰청 앞에서 집회가 열렸다.") == []


def test_a_one_syllable_country_abbreviation_with_a_particle_is_no_country():
    """Convention (thirteenth session): 미, 중, 일, 러 qualify a body standing alone before it (미
    국방부, 중 외교부); glued to a particle they are other words (`이날 중으로 선관위에 등록된`, SBS 2023,
    ko-real; `회의 중에`)."""
    assert ids("개정안을 이날 중으로 선관위에 등록된 정당에 공유했다.", "2023-04-20") == ["nec"]
    assert ids("회의 중에 국방부는 입장을 냈다.") == ["mnd"]
    assert ids("미 국방부는 성명을 냈다.") == []
    assert ids("중국의 외교부는 성명을 냈다.") == []


def test_the_pentagons_spokespersons_make_a_bare_defence_ministry_foreign():
    """Knowledge (thirteenth session, `foreign_markers.context`): the Pentagon's press secretaries of
    2015-2025 (`이어 파넬 대변인은 "국방부가 주한미군을 감축할 것이라는 보도는 사실이 아니다"`, a 2025
    report; 존 서플 in ko-pool's 연합뉴스 page) are foreign officials like the State Department's."""
    assert ids('이어 파넬 대변인은 "국방부가 주한미군을 감축한다는 보도는 사실이 아니다"라고 말했다.') == []
    assert ids("팻 라이더 대변인은 이날 브리핑에서 국방부 입장을 설명했다.", "2023-05-01") == []
    assert ids("라이더 대변인의 발언에 대해 국방부는 논의된 바 없다고 밝혔다.", "2023-05-01") == ["mnd"]
    assert ids("라이더 헬멧을 쓴 국방부 장병들이 행진했다.") == ["mnd"]  # 라이더 alone is a Korean word


def test_japans_prime_ministers_of_2012_2021_are_seong_markers():
    """Knowledge (thirteenth session): 아베 총리, 스가 관방장관 (a 2017 report of a North Korean launch:
    `스가 장관은 ... 일본 정부는`) are Japan's officials like 기시다; Japan's ministries are -성, so a
    bare 외교부 after them stays Korea's while its 경찰청 is Japan's."""
    assert ids("아베 총리의 지시로 경찰청이 수사에 착수했다.", "2015-01-01") == []
    assert ids("스가 관방장관은 기자회견에서 경찰청 발표를 인용했다.", "2017-07-29") == []
    assert ids("아베 총리의 담화에 외교부는 유감을 표명했다.", "2015-08-14") == ["mofa"]


def test_a_title_koreas_ministries_do_not_have_makes_the_ministry_foreign():
    """Convention (thirteenth session): Korea's ministries have 장관 and 차관; 부장, 부부장 (China's
    minister and vice minister: `쑨웨이둥 외교부 부부장의 최근 조선 방문`, a 2024 Chinese briefing
    report) and 부장관 (the US deputy secretary) after a bare ministry name make it another country's."""
    assert ids("쑨웨이둥 외교부 부부장의 최근 방북과 관련해 질문이 나왔다.", "2024-03-01") == []
    assert ids("힉스 국방부 부장관은 동맹국들과 협의하겠다고 말했다.", "2024-03-01") == []
    assert ids("둥쥔 국방부 부장은 회담에서 이같이 말했다.", "2024-06-01") == []
    assert ids("김홍균 외교부 제1차관은 이같이 말했다.", "2024-03-01") == ["mofa"]
    assert ids("국방부 부대변인은 정례브리핑에서 밝혔다.") == ["mnd"]  # Korea's ministries have 부대변인


def test_a_body_after_a_clause_of_the_foreign_body_closed_by_a_reply_word_is_the_other_side():
    """Convention (thirteenth session): `중국 외교부 대변인이 ... 비판한 가운데, 외교부는 20일 ...
    초치했다고 밝혔다` (a 2023 report): the foreign body, the subject of a clause that 가운데 or a reply
    word (데 대해, 것과 관련해) closes right before the bare body, is not that body: Korea's answers.
    Not when the foreign body is the sentence's topic (은/는): then it is the same body again."""
    text = "중국 외교부 대변인이 대통령의 발언을 비판한 가운데, 외교부는 20일 중국대사를 초치했다고 밝혔다."
    assert ids(text, "2023-04-20") == ["mofa"]
    assert ids("중국 외교부가 입장을 밝힌 데 대해 외교부는 유감을 표명했다.") == ["mofa"]
    assert ids("중국 외교부는 대통령의 발언에 대해 외교부 대변인 명의로 반박했다.") == []
    assert ids("중국 외교부는 성명을 냈다. 한국의 발표에 대해 외교부 대변인은 반박했다.") == []


def test_a_capital_the_body_visits_is_not_its_owner():
    """Convention (thirteenth session): Korean news names Korea's officials abroad by the place they
    visit, before them (`중국을 방문한 조현 외교부 장관이`, a 2025 Beijing report): a capital as the
    object of 방문/찾은 before a bare body does not make the body foreign. A capital as the venue
    (`하노이에서 열린 회의에서 국방부 대변인은`) still does."""
    assert ids("워싱턴을 방문 중인 외교부 고위당국자는 기자들과 만나 이같이 말했다.") == ["mofa"]
    assert ids("워싱턴DC를 방문한 국방부 대표단은 협의를 마쳤다.") == ["mnd"]
    assert ids("베이징을 방문한 라브로프 외교장관은 외교부 청사에서 회담했다.") == []  # 라브로프 after


def test_a_home_prefix_makes_the_body_koreas_whatever_its_sentence_says():
    """Convention (thirteenth session): `한국 외교부`, `우리 외교부` name Korea's body even in a
    sentence about a foreign official (`주한 중국대사의 발언과 한국 외교부의 항의에 대해 ... 왕원빈
    대변인은`, a 2023 report of a Chinese briefing); it had held only against the paragraph's earlier
    foreign body, not against a foreign official earlier in the sentence."""
    assert ids("마오닝 대변인은 이날 한국 외교부의 항의에 대해 반박했다.") == ["mofa"]
    assert ids("중국 측은 우리 외교부의 발표를 비판했다.") == ["mofa"]
    assert ids("중국 측은 이날 외교부 성명을 통해 반발했다.") == []  # bare: China's


def test_a_body_answering_what_the_paragraph_just_said_is_the_other_side():
    """Convention (thirteenth session): `중국 외교부는 ... 반발했습니다. 이에 대해 외교부는 "중국 외교부
    대변인의 이 발언은 ... 결례"라고 밝혔습니다` (a 2023 MBC report, the two sentences in one
    paragraph): a body whose sentence opens by answering what was just said (이에 대해, 이와 관련해,
    이에) is not the foreign body that said it again, but Korea's."""
    text = "중국 외교부는 대통령의 인터뷰 발언에 대해 반발했다. 이에 대해 외교부는 외교적 결례라고 밝혔다."
    assert ids(text, "2023-04-20") == ["mofa"]
    assert ids("중국 외교부는 성명을 냈다. 이와 관련해 외교부는 대응 방안을 검토하고 있다.") == ["mofa"]
    assert ids("중국 외교부는 성명을 냈다. 이에 외교부는 유감을 표명했다.") == ["mofa"]
    # in an article about another country, against the body an earlier paragraph named as foreign
    about_russia = article(
        title="러시아 파병 북한군",
        paragraphs=[
            "러시아 국방부는 북한군의 파병설에 대해 언급을 피했다.",
            "이에 대해 국방부는 파병을 확인했다고 밝혔다.",
        ],
    )
    assert [m.id for m in enrich(about_russia).ministries] == ["mnd"]
    # no answer: the same foreign body again; an official of it after the answer: still foreign
    assert ids("중국 외교부는 성명을 냈다. 이어 외교부 대변인은 일본을 비판했다.") == []
    assert ids("중국 외교부는 성명을 냈다. 이에 대해 마오닝 외교부 대변인은 설명했다.") == []


def test_a_parent_word_with_its_particle_is_still_a_parent_mention():
    """Convention (thirteenth session): `'공공기관운영위원회(공운위)'는 재경부 소속기관으로 두고` (a
    2025 report of the reorganisation): 산하, 소속 and 소속기관 glued to a particle (산하에, 소속인,
    소속기관으로) still name the body only as the parent."""
    assert ids("공공기관운영위원회는 기획재정부 소속기관으로 두고 기능을 강화한다.") == []
    assert ids("과학기술정보통신부 산하에 설치된 위원회가 발표했다.") == []
    assert ids("행정안전부 소속인 국가기록원은 기록물을 공개했다.") == []
    assert ids("행정안전부는 소속 기관을 점검했다.") == ["mois"]  # the body itself, then 소속
    assert ids("과학기술정보통신부 출연연구기관인 한국연구재단은 공모를 시작했다.") == []  # the longest


def test_a_ministry_named_as_the_agency_or_affiliates_parent_is_no_tag_of_its_own():
    """외청 (an agency of a ministry) and 유관기관 (a body affiliated with it) name the ministry as the
    other's parent, as 산하 and 소속 do: the article is about the agency."""
    assert ids("행정안전부 외청인 경찰청은 조직 개편안을 발표했다.") == ["knpa"]
    assert ids("기재부 외청 국세청은 세무조사 방침을 밝혔다.") == ["nts"]
    assert ids("과기정통부 유관기관인 정보통신산업진흥원은 지원 사업을 공고했다.") == []
    assert ids("행정안전부는 외청의 조직을 점검했다.") == ["mois"]  # the ministry itself, then 외청


def test_the_parent_check_reads_enough_of_the_word_after_a_body():
    """is_parent_mention reads the Hangul run after a body up to korean.hangul_run_after's limit:
    every parent word with the longest particle strip_particle removes must fit in it."""
    import inspect

    from streams.enrich.korean import PARTICLES, hangul_run_after
    from streams.enrich.ministries import PARENT_WORDS

    limit = inspect.signature(hangul_run_after).parameters["limit"].default
    longest_particle = max(len(p) for p in PARTICLES if len(p) <= 3)  # strip_particle removes up to 3
    assert max(map(len, PARENT_WORDS)) + longest_particle <= limit


def test_more_particles_glue_to_a_body_name():
    # 교육부야말로 (일다, konlp), 국방부로선: particles the boundary rule had not listed
    assert ids("교육부야말로 표준안을 다시 만들어야 한다.") == ["moe"]
    assert ids("국방부로선 부담스러운 결정이다.") == ["mnd"]


def test_a_body_is_tagged_only_with_a_name_in_force_on_the_date():
    assert names("재경부는 경제운용방향을 발표했다.", "2007-06-01") == {"moef": "재정경제부"}
    assert names("The Health Ministry said flu cases rose.", "2009-05-04") == {"mohw": "보건복지가족부"}
    assert names("산자부 장관이 수출 기업을 방문했다.", "2008-01-10") == {"motie": "산업자원부"}
    # a name the body takes again later is the coming body in between, not a past one
    assert ids("내년 1월 재경부가 출범하면 경제정책을 총괄한다.", "2025-12-15") == []
    assert ids("재정경제부가 출범하면 경제정책을 총괄한다.", "2025-12-15") == []
    # between 2008 and 2013 there was no 해양수산부
    assert ids("해양수산부 부활을 공약으로 내걸었다.", "2010-03-01") == []


def test_a_research_institute_s_funding_ministry_is_a_parent_mention():
    assert ids("과학기술정보통신부 출연연구기관인 한국전자통신연구원은 기술을 공개했다.") == []


def test_a_body_named_before_its_own_institute_or_regional_office_is_its_parent():
    """Press releases name an agency after its ministry (`해양수산부 국립수산과학원(원장 ...)은`,
    `행정안전부 국가기록원은`, `고용노동부 서울지방고용노동청은`): the ministry is the parent of what
    the text is about; named directly too, it is tagged, and a role after it stays direct."""
    assert ids("해양수산부 국립수산과학원(원장 홍길동)은 5일 어획량 조사 결과를 발표했다.") == []
    assert ids("행정안전부 국가기록원은 기록물 3만 건을 공개했다.") == []
    assert ids("고용노동부 서울지방고용노동청은 건설 현장을 감독했다.") == []
    assert ids("환경부 한강유역환경청은 하천 점검에 나섰다.") == []
    out = enrich(
        article(
            title="국립해양조사원, 새 해도 발간",
            paragraphs=["해양수산부 국립해양조사원은 새 해도를 발간했다.", "해양수산부는 해도를 선박에 보급한다."],
        )
    )
    assert [(m.id, m.primary) for m in out.ministries] == [("mof", False)]
    assert ids("환경부 장관은 국립공원을 방문했다.") == ["me"]
    assert ids("해양수산부는 국립해양조사원과 해도를 발간했다.") == ["mof"]


# -- topics ---------------------------------------------------------------------------------------
def test_an_article_in_a_language_the_taxonomy_does_not_have_gets_no_topics():
    """The taxonomy's terms are Korean and English: in a German article `war` is `was` and `Airbase` a
    loanword (fundus' LTO page on arms deliveries was tagged defense, then diplomacy, by them). Its
    bodies are still read."""
    paragraphs = [
        "Die Bundesregierung war an der Entscheidung beteiligt, sagte ein Sprecher.",
        "Die Art der Lieferungen ist umstritten; die Airbase wurde genannt.",
        "Das Gericht prüft die Beschwerde, die UN-Resolution wird zitiert.",
        "Der Export von Waffen ist genehmigungspflichtig.",
    ]
    english = ["The war in Gaza goes on, and the air base was hit by artillery and drone attacks.", *paragraphs[1:]]

    def topics(language, texts):
        return [
            t.id
            for t in enrich(article(title="Waffenlieferungen: Beschwerde", paragraphs=texts, language=language)).topics
        ]

    assert topics("de", paragraphs) == []
    assert topics("en", english) == topics(None, english) != []  # English, or a language nobody detected
    tagged = enrich(article(title="Waffenlieferungen", paragraphs=["Der 국방부 sagte nichts."], language="de"))
    assert [m.id for m in tagged.ministries] == ["mnd"]


def test_idioms_that_contain_a_term_are_not_evidence_for_its_topic():
    assert "trade" not in topic_ids("통상적으로 오전에 발표한다")
    assert "economy" not in topic_ids("경기도 수원시에서 열린 행사")
    assert "labour" not in topic_ids("Nepal says no proof plane suffered bird strike")
    assert "labour" not in topic_ids("Labour wins the election in Britain")
    assert "trade" in topic_ids("통상 협상 타결")  # the term itself still counts


def test_idioms_are_data_in_the_taxonomy():
    idioms = {i.text for t in load_taxonomy().topics for i in t.idioms}
    assert {"통상적으로", "경기도", "bird strike"} <= idioms


def test_sports_entertainment_and_markets_have_vocabulary_in_both_languages():
    assert topic_ids("국가대표 은퇴한 배구 선수, 대표팀 돕는다")[0] == "culture"
    assert topic_ids("Andy Murray wins at the US Open tennis tournament")[0] == "culture"
    assert topic_ids("Nasdaq stocks rally as investors cheer earnings")[0] == "finance"


def test_a_foreign_exchange_reserves_story_is_filed_under_the_economy():
    """The demo's 한국경제 page (tests/fixtures/pages/hankyung-bok.html): reserves and currencies are
    the economy's and markets' vocabulary, in both languages."""
    story = article(
        title="외환보유액 두 달째 증가…4160억달러",
        paragraphs=[
            "지난달 말 외환보유액이 4160억달러로 두 달 연속 늘었다.",
            "한국은행은 미국 달러화 약세로 기타 통화 자산의 달러 환산액이 늘었다고 설명했다.",
        ],
    )
    assert [t.id for t in enrich(story).topics][:1] == ["economy"]
    assert topic_ids("Korea's foreign exchange reserves rise for a second month")[0] == "economy"
    assert topic_ids("원화 약세에 외환시장 불안")[0] == "finance"


def test_a_holiday_supply_story_is_filed_under_agriculture():
    """The demo's 농식품부 page (tests/fixtures/pages/generic-ko-euckr-table.html) had no topic: the
    supply of holiday goods, produce and livestock products is agriculture's vocabulary (and not
    `사과`, which is also an apology)."""
    story = article(
        title="농식품부, 추석 성수품 공급 1.5배 확대",
        paragraphs=[
            "농림축산식품부는 추석을 앞두고 배추와 사과 등 성수품 공급을 평시의 1.5배로 늘린다고 밝혔다.",
            "정부 비축 물량을 풀고 할인 지원에 예산 600억원을 투입한다.",
        ],
    )
    assert [t.id for t in enrich(story).topics][:1] == ["agriculture"]
    assert "agriculture" not in topic_ids("장관이 유족에게 사과했다")


def test_a_wind_farm_is_energy_not_agriculture():
    """Issue 15: the demo's offshore wind farm was tagged agriculture (`farm`). A wind, solar, server
    or troll farm hides agriculture's `farm`, the longer `offshore wind farm` included."""
    story = article(
        title="Offshore wind farm approved off Ulsan coast",
        paragraphs=[
            "The government approved a 1.5 GW offshore wind farm, the largest in the country.",
            "Turbines will be installed by 2030, and the power will feed the national grid.",
        ],
    )
    assert [t.id for t in enrich(story).topics] == ["energy"]
    assert "agriculture" not in topic_ids("Russian troll farm targeted the election, report says")
    assert topic_ids("Dairy farm struggles as feed prices soar")[0] == "agriculture"  # a farm is still one


def test_an_idiom_hides_its_topics_term_even_where_another_topics_term_takes_the_overlap():
    """`offshore wind` (one topic) is chosen leftmost over the idiom `wind farm` (another's); the
    idiom still hides its topic's `farm`, which it holds."""
    from streams.enrich.matcher import CompiledMatcher
    from streams.enrich.taxonomy import FIELDS, parse_taxonomy
    from streams.enrich.topics import topic_patterns, topic_spans

    def topic(topic_id, terms, idioms=()):
        return {
            "id": topic_id,
            "label_ko": topic_id,
            "label_en": topic_id,
            "terms_ko": ["가"],
            "terms_en": terms,
            "idioms_en": list(idioms),
        }

    taxonomy = parse_taxonomy(
        {
            "field_weights": dict.fromkeys(FIELDS, 1.0),
            "min_score": 1.0,
            "topics": [topic("energy", ["offshore wind"]), topic("agriculture", ["farm"], ["wind farm"])],
        }
    )
    text = "An offshore wind farm was approved; the farm next to it was not."
    spans = topic_spans(text, CompiledMatcher(topic_patterns(taxonomy)).scan(text))
    found = [(text[s:e], [t.topic_id for t in terms]) for s, e, terms in spans]
    assert found == [("offshore wind", ["energy"]), ("farm", ["agriculture"])]  # the second farm is one


def test_a_heatwave_story_that_speaks_of_extreme_heat_is_a_disaster():
    story = article(
        title="Heatwave kills dozens across Europe",
        paragraphs=["Temperatures topped 45C in Spain and Italy.", "Hospitals reported a surge of heatstroke cases."],
    )
    assert [t.id for t in enrich(story).topics][:1] == ["disaster"]


def test_a_passing_body_word_is_not_a_topic_but_several_distinct_terms_are():
    long_body = ["오늘 날씨는 맑았다. " * 20] * 6
    one = enrich(article(title="행사 소식", paragraphs=[*long_body, "참석자 중에는 교사도 있었다."]))
    assert "education" not in [t.id for t in one.topics]
    several = enrich(article(title="행사 소식", paragraphs=["학교 교사와 학생들이 수능 대비 교육 과정을 논의했다."]))
    assert "education" in [t.id for t in several.topics]


def test_at_most_a_few_topics_ranked_best_first_with_the_title_topic_first():
    text = (
        "국회 여야는 예산과 세금, 반도체 수출, 병원 의료, 학교 교육, 주택 부동산, 노동 임금, "
        "기후 탄소, 국방 군사, 외교 정상회담 문제를 두루 논의했다."
    )
    out = enrich(article(title="반도체 업계, 파운드리 투자 확대", paragraphs=[text, text]))
    scores = [t.score for t in out.topics]
    assert len(out.topics) <= load_taxonomy().scoring.max_topics
    assert scores == sorted(scores, reverse=True)
    assert out.topics[0].id == "semiconductor"


def test_scoring_settings_are_validated():
    from streams.enrich import EnrichDataError
    from streams.enrich.taxonomy import parse_taxonomy

    raw = {
        "field_weights": {"title": 3, "subtitle": 2, "lead": 1.5, "body": 1, "caption": 0.5},
        "min_score": 1,
        "scoring": {"max_topics": 0},
        "topics": [],
    }
    with pytest.raises(EnrichDataError, match="max_topics"):
        parse_taxonomy(raw)


# -- evidence rules (issue 15, second pass) -------------------------------------------------------
FILLER = "The weather was mild and the streets were quiet on the day."


_RULES = None


def topics_of(title: str, paragraphs: list[str]) -> list[str]:
    """Topics as the rules decide them (they decide short articles, and the learned model is
    measured against them; the packaged enricher's model decides full articles)."""
    global _RULES
    if _RULES is None:
        from streams.enrich import Enricher, load_gazetteer

        _RULES = Enricher(load_gazetteer(), load_taxonomy())
    return [t.id for t in _RULES.enrich(article(title=title, paragraphs=paragraphs)).topics]


def test_a_headline_word_the_body_never_returns_to_is_not_a_topic():
    body = [
        "She lost 130 pounds after bariatric surgery and a new diet.",
        "Her doctors said the weight loss changed her health for good.",
        FILLER,
    ]
    assert "finance" not in topics_of("A woman who lost 130 pounds shares 7 changes", body)
    taken_up = [*body, "Shares of drugmakers rose as investors bet on weight-loss drugs."]
    assert "finance" in topics_of("A woman who lost 130 pounds shares 7 changes", taken_up)


def test_a_weak_headline_word_alone_is_not_a_topic_but_with_body_evidence_it_is():
    film = ["The original trilogy's theatrical cuts may be restored for fans.", "Fans of the films want the 1977 cut."]
    assert topics_of("'Star Wars' original cuts might be released", film) == ["culture"]
    war = [
        "Troops crossed the border and the military shelled the city.",
        "Soldiers and missiles massed near the front.",
    ]
    assert topics_of("War in the east", war)[0] == "defense"


def test_a_list_in_one_paragraph_is_a_passing_mention():
    match = [
        "The midfielder scored twice as the league leaders won the football match.",
        "The coach praised the players and the fans in the stadium.",
        FILLER,
        FILLER,
    ]
    one = "Before kick-off the mayor visited the hospital's doctors, nurses and patients."
    assert topics_of("City win the derby", [match[0], one, *match[1:]]) == ["culture"]
    two = "After the match the players went back to the hospital to thank the nurses."
    assert "health" in topics_of("City win the derby", [match[0], one, two, *match[1:]])


def test_a_topic_first_met_late_in_a_long_article_is_a_side_matter_unless_it_is_the_best():
    sport = [f"The tennis player won the tournament final, {i}." for i in range(4)] + [FILLER] * 8
    late = ["Her mother, a doctor at the hospital, treated patients.", "The hospital's patients and doctors cheered."]
    assert "health" not in topics_of("Champion at last", [*sport, *late])
    assert "health" in topics_of("Champion at last", [*late, *sport])
    # the best topic is kept even when it only comes later (a feature with a long preamble)
    assert topics_of("", [FILLER] * 6 + ["The tennis player won the tournament.", "The tennis final drew fans."]) == [
        "culture"
    ]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Kohberger's defense lawyers interview the roommate", "defense"),
        ("Obama says race relations have improved", "diplomacy"),
        ("The mother of all antioxidants", "gender-family"),
        ("살인적 폭염에 시민들 지쳐", "justice"),
        ("세입자 보호 대책 발표", "fiscal"),
        ("인수위 출범, 국정과제 논의", "finance"),
        ("Police cars pelted with bricks as trouble flares", "transport"),
        ("Trans fat bans cut heart disease deaths", "gender-family"),
    ],
)
def test_idioms_found_on_real_text_are_not_evidence_for_their_topic(text, topic):
    assert topic not in evidence_ids(text)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Manchester City midfielder scores as Premier League leaders win", "culture"),
        ("Xbox review: a console that keeps up with gaming PCs", "culture"),
        ("프로야구 투수, 홈런 맞고도 구단 승리 지켜", "culture"),
        ("신곡 뮤직비디오 공개한 걸그룹, 빌보드 차트 진입", "culture"),
        ("Shareholders get little say in the merger", "finance"),
        ("Yahoo's asset sale to Verizon: what shareholders get", "finance"),
        ("삼성전자 영업이익 급증, 주주 배당 확대", "finance"),
        ("As the deficit rises, federal debt interest outpaces the military", "fiscal"),
        ("Babies who eat peanuts early may avoid allergy", "health"),
        ("Stack Overflow data shows hiring demand in the job market", "labour"),
        ("Presidential nominee attacks rivals at the debate", "politics"),
        ("Paramedics say the man tested positive and was taken to a clinical unit", "health"),
        ("한미 정상 통화…백악관 \"동맹 강화\"", "diplomacy"),
        ("Far-right party gains as partisan divide deepens", "politics"),
        ("Congress passes the stimulus after bailout talks", "fiscal"),
        # eleventh session: field vocabulary missing for the Lee corpus's news (training text)
        ("Royal commission into the building industry hears its first witnesses", "justice"),
        ("Yachts retire from the Sydney to Hobart yacht race as the skipper is injured", "culture"),
        ("Peacekeepers to arrive in Kabul as the coastguard sinks an unidentified boat", "defense"),
        ("Report says costs of an ageing population and aged care are exaggerated", "welfare"),
        ("Famine: millions face starvation as rivers swept away crops, rescuers say", "disaster"),
    ],
)
def test_sports_entertainment_markets_and_company_news_have_vocabulary_in_both_languages(text, topic):
    assert topic_ids(text)[:1] == [topic]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("그 이유가 뭔가요? 유가족은 답을 기다린다", "energy"),
        ("그 이유가 뭔가요? 유가족은 답을 기다린다", "culture"),
        ("종합병원 응급실 앞, 비현실적인 대기 줄", "finance"),
        ("무기력한 오후, 전방위로 번진 피로", "defense"),
        ("배우자와 함께 다닌다, 배우고 싶은 것이 많아 배우러 간다", "culture"),
        ("누구인지 모를 호주가 방문객", "labour"),
        # eleventh session: found by listing every Korean term's host words in the training text
        ("그 정도로 다각도로 살폈고 태도로 보나 의도로 보나 극도로 조심했다", "transport"),
        ("예산을 줄여야 하고 힘을 기울여야 한다", "politics"),
        ("그 요구는 정당하지 않고 정당한 절차도 부정당했다", "politics"),
        ("타나토스의 충동", "diplomacy"),
        ("이건 영상인데요, 지원 대상인지 모르는 밥상인데", "sme"),
        ("잠재해 있던 기억을 재해석하며 존재해 온 의미", "disaster"),
        ("자유민주주의와 은행나무 길", "finance"),
        ("아마추어선수권대회에 들어선 그가 있어선 안 될 일", "maritime"),
        ("해운대 바닷가 산책", "maritime"),
        ("국가수준의 공공연한 극단적 주장", "culture"),
        ("쌀쌀한 날씨", "agriculture"),
        ("자기소개서를 쓰고 촬영장과 수영장에 갔다, 사사건건 구속력 없는 말", "justice"),
        ("문지방을 넘는 거지방 회원, 체지방과 지방간 걱정", "regional"),
        ("시청자들은 놀랐다", "regional"),
        ("통일성을 갖춘 디자인", "north-korea"),
        ("아기자기한 소품", "gender-family"),
        ("무력감에 빠진 청년", "defense"),
        ("로이터통신과 AFP통신, 교도통신이 전했다", "telecom"),
        ("매일경제와의 인터뷰", "economy"),
        ("사전투표소 앞 긴 줄, 과방위 전체회의", "defense"),
        ("연구단지 입주 기업, 직무대행 체제, 지배구조 개편", "culture"),
        ("방미통위 출범", "diplomacy"),
    ],
)
def test_korean_terms_inside_unrelated_words_are_not_evidence(text, topic):
    """A short Korean term read inside another word (유가 in 이유가, 합병 in 종합병원, 배우 in 배우자)
    is no evidence: the term is a whole word, or the word holding it is an idiom of the taxonomy."""
    assert topic not in evidence_ids(text)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("He told the Wall Street Journal on Monday", "finance"),
        ("He told the Wall Street Journal on Monday", "science"),
        ("A biography of Steve Jobs", "labour"),
        ("Candidates court the Electoral College", "education"),
        ("A painting of the Holy Family", "gender-family"),
        ("Caravans on the old Silk Road", "transport"),
        ("A spokesperson told Fox News Digital", "telecom"),
    ],
)
def test_english_names_holding_a_term_are_not_its_evidence(text, topic):
    """A name that holds a term (a newspaper, a person, an institution, a route) is not evidence for
    the term's topic: the name is an idiom of the taxonomy."""
    assert topic not in evidence_ids(text)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("The trade-offs of a four-day week", "trade"),
        ("A quarter-century of rock music", "economy"),
        ("A non-profit that runs food drives", "finance"),
        ("Troops hold a live-fire drill", "disaster"),
        ("Three hurt in a knife attack outside a pub", "defense"),
        ("Surfer survives a shark attack", "defense"),
        ("The Army Corps of Engineers approves a levee permit", "defense"),
    ],
)
def test_english_compounds_holding_a_term_are_not_its_evidence(text, topic):
    assert topic not in evidence_ids(text)


def test_a_knife_attack_is_justice_evidence():
    assert "justice" in evidence_ids("Three hurt in a knife attack outside a pub")


def evidence_ids(text: str) -> list[str]:
    """The topics a headline gives any evidence for, kept or not."""
    return [e.topic_id for e in default_enricher().topic_evidence(article(title=text))]


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("국제유가 급등에 휘발유 값 올라", "energy"),
        ("가요계 컴백한 가수, 신곡 공개", "culture"),
        ("배우 김씨, 영화 촬영 마쳐", "culture"),
        ("도로가 얼어붙어 도로변 차량 통행 막혀", "transport"),
        ("여야는 끝내 합의했다", "politics"),
        ("나토 정상회의 개막, 동맹국 외교 총력", "diplomacy"),
        ("전통시장 상인들, 소상공인 지원 요구", "sme"),
        ("어선 침몰, 어선들 긴급 귀항…어민 피해", "maritime"),
    ],
)
def test_korean_whole_word_terms_still_tag_their_own_words(text, topic):
    assert topic_ids(text)[:1] == [topic]


def test_korea_named_as_the_party_addressed_does_not_make_the_paragraph_koreas():
    """`외교부는 한국 정부에 자제를 촉구했다` after 中 외교부 in the title: Korea is who is spoken to, so
    the speaker is the other country's ministry; Korea as a source (한국 정부에서도) or the subject of
    what is said (한국 정부에 대한) still marks the paragraph as Korea's, and 우리 외교부 is Korea's."""
    from streams.enrich import load_gazetteer
    from streams.enrich.ministries import korean_marked

    title, lead = "中 외교부 \"한반도 긴장 우려\"", "마오닝 대변인은 5일 정례 브리핑에서 이같이 말했다."
    assert _ministries(title, lead, "외교부는 한국 정부에 자제를 촉구했다.") == []
    assert _ministries(title, lead, "외교부는 우리 측에, 그리고 미국 측에 자제를 당부했다.") == []
    assert _ministries(title, lead, "이에 우리 외교부는 주한중국대사를 초치했다.") == ["mofa"]
    gazetteer = load_gazetteer()
    assert not korean_marked("외교부는 한국 정부에 자제를 촉구했다.", gazetteer)
    assert korean_marked("한국 정부에서도 대응을 검토했다.", gazetteer)
    assert korean_marked("한국 정부에 대한 신뢰가 높아졌다.", gazetteer)
