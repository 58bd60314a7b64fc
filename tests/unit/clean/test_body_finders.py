"""The body finders on the page shapes real news sites use (each shape from a page of
../shared/corpora, rebuilt small here): the story split into boxes between ad rails, a short
layer named `main_content` beside the story, a story box whose class also says `header`, a live
feed in the sidebar, a story that is one link-dense list, a body only in the RSC payload, a site's
older layout, and which finder produced the page."""

from __future__ import annotations

import html
import json
import pytest

from streams.clean import CleanError, clean_html

_P = "<p>{}</p>"


def _para(i: int, topic: str = "The council") -> str:
    return _P.format(
        f"{topic} met on day {i}, heard from residents, farmers and traders, and agreed "
        f"to publish the figures for district {i} before the end of the month, officials said."
    )


def test_a_story_split_into_boxes_between_ad_rails_is_read_whole():
    chunk = (
        '<div class="grid"><div class="grid-item"><div class="body-wrapper"><div class="body__inner">{}'
        '</div></div></div><aside class="rail">Ad</aside></div>'
    )
    sizes = (8, 4, 3)  # unequal chunks: no three close candidates to share an ancestor
    page = (
        "<html><body><main>"
        + "".join(chunk.format("".join(_para(i * 10 + j) for j in range(n))) for i, n in enumerate(sizes))
        + "</main></body></html>"
    )
    article = clean_html(page, id="chunks")
    assert len(article.paragraphs) == sum(sizes)
    assert "day 0" in article.paragraphs[0] and "day 22" in article.paragraphs[-1]


def test_a_story_box_whose_tag_name_a_control_character_damaged_is_read():
    """A damaged page (a control character inside a tag's name, as a bad transfer or an editor's
    paste leaves one: found by fuzzing real pages) crashed the cleaner, which built a CSS selector
    from the story box's tag name and lexbor refused it. The story is read, in its parts."""
    chunk = '<div\x05 class="article__body js-fontsizer">{}</div\x05><aside class="rail">Ad</aside>'
    page = "<html><body><main>" + "".join(chunk.format("".join(_para(i * 10 + j) for j in range(5))) for i in range(2))
    article = clean_html(page + "</main></body></html>", id="damaged")
    assert len(article.paragraphs) == 10
    assert "day 0" in article.paragraphs[0] and "day 14" in article.paragraphs[-1]


def test_an_image_deep_in_thousands_of_empty_blocks_is_not_searched_for_a_caption_in_each(monkeypatch):
    """A figure written as a `div` is found by looking at the blocks above an image for a caption;
    a hostile page that wraps an image in thousands of empty blocks made each of them search its
    whole subtree (13 s on a fuzzed real page, the stream stalled meanwhile). Only the few blocks a
    figure uses are looked at (real figures' captions sit 1-4 blocks up), and the story is read."""
    from streams.clean import figures

    looked = []
    real = figures.block_caption
    monkeypatch.setattr(figures, "block_caption", lambda node, *a: looked.append(node) or real(node, *a))
    nest = "<div><span>" * 3000
    page = (
        "<html><body><article>"
        + "".join(_para(i) for i in range(4))
        + nest
        + '<img src="/a.jpg">'
        + "</span></div>" * 3000
        + "".join(_para(i) for i in range(4, 8))
        + "</article></body></html>"
    )
    article = clean_html(page, id="nested-image")
    assert len(article.paragraphs) == 8
    assert len(looked) <= 16, f"{len(looked)} blocks searched for the image's caption"


def test_a_php_instruction_left_in_the_page_beside_the_story_is_skipped():
    """A page served with its template's `<?php ... ?>` left in (a fuzzed real page with a few
    closing tags lost crashed the cleaner so): lexbor gives such an instruction no tag name, and the
    finders that step over text and comments between elements step over it too."""
    page = (
        '<html><body><div class="wrap"><?php $tags = wp_get_post_tags(629355); ?>'
        '<div class="story">' + "".join(_para(i) for i in range(6)) + "</div>"
        "<?php echo $footer; ?></div></body></html>"
    )
    article = clean_html(page, id="php")
    assert len(article.paragraphs) == 6 and "day 5" in article.paragraphs[-1]
    assert not any("php" in p or "wp_get" in p for p in article.paragraphs)


def test_a_short_layer_named_main_content_does_not_beat_the_story_beside_it():
    linked = "".join(
        _P.format(
            f'<a href="/c/{i}">Aeon Bank</a> said on day {i}, after talks with regulators, '
            f"lenders and staff, that it would replace its chief and publish a plan for "
            f"district {i} by the end of the month."
        )
        for i in range(6)
    )
    page = (
        "<html><body><div class='main_content'><h3>Sign up for the newsletter to read on</h3>"
        "<p>It is free, quick and easy, and you can leave at any time, we will only send you news.</p>"
        "<p>We use your address, and only your address, for the newsletter, its offers and nothing else.</p></div>"
        "<main><section>" + linked + "</section></main></body></html>"
    )
    article = clean_html(page, id="layer")
    assert len(article.paragraphs) == 6 and not any("newsletter" in p for p in article.paragraphs)


@pytest.mark.parametrize(
    "name",
    [
        "body articleBody -new-header-block",
        "banners-contenido-nota-5286571",  # biobiochile: the story's box, named "banners" and "content" in Spanish
    ],
)
def test_a_story_box_whose_class_also_says_header_is_kept(name):
    related = "".join(_para(i, "Another story") for i in range(8))  # page chrome holding most of the text
    page = (
        "<html><body><header><a href='/'>Home</a> <a href='/news'>News</a></header>"
        f"<div class='{name}'>"
        + "".join(_para(i) for i in range(5))
        + "</div><aside class='related'>"
        + related
        + "</aside></body></html>"
    )
    article = clean_html(page, id="header-class")
    assert len(article.paragraphs) == 5 and all(p.startswith("The council") for p in article.paragraphs)


def test_a_live_feed_in_the_sidebar_is_chrome_however_long():
    feed = "".join(_para(i, "The live desk") for i in range(30))
    page = (
        "<html><body><article><div class='article-body'>"
        + "".join(_para(i) for i in range(4))
        + "</div></article><aside id='sidebar'><div class='live'>"
        + feed
        + "</div></aside></body></html>"
    )
    article = clean_html(page, id="live-feed")
    assert len(article.paragraphs) == 4 and not any("live desk" in p for p in article.paragraphs)


def test_a_story_that_is_a_link_dense_list_is_not_its_own_clutter():
    towns = "、".join(f'<a href="/t/{i}">町{i}</a>' for i in range(40))
    page = (
        "<html><body><div class='nfyQp'><p>気象庁は13日、日向灘で震度5弱の地震があったと発表した。震源の深さは約30キロ。</p>"
        f"<p>各地の震度は次のとおり。</p><p>宮崎県：{towns}</p></div></body></html>"
    )
    article = clean_html(page, id="quake")
    assert article.paragraphs[0].startswith("気象庁は13日")


def test_a_body_only_in_the_rsc_payload_is_read_with_its_captions_apart():
    body = (
        '<div class="editor-img-box"><img src="https://img.example.com/a.jpg"><div class="caption">'
        '<p>국회에서 열린 의원총회. 연합뉴스</p></div></div>$$ARTICLEAD$$'
        + "".join(
            f"<p>국민의힘은 {i}일 인재영입위원회를 발족하는 등 당을 지방선거 체제로 전환할 방침이라고 밝혔다.</p>"
            for i in range(1, 8)
        )
    )
    row = (
        f"24:T{len(body.encode()):x},{body}" + '5:["$","$L23",null,{"message":"리소스가 성공적으로 조회되었습니다"}]\n'
    )
    page = (
        "<html><head><title>제목-정치ㅣ한국일보</title><meta property='og:site_name' content='한국일보'></head>"
        "<body><main><div class='spinner'></div></main><script>self.__next_f.push([1, "
        + json.dumps(row)
        + "])</script></body></html>"
    )
    article = clean_html(page, id="rsc")
    assert article.extractor == "embedded-json"
    assert article.title == "제목"
    assert article.paragraphs[0].startswith("국민의힘은 1일") and article.paragraphs[-1].startswith("국민의힘은 7일")
    assert article.captions == ["국회에서 열린 의원총회. 연합뉴스"]
    assert not any("ARTICLEAD" in p or "리소스가" in p for p in article.paragraphs)  # the row ends by bytes


_STORY = "".join(
    f"<p>The council met on day {i}, heard residents, farmers and traders, and agreed to publish "
    f"the figures for district {i} before the end of the month, officials said.</p>"
    for i in range(1, 7)
)
_SPINNER = "<html><head><title>Council</title></head><body><div id='__nuxt'><div class='spinner'></div></div>"


def test_a_body_only_in_a_nuxt_payload_is_read():
    # Nuxt 3 keeps its state as a flat array of values without keys; Nuxt 2 passes values as the
    # arguments of a function, so the body may be a string with no key either
    nuxt3 = (
        _SPINNER
        + '<script type="application/json" id="__NUXT_DATA__" data-ssr="true">'
        + json.dumps([["ShallowReactive", 1], {"data": 2}, {"article": 3}, {"title": 4, "html": 5}, "Council", _STORY])
        + "</script></body></html>"
    )
    nuxt2 = (
        _SPINNER
        + "<script>window.__NUXT__=(function(a,b){return {data:[{story:{title:a,content:b}}]}}("
        + json.dumps("Council")
        + ","
        + json.dumps(_STORY)
        + "));</script></body></html>"
    )
    for page in (nuxt3, nuxt2):
        article = clean_html(page, id="nuxt")
        assert article.extractor == "embedded-json"
        assert len(article.paragraphs) == 6 and article.paragraphs[5].startswith("The council met on day 6")


def test_a_body_in_any_frameworks_state_or_json_island_is_read():
    # Remix's context, any `window.__name__ =` state, and Angular's transfer state (a JSON island)
    remix = (
        _SPINNER
        + "<script>window.__remixContext = "
        + json.dumps({"state": {"loaderData": {"story": {"body": _STORY}}}})
        + ";</script></body></html>"
    )
    named = (
        _SPINNER
        + "<script>window.__APP_STATE__="
        + json.dumps({"article": {"contentHtml": _STORY}})
        + "</script></body></html>"
    )
    angular = (
        _SPINNER
        + '<script id="ng-state" type="application/json">'
        + json.dumps({"article-42": {"body": {"text": _STORY}}})
        + "</script></body></html>"
    )
    inertia = (
        _SPINNER.replace(
            "<div id='__nuxt'>",
            "<div id='app' data-page=\"" + html.escape(json.dumps({"props": {"article": {"body": _STORY}}})) + "\">",
        )
        + "</body></html>"
    )
    for page in (remix, named, angular, inertia):
        article = clean_html(page, id="state")
        assert article.extractor == "embedded-json"
        assert len(article.paragraphs) == 6 and article.paragraphs[5].startswith("The council met on day 6")


def test_script_or_css_under_a_body_like_key_is_not_a_body():
    script = (
        "{ async function startLogin() { document.querySelector('#status').innerText = 'Bitte warten'; "
        "if (ok) { show(); } else { retry(); } } " * 8
    )
    page = (
        "<html><body><article>"
        + _STORY[:400]
        + "</article><script>var cfg = "
        + json.dumps({"contentHtml": "<div>" + script + "</div>"})
        + ";</script></body></html>"
    )
    article = clean_html(page, id="script")
    assert article.extractor == "generic"
    assert not any("querySelector" in p for p in article.paragraphs)


def test_a_sites_older_layout_is_read_by_its_own_profile():
    page = (
        "<html><head><meta property='og:url' content='https://news.naver.com/main/read.naver?oid=001'></head>"
        "<body><h3 id='articleTitle'>[연천소식] 군-재단, 아동복지 협약</h3>"
        "<div id='articleBodyContents'>(연천=연합뉴스) 경기도 연천군은 20일 군청 상황실에서 협약을 체결했다고 밝혔다.<br><br>"
        "연천군 관계자는 \"아동 빈곤 해소에 도움이 될 것\"이라고 말했다.<br><br>"
        "<a href='http://hng.example.com/'>최신 유행 트렌드 총집결 #흥(클릭!)</a></div>"
        "<div class='byline'><p>우영식</p></div>"
        "<div class='journalistcard'><a href='/x'>경기도 내달 여주에 반려동물 테마파크 준공</a></div></body></html>"
    )
    article = clean_html(page, id="naver-2017")
    assert article.extractor == "naver-2017"
    assert article.paragraphs[-1].startswith("연천군 관계자는")
    assert [b.name for b in article.bylines] == ["우영식"]


def test_a_headline_is_a_line_even_when_the_page_puts_megabytes_in_its_h1():
    page = (
        "<html><body><h1>"
        + "긴 제목 " * 200_000
        + "</h1><article>"
        + "".join(_para(i) for i in range(3))
        + "</article></body></html>"
    )
    article = clean_html(page, id="huge-h1")
    assert 4 <= len(article.title) <= 301 and len(article.paragraphs) == 3


def test_a_figure_written_as_a_div_gives_its_caption_to_captions_not_to_the_story():
    # WordPress' `div.wp-caption` (tageszeitung.it) and an image wrapper with a `__description`
    # (freiepresse.de): no <figure>, but a block holding only an image and its caption
    wp = (
        '<div id="attachment_1" class="wp-caption alignnone"><a href="/big.png"><img src="/a.png" width="1024"></a>'
        '<p class="wp-caption-text">Board members, from left: Anna Berg, Paul Kofler and Maria Huber</p></div>'
    )
    wrapper = (
        '<div class="article__inline-images"><div class="detail-img"><div class="detail-img__image-wrapper">'
        '<img src="/b.jpg" alt="x"></div><div class="detail-img__description"><div>This pyramid shows the '
        'planned phases. <span class="detail-img__copyright">Image: screenshot</span></div></div></div></div>'
    )
    page = (
        "<html><body><article>" + wp + _para(1) + _para(2) + wrapper + _para(3) + _para(4) + "</article></body></html>"
    )
    article = clean_html(page, id="figures", url="https://example.org/story")
    assert [p[:28] for p in article.paragraphs] == [
        "The council met on day 1, he",
        "The council met on day 2, he",
        "The council met on day 3, he",
        "The council met on day 4, he",
    ]
    assert article.captions == [
        "Board members, from left: Anna Berg, Paul Kofler and Maria Huber",
        "This pyramid shows the planned phases.",
    ]  # the credit is not caption
    assert [i.caption for i in article.images][:2] == article.captions


def test_an_image_inside_a_paragraph_of_the_story_keeps_the_paragraph():
    inline = (
        '<p><img src="/c.jpg"> The council met on day 9 and heard residents. '
        '<span class="desc">Residents</span> asked for more buses and a new school, officials said.</p>'
    )
    page = "<html><body><article>" + _para(1) + inline + _para(2) + _para(3) + "</article></body></html>"
    article = clean_html(page, id="inline", url="https://example.org/story")
    assert any("day 9" in p for p in article.paragraphs)


def test_a_standfirst_the_page_also_gives_as_its_description_is_the_subtitle():
    deck = "Russia's intelligence services use Geneva as a hub for attacks in Europe, and Bern looks on."
    head = (
        f"<html><head><meta property='og:description' content=\"{deck}\"><title>Spies</title></head>"
        "<body><h1>Spies in Geneva</h1>"
    )
    above = head + f"<p class='teaser'>{deck}</p><article>{_STORY}</article></body></html>"
    article = clean_html(above, id="deck")
    assert article.subtitle == deck
    assert not any(deck in p for p in article.paragraphs)
    # a description that is the story's own first paragraph stays a paragraph, and is no subtitle
    first = "The council met on day 1, heard residents, farmers and traders"
    own = head.replace(deck, first + ", and agreed.") + f"<article>{_STORY}</article></body></html>"
    article = clean_html(own.replace(first + ", and agreed.", first), id="own")
    assert article.subtitle is None and article.paragraphs[0].startswith(first)
    # a description the page shows only as its lead photo's caption is no standfirst
    for caption in (
        f"<figure><img src='/a.jpg'><figcaption>{deck}</figcaption></figure>",
        f"<p class='image-caption'>{deck}</p>",
    ):
        article = clean_html(head + caption + f"<article>{_STORY}</article></body></html>", id="caption")
        assert article.subtitle is None


_ARTICLE = (
    "<article><h1>Council publishes district figures</h1>{deck}"
    + "".join(
        f"<p>The council met on day {i}, heard residents, farmers and traders, and agreed to publish the figures "
        f"for district {i} before the end of the month, after a long debate about costs, officials said.</p>"
        for i in range(1, 5)
    )
    + "</article>"
)


@pytest.mark.parametrize(
    "chrome",
    [
        '<div class="vjs-subtitles-button"><span class="subtitle">subtitles off, selected</span></div>',
        '<nav><div class="subtitle">Anmelden</div><div class="subtitle">Mein Konto</div><div class="subtitle">Home</div></nav>',
        '<div class="newsletter-box"><p class="dek">The best of our paper, every day, in your in-box, plus alerts.</p></div>',
        '<p class="subtitle">Free Download</p>',
    ],
)
def test_a_box_named_subtitle_that_is_chrome_is_not_the_standfirst(chrome):
    deck = '<p class="standfirst">Residents will see for the first time what each district spends on roads.</p>'
    page = f"<html><head><title>t</title></head><body>{chrome}{_ARTICLE.format(deck=deck)}</body></html>"
    assert (
        clean_html(page, id="deck").subtitle
        == "Residents will see for the first time what each district spends on roads."
    )
    bare = f"<html><head><title>t</title></head><body>{chrome}{_ARTICLE.format(deck='')}</body></html>"
    assert clean_html(bare, id="no-deck").subtitle is None


def test_a_teaser_of_another_story_below_this_one_is_not_its_standfirst():
    teaser = (
        '<div class="summary-item"><div class="dek">Can you guess the notable person in six clues or fewer?</div></div>'
    )
    page = f"<html><head><title>t</title></head><body>{_ARTICLE.format(deck='')}{teaser}</body></html>"
    assert clean_html(page, id="teaser").subtitle is None


def test_a_page_served_whole_inside_noscript_is_read():
    page = (
        "<html><head><title>Council</title><script>location.href='/app'</script></head><body>"
        "<noscript><div id='page'><h1>Council publishes district figures</h1><div id='text'>"
        + _STORY
        + "</div></div></noscript><noscript><img src='/pixel.gif'></noscript></body></html>"
    )
    article = clean_html(page, id="noscript")
    assert len(article.paragraphs) == 6 and article.paragraphs[0].startswith("The council met on day 1")


def test_a_list_of_teasers_is_not_the_story_however_much_text_it_has():
    # a tabloid's `ul` of 200 teasers, each a long linked headline over a summary, outscores the story
    # by sheer text; its text is mostly links, so it is no candidate while the story is one
    from streams.clean import generic
    from streams.clean.page import parse

    teaser = (
        "<li><a href='/story/{i}'>Another story, number {i}, about something else entirely, with a long "
        "linked headline, as tabloids write them</a><p>A summary of story {i}, with commas, names, places.</p></li>"
    )
    lists = "<ul class='links'>" + "".join(teaser.format(i=i) for i in range(200)) + "</ul>"
    page = f"<html><body><div class='page'><div class='article-text'>{_STORY}</div>{lists}</div></body></html>"
    tree = parse(page)
    scored = generic._Page()
    generic._score_paragraphs(tree.body, scored)
    assert max(scored.scores.values(), key=lambda e: scored.final(e[0]) or 0)[0].tag == "ul"  # it does outscore
    assert generic._top(scored)[0][1].attributes.get("class") == "article-text"


def test_a_time_the_page_also_gives_with_its_offset_is_read_with_that_offset():
    # a naive `<meta name="date">` is Seoul's only where the page gives no zoned time: a German
    # page's 18:16 is 18:16+02:00, not 18:16 in Seoul
    head = (
        '<meta name="date" content="2023-04-28 18:16">'
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-04-28T18:16:04+0200"}</script>'
    )
    page = f"<html><head><title>t</title>{head}</head><body><article>{_STORY}</article></body></html>"
    assert clean_html(page, id="tz").published_at == "2023-04-29T01:16:04+09:00"
    naive = f'<html><head><title>t</title><meta name="date" content="2023-04-28 18:16"></head><body><article>{_STORY}</article></body></html>'
    assert clean_html(naive, id="seoul").published_at == "2023-04-28T18:16:00+09:00"


@pytest.mark.parametrize(
    "says, local",
    [
        (
            '<html lang="de"><head><meta property="og:locale" content="de_DE">',
            "2023-04-29T01:16:00+09:00",
        ),  # Berlin, summer
        ('<html lang="en-GB"><head>', "2023-04-29T02:16:00+09:00"),  # London, summer
        ('<html lang="ja"><head>', "2023-04-28T18:16:00+09:00"),  # Tokyo: Seoul's offset
        ("<html><head>", "2023-04-28T18:16:00+09:00"),  # says nothing: Seoul's time, as before
    ],
)
def test_a_time_without_an_offset_is_the_pages_local_time(says, local):
    """A foreign page's naive 18:16 is 18:16 where the page is (its locale, domain or language)."""
    page = f'{says}<title>t</title><meta name="date" content="2023-04-28 18:16"></head><body><article>{_STORY}</article></body></html>'
    assert clean_html(page, id="zone").published_at == local


def test_a_pages_domain_names_its_zone_when_its_locale_does_not():
    from streams.clean.zones import page_zone
    from streams.timezones import SEOUL

    assert str(page_zone(None, "en", ("www.theguardian.co.uk",))) == "Europe/London"
    assert str(page_zone("de_AT", "de", ("example.com",))) == "Europe/Vienna"
    assert page_zone("en_US", None, ()) is not SEOUL
    assert page_zone(None, "en", ("example.com",)) is SEOUL  # English of no one country


def test_every_zone_of_the_data_file_exists_and_every_language_names_a_country():
    from zoneinfo import ZoneInfo

    from streams.clean.rules import RULES

    zones = RULES["local_time_zones"]
    for name in zones["countries"].values():
        ZoneInfo(name)
    assert set(zones["languages"].values()) <= set(zones["countries"])
    assert set(zones["domains"].values()) <= set(zones["countries"])


def test_every_author_of_the_byline_box_is_found_and_no_author_of_another_story():
    byline = '<div class="meta"><span class="author-name">Dominik Bath</span><span class="author-name">Theresa Martus</span></div>'
    teaser = '<div class="teaser"><h3>Other story</h3><span><a rel="author" href="/c">Jane Other</a></span></div>'
    page = f"<html><head><title>t</title></head><body><article><h1>Council</h1>{byline}{_STORY}</article>{teaser}</body></html>"
    assert [b.name for b in clean_html(page, id="authors").bylines] == ["Dominik Bath", "Theresa Martus"]


def test_a_long_thread_of_readers_comments_beside_the_story_is_not_the_story():
    # taz: the story in <article>, and a <ul> of readers' comments in another box of the page, with
    # several times its text and a score close to it; a list is no rival that replaces the story
    from streams.clean import generic
    from streams.clean.page import parse

    comment = (
        "<li><p>I do not agree with the author at all and reader {i} says so once more because the company "
        "and the ministers and the activists all knew long before this week what the contract said and what "
        "it would cost and the readers said so again and again in this thread and in others but nobody at "
        "the paper or at the firm wanted to listen to them and that is why reader {i} writes here today</p></li>"
    )
    page = (
        "<html><body><div class='rack'><div class='sect'><article class='sectbody'>" + _STORY + "</article></div>"
        "<div class='sect readers'><ul class='sectbody directory'>"
        + "".join(comment.format(i=i) for i in range(15))
        + "</ul></div></div></body></html>"
    )
    scored = generic._Page()
    generic._score_paragraphs(parse(page).body, scored)
    (top_score, top), *others = generic._top(scored)
    assert top.tag == "article" and others[0][1].tag == "ul"  # the thread is the close runner-up
    assert scored.text_len(others[0][1]) >= 3 * scored.text_len(top)
    assert generic._longer_rival(top_score, top, others, scored)[1].tag == "article"


def test_candidates_come_best_first_as_a_full_sort_would_give_them():
    """`_by_final` reads link densities only as far as it must, and still gives the candidates in
    exactly the order (ties included) that sorting every final score gives."""
    import random

    from streams.clean import generic
    from streams.clean.page import parse

    rng = random.Random(7)
    boxes = []
    for i in range(60):
        paras = "".join(
            f"<p>{'word, ' * rng.randint(0, 8)}sentence {i}-{j} of the story.</p>" for j in range(rng.randint(0, 4))
        )
        links = "".join(f"<a href='/{k}'>{'link ' * rng.randint(1, 9)}</a>" for k in range(rng.randint(0, 6)))
        boxes.append(f"<div class='{rng.choice(['story', 'menu', 'x', 'comment'])}'>{paras}<div>{links}</div></div>")
    scored = generic._Page()
    generic._score_paragraphs(parse("<html><body>" + "".join(boxes) + "</body></html>").body, scored)
    full = sorted(((scored.final(n) or 0.0, n) for n, _ in scored.scores.values()), key=lambda e: e[0], reverse=True)
    lazy = list(generic._by_final(_fresh(scored)))
    assert len(full) > 40 and [(s, n.mem_id) for s, n in lazy] == [(s, n.mem_id) for s, n in full]


def _fresh(scored):
    """The same raw scores with no link density read yet."""
    from streams.clean import generic

    fresh = generic._Page()
    fresh.scores = {key: list(entry) for key, entry in scored.scores.items()}
    return fresh


# -- the library fallback (trafilatura), where the own finders found little ----------------------
_SHORT_PAGE = (
    "<html><head><title>Council</title></head><body><div class='menu'><a href='/'>Home</a></div>"
    "<div class='story'><p>The council met on Monday and agreed the plan, officials said.</p></div>{}</body></html>"
)
# a page with a short find and a menu of links: text enough for the library (mocked) to be asked
_WEAK_PAGE = _SHORT_PAGE.format(
    "<ul class='menu'>" + "".join(f"<li><a href='/{i}'>Section number {i}</a></li>" for i in range(20)) + "</ul>"
)


def _library_gives(monkeypatch, fragment):
    from streams.clean import finders

    asked = []
    monkeypatch.setattr(finders, "library_body", lambda html, fast=False: asked.append(fast) or fragment)
    return asked  # the readings asked: True for the library's own (fast), False for its full one


def test_the_library_is_not_asked_of_a_page_with_less_text_than_it_must_give(monkeypatch):
    """A page holding fewer characters than the library's bar cannot give a body that wins: the
    library (and its first-use cost) is spared."""
    asked = _library_gives(monkeypatch, "".join(_para(i) for i in range(4)))
    article = clean_html(_SHORT_PAGE.format(""), id="short")
    assert not asked and article.extractor == "generic"


def test_the_library_is_not_asked_of_a_short_page_however_deeply_it_is_indented(monkeypatch):
    """The page's own indentation is no text: a short page laid out over many indented lines (a
    test page of Readability's) is still too short for the library to win on."""
    from streams.clean.page import parse

    asked = _library_gives(monkeypatch, "".join(_para(i) for i in range(4)))
    indented = _SHORT_PAGE.format("").replace("><", ">\n" + " " * 60 + "<")
    assert len(parse(indented).body.text(deep=True)) > 200  # whitespace alone would pass the bar
    article = clean_html(indented, id="indented")
    assert not asked and article.extractor == "generic"


def test_the_library_reads_a_page_where_the_own_finders_found_little(monkeypatch):
    story = "".join(_para(i) for i in range(4))
    asked = _library_gives(monkeypatch, story)
    article = clean_html(_WEAK_PAGE, id="weak")
    assert asked and article.extractor == "library"
    assert len(article.paragraphs) == 4 and "district 3" in article.paragraphs[-1]


_UI_LINES = "".join(
    f"<p>{line}</p>"
    for line in [
        "Turn off location",
        "Copy link to Tweet",
        "Embed this Tweet",
        "Embed this Video",
        "Log in to Twitter",
        "Sign up for Twitter",
        "Create a new list",
        "Your lists",
        "Profile summary",
        "Preview",
    ]
    * 5
)


@pytest.mark.parametrize(
    ("own_reading", "readings_asked", "paragraphs"),
    [
        ("story", [True], 4),  # its own reading is a story in sentences: its fallbacks are never run
        ("story amid UI lines", [True, False], 3),  # half of it no sentence: the full reading decides
        ("teasers", [True, False], 3),  # no sentences at all
        (None, [True, False], 3),  # nothing
    ],
)
def test_the_library_runs_its_fallbacks_only_where_its_own_reading_is_no_story_in_sentences(
    monkeypatch, own_reading, readings_asked, paragraphs
):
    """trafilatura's readability and jusText fallbacks cost a page up to 0.4 s (jusText's stoplists of
    every language, first): its own reading alone is asked first and taken where it is mostly
    sentences; its full reading, only elsewhere."""
    from streams.clean import finders

    story = "".join(_para(i) for i in range(paragraphs))
    teasers = "<ul>" + "".join(f"<li><a href='/{i}'>Another story about the council {i}</a></li>" for i in range(30))
    own = {
        "story": "".join(_para(i) for i in range(4)),
        "story amid UI lines": "".join(_para(i, "The board") for i in range(3)) + _UI_LINES,  # 0.39 sentences
        "teasers": teasers + "</ul>",
        None: None,
    }[own_reading]
    readings = {True: own, False: story}
    asked = []
    monkeypatch.setattr(finders, "library_body", lambda html, fast=False: asked.append(fast) or readings[fast])
    article = clean_html(_WEAK_PAGE, id="weak")
    assert asked == readings_asked
    assert article.extractor == "library" and len(article.paragraphs) == paragraphs


def test_the_librarys_own_reading_is_asked_without_its_fallbacks(monkeypatch):
    import trafilatura

    from streams.clean import library

    options = []
    monkeypatch.setattr(trafilatura, "extract", lambda html, **given: options.append(given) or "<p>x</p>")
    library.library_body("<html><body><p>x</p></body></html>", fast=True)
    library.library_body("<html><body><p>x</p></body></html>")
    assert [o["fast"] for o in options] == [True, False]


@pytest.mark.parametrize(
    "fragment",
    [
        "<h1>" + "A headline that the page repeats " * 40 + "</h1>",  # more text, but no sentences
        "<ul>"
        + "".join(f"<li><a href='/{i}'>Another story about the council number {i}</a></li>" for i in range(30))
        + "</ul>",
        "<p>false</p>",  # a stray label, less than a short news item
        None,  # the library found nothing (or failed)
    ],
)
def test_the_library_does_not_replace_a_find_with_headings_teasers_or_scraps(monkeypatch, fragment):
    _library_gives(monkeypatch, fragment)
    article = clean_html(_WEAK_PAGE, id="weak")
    assert article.extractor == "generic" and article.paragraphs == [
        "The council met on Monday and agreed the plan, officials said."
    ]


def test_the_library_is_not_asked_where_the_own_finders_found_a_story(monkeypatch):
    asked = _library_gives(monkeypatch, "".join(_para(i) for i in range(20)))
    page = "<html><body><article>" + "".join(_para(i) for i in range(6)) + "</article></body></html>"
    assert clean_html(page, id="story").extractor == "generic" and not asked


def test_the_library_is_not_asked_of_a_flash_in_its_article(monkeypatch):
    # a 속보 of one sentence in its <article>: a whole short story, not a miss to read again
    asked = _library_gives(monkeypatch, "".join(_para(i) for i in range(20)))
    page = (
        "<html><head><title>[속보] 정부, 반도체 지원책 발표</title></head><body><nav><a href='/'>홈</a></nav>"
        "<article><h1>[속보] 정부, 반도체 지원책 발표</h1><p>정부는 2일 반도체 업계에 대한 지원책을 발표했다.</p></article>"
        "</body></html>"
    )
    article = clean_html(page, id="flash")
    assert article.extractor == "generic" and article.paragraphs == ["정부는 2일 반도체 업계에 대한 지원책을 발표했다."]
    assert not asked


def test_the_library_is_not_asked_of_a_page_so_big_it_would_hold_the_stream_up(monkeypatch):
    # trafilatura took 25 s on a 5 MB page of 120,000 menus; the own finders take 2 s
    asked = _library_gives(monkeypatch, "".join(_para(i) for i in range(20)))
    menus = "<div class='nav'><a href='/x'>Menu</a></div>" * 12_000
    article = clean_html(_WEAK_PAGE.replace("<body>", "<body>" + menus), id="big")
    assert article.extractor == "generic" and not asked


def test_a_process_that_defers_the_library_hands_its_page_back_unread(monkeypatch):
    """A batch's worker processes defer the library (streams.offline): a page it would be asked of
    raises `LibraryDeferred` through the cleaner's catch-all (not an `internal` refusal) and the
    library is not called; a page the own finders settle cleans as before."""
    import trafilatura

    from streams.clean import library

    called = []
    monkeypatch.setattr(trafilatura, "extract", lambda html, **options: called.append(html))
    monkeypatch.setattr(library, "_deferred", True)
    with pytest.raises(library.LibraryDeferred):
        clean_html(_WEAK_PAGE, id="weak")
    story = "<html><body><article>" + "".join(_para(i) for i in range(4)) + "</article></body></html>"
    assert clean_html(story, id="story").extractor == "generic"
    assert not called


def test_the_library_reads_the_main_text_as_html_and_nothing_from_garbage():
    from streams.clean.library import library_body

    page = (
        "<html><body><nav><a href='/'>Home</a></nav><article>"
        + "".join(_para(i) for i in range(4))
        + "</article></body></html>"
    )
    fragment = library_body(page)
    assert fragment is not None and fragment.count("<p>") == 4 and "district 3" in fragment and "Home" not in fragment
    assert library_body("\x00\x01 not a page") is None


def test_a_slideshow_of_captions_beside_the_story_is_neither_the_story_nor_in_it():
    # The Independent: "Business news in pictures", 50 slides numbered 1/50 ... 50/50, each a
    # headline and a caption with commas, inside the story's box and outscoring its paragraphs
    slide = (
        "<li><div class='count'>{i}/12</div><h4>Markets, banks and the pound, slide {i}</h4><p>Shares fell, "
        "bonds rose, and the pound, the euro and the yen moved, as traders, banks and funds sold, bought "
        "and waited for the figures on day {i}, analysts, brokers and economists said.</p></li>"
    )
    page = (
        "<html><body><article><div class='text-wrapper'>"
        + _STORY
        + "<div class='gallery'><ul class='legends'>"
        + "".join(slide.format(i=i) for i in range(1, 13))
        + "</ul></div></div></article></body></html>"
    )
    article = clean_html(page, id="slides")
    assert len(article.paragraphs) == 6 and all(p.startswith("The council met on day") for p in article.paragraphs)


def test_a_video_players_card_inside_the_story_is_not_the_story():
    """CBC's player inside the story box: the video's title and description in a card, not words
    of the story."""
    card = (
        '<div class="player-placeholder-ui-container"><div class="video-item video-card-overlay">'
        '<div class="video-info-container"><h3 class="video-item-title">Ceasefire talks stalled as '
        "both sides vow retaliation</h3><p>Tensions are escalating across the region, the video says.</p>"
        "</div></div></div>"
    )
    page = f"<html><body><article><h1>Talks</h1>{_para(1)}{_para(2)}{card}{_para(3)}{_para(4)}</article></body></html>"
    article = clean_html(page, id="video-card")
    assert len(article.paragraphs) == 4
    assert not any("Ceasefire" in p or "video says" in p for p in article.paragraphs)


def test_chrome_nested_in_chrome_goes_once_and_the_story_around_it_stays():
    """Chrome boxes inside chrome boxes (a share bar in a related box in a sidebar) are removed
    with their outermost box, each once, and nothing of the story beside them goes."""
    nested = '<div class="related"><div class="share"><div class="social">{}</div></div>{}</div>'
    chrome = nested.format("Share on X", "Read also: another story")
    page = (
        "<html><body><div class='sidebar'>"
        + nested.format("Facebook", "More")
        + "</div><main>"
        + _para(1)
        + chrome
        + _para(2)
        + chrome
        + _para(3)
        + "</main></body></html>"
    )
    article = clean_html(page, id="nested")
    assert [p[:22] for p in article.paragraphs] == ["The council met on day"] * 3
    assert not any("Share" in p or "Read also" in p for p in article.paragraphs)


_LEAD = "Residents of every district will see for the first time what the council spends on their roads."


def _lead_page(lead_box: str, between: str = "") -> str:
    """A page builder's layout (WordPress themes, Drupal's perex): the headline and the lead in a
    row of their own, the story in the next row's text column."""
    story = "".join(_para(i) for i in range(1, 5))
    return (
        "<html><head><title>Council publishes district figures</title></head><body>"
        '<div class="row"><div class="col"><h1>Council publishes district figures</h1>'
        f"<span>25 January 2022</span>{lead_box}</div></div>{between}"
        f'<div class="row"><div class="col"><div class="text-column">{story}</div></div></div>'
        '<div class="row"><div class="col"><h3>More news</h3>'
        '<p>The mayor opened a new bridge over the river on Monday, and traffic is flowing again.</p></div></div>'
        "</body></html>"
    )


@pytest.mark.parametrize(
    "lead_box",
    [
        f"<h2>{_LEAD}</h2>",  # WordPress page builders
        f'<div class="field-perex"><p>{_LEAD}</p></div>',  # Drupal
        f'<div class="lead"><p><strong>{_LEAD}</strong></p></div>',
    ],
)
def test_a_lead_in_a_box_of_its_own_above_the_story_is_its_standfirst(lead_box):
    article = clean_html(_lead_page(lead_box), id="lead")
    assert article.subtitle == _LEAD
    assert article.paragraphs[0].startswith("The council met on day 1") and len(article.paragraphs) == 4


@pytest.mark.parametrize(
    "box",
    [
        '<p class="caption">The council chamber on Monday, where residents spoke for three hours (Photo: City Hall)</p>',
        "<p>The council chamber on Monday, where residents spoke for three hours. (Symbolbild: Adobe Stock)</p>",
        "<p>Council publishes district figures, roads, budgets and more: all the stories of the day</p>",  # no sentence
        '<div class="related"><p>The mayor opened a new bridge over the river on Monday, and traffic flows.</p></div>',
        '<ul><li>The mayor opened a new bridge over the river on Monday, and traffic is flowing again.</li></ul>',
    ],
)
def test_a_caption_a_label_or_a_box_under_the_headline_is_no_standfirst(box):
    assert clean_html(_lead_page(box), id="no-lead").subtitle is None


def test_only_the_run_of_lead_lines_under_the_headline_is_the_standfirst():
    plea = '<div class="box"><h3>Help us!</h3><p>Every small donation helps the people in need all over the world!</p></div>'
    article = clean_html(_lead_page(f"<p>{_LEAD}</p>", between=plea), id="plea")
    assert article.subtitle == _LEAD


def test_a_lead_in_the_header_is_the_standfirst_where_the_story_opens_with_a_key_points_list():
    """A news site's article (20 Minuten, Dagbladet): the lead in the article's `<header>`, then the
    story opening with a box of key points as a list (`Darum gehts`), whose items the walk under the
    headline skips: the lead is found above a later block of the story."""
    points = "".join(
        f"<li>The council has published point {i} of its figures for every district this week.</li>" for i in (1, 2, 3)
    )
    story = "".join(_para(i) for i in range(1, 5))
    page = (
        "<html><head><title>Council publishes district figures</title></head><body><article>"
        f'<header><h1>Council publishes district figures</h1><div class="Article_lead"><p>{_LEAD}</p></div></header>'
        f'<div class="Article_body"><div class="summary"><h2>Key points</h2><ul>{points}</ul></div>{story}</div>'
        "</article></body></html>"
    )
    article = clean_html(page, id="header-lead")
    assert article.subtitle == _LEAD
    assert any(p.startswith("The council met on day 1") for p in article.paragraphs)


def test_a_box_that_joins_the_story_opening_is_not_a_lead_before_it():
    """A leaf that holds the story's first blocks run together (inline boxes in one `div`) is the
    story itself, not a standfirst above it."""
    story = "".join(_para(i) for i in range(1, 5))
    joined = f'<div class="intro"><span>District figures published.</span> <span>{_LEAD}</span></div>'
    page = (
        "<html><head><title>Council publishes district figures</title></head><body>"
        f"<h1>Council publishes district figures</h1>{joined}"
        f'<div class="text-column"><p>District figures published.</p><p>{_LEAD}</p>{story}</div>'
        "</body></html>"
    )
    assert clean_html(page, id="joined").subtitle is None


def test_the_lead_is_read_under_the_headline_shown_and_not_without_one():
    page = _lead_page(f"<p>{_LEAD}</p>")
    story_first = page.replace(
        '<div class="row"><div class="col"><h1>', '<div class="row"><div class="col"><h1 hidden>x</h1><h1>'
    )
    assert clean_html(story_first, id="lead").subtitle == _LEAD  # the headline shown is the one looked after
    no_h1 = page.replace("<h1>Council publishes district figures</h1>", "")
    assert clean_html(no_h1, id="no-h1").subtitle is None


def test_a_live_feed_list_beside_the_story_is_not_the_story():
    """BBC's business pages: `div.story-body` and, beside it, a live feed `ol` with more text."""
    story = "".join(_para(i) for i in range(1, 11))
    feed = "".join(
        f"<li><p>Update {i}: markets moved again, traders said, as the pound fell against the euro, "
        f"the dollar and the yen, and shares in airlines, banks and miners were lower, analysts said.</p></li>"
        for i in range(30)
    )
    page = (
        "<html><head><title>Talks</title></head><body><div id='main'>"
        f"<div class='story-body'><h1>Talks</h1>{story}</div>"
        "<div class='layout-b'><div class='puff'><div class='local'><div class='live'><div class='scroll-box'>"
        f"<ol class='scroll-box-inner'>{feed}</ol></div></div></div></div></div>"
        "</div></body></html>"
    )
    article = clean_html(page, id="live")
    assert len(article.paragraphs) == 10 and article.paragraphs[0].startswith("The council met on day 1")
    # a list that is the story (no box named for the story beside it) is still read
    listicle = page.replace("story-body", "box").replace(story, _para(1))
    assert any(p.startswith("Update 0") for p in clean_html(listicle, id="list").paragraphs)


@pytest.mark.parametrize(
    "box, subtitle",
    [
        (
            '<h2 class="sub_title1_new">경기 13명-광주 6명-서울 3명-인천·대전 2명-대구·전북 1명</h2>',
            "경기 13명-광주 6명-서울 3명-인천·대전 2명-대구·전북 1명",
        ),
        (
            '<p class="subTitle">Residents will see for the first time what each district spends on roads.</p>',
            "Residents will see for the first time what each district spends on roads.",
        ),
        ('<p class="subtitle">The council chamber, where residents spoke for hours. (Symbolfoto)</p>', None),
    ],
)
def test_a_subtitle_box_as_korean_and_other_cmss_name_it_unless_it_holds_a_caption(box, subtitle):
    page = f"<html><head><title>t</title></head><body>{box}{_ARTICLE.format(deck='')}</body></html>"
    assert clean_html(page, id="sub").subtitle == subtitle


@pytest.mark.parametrize(
    "box, subtitle",
    [
        (  # The Washington Post's `h2.subheadline` under the headline
            '<h2 class="font--subhead subheadline">Residents will see for the first time what each district spends.</h2>',
            "Residents will see for the first time what each district spends.",
        ),
        (  # a WordPress theme's `h2.article-excerpt` (Free Beacon)
            '<h2 class="article-excerpt">Residents will see for the first time what each district spends.</h2>',
            "Residents will see for the first time what each district spends.",
        ),
        # WordPress' excerpt cut off mid-sentence is a teaser of the story, not its standfirst
        ('<div class="post-excerpt">Residents will see for the first time what each district spends on…</div>', None),
        # a box the reader never sees (Wikipedia's `div.shortdescription noexcerpt`, display:none)
        (
            '<div class="shortdescription noexcerpt" style="display:none">Figures the council publishes each year</div>',
            None,
        ),
    ],
)
def test_a_subheadline_or_an_excerpt_box_is_the_standfirst_unless_cut_off_or_hidden(box, subtitle):
    page = f"<html><head><title>t</title></head><body>{box}{_ARTICLE.format(deck='')}</body></html>"
    assert clean_html(page, id="sub").subtitle == subtitle


@pytest.mark.parametrize(
    "bio",
    [
        '<div class="author-bio"><p>Jane Roe is a national affairs correspondent for The Paper, and has written books.</p></div>',
        '<div class="ContributorBioBio-fBolsO"><p>Jane Roe is a senior writer for the paper. She studied at the university of the city.</p></div>',
        # the author's card by the other names themes give it, with a paragraph about the writer
        # long enough (200+ characters) that no rule for short boxes with a bad name takes it
        *(
            f"<{tag} {attr}><h3>About the author</h3><p>Jane Roe has covered the council, its budgets and its "
            "elections for the paper since 2009. Before that she reported on schools and housing for a weekly, "
            "studied history at the university of the city and wrote two books about its bridges.</p></" + tag + ">"
            for tag, attr in (
                ("div", 'id="authorbox"'),
                ("div", 'class="td-author-box clearfix"'),
                ("section", 'class="about-the-author"'),
                ("div", 'class="post-author-info"'),
                ("div", 'class="autorenbox"'),
            )
        ),
    ],
)
def test_the_authors_bio_box_after_the_story_is_not_the_story(bio):
    page = f"<html><head><title>t</title></head><body>{_ARTICLE.format(deck='').replace('</article>', bio + '</article>')}</body></html>"
    article = clean_html(page, id="bio")
    assert not any("Jane Roe" in p for p in article.paragraphs)
    assert article.paragraphs[-1].startswith("The council met on day 4")


def test_a_story_in_sections_of_their_own_is_read_whole_under_the_box_that_names_it():
    """A blog post written in sections (org-mode's `div.outline-2 > h2 + div.outline-text-2`) under
    a box named for the content: the section with most text scores best, the box of its section
    scores little (its paragraphs give it half, and its name nothing), but the box named `content`
    around all the sections, nearly as good and holding more of the text, is the story."""

    def section(n: int, paragraphs: int) -> str:
        body = "".join(
            f"<p>Section {n} says, in sentence {i}, what the module does, how it hooks in, and why it mattered.</p>"
            for i in range(paragraphs)
        )
        return f'<div class="outline-2"><h2>Part {n}</h2><div class="outline-text-2">{body}</div></div>'

    page = (
        "<html><head><title>t</title></head><body><h1>Meta-programming</h1>"
        f'<div id="content">{section(1, 1)}{section(2, 1)}{section(3, 2)}</div>'
        "</body></html>"
    )
    article = clean_html(page, id="sections")
    assert article.paragraphs[0] == "Part 1"
    assert article.paragraphs[1].startswith("Section 1 says")
    assert article.paragraphs[-1].startswith("Section 3 says, in sentence 1")


@pytest.mark.parametrize(
    "left",
    [
        # BBC: the video went (never content), its `p.caption` stayed in the story
        '<div class="videoInStoryB"><p class="caption">The minister arriving at the talks; "We hope for white smoke"</p></div>',
        # CBC: a media embed's `span.media-caption` inside a paragraph-level div
        '<div><span class="mediaEmbed"><span class="media-caption">Residents fear the vote will close the library.</span></span></div>',
    ],
)
def test_a_caption_left_where_its_picture_or_video_was_is_a_caption_not_the_story(left):
    story = _ARTICLE.format(deck="").replace("</h1>", "</h1>" + left, 1)
    article = clean_html(f"<html><head><title>t</title></head><body>{story}</body></html>", id="left-caption")
    assert article.paragraphs[0].startswith("The council met on day 1")
    assert len(article.captions) == 1 and not any(article.captions[0] in p for p in article.paragraphs)


def test_an_authors_bio_box_named_after_the_article_is_not_the_story():
    """An author's bio box at the end of the story whose name also says `article` (The Nation's
    `div.article-end__author-bio`) is chrome: the name that spares a story box does not spare a bio."""
    story = "".join(
        f"<p>Paragraph {i} of the report says the council voted to close the old bridge, and that repairs "
        "would take at least two years, while residents worried about the long detour.</p>"
        for i in range(5)
    )
    bio = (
        '<div class="article-end__author-bio"><p>Jane Roe is a national affairs correspondent for the paper. '
        "She has written, cowritten or edited a dozen books on politics and the press.</p></div>"
    )
    page = f"<html><body><article><h1>Bridge to close</h1>{story}{bio}</article></body></html>"
    article = clean_html(page, id="author-bio")
    assert len(article.paragraphs) == 5 and not any("correspondent" in p for p in article.paragraphs)


def test_a_story_in_page_builder_widgets_each_with_its_own_id_class_is_read_whole():
    """A page builder (Elementor, WPBakery) writes each text widget's own id into its class
    (`elementor-element-0161dc5`): the widgets, each in a column of its own, are parts of the same
    kind all the same."""
    widget = (
        '<div class="builder-element builder-element-{id} builder-text">'
        '<div class="container"><div class="text-editor">{paras}</div></div></div>'
    )
    parts = [("0161dc5", range(0, 6)), ("9a2e4f1", range(10, 13)), ("3bc77d2", range(20, 23))]
    page = (
        "<html><body><main>"
        + "".join(
            f'<div class="column"><h2>Part {n}</h2>{widget.format(id=i, paras="".join(_para(j) for j in r))}</div>'
            for n, (i, r) in enumerate(parts)
        )
        + "<aside class='rail'>Ad</aside></main></body></html>"
    )
    article = clean_html(page, id="widgets")
    assert len(article.paragraphs) == 12
    assert "day 0" in article.paragraphs[0] and "day 22" in article.paragraphs[-1]


def test_a_lead_in_a_plain_box_before_the_rest_of_the_story_is_kept():
    """The lead in a `div` of bare sentences before the box holding the rest of the story (a paywall
    layer's `div.reserve`) is the story's; a notice or a sign-up box after it is not."""
    lead = (
        "The company was ordered on Monday to pay two billion dollars in damages to two people "
        "who fell ill after years of using its weed killer."
    )
    rest = "".join(_para(i) for i in range(6))
    page = (
        "<html><body><article><h1>Record damages</h1><div class='layout'>"
        f"<div class='facts'>{lead}</div><div class='reserve'>{rest}</div>"
        "<div class='notice'>Ad block users: some features of this site may not work while an ad blocker is on.</div>"
        "</div></article></body></html>"
    )
    article = clean_html(page, id="lead-box")
    assert any(p.startswith("The company was ordered") for p in article.paragraphs[:2])
    assert not any("Ad block" in p for p in article.paragraphs)


def test_a_paragraph_written_as_a_box_with_a_link_in_it_stays_and_a_teaser_box_goes():
    """A page that writes each paragraph as a `div` (each in a wrapper of its own) keeps a paragraph
    with a link in a sentence; a box that is a teaser's link, apart from the paragraphs, goes."""
    para = '<div class="block"><div class="paragraph">{}</div></div>'
    linked = (
        'The council said the repairs would start in spring, after <a href="/report">a report by the '
        "county engineers</a> found cracks in two of the bridge's five piers last year."
    )
    blocks = [
        para.format(
            f"Paragraph {i} of the report says the council voted to close the old bridge, "
            "and residents worried about the long detour."
        )
        for i in range(5)
    ]
    teaser = (
        '<div class="teaser"><a href="/other">Read more: why the old bridge was never repaired '
        "after the flood.</a> More</div>"
    )
    page = (
        "<html><body><article><h1>Bridge to close</h1><div class='text'>"
        + blocks[0]
        + para.format(linked)
        + "".join(blocks[1:])
        + teaser
        + "</div></article></body></html>"
    )
    article = clean_html(page, id="linked-paragraph")
    assert any(p.startswith("The council said the repairs") for p in article.paragraphs)
    assert not any("Read more" in p for p in article.paragraphs)


def test_a_story_in_text_blocks_of_one_kind_inside_columns_named_for_their_place_is_read_whole():
    """A page builder's columns are named for their place (`flex_column two_third first`,
    `flex_column one_third`), each wrapping one text block of the same kind (`textblock`): the
    text blocks say which boxes are the story's parts."""
    column = '<div class="flex_column {place}"><section class="textblock_section"><div class="textblock">{paras}</div></section></div>'
    page = (
        "<html><body><main><h1>The old bridge</h1>"
        + column.format(place="two_third first el_before_one_third", paras="".join(_para(i) for i in range(4)))
        + column.format(place="one_third el_after_two_third", paras="".join(_para(i) for i in range(10, 13)))
        + "<aside class='rail'>Ad</aside></main></body></html>"
    )
    article = clean_html(page, id="columns")
    assert len(article.paragraphs) == 7
    assert "day 0" in article.paragraphs[0] and "day 12" in article.paragraphs[-1]


def _recipe_page(ingredients: str) -> str:
    """A recipe site's layout (chefkoch, WordPress recipe cards): the ingredients in a box of their
    own beside the box of the method, each line a link to the product."""
    method = "".join(
        f"<p>Step {i}: stir the flour, the butter and the sugar together, then bake it for {i * 10} minutes "
        "at 180 degrees, and let it cool on a rack.</p>"
        for i in range(1, 6)
    )
    return (
        "<html><head><title>Mandarin cake</title></head><body><main>"
        f'<article class="box recipe-ingredients">{ingredients}</article>'
        '<div class="ad box"></div>'
        f'<article class="box"><div class="box"><h2>Method</h2>{method}</div><div class="box"></div></article>'
        '<aside class="box"><a href="/a">More cakes</a> <a href="/b">More pies</a></aside>'
        "</main></body></html>"
    )


_INGREDIENTS = (
    '<table class="ingredients table-header"><thead><tr><th><h3>For the base:</h3></th></tr></thead><tbody>'
    '<tr><td>250 g</td><td><a href="/flour">Flour</a></td></tr>'
    '<tr><td>125 g</td><td><a href="/butter">Butter or margarine</a></td></tr>'
    '<tr><td>2</td><td><a href="/mandarins">Mandarins, tinned</a></td></tr></tbody></table>'
)


def test_a_recipes_ingredients_beside_its_method_are_part_of_the_story():
    """The ingredients score too little to join the method (short lines, mostly links), a table
    named `table-header` looks like chrome, and a box of links looks like clutter: a box named for
    a recipe's ingredients is the story's all the same."""
    article = clean_html(_recipe_page(_INGREDIENTS), id="recipe")
    text = "\n".join(article.paragraphs)
    assert "For the base:" in text and "Butter or margarine" in text and "Mandarins, tinned" in text
    assert text.index("Flour") < text.index("Step 1")
    assert "More cakes" not in text


def test_a_box_of_links_beside_the_story_not_named_for_its_ingredients_stays_out():
    article = clean_html(_recipe_page(_INGREDIENTS.replace("ingredients table-header", "products")), id="recipe")
    assert "Butter or margarine" not in "\n".join(article.paragraphs)


def _gallery_page(first_class: str) -> str:
    """A listicle in pages that a script shows one at a time: the first section shown, the rest
    marked `hidden` until the reader clicks on."""
    sections = "".join(
        f'<div id="section-{i}" class="{first_class if i == 0 else "gallery-section hidden"}">'
        f"<h2>Item {i}</h2>{_para(i, topic='The gadget maker')}{_para(i + 10)}{_para(i + 20)}</div>"
        for i in range(4)
    )
    return (
        "<html><head><title>Items we never knew we wanted</title></head><body><article>"
        f'<h1>Items we never knew we wanted</h1><div class="gallery">{sections}'
        '<div class="newsletter-box hidden"><p>Sign up to our newsletter for more items like these every week.</p></div>'
        "</div></article></body></html>"
    )


def test_the_hidden_pages_of_a_story_shown_a_page_at_a_time_are_the_story():
    article = clean_html(_gallery_page("gallery-section"), id="gallery")
    text = "\n".join(article.paragraphs)
    assert all(f"met on day {i}," in text for i in range(4))
    assert "Sign up" not in text


def test_a_hidden_box_after_no_shown_box_of_its_kind_stays_out():
    article = clean_html(_gallery_page("gallery-intro"), id="gallery")
    text = "\n".join(article.paragraphs)
    assert "met on day 0," in text and "met on day 1," not in text


def _live_match_page(entry_class: str) -> str:
    """A sports site's live text: each entry a short box named `comment` (the match as it happens)."""
    entries = "".join(
        f'<div class="{entry_class}"><div class="{entry_class}-time"><span>{90 - i}\'</span></div>'
        f'<div class="{entry_class}-body">Minute {90 - i}: Lorient attack down the left again, and the '
        f"keeper saves with his feet.</div></div>"
        for i in range(30)
    )
    players = "".join(f"<li>Player number {i} of the squad, defender</li>" for i in range(120))
    return (
        "<html><head><title>Lorient vs Lyon</title></head><body><main>"
        '<h1>Lorient vs Lyon</h1><div class="match-details"><p>Date: 27/09/2020</p></div>'
        f'<div class="live-match"><div class="{entry_class}s">{entries}</div>'
        f'<div class="squads"><ul>{players}</ul></div></div>'
        "</main></body></html>"
    )


def test_a_live_matchs_entries_named_comment_are_the_story():
    article = clean_html(_live_match_page("live-match-comment"), id="live")
    text = "\n".join(article.paragraphs)
    assert "Minute 90: Lorient attack" in text and "Minute 61: Lorient attack" in text


def _slides_page(slides: int, intro_paras: int = 1, inline: bool = False) -> str:
    """A gallery post (PopSugar's AMP pages): an intro, then slides, each a picture and a
    `figcaption` holding a paragraph of the story."""
    figures = "".join(
        f'<figure class="slide"><img src="https://example.com/{i}.jpg">'
        f"<figcaption><p>Look {i}: with a bowler hat, a set of false lashes and a striped shirt, this costume "
        f"takes ten minutes and costs next to nothing.</p></figcaption></figure>"
        for i in range(slides)
    )
    intro = "".join(_para(i) for i in range(intro_paras))
    return (
        "<html><head><title>Halloween costumes</title></head><body><article>"
        + (
            f'<h1>Halloween costumes</h1><div class="post-content">{intro}{figures}</div>'
            if inline
            else f'<h1>Halloween costumes</h1><div class="post-content">{intro}</div><div class="slides">{figures}</div>'
        )
        + "</article></body></html>"
    )


def test_the_captions_of_a_story_told_in_slides_are_its_text():
    article = clean_html(_slides_page(6), id="slides")
    text = "\n".join(article.paragraphs)
    assert "Look 0: with a bowler hat" in text and "Look 5: with a bowler hat" in text
    assert article.images and not article.captions


def test_a_few_long_captions_beside_a_long_story_stay_captions():
    article = clean_html(_slides_page(3, intro_paras=12, inline=True), id="captions")
    assert "Look 0" not in "\n".join(article.paragraphs)
    assert len(article.captions) == 3


@pytest.mark.parametrize(
    "poll_class", ["Article_elementPoll__0I_DP", "wp-polls", "sbElement sbe_umfrage", "survey-box", "post-poll"]
)
def test_a_readers_poll_inside_the_story_is_not_the_story(poll_class):
    poll = (
        f'<div class="{poll_class}"><p>Should platforms be regulated more strictly to prevent interference?</p>'
        "<label><span>Yes, absolutely.</span></label><label><span>No, that would be censorship.</span></label></div>"
    )
    story = "".join(_para(i) for i in range(1, 6))
    page = (
        "<html><head><title>Council publishes district figures</title></head><body>"
        f'<article class="Article_article"><h1>Council publishes district figures</h1>'
        f'<section class="Article_body">{_para(0)}{poll}{story}</section></article></body></html>'
    )
    article = clean_html(page, id="poll")
    text = "\n".join(article.paragraphs)
    assert "met on day 5" in text
    assert "regulated" not in text and "censorship" not in text


def test_a_teaser_of_another_story_in_an_article_inside_the_story_is_not_the_story():
    teaser = (
        '<article class="teaser"><h3><a href="/live">Russia attacks Ukraine: the latest on the war</a></h3>'
        "<p>News and background in the live blog.</p></article>"
    )
    long_part = f"<article>{_para(7)}{_para(8)}{_para(9)}</article>"  # a part of the story, not a teaser
    story = "".join(_para(i) for i in range(1, 6))
    page = (
        "<html><head><title>Council publishes district figures</title></head><body>"
        f"<main><h1>Council publishes district figures</h1><div class='story'>{story}{teaser}{long_part}</div></main>"
        "</body></html>"
    )
    text = "\n".join(clean_html(page, id="teaser").paragraphs)
    assert "met on day 5" in text and "met on day 9" in text
    assert "Russia attacks" not in text and "live blog" not in text


def _quote_page(figure: str) -> str:
    story = "".join(
        f"<p>Paragraph {i} of the report says the minister spoke to the regional assembly, and that the vote "
        "on the new budget was put off until the spring, while the opposition asked for a hearing.</p>"
        for i in range(4)
    )
    return f"<html><body><article><h1>Budget vote put off</h1>{story[: len(story) // 2]}{figure}{story[len(story) // 2 :]}</article></body></html>"


def test_a_quotation_written_as_a_figure_is_the_storys_words_its_speaker_is_not():
    """`figure > blockquote + figcaption`, as the HTML standard writes a quotation with its source:
    the quoted words are the story's (no picture, so no photo's caption), the speaker's line is not."""
    figure = (
        "<figure><blockquote><p>We will not sign a budget that closes schools in the valley towns.</p></blockquote>"
        "<figcaption>Anna Berg, leader of the opposition</figcaption></figure>"
    )
    article = clean_html(_quote_page(figure), id="quote-figure")
    assert "We will not sign a budget that closes schools in the valley towns." in article.paragraphs
    assert not any("Anna Berg" in p for p in article.paragraphs)
    assert len(article.paragraphs) == 5


@pytest.mark.parametrize(
    "figure",
    [
        # a social network's post embedded as a figure: no words of the story
        '<figure class="wp-block-embed is-provider-twitter"><blockquote class="twitter-tweet"><p>Budget vote put off '
        "again, what a day in the assembly</p></blockquote></figure>",
        # a pull quote repeating a sentence of the story
        "<figure><blockquote><p>Paragraph 3 of the report says the minister spoke to the regional assembly, and that "
        "the vote on the new budget was put off until the spring, while the opposition asked for a hearing.</p>"
        "</blockquote></figure>",
    ],
)
def test_an_embedded_post_or_a_pull_quote_repeating_the_story_written_as_a_figure_stays_out(figure):
    article = clean_html(_quote_page(figure), id="quote-figure-out")
    assert len(article.paragraphs) == 4
    assert not any("what a day" in p for p in article.paragraphs)


@pytest.mark.parametrize(
    "box",
    [
        '<div class="editorial-disclaimer"><p class="editorial-disclaimer-text">Note: the advertising notice below does '
        "not apply to this report, nor to any other report of our newsroom, which takes no paid links.</p></div>",
        '<div class="funding-disclosure"><p>This report was produced with support from a regional foundation, which '
        "had no say over its content or the choice of the people the reporter spoke to.</p></div>",
        '<p id="disclaimer">The views in this column are the writer\'s own and not those of the paper or its owners, '
        "who read it only after it was published.</p>",
    ],
)
def test_a_disclaimer_or_disclosure_box_in_the_story_is_not_the_story(box):
    story = _ARTICLE.format(deck="").replace("</article>", box + "</article>")
    article = clean_html(f"<html><head><title>t</title></head><body>{story}</body></html>", id="disclaimer")
    assert len(article.paragraphs) == 4 and article.paragraphs[-1].startswith("The council met on day 4")


def _intro_page(intro_class: str, intro: str | None = None) -> str:
    intro = intro or "".join(
        f"<p>Intro sentence {i}: the two apps differ in fees, in the coins they list and in how much a beginner "
        "has to learn before the first trade.</p>"
        for i in range(3)
    )
    story = "".join(
        f"<p>Section {i} compares the fees, the limits, the security and the support of both apps, with the "
        "numbers each gives for a trade of one hundred euros, and what a reader should check first.</p>"
        for i in range(12)
    )
    return (
        "<html><body><h1>Two apps compared</h1><div class='article-content'>"
        f"<div class='{intro_class}'>{intro}</div>"
        "<div class='article-body'><div class='left-nav'><a href='/a'>Fees</a> <a href='/b'>Limits</a></div>"
        f"<div class='list-wrapper'><div class='article-container outro'><div class='outro__content'>{story}</div>"
        "</div></div></div>"
        "</div></body></html>"
    )


def test_an_intro_box_before_the_storys_box_is_the_storys_opening():
    """`div.article-intro` beside `div.article-body`, the story found deeper inside the latter: the
    intro's paragraphs, each too short to score, open the story."""
    article = clean_html(_intro_page("loc article-intro"), id="intro-box")
    assert article.paragraphs[0].startswith("Intro sentence 0")
    assert article.paragraphs[-1].startswith("Section 11")


@pytest.mark.parametrize(
    "intro_class, intro",
    [
        # a box of another name before the story stays out
        ("promo-box", None),
        # an intro box that is links (a table of contents) stays out
        (
            "article-intro",
            "".join(f"<p><a href='/s{i}'>Jump to section {i} of the comparison of both apps</a></p>" for i in range(3)),
        ),
        # a box named lead that holds the headline is the story's header (dates, sharing), not its intro
        ("story-lead", "<h1>Two apps compared</h1><p>Online since today, 7.57, updated at noon by the desk.</p>"),
    ],
)
def test_a_box_before_the_story_that_is_no_intro_stays_out(intro_class, intro):
    article = clean_html(_intro_page(intro_class, intro), id="no-intro-box")
    assert article.paragraphs[0].startswith("Section 0")


@pytest.mark.parametrize("where", ["story", "above"])
def test_a_disclosure_named_as_text_is_neither_the_standfirst_nor_the_story(where):
    """`p.disclosure-text` (`text` says story, `disclosure` says the publisher on its ads): never spared
    as a story box, never read as the lead under the headline."""
    disclosure = (
        '<p class="comp disclosure-text text-block">We recommend products through an independent review, and '
        "advertisers do not influence our picks. We may receive a commission when you visit our partners.</p>"
    )
    story = _ARTICLE.format(deck=disclosure if where == "story" else "")
    page = f"<html><head><title>t</title></head><body>{story}</body></html>"
    if where == "above":
        page = page.replace(
            "<article><h1>Council publishes district figures</h1>",
            f"<h1>Council publishes district figures</h1><div class='intro-wrap'>{disclosure}</div><article>",
        )
    article = clean_html(page, id="disclosure")
    assert article.subtitle is None
    assert not any("commission" in p for p in article.paragraphs) and len(article.paragraphs) == 4


_ALL_FURNITURE = (
    "<html><body><h1>Our printers</h1><div class='content'>"
    "<p>We use cookies to improve your experience on our website and to show you offers.</p>"
    "<p>This website uses cookies. By browsing on you agree to the use of cookies.</p>"
    "<p>Please accept YouTube cookies to play this video about our label printers.</p>"
    "</div><div class='teasers'>"
    + "".join(f"<span>Label printer model {i} for offices </span>" for i in range(12))
    + "</div></body></html>"
)


def test_the_library_reads_a_page_whose_generic_body_was_all_furniture(monkeypatch):
    """The generic body held only furniture (cookie notices): before refusing the page, the
    library's reading is asked, held to the same rules."""
    story = "".join(_para(i) for i in range(4))
    asked = _library_gives(monkeypatch, story)
    article = clean_html(_ALL_FURNITURE, id="all-furniture")
    assert asked and article.extractor == "library"
    assert len(article.paragraphs) == 4 and "district 3" in article.paragraphs[-1]


def test_a_page_whose_generic_body_was_all_furniture_is_refused_where_the_library_finds_no_story(monkeypatch):
    from streams.clean import CleanError

    _library_gives(monkeypatch, None)
    with pytest.raises(CleanError):
        clean_html(_ALL_FURNITURE, id="all-furniture")


def test_the_library_is_asked_once_a_page_however_many_finders_want_its_reading(monkeypatch):
    """A weak find asks the library, and its body of furniture asks again before refusing the page:
    the library's readings (its costliest step by far, 0.05-0.5 s a page) are kept and each read once."""
    from streams.clean import CleanError

    headlines = "".join(f"<h2>Label printer model {i} for offices and shops</h2>" for i in range(12))
    asked = _library_gives(monkeypatch, headlines)
    page = (
        "<html><body><h1>Our printers</h1><div class='content'><p>We use cookies to improve your "
        "experience.</p></div><ul class='menu'>"
        + "".join(f"<li><a href='/{i}'>Label printers for offices, model {i}</a></li>" for i in range(20))
        + "</ul></body></html>"
    )
    with pytest.raises(CleanError):
        clean_html(page, id="weak-and-all-furniture")
    assert asked == [True, False]  # its own reading, then its full one (the first gave no story), once each


def _read_more_page(label: str, linked: list[str]) -> str:
    story = "".join(_para(i) for i in range(4))
    pointers = "".join(f"<p><a href='/story-{i}'>{text}</a></p>" for i, text in enumerate(linked))
    closing = "<p>The council will meet again in March, when the budget for the new year is due, officials said.</p>"
    return (
        f"<html><body><article><h1>Council meets</h1>{story}<h2>{label}</h2>{pointers}{closing}</article></body></html>"
    )


@pytest.mark.parametrize("label", ["Weiterlesen:", "Read more", "Lesen Sie auch", "À lire aussi"])
def test_the_headlines_a_read_more_label_points_to_are_not_the_story(label):
    """`Weiterlesen:` on a line of its own, then lines that are each a whole link (other stories'
    headlines), then the story again: the headlines go, the story's last paragraph stays."""
    page = _read_more_page(label, ["A road trip along the river valley", "An autumn weekend in the southern hills"])
    article = clean_html(page, id="read-more")
    assert not any("road trip" in p or "autumn weekend" in p for p in article.paragraphs)
    assert article.paragraphs[-1].startswith("The council will meet again in March")


def test_a_long_linked_text_after_a_read_more_button_stays():
    """`Read More` (a button that opens the rest of the story) before an embedded post whose whole
    text is its link: longer than a headline, it is the story's quote, not a pointer."""
    post = (
        "Dear friends, just wanted to let you know why things have been quiet here the past few days: I was ill "
        "with a fever, and I also had a small accident on Monday night, in which nobody was hurt."
    )
    article = clean_html(_read_more_page("Read More", [post]), id="read-more-embed")
    assert any(p.startswith("Dear friends") for p in article.paragraphs)


def test_a_plain_sentence_in_a_box_of_links_after_the_story_stays():
    """A box of links after the story (`Mehr zum Thema`: a sentence, then the links it announces):
    the links go as link clutter, the sentence without a link standing in the box is the story's."""
    more = (
        "<div><h2>More on the topic</h2><p>A detailed overview of the new budget is in the council's online "
        "help centre, and further information is on the pages of the regional office:</p><ul>"
        + "".join(
            f"<li><a href='/doc-{i}'>Using the budget tool of the council in the districts, part {i}</a></li>"
            for i in range(3)
        )
        + "</ul></div>"
    )
    story = _ARTICLE.format(deck="").replace("</article>", more + "</article>")
    article = clean_html(f"<html><head><title>t</title></head><body>{story}</body></html>", id="more-box")
    assert article.paragraphs[-1].startswith("A detailed overview of the new budget")
    assert not any("budget tool" in p for p in article.paragraphs)


def test_a_teasers_summary_inside_its_card_in_a_box_of_links_goes_with_it():
    cards = "".join(
        f"<div class='card'><a href='/story-{i}'>Another story about the council and its budget, number {i}</a>"
        f"<p>The summary of another story, number {i}, which tells what the council did in the other district.</p></div>"
        for i in range(3)
    )
    story = _ARTICLE.format(deck="").replace("</article>", f"<div>{cards}</div></article>")
    article = clean_html(f"<html><head><title>t</title></head><body>{story}</body></html>", id="cards-box")
    assert not any("summary of another story" in p for p in article.paragraphs)


_KEY_POINTS = [
    "The council publishes what each district spends",
    "Farmers and traders were heard",
    "The figures follow this month",
]


def _key_points_page(in_story: bool) -> str:
    points = "<ul>" + "".join(f"<li>{p}&nbsp;</li>" for p in _KEY_POINTS) + "</ul>"
    head = f"<header class='head'><h1>Council publishes district figures</h1>{'' if in_story else points}</header>"
    story = _ARTICLE.format(deck=points if in_story else "").replace("<h1>Council publishes district figures</h1>", "")
    description = "\n".join(_KEY_POINTS)
    return f"<html><head><title>t</title><meta name='description' content='{description}'></head><body>{head}{story}</body></html>"


def test_the_description_written_as_key_points_under_the_headline_is_the_standfirst():
    """The page's description is the text of a list of key points under the headline (in the page's
    header, chrome to the body finder): the points, a line each, are its standfirst."""
    article = clean_html(_key_points_page(in_story=False), id="key-points")
    assert article.subtitle == "\n".join(_KEY_POINTS)
    assert article.paragraphs[0].startswith("The council met on day 1")


def test_key_points_the_story_holds_are_not_also_its_standfirst():
    article = clean_html(_key_points_page(in_story=True), id="key-points-in-story")
    assert article.subtitle is None


def test_a_table_written_as_a_figure_is_the_storys_data_not_a_photo():
    """`figure.wp-block-table > table` (WordPress' table block), no picture in it: the table's cells
    stay in the story, as a table outside a figure does."""
    table = (
        "<figure class='wp-block-table'><table><tr><th>District</th><th>Spending per resident</th></tr>"
        "<tr><td>North district</td><td>1,200 euros</td></tr><tr><td>South district</td><td>950 euros</td></tr>"
        "</table><figcaption>Spending by district</figcaption></figure>"
    )
    story = _ARTICLE.format(deck="").replace("</article>", table + "</article>")
    article = clean_html(f"<html><head><title>t</title></head><body>{story}</body></html>", id="table-figure")
    assert "South district" in article.paragraphs and "950 euros" in article.paragraphs


def test_a_list_of_links_indented_by_its_template_is_still_a_list_of_links():
    """An old portal's section list inside the box found for the story (Naver's 2017
    `div.article_list` in its `td.content`: each item a linked headline and a `포토` mark, every tag
    on its own line under tabs): the template's white space is no text, so the list reads as the
    links it is and goes, not as the story's last paragraphs."""
    from selectolax.lexbor import LexborHTMLParser

    from streams.clean.generic import drop_boxes

    pad = "\n" + "\t" * 12
    items = "".join(
        f"{pad}<li class='list{i}'>{pad}<a href='/read?aid={i}'>{pad}지역 소식 제목 {i}번째 기사</a>"
        f"<i class='icon_photo'>포토</i>{pad}</li>"
        for i in range(5)
    )
    section = (
        f"<div class='article_list'>{pad}<h4>{pad}사회 속보 <span><a href='/list'>기사목록 전체보기</a></span>"
        f"{pad}</h4>{pad}<ul class='type04'>{items}{pad}</ul>{pad}</div>"
    )
    story = "<br><br>".join(
        f"연천군은 {i}일 군청 상황실에서 어린이재단과 아동복지 업무협약을 체결하고 지원 사업을 함께 "
        f"추진하기로 했다고 밝혔다."
        for i in range(1, 4)
    )
    tree = LexborHTMLParser(f"<div class='content'><div id='articleBodyContents'>{story}</div>{section}</div>")
    body = tree.css_first("div.content")
    drop_boxes(body)
    text = body.text()
    assert "연천군은 3일" in text
    assert "번째 기사" not in text and "기사목록" not in text


# A video item (TV조선's `[씨박스]` clips): the headline and its dates in a header box (the generic
# finder's only candidate), one line of caption in the story box, then the box's copyright line
# (page chrome by its class); the line is the page's description too.
_CLIP = (
    "<html><head><title>[씨박스] 반려견 패대기친 주인</title>{meta}</head><body>"
    "<div class='article_tit'><h1>[씨박스] 반려견 패대기친 주인</h1>"
    "<p>등록 2023.04.21 16:25 / 수정 2023.04.21 16:26</p></div>"
    "<div class='contents' itemprop='articleBody'><div class='vod_player'></div>"
    "<div class='article'><p>반항도 하지 못한 채 축 늘어진 강아지</p></div>"
    "<p class='copyright'>Copyrights ⓒ TV조선. 무단전재 및 재배포 금지</p></div></body></html>"
)


def test_a_one_line_item_in_its_story_box_that_the_page_describes_is_its_story(monkeypatch):
    _library_gives(monkeypatch, None)
    described = _CLIP.format(meta="<meta property='og:description' content='반항도 하지 못한 채 축 늘어진 강아지'>")
    article = clean_html(described, id="clip")
    assert article.paragraphs == ["반항도 하지 못한 채 축 늘어진 강아지"] and article.press == "TV조선"
    # without the description the line is too little to tell from a caption: refused as before
    with pytest.raises(CleanError) as refused:
        clean_html(_CLIP.format(meta=""), id="clip-undescribed")
    assert refused.value.code == "no_article_text"
