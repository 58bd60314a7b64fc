"""Bytes in any charset a Korean page arrives in, and text normalisation."""

from __future__ import annotations

import codecs

import pytest

from streams.clean import clean_event, clean_html

BODY = "정부가 반도체 지원책을 발표했다, 업계는 환영했다. 이 문장은 본문으로 충분히 길다."


def page(charset_decl: str = "", body: str = BODY) -> str:
    meta = f'<meta charset="{charset_decl}">' if charset_decl else ""
    return f"<html><head>{meta}<title>기사 제목입니다</title></head><body><article><h1>기사 제목입니다</h1><p>{body}</p></article></body></html>"


@pytest.mark.parametrize(
    "data",
    [
        page("utf-8").encode("utf-8"),
        page("euc-kr").encode("euc-kr"),
        page().encode("cp949"),  # no declaration at all
        page("utf-8").encode("euc-kr"),  # wrong declaration
        page("iso-8859-1").encode("euc-kr"),  # Latin-1 declared on Korean bytes
        page("euc-kr").encode("utf-8"),  # declared EUC-KR, really UTF-8
        codecs.BOM_UTF8 + page().encode("utf-8"),
        codecs.BOM_UTF16_LE + page().encode("utf-16-le"),
        page()
        .replace('<meta charset="">', "")
        .replace("<head>", '<head><meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987">')
        .encode("cp949"),
    ],
    ids=[
        "utf8",
        "euckr",
        "undeclared-cp949",
        "wrong-utf8-decl",
        "latin1-decl",
        "euckr-decl-utf8",
        "bom-utf8",
        "bom-utf16",
        "http-equiv",
    ],
)
def test_charsets(data):
    assert clean_event(data).paragraphs == [BODY]


def test_envelope_encoding_is_used_for_bytes():
    data = page().encode("cp949")
    assert clean_html(data, id="x", encoding="euc-kr").paragraphs == [BODY]


def test_entities_nfc_invisible_and_whitespace():
    decomposed = "\u1100\u1161\u11a8"  # 각 in conjoining jamo (NFD)
    body = f"가격은&nbsp;1,000원&#xC774;고 &lt;대책&gt;은 &amp; {decomposed}\u200b 이다\u00ad.\n\n   끝,  본문은 충분히 길게 씁니다 여기까지."
    article = clean_event(page(body=body).encode())
    assert article.paragraphs == ["가격은 1,000원이고 <대책>은 & 각 이다. 끝, 본문은 충분히 길게 씁니다 여기까지."]


def test_utf8_page_with_a_stray_broken_byte_is_read_as_utf8():
    """One broken byte in a UTF-8 page (a Latin-1 `ä` pasted into an ad comment) must not send the
    whole page to a legacy codec: a Polish story read as mac_latin2 became `Fundacjńô`."""
    body = (
        "Sprzeciwiamy się wszelkim bezpodstawnym próbom podważania wiarygodności i niszczenia dobrego imienia "
        "Fundacji – podkreśliła prezes stowarzyszenia. Kłamliwym atakom sprzeciwiają się też dziennikarze."
    )
    data = page("utf-8", body).encode("utf-8").replace(b"</body>", b"<!-- M\xe4scot ad --></body>")
    assert clean_event(data).paragraphs == [body]


def test_latin1_page_is_not_taken_for_broken_utf8():
    body = "Le ministre a présenté le budget, les députés ont réagi à la séance du soir. Fin de l'article ici."
    html = page("iso-8859-1", body).replace("기사 제목입니다", "Le budget présenté")
    assert clean_event(html.encode("latin-1")).paragraphs == [body]
