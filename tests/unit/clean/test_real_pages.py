"""No crash, ever: every real page, and hostile mutations of real pages, either clean or are refused.

A page either becomes a CleanArticle or raises CleanError with a code other than `internal`
(`internal` is the cleaner's own bug: an exception it did not expect). The real pages are read where
they lie (`bench._corpora.corpora_dir()`: $NEWSROOM_CORPORA, else ../shared/corpora beside the
checkout), never copied here; without them the whole-corpus test skips, saying so, and the
mutation tests run on the synthetic pages of tests/fixtures/pages instead.

A crash is reported with the page, the mutation (hypothesis prints the drawn parameters) and the
traceback of the exception the cleaner wrapped into `internal`.
"""

from __future__ import annotations

import gzip
import json
import re
import time
import traceback
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench._corpora import ROOT, all_real_files, corpora_dir, load
from tools.fuzz_cleaner import JSON_SCRIPT
from streams.clean import CleanError, clean_event
from streams.inputs import read_record

BASE = corpora_dir()
CORPORA_ABSENT = (
    "the real corpora are absent: looked for $NEWSROOM_CORPORA, then "
    f"{ROOT.parent / 'shared' / 'corpora'} (../shared/corpora beside the checkout; "
    "see bench/_corpora.py: corpora_dir)"
)

# One clean of one page may take this long at most (today: 0.01-0.3 s, 5 MB pages included): a
# page that stalls the stream is as bad as one that crashes it. Generous, so a slow CI box passes.
SLOW_SECONDS = 10.0


def _crash(err: BaseException) -> str:
    """The message of an `internal` CleanError and the traceback of the exception it wraps."""
    inner = err.__context__ if isinstance(err, CleanError) else err
    if inner is None:
        return str(err)
    return f"{err}\n" + "".join(traceback.format_exception(inner)).rstrip()


def _where(err: BaseException) -> str:
    """Where the wrapped exception was raised (file:line in function), for one-line listings."""
    inner = err.__context__ if isinstance(err, CleanError) else err
    frames = traceback.extract_tb(inner.__traceback__) if inner is not None else []
    if not frames:
        return ""
    last = frames[-1]
    return f" [at {Path(last.filename).name}:{last.lineno} in {last.name}]"


# -- 1a. every real page ---------------------------------------------------------------------------
def test_no_real_page_crashes():
    """Every page file of ../shared/corpora (ko-real, ko-pool, readability, fundus), read as
    `newsroom clean PATH` reads it, cleans or is refused with a code other than `internal`."""
    if BASE is None:
        pytest.skip(CORPORA_ABSENT)
    files = all_real_files(BASE)
    assert files, f"no page files found under {BASE}"
    crashes: list[str] = []
    started = time.perf_counter()
    for path in files:
        name = path.relative_to(BASE)
        try:
            record = read_record(str(path))
            clean_event(record.value, record.key)
        except CleanError as err:
            if err.code == "internal":
                crashes.append(f"{name}: {err.message}{_where(err)}")
        except Exception as exc:  # noqa: BLE001 - read_record's InputError, or anything escaping clean_event
            crashes.append(f"{name}: {type(exc).__name__} escaped: {exc}{_where(exc)}")
    elapsed = time.perf_counter() - started
    assert not crashes, (
        f"{len(crashes)} of {len(files)} real pages crash the cleaner (code `internal`, "
        f"{elapsed:.1f} s):\n" + "\n".join(crashes)
    )


# -- 1b. mutations of real pages -------------------------------------------------------------------
# A few different real pages (UTF-8, small enough that 5 MB more and 10,000 <div>s stay fast): two
# Korean layouts and a broadcaster of ko-real, a ko-pool page, French (readability), German and
# Chinese (fundus). Missing ones are left out; if none is there, the first page of each corpus.
REAL_CHOICES = (
    "ko-real/daum-20180516-newsis-ahn.html",
    "ko-real/mbc-20230404-srt-molit.html",
    "ko-pool/tvchosun-1.html",
    "readability/lemonde-1/source.html",
    "fundus/de/DW_2023_04_28.html.gz",
    "fundus/cn/People_2024_04_24.html.gz",
)
SYNTHETIC_CHOICES = ("chosun-defense", "daum-hani-heatwave", "en-bbc-rail", "naver-asiae-ai-budget")


def _utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _mutation_pages() -> dict[str, str]:
    """name -> the page's text (UTF-8 pages only: the mutations work on text, then encode)."""
    pages: dict[str, str] = {}
    if BASE is not None:
        paths = [BASE / rel for rel in REAL_CHOICES if (BASE / rel).exists()]
        if not paths:
            firsts: dict[str, Path] = {}
            for path in all_real_files(BASE):
                firsts.setdefault(path.relative_to(BASE).parts[0], path)
            paths = list(firsts.values())
        for path in paths:
            data = path.read_bytes()
            text = _utf8(gzip.decompress(data) if path.suffix == ".gz" else data)
            if text is not None:
                pages[str(path.relative_to(BASE))] = text
    if not pages:  # the corpora are absent: the synthetic pages written for this project
        synthetic = [p for p in load("synthetic") if _utf8(p.data) is not None]
        chosen = [p for p in synthetic if p.name in SYNTHETIC_CHOICES] or synthetic[:4]
        pages = {f"synthetic/{p.name}": p.data.decode("utf-8") for p in chosen}
    return pages


PAGES = _mutation_pages()
PAGE_NAMES = sorted(PAGES)

CONTROLS = [chr(c) for c in range(0x00, 0x20)] + [chr(c) for c in range(0x7F, 0xA0)] + ["\ufeff", "\u200b"]
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ufeff\u200b]")
_CONTROL_BUT_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ufeff\u200b]")  # subtitle lines join on "\n"
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.I)
_BODY_CLOSE = re.compile(r"</body\s*>", re.I)
_CLOSING_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")

MUTATION_SETTINGS = dict(
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("mutated-pages")


def _text_fields(article) -> list[tuple[str, str]]:
    fields = [
        ("title", article.title),
        ("subtitle", article.subtitle or ""),
        ("press", article.press or ""),
        ("published_at", article.published_at or ""),
        ("language", article.language or ""),
    ]
    fields += [(f"paragraphs[{i}]", p) for i, p in enumerate(article.paragraphs)]
    fields += [(f"captions[{i}]", c) for i, c in enumerate(article.captions)]
    for i, byline in enumerate(article.bylines):
        fields += [(f"bylines[{i}].name", byline.name), (f"bylines[{i}].email", byline.email or "")]
    for i, image in enumerate(article.images):
        fields += [(f"images[{i}].url", image.url), (f"images[{i}].caption", image.caption or "")]
    return fields


def _check_article(article, what: str) -> None:
    for field, value in _text_fields(article):
        lowered = value.lower()
        assert "<script" not in lowered, f"{what}: '<script' in {field}: {value[:200]!r}"
        assert "javascript:" not in lowered, f"{what}: 'javascript:' in {field}: {value[:200]!r}"
        control = (_CONTROL_BUT_NEWLINE if field == "subtitle" else _CONTROL).search(value)
        assert control is None, f"{what}: control character {control.group()!r} in {field}: {value[:200]!r}"
    for i, image in enumerate(article.images):
        assert image.url.startswith(("http://", "https://")), f"{what}: images[{i}].url {image.url[:200]!r}"


def _clean_both_ways(data: bytes, name: str, what: str, scratch: Path) -> None:
    """The mutated page as `newsroom clean PATH` reads it (a file: UTF-8 -> RawArticle envelope,
    other bytes raw), and as raw bytes on news.raw: a CleanArticle passing the text checks, or a
    CleanError whose code is not `internal`."""
    stem = Path(name).name.removesuffix(".gz").removesuffix(".html").replace("/", "_") or "page"
    path = scratch / f"{stem}.html"
    path.write_bytes(data)
    record = read_record(str(path))
    for way, value, key in (("as a file", record.value, record.key), ("as raw bytes", data, stem.encode())):
        started = time.perf_counter()
        article = crash = None
        try:
            article = clean_event(value, key)
        except CleanError as err:
            crash = err if err.code == "internal" else None
        if crash is not None:
            raise AssertionError(f"{what} ({way}) crashes the cleaner: {_crash(crash)}")
        elapsed = time.perf_counter() - started
        assert elapsed < SLOW_SECONDS, f"{what} ({way}) took {elapsed:.1f} s to clean"
        if article is not None:
            _check_article(article, f"{what} ({way})")


def _body_span(text: str) -> tuple[int, int]:
    """Where the body's content starts and ends (the whole text where there is no body tag)."""
    opening = _BODY_OPEN.search(text)
    start = opening.end() if opening else 0
    closings = list(_BODY_CLOSE.finditer(text, start))
    end = closings[-1].start() if closings else len(text)
    return start, end


page_names = st.sampled_from(PAGE_NAMES)


@settings(max_examples=40, **MUTATION_SETTINGS)
@given(name=page_names, data=st.data())
def test_truncated_at_a_random_byte(name, data, scratch):
    """A real page (a synthetic one where the corpora are absent) cut at a random byte."""
    encoded = PAGES[name].encode("utf-8")
    cut = data.draw(st.integers(1, len(encoded) - 1), label="cut at byte")
    _clean_both_ways(encoded[:cut], name, f"{name} truncated at byte {cut} of {len(encoded)}", scratch)


@settings(max_examples=12, **MUTATION_SETTINGS)
@given(name=page_names, which=st.sampled_from(["<body> and </body>", "<body>", "</body>"]))
def test_body_tags_removed(name, which, scratch):
    """A real page (synthetic where the corpora are absent) without its <body> and/or </body> tags."""
    text = PAGES[name]
    if "<body>" in which:
        text = _BODY_OPEN.sub("", text)
    if "</body>" in which:
        text = _BODY_CLOSE.sub("", text)
    _clean_both_ways(text.encode("utf-8"), name, f"{name} without {which}", scratch)


@settings(max_examples=60, **MUTATION_SETTINGS)
@given(name=page_names, data=st.data())
def test_closing_tags_removed_or_duplicated(name, data, scratch):
    """A real page (synthetic where the corpora are absent) made unbalanced: random closing tags
    removed or repeated, or every closing tag of one name removed or repeated."""
    text = PAGES[name]
    tags = list(_CLOSING_TAG.finditer(text))
    if data.draw(st.booleans(), label="every closing tag of one name"):
        tag = data.draw(st.sampled_from(sorted({m.group(1).lower() for m in tags})), label="tag")
        op = data.draw(st.sampled_from(["drop", "dup"]), label="op")
        times = data.draw(st.integers(2, 20), label="times") if op == "dup" else 0
        edits = {i: (op, times) for i, m in enumerate(tags) if m.group(1).lower() == tag}
        what = f"{name} with every </{tag}> " + (f"repeated {times}x" if op == "dup" else "removed")
    else:
        picks = data.draw(
            st.lists(
                st.tuples(st.integers(0, len(tags) - 1), st.sampled_from(["drop", "dup"]), st.integers(2, 20)),
                min_size=1,
                max_size=300,
            ),
            label="edits",
        )
        edits = {i: (op, times) for i, op, times in picks}
        what = f"{name} with {len(edits)} of {len(tags)} closing tags removed or repeated"
    pieces, last = [], 0
    for i, match in enumerate(tags):
        if i in edits:
            op, times = edits[i]
            pieces.append(text[last : match.start()])
            pieces.append("" if op == "drop" else match.group() * times)
            last = match.end()
    pieces.append(text[last:])
    _clean_both_ways("".join(pieces).encode("utf-8"), name, what, scratch)


@settings(max_examples=12, **MUTATION_SETTINGS)
@given(name=page_names, closed=st.booleans())
def test_body_wrapped_in_10000_nested_divs(name, closed, scratch):
    """A real page (synthetic where the corpora are absent) whose body content sits in 10,000
    nested <div>s, closed or never closed."""
    text = PAGES[name]
    start, end = _body_span(text)
    nested = text[:start] + "<div>" * 10_000 + text[start:end] + ("</div>" * 10_000 if closed else "") + text[end:]
    what = f"{name} with its body in 10,000 nested <div>s ({'closed' if closed else 'never closed'})"
    _clean_both_ways(nested.encode("utf-8"), name, what, scratch)


FIVE_MB = 5 * 1024 * 1024
_FILLERS = {
    "English words": "the minister said on Tuesday that the budget would grow, ",
    "Korean sentences": "정부는 내년 예산을 늘리겠다고 화요일 밝혔다. ",
    "one word, no spaces": "x",
    # entities only: escaped markup (&lt;script&gt;) would rightly come out as the text "<script"
    "entities": "&amp; &quot;quoted&quot; &#x2014; &nbsp;&#12354;&#xAC00; ",
}


@settings(max_examples=12, **MUTATION_SETTINGS)
@given(
    name=page_names,
    filler=st.sampled_from(sorted(_FILLERS)),
    node=st.sampled_from(["p", "div", "bare text", "td"]),
    data=st.data(),
)
def test_five_megabytes_of_text_in_one_node(name, filler, node, data, scratch):
    """A real page (synthetic where the corpora are absent) with 5 MB of text in one node (a new
    <p>/<div>/<td>, or a bare text run) after a random tag of its body."""
    text = PAGES[name]
    start, end = _body_span(text)
    gaps = [m.end() for m in re.finditer(">", text[start:end])] or [0]
    at = start + data.draw(st.sampled_from(gaps), label="after the '>' at")
    unit = _FILLERS[filler]
    body = unit * (FIVE_MB // len(unit.encode("utf-8")))
    inserted = body if node == "bare text" else f"<{node}>{body}</{node}>"
    what = f"{name} with 5 MB of {filler} in one {node} at offset {at}"
    _clean_both_ways((text[:at] + inserted + text[at:]).encode("utf-8"), name, what, scratch)


@settings(max_examples=60, **MUTATION_SETTINGS)
@given(name=page_names, data=st.data())
def test_control_characters_sprinkled_in(name, data, scratch):
    """A real page (synthetic where the corpora are absent) with C0/C1 controls, U+FEFF and U+200B
    sprinkled into its text runs or at random offsets (markup included)."""
    text = PAGES[name]
    chars = data.draw(st.lists(st.sampled_from(CONTROLS), min_size=1, max_size=6, unique=True), label="characters")
    if data.draw(st.booleans(), label="into every text run"):
        # after every n-th character of every run of text between tags: lands in the article body
        every = data.draw(st.integers(2, 9), label="every n-th character")
        counter = iter(range(10**9))

        def sprinkle(match: re.Match) -> str:
            run = match.group(1)
            return (
                ">"
                + "".join(
                    ch + (chars[next(counter) % len(chars)] if i % every == every - 1 else "")
                    for i, ch in enumerate(run)
                )
                + "<"
            )

        mutated = re.sub(r">([^<]+)<", sprinkle, text)
        what = f"{name} with {chars!r} after every {every}th character of its text"
    else:
        spots = data.draw(st.lists(st.integers(0, len(text)), min_size=1, max_size=500), label="offsets")
        mutated = text
        for n, spot in enumerate(sorted(spots, reverse=True)):
            mutated = mutated[:spot] + chars[n % len(chars)] + mutated[spot:]
        what = f"{name} with {chars!r} at {len(spots)} random offsets"
    _clean_both_ways(mutated.encode("utf-8", "surrogatepass"), name, what, scratch)


@pytest.mark.parametrize("tag", ["div", "section", "article"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_a_control_character_inside_a_tag_name(name, tag, scratch):
    """A real page (synthetic where the corpora are absent) whose every `tag` is named with a control
    character inside it (`d\\x05iv`), as a damaged transfer leaves it. The cleaner built a CSS
    selector from the story box's tag name, which lexbor refused: with `div`, half the pages crashed it."""
    damaged = tag[:1] + "\x05" + tag[1:]
    mutated = re.sub(rf"(</?){tag}(?=[\s>/])", lambda m: m.group(1) + damaged, PAGES[name], flags=re.I)
    _clean_both_ways(mutated.encode("utf-8"), name, f"{name} with every <{tag}> named {damaged!r}", scratch)


@pytest.mark.parametrize("host", ["[x]", "[::1", "[data-name='slot']"])
@pytest.mark.parametrize("name", PAGE_NAMES)
def test_addresses_with_a_host_urllib_refuses(name, host, scratch):
    """A real page (synthetic where the corpora are absent) whose every absolute address (href,
    src, content) has a host urllib refuses to split: a bracketed one that is no IP address, or an
    unclosed bracket (a page with a few bytes lost gives one). urllib raised out of the cleaner."""
    pattern = re.compile(r"""((?:href|src|content)=["'](?:https?:)?//)""", re.I)
    mutated = pattern.sub(lambda m: m.group(1) + host, PAGES[name])
    _clean_both_ways(mutated.encode("utf-8"), name, f"{name} with every address's host {host!r}", scratch)


ABSENT_JSON = "../shared/corpora is absent (NEWSROOM_CORPORA): no real pages with JSON-LD to damage"


def _retyped(data, odd):
    """Every value of a JSON document (at any depth) replaced by `odd`, keys kept."""
    if isinstance(data, dict):
        return {k: odd if not isinstance(v, (dict, list)) else _retyped(v, odd) for k, v in data.items()}
    if isinstance(data, list):
        return [_retyped(v, odd) for v in data]
    return odd


def _json_pages(per_corpus: int = 2) -> dict[str, str]:
    """name -> text of the first real pages of each corpus that carry JSON-LD or JSON scripts
    (`__NEXT_DATA__`, Fusion's) that parse: the mutation pages have few; none where the corpora
    are absent."""
    pages: dict[str, str] = {}
    taken: dict[str, int] = {}
    for path in all_real_files(BASE) if BASE is not None else []:
        corpus = path.relative_to(BASE).parts[0]
        if taken.get(corpus, 0) >= per_corpus:
            continue
        data = path.read_bytes()
        text = _utf8(gzip.decompress(data) if path.suffix == ".gz" else data)
        if text is not None and any(_parses(m.group(2)) for m in JSON_SCRIPT.finditer(text)):
            pages[str(path.relative_to(BASE))] = text
            taken[corpus] = taken.get(corpus, 0) + 1
    return pages


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


JSON_PAGES = _json_pages()


@pytest.mark.parametrize(
    "odd",
    [None, [], {}, 12345, -1e308, [[["x"]]], "x" * 100_000],
    ids=["null", "list", "object", "number", "huge-negative", "nested-lists", "long-string"],
)
@pytest.mark.parametrize("name", sorted(JSON_PAGES) or [pytest.param("", marks=pytest.mark.skip(reason=ABSENT_JSON))])
def test_structured_data_whose_every_value_is_of_another_type(name, odd, scratch):
    """Real pages with JSON-LD or JSON scripts (two a corpus) whose scripts keep their keys but give
    every value another type (a headline that is a list, a date that is a number, an author that is
    null): sites ship such data; the cleaner reads what it can, and refuses or cleans, never crashes."""

    def damage(match: re.Match) -> str:
        try:
            data = json.loads(match.group(2))
        except ValueError:
            return match.group(0)
        return match.group(1) + json.dumps(_retyped(data, odd)) + match.group(3)

    mutated = JSON_SCRIPT.sub(damage, JSON_PAGES[name])
    assert mutated != JSON_PAGES[name]
    _clean_both_ways(mutated.encode("utf-8"), name, f"{name} with every JSON value {odd!r:.40}", scratch)


@settings(max_examples=60, **MUTATION_SETTINGS)
@given(name=page_names, codec=st.sampled_from(["cp949", "latin-1"]), data=st.data())
def test_mixed_encodings(name, codec, data, scratch):
    """A real UTF-8 page (synthetic where the corpora are absent) with a slice re-encoded as CP949
    or Latin-1 (unencodable characters become '?'): mixed encodings in one document."""
    text = PAGES[name]
    start, end = _body_span(text)
    begin = data.draw(st.integers(0, len(text) - 1), label="slice start")
    if data.draw(st.booleans(), label="slice inside the body"):
        begin = start + begin % max(1, end - start)
    length = data.draw(st.integers(1, len(text)), label="slice length")
    stop = min(len(text), begin + length)
    mixed = text[:begin].encode("utf-8") + text[begin:stop].encode(codec, "replace") + text[stop:].encode("utf-8")
    what = f"{name} (UTF-8) with characters {begin}:{stop} of {len(text)} encoded as {codec}"
    _clean_both_ways(mixed, name, what, scratch)


CHARSETS = [
    "utf-8",
    "UTF8",
    "euc-kr",
    "cp949",
    "ks_c_5601-1987",
    "x-windows-949",
    "iso-8859-1",
    "latin1",
    "windows-1252",
    "shift_jis",
    "euc-jp",
    "gb2312",
    "gbk",
    "gb18030",
    "big5",
    "koi8-r",
    "iso-2022-kr",
    "utf-16",
    "utf-16le",
    "utf-16be",
    "utf-32",
    "utf-7",
    "unicode-1-1-utf-7",
    "hz-gb-2312",
    "x-user-defined",
    "replacement",
    "cp037",
    "mac-roman",
    "rot13",
    "base64",
    "zlib",
    "punycode",
    "idna",
    "unicode_escape",
    "",
    "none",
    "bogus-charset",
    "utf-8\x00",
    "a" * 300,
    "'\"><script>",
]


@settings(max_examples=60, **MUTATION_SETTINGS)
@given(
    name=page_names,
    charset=st.sampled_from(CHARSETS),
    form=st.sampled_from(
        ["<meta charset={q}{cs}{q}>", "<meta http-equiv={q}Content-Type{q} content={q}text/html; charset={cs}{q}>"]
    ),
    quote=st.sampled_from(['"', "'", ""]),
    data=st.data(),
)
def test_random_meta_charset_inserted(name, charset, form, quote, data, scratch):
    """A real UTF-8 page (synthetic where the corpora are absent) with a random charset declaration
    (<meta charset> or http-equiv; real, exotic, non-text codecs, junk) inserted somewhere."""
    text = PAGES[name]
    declaration = form.format(q=quote, cs=charset)
    where = data.draw(st.sampled_from(["first thing", "after <head>", "after a random '>'"]), label="where")
    if where == "first thing":
        at = 0
    elif where == "after <head>" and (head := re.search(r"<head\b[^>]*>", text, re.I)):
        at = head.end()
    else:
        at = data.draw(st.sampled_from([m.end() for m in re.finditer(">", text)] or [0]), label="offset")
    what = f"{name} with {declaration!r} inserted at offset {at} ({where})"
    _clean_both_ways((text[:at] + declaration + text[at:]).encode("utf-8"), name, what, scratch)


def test_mutation_pages_are_there():
    """The mutation tests run on real pages where the corpora are, else on synthetic pages."""
    assert len(PAGE_NAMES) >= 3, PAGE_NAMES
    if BASE is not None:
        assert all(not n.startswith("synthetic/") for n in PAGE_NAMES), PAGE_NAMES
