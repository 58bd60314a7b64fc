"""Article bodies that pages carry only as JSON: read when the HTML itself holds no article text.

Where frameworks render in the browser, the server's HTML has a spinner and the story sits in a
script: JSON-LD `articleBody`, Next.js `__NEXT_DATA__` or the App Router's RSC pushes
(`self.__next_f.push([1, "..."])`, with long texts as `T` rows), Arc XP's
`Fusion.globalContent.content_elements`, Nuxt's, Redux's or Apollo's state scripts, or any JSON
value under a body-like key (`contentHtml`, `articleBody`, `body`, ...) in any framework's state script
or JSON data island. Each is turned into HTML (paragraphs as `<p>`) for the usual
furniture rules; the longest wins. Pure string work: no JavaScript runs.
"""

from __future__ import annotations

import html as html_lib
import json
import re

_BODY_KEYS = (
    "articleBody|contentHtml|content_html|bodyHtml|body_html|articleHtml|article_html|"
    "articleContent|article_content|body|content|html|text|story"
)
_VALUE = re.compile(r'"(?:%s)"\s*:\s*"((?:[^"\\]|\\.){300,}?)"' % _BODY_KEYS)
_RSC_PUSH = re.compile(r'self\.__next_f\.push\(\[1,\s*("(?:[^"\\]|\\.)*")\]\)')
_RSC_TEXT_ROW = re.compile(r'(?:^|\n)[0-9a-f]{1,6}:T([0-9a-f]{1,8}),')
FUSION_MARK = "Fusion.globalContent"  # Arc XP's story object, in a script
_FUSION = re.compile(re.escape(FUSION_MARK) + r"\s*=\s*")
_NEXT_DATA = re.compile(r'<script[^>]*id="__NEXT_DATA__"[^>]*>(.*?)</script>', re.S)
# Other frameworks' state: Nuxt 2 (`window.__NUXT__=(function(a,b){...}("<p>...", ...))`, where a
# body may be an argument with no key), Redux/Vuex (`__INITIAL_STATE__`, `__PRELOADED_STATE__`),
# Apollo, Remix (`window.__remixContext = {...}`): any `window.__name__ = ...` script; and every JSON
# data island (`<script type="application/json">`: Nuxt 3's `__NUXT_DATA__`, a flat array of values
# with no keys; Angular's transfer state; SvelteKit's fetched data).
_STATE_SCRIPT = re.compile(
    r"<script[^>]*>\s*(?:window\.|self\.)?(?P<name>__[A-Za-z0-9_]+__|__remixContext)\s*=(.*?)</script>"
    r"|<script(?P<island>[^>]*type=[\"']?application/json[\"']?[^>]*)>(.*?)</script>",
    re.S,
)
_STATE_MARKERS = ("__", "application/json", "data-page=", "props=")
# State handed to a component in an attribute, HTML-escaped: Inertia.js (`<div id="app" data-page="{...}">`),
# React on Rails (`data-react-props`), Astro islands (`<astro-island props="...">`).
_STATE_ATTRIBUTE = re.compile(r'\s(?:data-page|data-props|data-react-props|props)="([^"]{300,})"')
_PROPS, _DATA_PAGE = 'props="', 'data-page="'  # literals of _STATE_ATTRIBUTE (`data-react-props="` holds the first)
_STRING = re.compile(r'"((?:[^"\\]|\\.){300,}?)"')
_HTML_BODY = re.compile(r"<(?:p|br)\b", re.I)
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_MIN_TEXT = 200
_MIN_DECLARED = 20
_MAX_SCAN = 6_000_000


def text_length(fragment: str) -> int:
    """Characters of text in an HTML fragment or plain text (tags removed)."""
    return len(" ".join(_TAG.sub(" ", fragment).split()))


def as_html(value: str) -> str:
    """A body value as HTML: HTML stays HTML; plain text becomes one <p> per line."""
    if _TAG.search(value):
        return value
    return "".join(f"<p>{html_lib.escape(line.strip())}</p>" for line in value.split("\n") if line.strip())


def _unescape_json_string(literal: str) -> str | None:
    try:
        value = json.loads(literal)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def _rsc_payload(page: str) -> str:
    return "".join(v for v in (_unescape_json_string(m.group(1)) for m in _RSC_PUSH.finditer(page)) if v)


def _rsc_texts(payload: str):
    """The `T` rows of an RSC payload: `<id>:T<hex length>,<text of that many UTF-8 bytes>`."""
    for match in _RSC_TEXT_ROW.finditer(payload):
        length = int(match.group(1), 16)
        # The length counts UTF-8 bytes; Korean text is 3 bytes a character, so slice the bytes
        # (at most `length` characters of them) and drop a character cut in half at the end.
        window = payload[match.end() : match.end() + length].encode("utf-8")[:length]
        yield window.decode("utf-8", errors="ignore")


def _json_values(text: str):
    for match in _VALUE.finditer(text):
        value = _unescape_json_string(f'"{match.group(1)}"')
        if value:
            yield value


def _state_blobs(page: str):
    """(state text, whether it is Nuxt's: values without keys) of each state script and attribute."""
    for match in _STATE_SCRIPT.finditer(page):
        nuxt = "NUXT" in (match.group("name") or match.group("island") or "")
        yield match.group(2) or match.group(4) or "", nuxt
    if _PROPS in page or _DATA_PAGE in page:  # one of them is in every match: the regex tries every position
        for match in _STATE_ATTRIBUTE.finditer(page):
            yield html_lib.unescape(match.group(1)), False


def _state_bodies(page: str):
    """HTML bodies in a framework's state script or state attribute: values under a body-like key,
    and in Nuxt's payloads (which keep values without keys) any long string that is HTML paragraphs."""
    for blob, nuxt in _state_blobs(page):
        yield from _json_values(blob)
        if nuxt:
            unkeyed = (_unescape_json_string(f'"{literal.group(1)}"') for literal in _STRING.finditer(blob))
            yield from (v for v in unkeyed if v and _HTML_BODY.search(v))


def _is_prose(value: str) -> bool:
    """Text, not a stylesheet or a script kept in the state (`.publication .title:before{...}`)."""
    return _TAG.sub(" ", value).count("{") < 3  # prose has no braces; CSS and JS are full of them


def _fusion_content(page: str) -> dict | None:
    """Arc XP's `Fusion.globalContent` object, if the page carries one."""
    match = _FUSION.search(page[:_MAX_SCAN])
    if not match:
        return None
    try:
        content, _ = json.JSONDecoder().raw_decode(page, match.end())
    except ValueError:
        return None
    return content if isinstance(content, dict) else None


def arc_credits(page: str) -> tuple[list[str], str | None]:
    """Who Arc XP's JSON says wrote the story and who first published it: each author's byline
    as the newsroom wrote it (`credits.by`: `박선민 기자`, else the name), and the distributor
    (`Sports Chosun` on a 조선일보 page carrying a 스포츠조선 story). ([], None) without Arc."""
    content = _fusion_content(page) if FUSION_MARK in page else None
    if not content:
        return [], None
    found = []
    for author in (content.get("credits") or {}).get("by") or []:
        if not isinstance(author, dict):
            continue
        original = (author.get("additional_properties") or {}).get("original") or {}
        value = original.get("byline") if isinstance(original, dict) else None
        value = value or author.get("name")
        if isinstance(value, str) and value.strip():
            found.append(value.strip())
    distributor = content.get("distributor")
    name = distributor.get("name") if isinstance(distributor, dict) else None
    return found, name if isinstance(name, str) and name.strip() else None


def _fusion_body(page: str) -> str | None:
    content = _fusion_content(page)
    elements = content.get("content_elements") if content else None
    if not isinstance(elements, list):
        return None
    parts = []
    for element in elements:
        if not isinstance(element, dict):
            continue
        kind, value = element.get("type"), element.get("content")
        if kind == "text" and isinstance(value, str):
            parts.append(f"<p>{value}</p>")
        elif kind == "header" and isinstance(value, str):
            parts.append(f"<h3>{value}</h3>")
        elif kind == "image" and isinstance(element.get("url"), str):
            caption = html_lib.escape(element.get("caption") or "")
            parts.append(
                f'<figure><img src="{html_lib.escape(element["url"])}"><figcaption>{caption}</figcaption></figure>'
            )
    return "".join(parts) or None


def embedded_bodies(page: str, ld: dict) -> list[str]:
    """Candidate article bodies (HTML) found in the page's JSON, longest text first. A body the
    page declares as the story (JSON-LD `articleBody`, Arc's `content_elements`) counts however
    short (a one-photo item, a flash); one found under a body-like key needs `_MIN_TEXT`."""
    declared: list[str] = []
    found: list[str] = []
    body = ld.get("articleBody")
    if isinstance(body, str):
        declared.append(body)  # turned into HTML once, with the others, below
    scan = page[:_MAX_SCAN]
    fusion = _fusion_body(scan)
    if fusion:
        declared.append(fusion)
    next_data = _NEXT_DATA.search(scan)
    if next_data:
        found.extend(_json_values(next_data.group(1)))
    if "__next_f" in scan:
        payload = _rsc_payload(scan)
        found.extend(_rsc_texts(payload))
        found.extend(_json_values(payload))
    if not found and any(marker in scan for marker in _STATE_MARKERS):
        found.extend(_state_bodies(scan))
    if not found and not declared and ("contentHtml" in scan or "articleBody" in scan):
        found.extend(_json_values(scan))
    ranked = sorted(
        [(text_length(f), as_html(f), True) for f in declared]
        + [(text_length(f), as_html(f), False) for f in found if _is_prose(f)],
        key=lambda e: e[0],
        reverse=True,
    )
    return [f for length, f, sure in ranked if length >= (_MIN_DECLARED if sure else _MIN_TEXT)]
