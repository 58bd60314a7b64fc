"""Every reason code, the size cap, and inputs that must never crash the cleaner."""

from __future__ import annotations

import gzip
import time

import orjson
import pytest

from streams.clean import CODES, DEFAULT_MAX_BYTES, CleanError, clean_event, clean_html

ARTICLE = (
    "<html><body><article><h1>제목이 있는 기사</h1><p>"
    + "정부가 새 정책을 발표했다, 시장은 반응했다. " * 4
    + "</p></article></body></html>"
)


@pytest.mark.parametrize(
    "value, code",
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (b'{"id": "x", "html": "   "}', "empty"),
        (b'{"id": "x", "html": ', "malformed_json"),
        (b"[1, 2", "malformed_json"),
        (b'{"id": "x"}', "bad_envelope"),
        (b'{"html": "<p>x</p>"}', "bad_envelope"),
        (b"[1, 2]", "not_html"),
        (gzip.compress(ARTICLE.encode()), "not_html"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "not_html"),
        (b"abc\x00def<p>x</p>", "not_html"),
        (ARTICLE.encode("utf-16-le"), "not_html"),  # UTF-16 without its BOM: a NUL every other byte
        ("그냥 평범한 텍스트입니다. 마크업이 전혀 없습니다.".encode(), "not_html"),
        (bytes(range(128, 256)) * 40 + b"<p>x</p>", "undecodable"),
        (b"<html><body><script>var x = 1;</script><style>p{}</style></body></html>", "no_article_text"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no_article_text"),
    ],
)
def test_reason_codes(value, code):
    with pytest.raises(CleanError) as info:
        clean_event(value)
    err = info.value
    assert err.code == code
    assert err.stage == CODES[code]
    assert err.message and code in str(err)


def test_an_html_page_with_a_few_stray_nul_bytes_in_its_head_is_read():
    """A NUL in the first 4 KB reads as binary, but not in bytes that open as an HTML page does and
    hold a few (a CMS's bad byte): the parser reads past them, and the text holds none."""
    page = (
        "<!DOCTYPE html>\x00<html><head>\x00<title>제목이 있는 기사</title></head>" + ARTICLE.removeprefix("<html>")
    ).encode()
    article = clean_event(page)
    assert article.title == "제목이 있는 기사" and article.paragraphs
    assert not any("\x00" in text for text in [article.title, *article.paragraphs])
    with pytest.raises(CleanError) as info:  # many NULs: binary whatever its opening
        clean_event(b"<html>" + b"\x00" * 40 + ARTICLE.encode())
    assert info.value.code == "not_html"


def test_every_documented_code_has_a_stage():
    assert set(CODES.values()) <= {"decode", "parse", "clean"}


def test_size_cap_is_configurable_and_fast():
    big = b"<p>" + b"a" * (20 * 1024 * 1024)
    start = time.perf_counter()
    with pytest.raises(CleanError) as info:
        clean_event(big)
    assert info.value.code == "too_large"
    assert time.perf_counter() - start < 0.5
    with pytest.raises(CleanError) as info:
        clean_event(ARTICLE.encode(), max_bytes=100)
    assert info.value.code == "too_large"
    with pytest.raises(CleanError) as info:
        clean_html("x" * 200, id="a", max_bytes=100)
    assert info.value.code == "too_large"


def test_five_megabyte_page_is_accepted():
    filler = "<div class='nav'><a href='/x'>메뉴</a></div>" * 120_000
    page = (filler + ARTICLE).encode()
    assert 5_000_000 < len(page) < DEFAULT_MAX_BYTES
    assert clean_event(page).title == "제목이 있는 기사"


def test_100000_nested_divs_do_not_recurse_or_hang():
    text = "깊이 중첩된 문서에도 본문이 있습니다, 이 문장은 충분히 길게 쓰여 있습니다. " * 3
    page = b"<div>" * 100_000 + text.encode() + b"</div>" * 100_000
    start = time.perf_counter()
    article = clean_event(page)
    assert time.perf_counter() - start < 5
    assert article.paragraphs == [text.strip()]


def test_bad_envelope_encoding_name_on_non_utf8_bytes():
    with pytest.raises(CleanError) as info:
        clean_html(ARTICLE.encode("euc-kr"), id="x", encoding="no-such-charset")
    assert info.value.code == "bad_encoding"


@pytest.mark.parametrize(
    "value",
    [
        b"{}",
        b"null",
        b"\xff\xfe",
        b"<",
        b"<html>",
        b"{\"id\": \"\", \"html\": \"<p>\"}",
        b"<p>" * 10_000,
        b"<table>" * 5_000,
        b"</div>" * 50_000,
    ],
)
def test_never_raises_anything_but_clean_error(value):
    try:
        clean_event(value)
    except CleanError:
        pass


def test_envelope_and_raw_bytes_ids():
    raw = clean_event(ARTICLE.encode())
    assert raw.id.startswith("sha256:") and raw.id == clean_event(ARTICLE.encode()).id
    keyed = clean_event(ARTICLE.encode(), b"https://news.example.com/a/1")
    assert keyed.id == keyed.url == "https://news.example.com/a/1"
    assert clean_event(ARTICLE.encode(), b"article-7").url is None
    env = clean_event(orjson.dumps({"id": "e1", "html": ARTICLE, "fetched_at": "2025-01-02T03:04:05+09:00"}))
    assert (env.id, env.fetched_at) == ("e1", "2025-01-02T03:04:05+09:00")
