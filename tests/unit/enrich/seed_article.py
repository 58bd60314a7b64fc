"""The seed page's article as the cleaner should produce it (built here, since the cleaner is
written in parallel): fields from board-repost-asiae-msit-motie.expected.json and the page's <p>s."""

from __future__ import annotations

import json
from pathlib import Path

from schemas.events import CleanArticle

EXPECTED = Path(__file__).parents[2] / "fixtures" / "board-repost-asiae-msit-motie.expected.json"

BODY = [
    "성공적인 산업 인공지능 전환(AX)을 위해 과학기술정보통신부와 산업통상자원부 장·차관들이 만났다.",
    "14일 과기정통부의 배경훈 장관과 류제명 제2차관, 산업부의 김정관 장관과 문신학 제1차관은 고위급 회의를 개최해 산업 현장의 AI 확산을 위한 부처 간 협력방안을 논의했다.",
    "피지컬 AI의 시대가 본격 도래함에 따라 하드웨어와 소프트웨어, 원천기술과 응용기술 간 경계가 허물어지며, 양 부처의 협력 필요성은 더욱 강조되고 있다.",
    "이러한 배경에서 두 부처의 장·차관들은 부처 간 협업 없이는 AI 3대 강국 진입은 요원할 수밖에 없다는 인식을 공유하며 이번 만남을 갖게 됐다.",
    "이번 만남은 양 부처 간 협력의 출발점으로 앞으로 제조 AX, 피지컬 AI, AI 반도체를 포함한 다양한 분야에서 협력을 확대해 나가기로 했다.",
    "더불어 실질적인 협력 성과를 창출하기 위해 공동사업을 적극 추진하기로 했다. 과기정통부가 원천기술 개발과 소프트웨어에 강점이 있다면 산업부는 현장 중심의 기술개발, 하드웨어에 강점이 있는 만큼 양 부처가 시너지를 극대화할 수 있는 협력사업을 지속 발굴·추진할 계획이다.",
    "첫 번째 과제로 지역 AX 선도모델을 구축하기 위해 지역 AX 확산과 연계한 대형 프로젝트들을 연내 공동 기획할 예정이다.",
    "또한 차관급 정책협력 협의체를 구성해 공동사업과 공동정책 등을 발굴하고, 각 부처의 사업이나 운영 중인 민관 얼라이언스 간 연계, 협력방안 등을 모색할 예정이다.",
    "전문가 간 교류도 활성화하기로 했다. 각 부처 연구기관 등이 보유한 기술, 데이터, 인력 등을 교류할 수 있는 협력의 장을 마련할 계획이다. 전문가 상호 추천을 통해 양 부처에서 다양한 사업에 참여할 기회도 적극 제공할 계획이다.",
    "양 부처는 이날 합의한 세 가지 방향을 중심으로 협력을 보다 구체화할 수 있는 세부 방안을 마련해 나갈 예정이다.",
]


def seed_expected() -> dict:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))


def seed_article() -> CleanArticle:
    exact = seed_expected()["exact"]
    return CleanArticle(
        id="board-repost-asiae-msit-motie",
        source="board-repost",
        title=exact["title"],
        subtitle="\n".join(exact["subtitle_lines"]),
        paragraphs=BODY,
        captions=exact["captions"],
        images=[{"url": u, "caption": c} for u, c in zip(exact["image_urls"], exact["captions"])],
        bylines=[{"name": exact["byline_name"], "email": exact["byline_email"]}],
        press=exact["press"],
        published_at=exact["published_date"],
        language="ko",
        fingerprint="seed",
        extractor="test",
    )
