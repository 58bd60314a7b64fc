"""Korean newsroom furniture and the press catalogue: data files loaded, every entry checked, and
the conventions they encode applied to a page (sign-offs, credits, cues, lead captions, press)."""

from __future__ import annotations

import html
import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from streams.clean import clean_html
from streams.clean.bylines import trailing_sign_off
from streams.clean.furniture import is_junk as _is_junk
from streams.clean.furniture import korean_frame, reads_as_story, sort_blocks
from streams.clean.press import CATALOGUE, is_press, press_name, press_of_hosts
from streams.clean.rules import RULES


def test_every_press_entry_is_well_formed_and_every_alias_names_one_publisher():
    seen: dict[str, str] = {}
    for entry in CATALOGUE:
        assert set(entry) <= {"name", "hosts", "aliases"} and entry["name"], entry
        assert all("/" not in h and "." in h for h in entry.get("hosts", [])), entry
        for alias in [entry["name"], *entry.get("aliases", [])]:
            key = "".join(alias.split()).lower()
            assert seen.setdefault(key, entry["name"]) == entry["name"], f"{alias!r} names two publishers"


@pytest.mark.parametrize(
    "value, name",
    [
        ("SBS 뉴스", "SBS"),
        ("MBC NEWS", "MBC"),
        ("SPOTV NEWS", "스포티비뉴스"),
        ("KBS뉴스", "KBS"),
        ("연합뉴스TV", "연합뉴스TV"),
        ("연합뉴스", "연합뉴스"),
        ("네이버 스포츠 | 스포티비뉴스", "스포티비뉴스"),
        ("㈜한국경제신문", "한국경제"),
        ("Some Local Gazette", "Some Local Gazette"),
    ],
)
def test_press_as_a_reader_names_it(value, name):
    assert press_name(value) == name


def test_press_of_hosts_and_press_names_are_not_reporters():
    assert press_of_hosts(("www.yonhapnewstv.co.kr",)) == "연합뉴스TV"
    assert press_of_hosts(("www.yna.co.kr",)) == "연합뉴스"
    assert press_of_hosts(("example.org",)) is None
    assert is_press("SBS NEWS") and is_press("한국일보") and not is_press("홍길동")


@pytest.mark.parametrize(
    ("host", "press"),
    [
        ("sports.chosun.com", "스포츠조선"),  # not 조선일보's chosun.com
        ("osen.mt.co.kr", "OSEN"),  # not 머니투데이's mt.co.kr
        ("biz.chosun.com", "조선비즈"),
        ("www.chosun.com", "조선일보"),
    ],
)
def test_a_host_under_two_publishers_hosts_is_the_more_specific_ones(host, press):
    """Newsrooms of one group share a domain (스포츠조선 under chosun.com, OSEN under mt.co.kr): a
    page's host names the publisher whose catalogue host matches it most closely, in any order."""
    assert press_of_hosts((host,)) == press


def test_every_furniture_rule_compiles():
    for pattern in RULES["junk_line_patterns"]:
        re.compile(pattern)
    re.compile(RULES["script_cue"])
    re.compile(RULES["speaker_label"])
    re.compile(RULES["lead_caption"])


def test_story_names_are_lowercase_words_and_find_names_written_in_any_case():
    """`story_name` is searched in lowercased class and id names: an uppercase letter in it would
    never match, so the data file keeps it lowercase; a page's `ArticleBody` still says story."""
    from streams.clean.chrome import says_story
    from selectolax.lexbor import LexborHTMLParser

    assert RULES["story_name"] == RULES["story_name"].lower()
    node = LexborHTMLParser('<div class="ArticleBody-Header" id="X">').css_first("div")
    assert says_story(node)
    assert not says_story(LexborHTMLParser('<div class="Share-Bar">').css_first("div"))


@pytest.mark.parametrize(
    "line",
    [
        "(끝)",
        "[신윤재 기자]",
        "KBS 뉴스 이윤우입니다.",
        "MBC뉴스 구민지입니다.",
        "영상편집:김선영",
        "촬영기자:김철수/영상편집:박영희/그래픽:이민정",
        "[촬영기자:김철수/영상편집:박영희/그래픽:이민정]",
        "[영상취재 김철수 / 영상편집 박영희]",
        "VJ 김민수",
        # credits of several roles without a colon, and an interview's `=` credit
        "글 홍길동 기자 / 사진 김철수 기자",
        "취재 홍길동 / 영상편집 김철수",
        "촬영 홍길동, 편집 김철수",
        "대담=홍길동 논설위원, 정리=김철수 기자",
        "도움말=홍길동 서울대 교수",
        "( 취재 : 한지연 / 영상편집 : 변지영/ 화면제공 : 부산경찰청 / 제작 : D뉴스플랫폼부 )",
        "<출연 : 이은희 인하대 소비자학과 교수>",
        "#고물가 #짠테크 #오픈채팅",
        "#라디오스타 #박해미 #거침없이 하이킥 #무속인 #박기웅",
        "연합뉴스TV 기사문의 및 제보 : 카톡/라인 jebo23",
        "당신이 관심 있을 만한 이슈",
        "◆ 이시각 주요뉴스",
        "사진 크게보기",
        "동영상 재생",
        "기사 읽어주기",
        "본문 글씨 크기 조절",
        "관련기사 더보기 >",
        "홍길동 기자의 다른 기사 보기",
        "다른 기사 보기 >",
        "홍길동 기자 구독",
        "이 기사를 추천합니다",
        "이 기사는 언론사에서 정치 섹션으로 분류했습니다.",
        "※ 이 기사는 AI 번역을 거쳐 작성되었습니다.",
        "AI 요약은 OpenAI의 최신 기술을 활용해 핵심 내용을 빠르고 정확하게 제공합니다.",
        "AI 요약 보기",
        "기사제공 스포티비뉴스",
        "[메일] social@ytn.co.kr",
        "한지연 기자 이메일 보내기",
        "$$ARTICLEAD$$",
        "최신 유행 트렌드 총집결 #흥(클릭!)",
        "□ 방송일시 : 2023년 4월 10일 (월요일)",
        "■ 출연 : 김현욱 부장",
        "YTN라디오(FM 94.5) [뉴스킹 박지훈입니다]",
        "* 아래 텍스트는 실제 방송 내용과 차이가 있을 수 있으니 참고하시기 바랍니다.",
        "지금까지 사회1부에서 전해드렸습니다.",
        "21 mins ago11:48 Jon King",
        "2 hours ago",
        "Duration 1:30",
        "※ 우울감 등 말하기 어려운 고민이 있거나 주변에 이런 어려움을 겪는 가족·지인이 있을 경우 자살예방 상담전화 ☎109에서 도움을 받을 수 있습니다.",
        # a CMS's own lines after the story, in the languages of the real pages
        "Möchten Sie den Artikel teilen?",
        "War der Artikel nützlich?",
        "Das könnte Sie auch interessieren",
        "Das könnte Sie auch interessieren!",  # a head may end in an exclamation mark
        "Vorschau auf den nächsten Artikel",  # a blog's post navigation, in German too
        "Nächster Beitrag",
        "Previous post",
        "Hier können Sie den Artikel bewerten",  # rating, log-in status, Q&A stamps, disclaimers, buttons
        "Rate this post",
        "Sie sind aktuell nicht eingeloggt.",
        "asked Feb 6, 2014 at 20:37",
        "answered Sep 30, 2018 at 18:40",
        "(Alle Angaben ohne Gewähr)",
        "Entdecken Sie jetzt",
        "Diskutieren Sie mit uns",
        "Kommentieren",
        "zurück",
        "Sie müssen sich einloggen, um sich an einer Diskussion beteiligen zu können.",
        "This entry was posted in Allgemein. Bookmark the permalink.",
        "You must be logged in to post a comment.",
        "Auch interessant",
        "Lee también",
        "Read More",
        "Teilen",
        "Von israel news am 21/02/2021. Abgelegt unter Israel.",
        "Hat Ihnen dieser Artikel gefallen? Dann unterstützen Sie uns bitte mit einer Spende.",
        "Did you enjoy this article? Please support our journalism.",
        "Empfohlener redaktioneller Inhalt",
        "An dieser Stelle finden Sie externen Inhalt, der den Artikel ergänzt.",
        "Sendung: Antenne Brandenburg, 24.04.2024, 15:10 Uhr",
        "記事に『リアクション』ができます。ご利用には会員登録が必要です。",
        "20 February 2015 Last updated at 15:42 GMT",
        "The comments below have not been moderated.",
        "㈜디지털이엠씨",
        "삼성전자㈜",
        "The views expressed in the contents above are those of our users and do not necessarily reflect the views of MailOnline.",
        # date stamps as sites write them, with a label, the time first, a numeric date, a reading time
        "Published: 22:04, 22 Apr 2024",
        "Updated: 22:05, 22 Apr 2024",
        "30 August 2023 • 4:45pm",
        "17:41 JST, October 13, 2024",
        "Stand: 28.04.2023 17:23 Uhr",
        "Erstellt: 28.04.2023, 18:16 Uhr",
        "25.10.2025 - 15:26 Uhr",
        "28.04.2023, 19:09 3 Min.",
        "15.04.2026 - 15:48 UhrLesedauer: 2 Min.",
        "Politics / January 11, 2024",
        # newsletter prompts and affiliate disclosures
        "Check out more of the paper's latest travel stories by signing up to our free weekly newsletter",
        "For the latest breaking news from across the globe, sign up for our newsletters .",
        "By signing up you consent to receive the above newsletter from Example Network Inc.",
        "We encountered an issue signing you up. Please try again",
        "Mit meiner Anmeldung zum Newsletter stimme ich der Werbevereinbarung zu.",
        "If you buy something using links in our stories, we may earn a commission. Learn more.",
        "This article contains affiliate links. The products were selected by our journalists.",
        # a "read also" head with the headline it links
        "À lire aussi La natalité russe menacée d’effondrement",
        "Zum Artikel: Tarifrunde im ÖPNV: Das wird verhandelt",
        "Read also: The council closes the library",
        "Ground Game: Sign up for AP’s weekly politics newsletter to get it in your inbox every Monday.",
        "Jane Roe|Published 15 hours ago",
        "Published 1 day ago",
        "Follow Jane on Twitter.",
        "Follow @PaperOpinion on Twitter",
        "Join us at Facebook/PaperOpinion",
        "This is a breaking news story - more to follow",
        "This story is developing.",
        # a video embed's label, title and caption
        "WATCH | Residents react to the council's vote: Some fear the library will close for good.",
        "Watch: Crowds gather outside the town hall.",
        # a cookie banner or a blocked embed asking for consent, in the languages of the pages
        "Wir verwenden Cookies, um Inhalte zu personalisieren und die Zugriffe auf unsere Website zu analysieren.",
        "This website uses cookies to improve your experience. We assume you are fine with this.",
        "We use essential cookies to make our site work.",
        "Nous utilisons des cookies pour mesurer l'audience de notre site.",
        "Utilizamos cookies propias y de terceros para mejorar nuestros servicios.",
        "Questo sito utilizza cookie tecnici e di profilazione.",
        "Please accept the video platform's cookies to watch this clip.",
        'Die Cookie-Einstellungen auf dieser Website sind auf "Alle erlauben" gesetzt.',
        # a paywall's or a meter's prompt
        "Registrieren und weiterlesen",
        "Jetzt weiterlesen mit unserem Digital-Abo",
        "Mit dem Abo weiterlesen",
        "Schon Abonnent? Hier einloggen",
        "Already a subscriber? Sign in",
        "Sie haben diesen Monat keine kostenlosen Artikel mehr übrig. Registrieren Sie sich, um weiterzulesen.",
        "You have reached your monthly limit of free articles.",
        "Sie haben alle freien Artikel dieses Monats gelesen.",
        "Dieser Beitrag ist nur für Abonnenten sichtbar.",
        "To continue reading this story, subscribe or log in.",
        "Create a free account to keep reading.",
        # a reader-funded plea, a letters page's invitation, a citation line, a German newsletter call,
        # an affiliate label, a `Mehr:` teaser and a link list's head (fifteenth session)
        "If you enjoyed reading this post – would you consider supporting our work? Just click here. Thanks!",
        "While you are here…",
        "We want to hear what you think about this article. Submit a letter to the editor or write to letters@example.com.",
        "We'd like to hear what you think about this or any of our articles. Here are some tips.",
        "SUGGESTED CITATION Roe, Jane: The Court and the Crisis, ExampleBlog, 2020/4/09, https://example.org/crisis/.",
        "Zitiervorschlag: Roe, Die Krise, ExampleBlog, 09.04.2020.",
        "Kostenlos zum Newsletter anmelden und GRATIS-Jahresabo abstauben",
        "Anzeige, enthält Affiliate Links",
        "Mehr: Deutsche Banken haben den Niedrigzinsen mit einem scharfen Wachstumskurs getrotzt.",
        "Weitere Informationen zum Coronavirus in Thüringen:",
        # English-language news sites' own lines (conventions of the field)
        "Have a news tip? Email us at tips@example.com.",
        "Got a story? Contact our newsroom at news@example.com",
        "Send us a tip",
        "Download our app",
        "Get the latest news delivered to your inbox.",
        "Up next",
        "What to read next",
        "Related coverage",
        "Sponsored content",
        "More from Example News",
        "Support independent journalism",
        "Become a member",
        "Donate now",
        "Our journalism needs your support.",
        "We rely on readers like you.",
        "Join the conversation",
        "Please read our comment policy before commenting.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "Report an error",
        "Want to republish this story?",
        "Opens new tab",
        "Enjoy unlimited access to all of our journalism.",
        "This content is not available due to your privacy preferences.",
    ],
)
def test_furniture_lines_are_not_paragraphs(line):
    assert _is_junk(line)


@pytest.mark.parametrize(
    "line",
    [
        "정부는 20일 새 정책을 발표했다.",
        "그는 \"끝까지 가겠다\"고 말했다.",
        "기자회견에서 장관은 제보자 보호를 약속했다.",
        "정리 중인 자료를 홍길동 씨가 건넸다.",
        "사진 속 홍길동 씨는 웃고 있었다.",
        "촬영 현장 곳곳 모습",
        "진행 상황은 아직 알 수 없다.",
        "뉴스 이용자 10명 중 7명이 모바일로 기사를 읽는다.",
        "3 days ago the council voted to close the library, and residents have protested every night since.",
        "Duration of the strike: 12 days",
        "2 hours ago, the minister resigned.",
        "2 hours ago the minister resigned",
        "Comments from residents were mixed, and the council will read them all before it votes.",
        "Teilen sich zwei Familien eine Wohnung, zahlen beide weniger Miete.",
        "Read more about the plan in the council's report, which was published on Monday.",
        "Zurück in Berlin, sagte die Ministerin, werde sie den Plan vorlegen.",
        "Die Sendung: Sie lief am 24.04.2024 um 15:10 Uhr, und das Publikum blieb bis zum Ende.",
        "Der Inhalt des Berichts hat der Ministerin gefallen, sagte ein Sprecher.",
        "On 20 February 2015 the ministry updated at 15:42 its list of banned products.",
        "Comments below have not been moderated by the panel, which meets again in March, the minister said.",
        "㈜디지털이엠씨가 상장을 준비하고 있다.",
        "(주)한화 측은 부인했다",
        "On 28.04.2023 the council met, and the vote was postponed.",
        "The council met on 22 Apr 2024 at 10:00 and voted.",
        "The vote / 22 Apr 2024 was a turning point for the council.",
        "See also the report of the council, which says the roads are in a poor state.",
        "Lesen Sie auch den Bericht des Rates, der am Montag erschien.",
        "Sie sind nicht allein mit diesem Problem, sagt die Ärztin.",
        "The answer was edited later by the team, which asked for comments.",
        "Angaben ohne Gewähr gibt es bei diesem Anbieter nicht, sagte der Prüfer.",
        "Readers who sign up for the newsletter of the council will hear about the vote first, the mayor said.",
        "Stand der Dinge: 28.04.2023, die Straße ist weiter gesperrt.",
        "Watchdogs said the council had failed: the library had been closed for a year.",
        "Video evidence, the judge said, showed the car at the scene.",
        "Follow the money on Twitter and you will find the network that paid for the ads.",
        "This is a developing country, the minister said, and its roads need money.",
        "We used to bake cookies with our grandmother every Sunday, the baker said.",
        "We use flour from the mill next door to bake the cookies, she said.",
        "Cookies are small files that a site stores in the browser, the regulator explained.",
        "The regulator said websites that use cookies must ask first.",
        "Already a member of the council, she ran for mayor in 2019.",
        "Readers who subscribe to the paper can read on in the app, the editor said.",
        "No free articles were left in the archive after the fire, the librarian said.",
        "Schon Kunde bei der Bank war er nicht mehr, als der Kredit platzte.",
        "If you enjoyed the first film, the director said, the sequel will not disappoint.",
        "While you are here in Seoul, the minister told the delegation, visit the new museum.",
        "She wrote a letter to the editor in 1998 that started the campaign.",
        "Mehr als 200 Menschen kamen zur Versammlung.",
        "Mehr als das: Die Gewerkschaft forderte einen Sozialplan, und der Vorstand lehnte ihn ab.",
        "Weitere Informationen zum Unfall gab die Polizei am Abend bekannt: Zwei Menschen wurden verletzt.",
        "Der Verein will im Frühjahr einen Newsletter starten; anmelden kann man sich noch nicht.",
        "Sie wollte sich zum Newsletter des Vereins anmelden, doch die Seite war gesperrt, sagte sie.",
        "Über Telegram riefen sie dazu auf, sich kostenlos anzumelden.",
        "Have a look at the figures, the minister said, and you will see the deficit is shrinking.",
        "Topics on the agenda included housing, transport and the library's budget.",
        "Up next for the council is a vote on the budget in March.",
        "Donate now or lose the tax break, the charity told its supporters in a letter.",
        "Support independent journalism, not the party's paper, the founders urged in 1920.",
        "Image source files were lost in the fire, the archive said.",
        "Report an error in your tax return within 30 days, the agency advises.",
        "Join the conversation about the library at the town hall on Monday, the mayor said.",
    ],
)
def test_story_sentences_are_not_furniture(line):
    assert not _is_junk(line)


def test_a_broadcast_script_reads_as_a_reader_sees_it():
    page = """<html><head><meta property="og:site_name" content="MBC NEWS"><title>t</title></head><body>
    <h2 class="art_title">정부, 철도 노선 확대 발표</h2>
    <div class="news_txt" itemprop="articleBody">◀ 앵커 ▶<br><br>정부가 고속철도 노선을 확대한다고 밝혔습니다, 남부 지역 주민들의 이동이 편해집니다.<br><br>
    ◀ 리포트 ▶<br><br>국토교통부는 올해 9월부터 새 노선을 운행한다고 발표했습니다, 요금은 같습니다.<br><br>
    MBC뉴스 구민지입니다.<br><br>영상편집: 김민지<br><br>(끝)</div></body></html>"""
    article = clean_html(page, id="mbc-script")
    assert article.press == "MBC"
    assert article.paragraphs[0].startswith("정부가 고속철도")
    assert article.paragraphs[-1].startswith("국토교통부는")
    assert [b.name for b in article.bylines] == ["구민지"]


def test_transcripts_signoffs_and_credits_read_as_a_reader_sees_them():
    """An interview transcript under a deck of highlight lines, turns marked `▶name :`, an
    entertainment desk's `name / 화면캡처` sign-off, a bracketed byline and photo credits."""
    page = """<html><head><title>t</title></head><body><h1>김현욱 "러시아 보복? 경제로는 더 강대국"</h1>
    <div class="article_body">- 尹 우크라 관련 입장 변화 가능성 보인 것<br><br>- 민간인 공격, 전쟁범죄 이미 상당수 발생<br><br>
    ■ 방송 : SBS 라디오 FM 103.5<br><br>■ 진행 : 김태현 변호사<br><br>
    ▷김태현 : 오늘 사안이 급박해서 저희가 인터뷰 하나 더 준비했습니다, 어제 대통령 인터뷰 얘기입니다.<br><br>
    <질문 2> 무기 지원은 어떻게 보십니까, 수순대로 가던 것입니까?<br><br>
    ▶김현욱 : 수순대로 가던 것이라고 봅니다, 국제사회가 다 아는 얘기입니다.<br><br>
    회담장에 들어서는 두 정상. /연합뉴스<br><br>
    (SBS연예뉴스 강경윤 기자)<br><br>백아영 / 화면캡처 MBC</div></body></html>"""
    article = clean_html(page, id="transcript")
    assert article.subtitle.splitlines() == [
        "- 尹 우크라 관련 입장 변화 가능성 보인 것",
        "- 민간인 공격, 전쟁범죄 이미 상당수 발생",
    ]
    assert article.paragraphs[0].startswith("오늘 사안이 급박해서")
    assert article.paragraphs[1].startswith("무기 지원은")
    assert article.paragraphs[-1].startswith("수순대로 가던 것이라고")
    assert "회담장에 들어서는 두 정상. /연합뉴스" in article.captions
    assert [b.name for b in article.bylines] == ["강경윤"]  # the byline line; a sign-off only when none
    assert not any("화면캡처" in p or "강경윤" in p for p in article.paragraphs)
    signed = clean_html(page.replace("(SBS연예뉴스 강경윤 기자)<br><br>", ""), id="signed-off")
    assert [b.name for b in signed.bylines] == ["백아영"]


@pytest.mark.parametrize(
    "byline, names",
    [
        ("(서울=연합뉴스) 김남권 이재영 기자 = 정부가", ["김남권", "이재영"]),  # side by side, as 연합뉴스 writes them
        ("김남권·이재영 기자", ["김남권", "이재영"]),
        ("정치부 김지원 이재영 기자", ["김지원", "이재영"]),  # a desk before the names is no name
        ("사회부 홍길동 기자", ["홍길동"]),
        ("순천, 광양 구현모 기자 ninek@hankookilbo.com", ["구현모"]),  # places before the name
        ("한겨레 홍길동 기자", ["홍길동"]),  # a press that reads like a name
        ("홍길동 기자, 김철수 기자", ["홍길동", "김철수"]),
        ("고규홍 나무 칼럼니스트", ["고규홍"]),  # a columnist and the field he writes on
        ("[부산=스포츠조선 선수민 기자] 롯데 자이언츠가", ["선수민"]),  # place = newsroom and reporter
    ],
)
def test_every_reporter_of_a_byline_is_found(byline, names):
    from streams.clean.bylines import parse_bylines, split_dateline

    rest, found, _press = split_dateline(byline)
    assert [b.name for b in found or parse_bylines(byline)] == names


@pytest.mark.parametrize(
    "lead, press, names",
    [
        ("[아시아경제 홍길동 기자] 정부가 새 정책을 발표했다.", "아시아경제", ["홍길동"]),  # the press, a space, no `=`
        ("[머니투데이 홍길동기자] 정부가 새 정책을 발표했다.", "머니투데이", ["홍길동"]),
        ("[한국경제TV 홍길동 김철수 기자] 정부가 새 정책을 발표했다.", "한국경제TV", ["홍길동", "김철수"]),
        # not in the catalogue: known by how a publisher's name ends
        ("[조선비즈 홍길동 기자] 정부가 새 정책을 발표했다.", "조선비즈", ["홍길동"]),
        ("[파이낸셜뉴스] 정부가 새 정책을 발표했다.", "파이낸셜뉴스", []),  # the press alone, in the catalogue
        ("[뉴스1] 홍길동 기자 = 정부가 새 정책을 발표했다.", "뉴스1", ["홍길동"]),
    ],
)
def test_a_lead_opening_with_its_press_and_reporter_in_brackets_loses_them(lead, press, names):
    """Korean papers open the lead with their name and the reporter's in brackets, with or without
    `=`; on a portal that is the original publisher, so it is the press, and the reporter a byline."""
    from streams.clean.bylines import split_dateline

    rest, found, named = split_dateline(lead)
    assert rest == "정부가 새 정책을 발표했다."
    assert named == press and [b.name for b in found] == names


@pytest.mark.parametrize(
    "lead",
    [
        "[생활경제] 정부가 새 정책을 발표했다.",  # a section label ending like a press: not in the catalogue
        "[단독] 정부가 새 정책을 발표했다.",
        "[서울 홍길동 기자] 정부가 새 정책을 발표했다.",  # a place, not a press
    ],
)
def test_a_lead_opening_with_a_label_in_brackets_keeps_it(lead):
    from streams.clean.bylines import split_dateline

    assert split_dateline(lead)[0] == lead


def test_an_older_broadcast_script_reads_as_a_reader_sees_it():
    """KBS's angle-bracket cues, a speaker's label after a cue, credits in brackets and a 제보 box."""
    lines = [
        "&lt;앵커 멘트&gt;",
        "정부가 고속철도 노선을 확대한다고 밝혔습니다, 남부 지역 주민들의 이동이 편해집니다.",
        "&lt;리포트&gt;",
        "국토교통부는 올해 9월부터 새 노선을 운행한다고 발표했습니다, 요금은 같습니다.",
        "[녹취] 홍길동/국토교통부 차관",
        "노선 확대는 다음 달부터 단계적으로 이뤄집니다, 정부는 예산을 확보했다고 설명했습니다.",
        "KBS 뉴스 구민지입니다.",
        "[영상취재 김철수 / 영상편집 박영희]",
        "▷ 전화 : 02-781-1234",
        "▷ 카카오톡 : 'KBS제보' 검색",
    ]
    page = (
        '<html><head><meta property="og:site_name" content="KBS 뉴스"><title>t</title></head><body>'
        '<h1>정부, 철도 노선 확대 발표</h1><div class="detail-body">' + "<br><br>".join(lines) + "</div></body></html>"
    )
    article = clean_html(page, id="kbs-script")
    assert [p[:6] for p in article.paragraphs] == ["정부가 고속", "국토교통부는", "노선 확대는"]
    assert [b.name for b in article.bylines] == ["구민지"]


def test_an_interview_turn_keeps_its_words_without_the_cue():
    page = (
        "<html><head><title>t</title></head><body><h1>철도 노선 확대</h1><article>"
        "<p>정부가 고속철도 노선을 확대한다고 밝혔습니다, 남부 지역 주민들의 이동이 편해집니다.</p>"
        "<p>▷김태현 : 노선은 언제부터 운행합니까?</p><p>&lt;인터뷰&gt; 김철수/시민 : 많이 편해질 것 같습니다.</p></article></body></html>"
    )
    article = clean_html(page, id="turns")
    assert article.paragraphs[1:] == ["노선은 언제부터 운행합니까?", "김철수/시민 : 많이 편해질 것 같습니다."]


@pytest.mark.parametrize(
    "title",
    [
        "정부, 반도체 지원 확대 < 경제 < 기사본문 - 한국경제",
        "정부, 반도체 지원 확대 | 연합뉴스",
        "정부, 반도체 지원 확대 - 매일경제",
    ],
)
def test_a_title_loses_the_site_and_the_cms_breadcrumb(title):
    page = (
        f"<html><head><title>{title}</title></head><body><article><p>정부가 반도체 산업 지원을 확대한다고 오늘 "
        "밝혔습니다. 산업통상자원부는 세부 계획을 다음 달 발표합니다.</p></article></body></html>"
    )
    assert clean_html(page, id="t").title == "정부, 반도체 지원 확대"


@pytest.mark.parametrize(
    "written, names",
    [
        ("Von Sabrina Gerstmaier", ["Sabrina Gerstmaier"]),  # the word for "by"
        ("Sophie FosterTravel News Reporter", ["Sophie Foster"]),  # a job title glued to the name
        ("Ulrich ExnerKorrespondent", ["Ulrich Exner"]),
        ("Dolores Chang For Dailymail.Com", ["Dolores Chang"]),
        ("Enkosi Selane Journalist", ["Enkosi Selane"]),
        ("Felix Schröder und Jörg Soldwisch", ["Felix Schröder", "Jörg Soldwisch"]),
        ("Sidney Wiltgen Sidney Wiltgen", ["Sidney Wiltgen"]),
        ("John McCain", ["John McCain"]),  # a capital inside a name is no glue
        ("Guardian staff reporter", ["Guardian staff reporter"]),  # a desk's byline, as written
        ("Grant Tinsley, PhD", ["Grant Tinsley"]),  # a degree after a comma is no second author
        ("Jane Doe, MD, MPH and John Roe, Ph.D.", ["Jane Doe", "John Roe"]),
        ("By", []),
        ("News Reporter", []),
        ("홍길동", ["홍길동"]),  # Korean bylines are read by their own rules
    ],
)
def test_a_latin_byline_names_the_people_alone(written, names):
    from schemas.events import Byline
    from streams.clean.bylines import tidy

    assert [b.name for b in tidy([Byline(name=written)])] == names


def test_a_profiles_byline_list_gives_every_reporter():
    """KBS lists each reporter of a report in an element of their own (`#ulReporterList .name`)."""
    page = (
        '<html><head><meta property="og:url" content="https://news.kbs.co.kr/news/view.do?ncd=1">'
        '<meta property="og:title" content="정부, 철도 노선 확대 발표"></head><body>'
        '<ul id="ulReporterList"><li><span class="name">김남권 기자</span></li><li><span class="name">이재영 기자</span></li></ul>'
        '<div id="cont_newstext">정부가 고속철도 노선을 확대한다고 밝혔습니다, 남부 지역 주민들의 이동이 편해집니다.<br><br>'
        "국토교통부는 올해 9월부터 새 노선을 운행한다고 발표했습니다, 요금은 같습니다.</div></body></html>"
    )
    article = clean_html(page, id="kbs-reporters")
    assert article.extractor == "kbs"
    assert [b.name for b in article.bylines] == ["김남권", "이재영"]


@pytest.mark.parametrize(
    "title",
    [
        "정부, 반도체 지원 확대 - 매일경제",
        "정부, 반도체 지원 확대 : 네이트 뉴스",
        "정부, 반도체 지원 확대 | 연합뉴스TV",
        "정부, 반도체 지원 확대 | Daum 뉴스",  # a portal as it names itself, its brand in Latin letters
    ],
)
def test_a_profiles_title_loses_a_publisher_or_portal_it_ends_with(title):
    from streams.clean.fields import without_site

    assert without_site(title, {}) == "정부, 반도체 지원 확대"
    assert without_site("Putin warnt - Analyse", {}) == "Putin warnt - Analyse"  # an unknown last part stays


@pytest.mark.parametrize("line", ["박채규 대표", "홍길동 장관"])
def test_a_portraits_name_and_title_alone_is_its_caption(line):
    assert not reads_as_story(line)
    assert reads_as_story(f"{line}은 20일 기자들과 만나 새 계획을 밝혔다.")


@pytest.mark.parametrize(
    "line",
    [
        "Foto: dahancoo / Pixabay (Symbolbild)",
        "Autohäuser dürfen wieder öffnen. (Symbolfoto)",
        "Main image: Whale expert at the beach. Photograph: Jane Roe for the Paper",
        "The new library. Illustration: John Doe",
    ],
)
def test_a_caption_that_names_its_pictures_kind_is_a_caption(line):
    assert not reads_as_story(line)
    assert reads_as_story("Autohäuser dürfen wieder öffnen, sagte der Minister (ohne Symbolfoto) am Montag.")


def test_separators_and_credited_captions_are_not_paragraphs():
    """A line without a letter or digit (`◇`, `* * *`) is a separator, never the story's words; a
    caption that ends with its picture's rights (`Bildrechte: MDR/...`) is a caption."""
    body = "".join(
        [
            "<p>Die Ministerin legte am Montag einen Plan für die Schlachthöfe des Landes vor, der viele Betriebe betrifft.</p>",
            "<p>◇</p><p>* * *</p>",
            "<p>Viele Hände arbeiten in einer Schlachthalle. Bildrechte: MDR/David Straub</p>",
            "<p>Der Plan soll im Herbst in Kraft treten, sagte sie vor Journalisten in der Landeshauptstadt.</p>",
        ]
    )
    article = clean_html(f"<html><body><article><h1>Schlachthöfe</h1>{body}</article></body></html>", id="separators")
    assert article.paragraphs == [
        "Die Ministerin legte am Montag einen Plan für die Schlachthöfe des Landes vor, der viele Betriebe betrifft.",
        "Der Plan soll im Herbst in Kraft treten, sagte sie vor Journalisten in der Landeshauptstadt.",
    ]
    assert "Viele Hände arbeiten in einer Schlachthalle. Bildrechte: MDR/David Straub" in article.captions


@pytest.mark.parametrize(
    "value, press",
    [
        ("대전일보사", "대전일보"),  # the paper's company, as its copyright line names it
        ("(주)매일경제신문사", "매일경제"),
        ("연합뉴스", "연합뉴스"),
    ],
)
def test_a_papers_company_name_is_the_paper(value, press):
    assert press_name(value) == press


def test_a_copyright_line_that_names_the_site_names_its_press():
    from streams.clean.furniture import copyright_press

    assert copyright_press("무단 사용하는 것은 저작권법에 저촉됩니다. Copyright by donga.com") == "동아일보"
    assert copyright_press("<저작권자ⓒ대전일보사. 무단전재-재배포 금지>") == "대전일보"
    assert copyright_press("Copyright by example.org") is None  # a host no catalogue entry has
    # Latin letters run into Hangul are one Korean name, not the letters alone
    assert copyright_press("Copyrights ⓒ TV조선. 무단전재 및 재배포 금지") == "TV조선"
    assert copyright_press("Copyright ⓒ SBS. All rights reserved.") == "SBS"


@pytest.mark.parametrize(
    ("author", "press"),
    [
        ("iMBC 연예", "iMBC 연예"),  # the entertainment desk that wrote a story MBC NEWS carries
        ("연합뉴스", "연합뉴스"),  # a wire story on a paper's site
        ("홍길동", "MBC"),  # a person: the reporter, not the press
        ("Some Blog Network", "MBC"),  # a name the catalogue does not know is no press
    ],
)
def test_a_pages_author_that_names_a_known_press_is_the_press(author, press):
    """Korean sites put the desk or newsroom that wrote a story in the page's author (an iMBC 연예
    story on MBC NEWS, ko-pool's mbcnews pages): a reader names it as the press, over the
    publisher the page's JSON-LD names (the site), on a layout no profile knows."""
    paragraphs = "".join(
        f"<p>{text}</p>"
        for text in [
            "배우 박해미가 19일 방송된 예능 프로그램에서 자신의 기가 세지 않다고 말해 눈길을 끌었다.",
            "이날 방송에는 박해미를 비롯해 배우 여러 명이 출연해 촬영 뒷이야기를 털어놓았다.",
            "제작진은 다음 주에도 출연진의 이야기를 이어서 방송할 예정이라고 밝혔다.",
        ]
    )
    page = (
        "<html><head>"  # no site name: MBC's profile would recognise the page
        f'<meta name="author" content="{author}"><title>박해미 "기 세지 않아"</title>'
        '<script type="application/ld+json">{"@type": "NewsArticle", "publisher": {"@type": "Organization", '
        '"name": "MBC"}}</script></head>'
        f"<body><h1>박해미 “기 세지 않아”</h1><div class='story'>{paragraphs}</div></body></html>"
    )
    assert clean_html(page, id="desk", url="https://example.org/news/1.html").press == press


def test_a_byline_line_with_its_time_after_a_bar_is_not_a_paragraph():
    from streams.clean.bylines import is_byline_line

    assert is_byline_line("이용민 기자 | 2020-03-04 16:52:59")
    assert is_byline_line("홍길동 기자 | 입력 2020.03.04 | 수정 2020.03.05 10:00")
    assert not is_byline_line("홍길동 기자 | 그는 현장에서 이렇게 말했다")


def test_a_partners_story_on_a_site_is_its_newsrooms_and_its_headline_may_be_an_h2():
    """조선닷컴 carries 스포츠조선's story: the dateline in the story names its newsroom, which a
    reader names as the press over the site's; a page with no h1 shows its headline in an h2 that
    the declared title holds after the site's name."""
    body = "".join(
        f"<p>{text}</p>"
        for text in [
            "[부산=스포츠조선 선수민 기자] 롯데 자이언츠 베테랑 투수 노경은이 무너졌다. 노경은은 27일 부산 사직구장에서 선발 등판했다.",
            "노경은은 1회부터 안타를 내주며 흔들렸고, 야수들의 실책까지 겹치며 4⅓이닝 8실점으로 경기를 마쳤다.",
            "롯데는 결국 불펜을 일찍 가동했지만 흐름을 되돌리지 못했고, 키움에 주도권을 내줬다.",
        ]
    )
    page = (
        '<html><head><meta property="og:title" content="조선닷컴 :: 노경은, 4⅓이닝 8실점 부진… 난타에 야수 실책 겹쳤다">'
        '</head><body><h2 class="title">노경은, 4⅓이닝 8실점 부진… 난타에 야수 실책 겹쳤다</h2>'
        f"<article>{body}</article><p>Copyright 조선일보</p></body></html>"
    )
    article = clean_html(page, id="partner", url="https://news.chosun.com/site/data/html_dir/2020/08/27/1.html")
    assert article.press == "스포츠조선"
    assert [b.name for b in article.bylines] == ["선수민"]
    assert article.paragraphs[0].startswith("롯데 자이언츠 베테랑 투수")
    unknown_site = clean_html(page.replace("조선닷컴", "대전일보 모바일"), id="h2-headline")
    assert unknown_site.title == "노경은, 4⅓이닝 8실점 부진… 난타에 야수 실책 겹쳤다"


@pytest.mark.parametrize(
    "paragraph, rest, name",
    [
        (
            "박시영은 변상권을 2루수 땅볼로 유도해 4-6-3 병살타로 처리했다.부산=선수민 기자 sunsoo@sportschosun.com",
            "박시영은 변상권을 2루수 땅볼로 유도해 4-6-3 병살타로 처리했다.",
            "선수민",
        ),
        ("그는 웃으며 자리를 떠났다. 홍길동 기자 hong@yna.co.kr", "그는 웃으며 자리를 떠났다.", "홍길동"),
        ("배우 정성일이 시구를 하고 있다. 2023.04.07 /jpnews@osen.co.kr", "배우 정성일이 시구를 하고 있다.", None),
    ],
)
def test_a_sign_off_run_into_the_last_sentence_is_not_the_story(paragraph, rest, name):
    """A `<br>` body that lost its line break runs the sign-off into the story's last sentence."""
    body = LexborHTMLParser("<div></div>").body
    out = sort_blocks(["첫 문단은 기사의 시작이다. 정부는 20일 새 정책을 발표했다.", paragraph], set(), body)
    assert out.paragraphs[-1] == rest
    assert [b.name for b in out.signed] == ([name] if name else [])


@pytest.mark.parametrize("paragraph", ["이 말을 전한 건 김 기자였다.", "그렇게 말했다고 전했다 김철수 기자"])
def test_a_sentence_that_ends_with_a_reporter_is_whole(paragraph):
    assert trailing_sign_off(paragraph) == (paragraph, [])


@pytest.mark.parametrize(
    "line, names",
    [
        ("Von: Nadja Zinsmeister", ["Nadja Zinsmeister"]),
        ("von Laura Eßlinger", ["Laura Eßlinger"]),
        ("Von Felix Schröder und Jörg Soldwisch", ["Felix Schröder", "Jörg Soldwisch"]),
        ("Por Emily Anthes", ["Emily Anthes"]),
        ("By Jane Roe and John Doe", ["Jane Roe", "John Doe"]),
        ("by Jane Roe (reporting) and John Doe (photography)", ["Jane Roe", "John Doe"]),
    ],
)
def test_a_byline_line_in_the_pages_languages_is_a_byline_not_a_paragraph(line, names):
    from streams.clean.bylines import is_byline_line, parse_bylines

    assert is_byline_line(line)
    assert [b.name for b in parse_bylines(line)] == names
    story = "Von Anfang an war klar, dass der Plan scheitert."
    assert not is_byline_line(story) and not is_byline_line("By the end of the day the council had voted.")


_STORY = (
    "<p>The council voted on Tuesday to close the old bridge to cars, citing a report that found rust in "
    "its main girders, and said repairs would take at least two years.</p>"
    "<p>Residents on both banks said the detour would add twenty minutes to their commute, and several "
    "shop owners warned that fewer passers-by would mean fewer customers.</p>"
    "<p>The city engineer said a temporary ferry was being considered, but that no money had been set "
    "aside for it, and that the council would decide on the matter at its next meeting in March.</p>"
)


def _after_story(line: str):
    """The article of a three-paragraph story with `line` as a fourth block after it."""
    page = f"<html><body><article><h1>Bridge to close</h1>{_STORY}<p>{line}</p></article></body></html>"
    return clean_html(page, id="after-story")


@pytest.mark.parametrize(
    "furniture",
    [
        # a wire's credits with commas between them (Reuters), not only semicolons
        "Reporting by Jane Roe, additional reporting by John Doe, writing by Ann Poe, Editing by Tom Moe",
        # an opinion page's disclaimer, in English and German
        "The views expressed in this column are the author's own and do not necessarily reflect those of the paper.",
        "Gastbeiträge wie dieser müssen nicht der Meinung der Redaktion entsprechen.",
        # a prompt to get the site's newsletter, app or messenger channel
        "Der Morgen-Newsletter informiert Sie jeden Tag über das Wichtigste.",
        "Folgst du schon der Zeitung auf Whatsapp?",
        "Melden Sie sich jetzt kostenlos für unseren Newsletter an.",
        "Sie mögen den Tag kompakt? Dann sind Sie beim täglichen Newsletter richtig – hier entlang.",
        # an ad's label where an ad was, alone or with the ad's short text
        "Anzeige",
        "ANZEIGE - Heute mal ausgehen? Wie wäre es mit:",
        "ADVERTISING",
        # a related-posts head in a blog's words, a broadcaster's video availability, a comment log-in prompt
        "Ähnliche Beiträge",
        "Mehr zum Thema auf Example.de",
        "Video verfügbar bis 28.02.2021",
        "Du musst eingeloggt sein um Kommentare zu schreiben!",
        # a consent placeholder where an embed was, in the du-form, and its consent box's lines
        "An dieser Stelle findest du einen externen Inhalt von YouTube, der den Artikel ergänzt.",
        "Ich bin damit einverstanden, dass mir Inhalte von YouTube angezeigt werden.",
        "YouTube-Inhalte erlauben",
        # a saved-story notice and a newsletter box's consent line (Reach's sites), a pointer to the live blog
        "Story Saved",
        "You can find this story in My Bookmarks.Or by navigating to the user icon in the top right.",
        "Our community members are treated to special offers, promotions, and adverts from us and our partners.",
        "Alle Meldungen zum Krieg finden Sie jederzeit in unserem Liveblog:",
        "詳しくはこちら",
        # a link to another story after a label in capitals and a bar, whatever the language
        "FUNDA OLUNYE UDABA LAPHA | Kuboshwe abahlanu besolwa ngokugwaza umfundi",
        # a "read also" head in the languages of the pages, alone or with the headline it links
        "Czytaj więcej",
        "Taip pat skaitykite",
        "Les også: Slik blir været i helgen",
        "Lesen Sie mehr zu diesen Themen:",
        "También puede leer: El puente cerrará en marzo",
        "Mehr lesen: Die Brücke und ihre Geschichte",
        # where a German story comes from: first published elsewhere, translated, with whose help
        'Dieser Artikel ist zuerst bei "Wirtschaftsblatt" erschienen.',
        "Dies ist eine maschinelle Übersetzung eines Artikels unserer Kollegen. Er wurde von einem Redakteur geprüft.",
        "Aus dem Englischen von Erika Muster",
        "Lest den Originalartikel auf Englisch hier.",
        "Übersetzung: Erika Muster, Redaktion: Max Muster, Schlussredaktion: Eva Beispiel",
        "Mit Material von dpa",
        "Wir danken dem Autor für das Recht zur Veröffentlichung dieses Beitrags.",
        # the source or agency credit alone under the story
        "Quelle: example.de, abc/dpa",
        "SDA/xyz",
        "(dpa/lno)",
        # a prompt to report a mistake, a sign-in wall's head, newsletter and paywall prompts
        "Fehler gefunden?Jetzt melden.",
        "Spotted an error? Let us know.",
        "Sign In or Create an Account",
        "Puede escribirnos a redaccion@example.com o suscribirse aquí a nuestra newsletter.",
        "Jetzt abonnieren und von der Vorlesefunktion profitieren.",
        "This story is available exclusively to Example Times subscribers. Become a member and start reading now.",
        # a date stamp with its label in more languages, or with a name or a section after a bar
        "Publikacja: 02.02.2025 21:52",
        "2024.03.17 08:00",
        "Bijgewerkt: 03.03.2024 10:15",
        "zuletzt bearbeitet: 04.02.2022, 08:27 Uhr",
        "04.02.2022 | 13:10 Uhr | Erika Muster",
        "24. April 2020 | Pressemitteilungen",
        # list heads alone: trending, most read, related, a newsletter's or a teaser network's label
        "Trending",
        "Meistgelesen",
        "Häufig gelesen",
        "Weitere Informationen:",
        "Ende der weiteren Informationen",
        "Para saber más",
        "Newsletter: Sport am Montag",
        "Promoted By Zergnet",
        "Beitrags-Navigation",
        "Ähnliche Rezepte",
        "Mehr zu diesem Thema",
        "Relacionadas",
        "Weitere Pressemitteilungen von Beispiel AG",
        "More on the bridge:",
        "More Great City Stories",
        "関連記事",
        # the head over the author's bio, a font-size control, a comment section's rules, notices
        "Die Autorin",
        "Schriftgröße anpassen!",
        "Bitte achten Sie darauf, dass Ihre Kommentare sachlich und themenbezogen sind.",
        "無断転載・複製を禁じます。",
        "Es gilt das gesprochene Wort",
        # a blog's like button, view and download counters, taxonomy, comment count, footer links
        "Gefällt mir:",
        "Like Loading...",
        "Post Views: 1.234",
        "Downloads: 1.234",
        "Tags: Brücke • Stadtrat • Verkehr",
        "Kategorien & Tags",
        "Veröffentlicht in Stadtleben",
        "Filed under Local News",
        "Eingeordnet unter Allgemein",
        "Getaggt mit Brücke, Stadtrat",
        "Verfasst von: stadtblog | 31. Dezember 2008",
        "0 Kommentare",
        "[5] Comments",
        "Anna · April 19, 2019 · Stadt · 7 comments",
        "Impressum | Datenschutz",
        "Home » Stadt » Verkehr » News",
        # follow prompts, a readers' comments disclaimer, an investment disclaimer and its label
        "Folgen Sie uns auf Twitter",
        "Folgt uns auf unserem neuen Instagram-Account",
        "Kommentare von Lesern stellen keinesfalls die Meinung der Redaktion dar!",
        "Bitte beachten:",
        "Die veröffentlichten Artikel sind keine Aufforderung zum Kauf oder Verkauf von Wertpapieren.",
        "This article is not intended as financial advice.",
        # a page's controls: share, copy, read aloud, reading time, ad skip, continue, spinner, script, player
        "Share on Facebook",
        "Copy link",
        "Listen to this article",
        "Escucha esta nota aquí",
        "5 min read",
        "Lesezeit: 3 Minuten",
        "Tempo di lettura: 3 minuti",
        "Skip advertisement",
        "Continue reading below",
        "Weiterlesen",
        "mehr",
        "Wird geladen...",
        "Please enable JavaScript to view the comments",
        "watch now",
        "00:00 / 03:15",
        "Vorab im Video: Diese Brücken sind die schönsten",
        "Skip to main content",
        "Click to share on Facebook (Opens in new window)",
        "Updated at 3:45 p.m. ET",
        "Bild vergrößern",
        "dpa-infocom, dpa:240515-99-031234/3",
        "Artikel teilen",
        "Mehr aus Politik",
        "Partager cet article",
        "Article réservé aux abonnés",
        "Lire la suite",
        "Vous souhaitez nous signaler une erreur ?",
        "Ver comentarios",
        "Suscríbete a nuestra newsletter",
        "Iscriviti alla newsletter",
        "Reklama",
        "Share this with",
        "These are external links and will open in a new window",
        "Media playback is unsupported on your device",
        "More on this story",
        "Promoted Links by Taboola",
        "Supported by",
        "Thank you for signing up!",
        "CLICK HERE FOR MORE SPORTS COVERAGE ON FOXNEWS.COM",
        "Scroll down for video",
        "Share or comment on this article:",
        "Get the Morning Brief sent directly to your inbox every Monday to Friday by 6:30 a.m. ET. It's free.",
        # an ad label in dashes, an enlarge prompt, a price box's note under an affiliate link
        "- Anzeige-",
        "Zum Vergrößern bitte anklicken",
        "(ein Klick auf das Bild öffnet die größere Ansicht)",
        "Preis kann jetzt höher sein. Preis vom 02.01.2023 12:53 Uhr",
        # a press release's contact block
        "Pressekontakt:",
        "Ansprechpartner für die Medien",
        "E-Mail: presse@example.de",
        "Telefon: +49 (40) 123 45 67",
        "Internet: https://www.example.de",
        "IBAN: DE00 1234 5678 9012 3456 78",
        # a video's consent notice
        "Hinweis: Wenn Sie dieses Video hier abspielen, erfolgt eine Datenübertragung an YouTube.",
    ],
)
def test_credits_disclaimers_and_channel_prompts_after_the_story_are_furniture(furniture):
    """Lines a site puts around every story (seen on Reuters, Die Presse, BR24, 20 Minuten, WAZ, and
    German blogs and broadcasters; then on the development halves' pages of Rzeczpospolita, LRT,
    Stern, n-tv, ZDF, Tages-Anzeiger, Postmedia's papers, El País, Rolling Stone, Nikkei, WordPress
    blogs and press releases): the people who worked on it, that guests speak for themselves, where
    to get more of the site, where an ad or a list of other posts was, the page's own controls."""
    article = _after_story(furniture)
    assert len(article.paragraphs) == 3 and furniture not in article.paragraphs


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by the local paper, which first broke the story, led to the inquiry.",
        "#MeToo 운동 이후 #위드유 구호가 #확산됐다고 밝혔다.",  # hashtags in a sentence
        "Sie können jetzt auch über WhatsApp bezahlen, sagte die Bank am Montag.",
        "Anzeige gegen den Nachbarn wurde am Montag erstattet, sagte die Polizei.",
        "WARNING GRAPHIC DETAIL: the victim described the abuse she suffered over years.",
        "The newsletter, which she founded in 2019, now has 40,000 readers who subscribe to its weekly digest of court rulings.",
        "This story is available to read for free, and subscribers get the newsletter as well.",
        "2024.03.17 was the day the council met again, and the figures came out.",
        "AI 요약 기능을 도입한 뒤 이용자가 늘었다고 회사는 밝혔다.",  # a story about AI summaries
        "주요 뉴스 사이트들은 AI 학습을 막기 시작했다.",
        "이 기사를 쓴 기자는 다른 기사에서도 같은 문제를 지적했다.",
    ],
)
def test_story_lines_that_name_credits_or_newsletters_stay(line):
    assert not _is_junk(line)


@pytest.mark.parametrize(
    "box, words",
    [
        # a clip embedded in the story shows its name in a box of its own (`div.c-video__title`, Global News)
        (
            '<div class="c-video"><div class="c-video__player"></div>'
            '<div class="c-video__title">Russia launches nuclear drills with Belarus amid tensions</div></div>',
            "nuclear drills",
        ),
        # a newsletter's sign-up box between the story's paragraphs, its class also naming the content's
        # width (`section.NewsletterBox _content-width`, Tages-Anzeiger)
        (
            '<section class="NewsletterBox _content-width"><span>Newsletter</span><div class="title">Der Morgen'
            "</div><span>Der perfekte Start in den Tag mit News und Geschichten aus aller Welt.</span></section>",
            "perfekte Start",
        ),
    ],
)
def test_a_video_players_title_box_or_a_newsletter_box_in_the_story_is_not_the_story(box, words):
    """The clip's title or the newsletter's pitch, not a paragraph of the story."""
    page = f"<html><body><article><h1>Bridge to close</h1>{_STORY}{box}</article></body></html>"
    article = clean_html(page, id="box-in-story")
    assert len(article.paragraphs) == 3 and not any(words in p for p in article.paragraphs)


def test_the_headline_shown_again_with_its_kicker_above_the_story_is_not_a_paragraph():
    """The story box repeats the headline with a kicker before it (Tagesschau, RBB24, Tages-Anzeiger,
    n-tv): `Ausschuss zur Flut Zwei Rücktritte - und viele offene Fragen` under the title `Ausschuss
    zur Flut: Zwei Rücktritte`, the page's headline, not the story's first paragraph."""
    head = (
        '<html><head><meta property="og:title" content="Ausschuss zur Flut: Zwei Rücktritte"></head><body>'
        '<h1>Ausschuss zur Flut: Zwei Rücktritte</h1><article><div class="kicker-head">Ausschuss zur Flut '
        "Zwei Rücktritte - und viele offene Fragen</div>"
    )
    article = clean_html(f"{head}{_STORY}</article></body></html>", id="headline-again")
    assert len(article.paragraphs) == 3 and article.paragraphs[0].startswith("The council voted")


@pytest.mark.parametrize(
    "text, headline",
    [
        ("Ausschuss zur Flut Zwei Rücktritte - und viele offene Fragen", True),
        ("Premiere in Eisenhüttenstadt - Das Hotel öffnet noch einmal seine Pforten", False),  # another title
        ("Australian teenager becomes sixth to die in suspected methanol poisoning in Laos.", False),  # a sentence
        ("The Garden · Derek Jarman (1990)", False),  # the title's words in another order
    ],
)
def test_headline_again_needs_the_titles_words_in_order_and_no_sentence(text, headline):
    from streams.clean.furniture import headline_again

    titles = {
        "Ausschuss zur Flut Zwei Rücktritte - und viele offene Fragen": "Ausschuss zur Flut: Zwei Rücktritte",
        "Premiere in Eisenhüttenstadt - Das Hotel öffnet noch einmal seine Pforten": "Ausschuss zur Flut: Zwei Rücktritte",
        "Australian teenager becomes sixth to die in suspected methanol poisoning in Laos.": (
            "Australian teenager becomes sixth to die in suspected Laos methanol poisoning"
        ),
        "The Garden · Derek Jarman (1990)": "Derek Jarman · The Garden",
    }
    assert headline_again(text, titles[text]) is headline


@pytest.mark.parametrize(
    "credit",
    [
        "The mayor at the bridge on Monday. (AP Photo/Jane Roe)",
        "Getty Images",
        "AFP via Getty Images",
        "Photo by Jane Roe on Unsplash",
        "Image source, Getty Images",
        "(Photo by Jane Roe/Getty Images)",
        "Picture: PA",
        "Titelbild: Erika Muster on Unsplash",
        "Ảnh: Nguyễn Văn A",
        "Abbildung: Die Brücke im Jahr 1910",
        "Figure 2: Traffic on the bridge by hour",
        "Image copyright Getty Images",  # BBC's older labels, run into their text
        "Image caption The minister at the bridge on Monday",
        "Credit...Jane Roe for The New York Times",
        "대통령이 10일 대통령실에서 발언하고 있다. 연합뉴스",  # a Korean wire's credit after the sentence
        "대통령이 10일 대통령실에서 발언하고 있다. [AFP=연합뉴스]",
        "대통령이 10일 대통령실에서 발언하고 있다. [연합뉴스 자료사진]",
        "대통령이 10일 대통령실에서 발언하고 있다. 2025.5.10/뉴스1 ⓒ News1 홍길동 기자",
        "대통령이 10일 대통령실에서 발언하고 있다. 2025.05.10. photo@newsis.com",
    ],
)
def test_photo_credits_and_figure_labels_make_their_line_a_caption(credit):
    article = _after_story(credit)
    assert len(article.paragraphs) == 3 and credit in article.captions


@pytest.mark.parametrize(
    "line",
    [
        "Der Artikel erschien in einer Zeitung, die der Minister später verklagte.",
        "Quelle: Nach Angaben der Polizei war der Fahrer betrunken, als er in die Menge fuhr.",
        "grab/hold/seize",
        "Aus dem Englischen übernommene Begriffe sind in der Verwaltung längst üblich, sagte sie.",
        "Der Autor des Buches sagte, er sei zufrieden.",
        "Trending topics on the platform shifted within hours of the ruling, analysts said.",
        "Jetzt abonnieren viele Leser die gedruckte Zeitung wieder, sagte der Verlag.",
        "Category: the oldest one wins, she said.",
        "Tags are used by the team to sort the files.",
        "Views differ on whether the bridge can be saved, the engineer said.",
        "Folgen Sie uns nicht, sagte der Sprecher den Reportern.",
        "The regulator said the app gave financial advice without a licence.",
        "The pictures were taken by Reuters staff.",
        "Picture this: a city without cars.",
        "Show more courage, she said.",
        "In the video, the mayor says the bridge will close.",
        "En vidéo, on voit le maire fermer le pont.",
        "More on that later, he said.",
        "Wenn Sie das Video ansehen, werden Sie staunen.",
    ],
)
def test_story_lines_that_open_like_a_sites_lines_stay(line):
    assert reads_as_story(line)


def test_a_double_arrow_before_a_link_is_a_pointer_and_before_words_is_the_story():
    """`>> Mehr lesen: <a>headline</a>`, `>>> <a>Mehr Gastkommentare</a>` (1000things, Berliner
    Morgenpost, Die Presse, regards.fr): a pointer to another page; the same arrow before words
    that are not linked is the writer's."""
    pointer = '<p>&gt;&gt; Mehr lesen: <a href="/b">Was ihr im Winter in der Stadt erleben könnt</a></p>'
    own = "<p>&gt;&gt; Note: the ferry would run only on weekdays, the engineer added.</p>"
    page = f"<html><body><article><h1>Bridge to close</h1>{_STORY}{pointer}{own}</article></body></html>"
    article = clean_html(page, id="arrow-link")
    assert not any("Mehr lesen" in p for p in article.paragraphs)
    assert any(p.startswith(">> Note") for p in article.paragraphs)


def _frame_page(*blocks: str) -> str:
    paragraphs = "".join(f"<p>{b}</p>" for b in blocks)
    return (
        "<html><head><title>노동계, 최저임금 1만2천원 요구</title></head><body><div class='view'>"
        f"<h1>노동계, 최저임금 1만2천원 요구</h1><div class='txt'>{paragraphs}</div></div></body></html>"
    )


_KO_STORY = [
    "민주노총과 한국노총 등 양대 노총은 내년 최저임금으로 시급 1만 2천 원을 요구했습니다.",
    "노동계는 물가 폭등으로 실질임금이 떨어졌다며 대폭 인상이 필요하다고 주장했습니다.",
    "최저임금위원회 1차 전원회의는 오는 18일로 잠정 결정됐습니다.",
]


def test_lines_around_a_korean_story_that_are_no_sentences_are_not_its_lead_or_its_end():
    """On a page no profile knows: a section's label and the page's controls before the story go,
    a 부제 (three words or more, no sentence) is the standfirst, a brand line after it goes."""
    article = clean_html(
        _frame_page("경제", "글꼴 글자크기", "양대 노총 첫 요구안 발표", *_KO_STORY, "엠빅뉴스"), id="k"
    )
    assert article.paragraphs == _KO_STORY
    assert article.subtitle == "양대 노총 첫 요구안 발표"
    # the headline shown again above the story is neither
    again = clean_html(_frame_page("노동계, 최저임금 1만2천원 요구", *_KO_STORY), id="k2")
    assert again.paragraphs == _KO_STORY and again.subtitle is None


def test_a_korean_story_of_short_lines_or_an_english_one_keeps_its_lines():
    lines = ["오늘의 날씨", "서울 맑음", "부산 흐림", "대구 비", "광주 눈"]  # no sentence at all: nothing to frame
    assert korean_frame(lines, None) == ([], lines)
    late = [
        "경제",
        "물가",
        "고용",
        "세제",
        "금리",
        "환율",
        "증시",
        *_KO_STORY,
    ]  # a first sentence past the seventh line: a list
    assert korean_frame(late, None) == ([], late)
    english = ["Economy", "The union asked for a higher minimum wage on Monday.", "Talks start next week."]
    assert clean_html(_frame_page(*english), id="k4").paragraphs[0] == "Economy"


def test_the_sites_name_in_its_logos_h1_or_its_title_tag_is_not_the_headline():
    """A page that writes its name into the logo's h1 and its <title> (연합뉴스TV, ABC News): the
    headline is the h1 its og:title names, or the story's own h1."""
    page = (
        "<html><head><title>연합뉴스TV</title><meta property='og:site_name' content='연합뉴스TV'>{og}</head>"
        "<body><h1 class='logo'>연합뉴스TV</h1><h1>'영원한 25살' 아스트로 문빈 사망</h1><div class='txt'>"
        + "".join(f"<p>{p}</p>" for p in _KO_STORY)
        + "</div></body></html>"
    )
    og = "<meta property='og:title' content=\"'영원한 25살' 아스트로 문빈 사망\">"
    assert clean_html(page.format(og=og), id="t1").title == "'영원한 25살' 아스트로 문빈 사망"
    assert clean_html(page.format(og=""), id="t2").title == "'영원한 25살' 아스트로 문빈 사망"


def test_a_cue_in_lenticular_brackets_goes_and_its_words_stay():
    """MBN writes its script cues in lenticular brackets (`【 앵커멘트 】`, `【 기자 】`)."""
    body = "".join(
        f"<p>{cue} 정부는 {i}일 새로운 정책을 발표하고 관계 부처와 함께 시행 계획을 마련하기로 했다고 밝혔습니다.</p>"
        for i, cue in enumerate(["【 앵커멘트 】", "【 기자 】", "", ""], start=1)
    )
    page = f"<html><head><title>새 정책</title></head><body><article><h1>새 정책</h1>{body}</article></body></html>"
    article = clean_html(page, id="mbn-cues")
    assert [p.split()[:2] for p in article.paragraphs] == [["정부는", f"{i}일"] for i in range(1, 5)]


@pytest.mark.parametrize(
    "last",
    [
        "세종=홍길동 기자 hong@hankyung.com",  # the place the reporter files from, then the mail
        "워싱턴=홍길동 특파원 hong@donga.com",
        "<홍길동 기자 hong@kmib.co.kr>",  # in angle brackets
        "홍길동 기자 [email protected]",  # the mail as Cloudflare leaves it in a saved page
        "지금까지 경제부 홍길동 기자였습니다.",  # a report's last words on air
    ],
)
def test_a_korean_sign_off_after_the_story_is_its_byline_not_its_last_paragraph(last):
    body = "".join(
        f"<p>정부는 {i}일 새로운 정책을 발표하고 관계 부처와 함께 시행 계획을 마련하기로 했다고 밝혔다.</p>"
        for i in range(1, 4)
    )
    page = (
        f"<html><head><title>새 정책</title></head><body><article><h1>새 정책</h1>{body}"
        f"<p>{html.escape(last)}</p></article></body></html>"
    )
    article = clean_html(page, id="sign-off")
    assert article.paragraphs[-1].startswith("정부는 3일")
    assert [b.name for b in article.bylines] == ["홍길동"]
