"""Hostile markup: output is plain text, images are http(s) only."""

from __future__ import annotations

from streams.clean import clean_html

HOSTILE = """<html><head><script>alert('head')</script></head><body><article><h1>Safe <b>title</b><script>evil()</script></h1>
<p>Real article text that is long enough to count as the body of the story, with commas, and more.</p>
<p onclick="steal()">Second paragraph<img src=x onerror="alert(1)"> continues <a href="javascript:alert(2)">here</a>, still text.</p>
<svg><text>svg text</text><script>svg()</script></svg><iframe src="https://evil.example/"><p>frame text</p></iframe>
<noscript>noscript text</noscript><style>p{color:red}</style><template><p>template text</p></template>
<figure><img src="javascript:alert(3)"><figcaption>bad image</figcaption></figure>
<figure><img src="data:image/png;base64,AAAA"><figcaption>data image</figcaption></figure>
<figure><img src="//cdn.example.com/a.jpg"><figcaption>protocol relative</figcaption></figure>
<figure><img src="/img/b.jpg"><figcaption>relative</figcaption></figure>
<figure><img data-src="https://cdn.example.com/lazy.jpg" src="data:image/gif;base64,R0lG"><figcaption>lazy</figcaption></figure>
</article></body></html>"""


def test_only_plain_text_survives():
    article = clean_html(HOSTILE, id="h", url="https://news.example.com/world/story.html")
    texts = [article.title, *article.paragraphs, *article.captions]
    joined = " ".join(texts)
    for bad in [
        "<",
        ">",
        "alert",
        "evil",
        "svg",
        "frame text",
        "noscript",
        "color:red",
        "template text",
        "onerror",
        "steal",
    ]:
        assert bad not in joined, bad
    assert article.title == "Safe title"
    assert article.paragraphs[1] == "Second paragraph continues here, still text."


def test_image_urls_are_http_and_resolved():
    article = clean_html(HOSTILE, id="h", url="https://news.example.com/world/story.html")
    urls = [i.url for i in article.images]
    assert "https://cdn.example.com/a.jpg" in urls
    assert "https://news.example.com/img/b.jpg" in urls
    assert "https://cdn.example.com/lazy.jpg" in urls
    assert all(u.startswith(("https://", "http://")) for u in urls)


def test_relative_images_dropped_without_page_url():
    article = clean_html(HOSTILE, id="h")
    assert [i.url for i in article.images] == ["https://cdn.example.com/a.jpg", "https://cdn.example.com/lazy.jpg"]


def test_page_url_is_kept_only_when_it_is_http_or_https():
    import orjson

    from streams.clean import clean_event

    page = "<html><body><article><h1>제목</h1><p>과기정통부는 오늘 인공지능 정책을 발표했다. 세부 계획은 다음 달 나온다.</p></article></body></html>"
    for url, kept in [
        ("https://news.example.kr/a/1", "https://news.example.kr/a/1"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>x</script>", None),
        ("JaVaScRiPt:alert(1)", None),
        ("/relative/path", None),
        ("http://x.kr/a b", None),
    ]:
        envelope = orjson.dumps({"id": "u1", "url": url, "html": page})
        assert clean_event(envelope).url == kept, url


def test_never_content_nested_in_never_content_goes_whole_and_the_story_stays():
    # removed in one pass, inner elements first: nothing freed twice, nothing left behind
    nested = "<object><embed>" + "<video><source>" * 30 + "<script>evil()</script>" + "</video>" * 30 + "</object>"
    page = (
        "<html><body><article><h1>Council budget</h1>"
        + "<p>The council agreed the budget on Monday, with changes to roads, schools and parks.</p>"
        + nested
        + "<svg><style>p{}</style><script>svg()</script></svg><noscript><iframe src='x'></iframe>inside</noscript>"
        + "<p>Officials said the figures for every district would be published within the month.</p>"
        + "</article></body></html>"
    )
    article = clean_html(page, id="nested")
    assert article.paragraphs == [
        "The council agreed the budget on Monday, with changes to roads, schools and parks.",
        "Officials said the figures for every district would be published within the month.",
    ]
