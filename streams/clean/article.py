"""The two entry points: a Kafka record value, or HTML with its envelope fields."""

from __future__ import annotations

from schemas.events import CleanArticle
from streams.page_limits import DEFAULT_MAX_BYTES

from .decode import decode_bytes, utf8_of
from .envelope import check_size, open_value
from .errors import CleanError
from .extract import extract
from .images import resolve_url
from .library import LibraryDeferred
from .sniff import require_markup
from .text import detect_language, fingerprint


def clean_event(value: bytes, key: bytes | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> CleanArticle:
    """Clean one `news.raw` record value (RawArticle JSON, or the raw HTML bytes)."""
    try:
        env = open_value(value, key, max_bytes)
        return _clean(
            env.html,
            id=env.id,
            url=env.url,
            source=env.source,
            fetched_at=env.fetched_at,
            encoding=env.encoding,
            max_bytes=max_bytes,
        )
    except (CleanError, LibraryDeferred):
        raise
    except RecursionError:
        raise CleanError("internal", "recursion limit reached while cleaning") from None
    except Exception as exc:  # noqa: BLE001 - never let a page crash the stream
        raise CleanError("internal", f"{type(exc).__name__}: {exc}") from None


def clean_html(
    html: str | bytes,
    *,
    id: str,
    url: str | None = None,
    source: str | None = None,
    fetched_at: str | None = None,
    encoding: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    utf8: bytes | None = None,
) -> CleanArticle:
    """Clean one page given as text or bytes, with the envelope fields passed through. `utf8`: the
    bytes a text `html` was decoded from as UTF-8, if the caller has them (the parser reads them
    instead of encoding the text again)."""
    try:
        return _clean(
            html,
            id=id,
            url=url,
            source=source,
            fetched_at=fetched_at,
            encoding=encoding,
            max_bytes=max_bytes,
            utf8=utf8,
        )
    except (CleanError, LibraryDeferred):
        raise
    except RecursionError:
        raise CleanError("internal", "recursion limit reached while cleaning") from None
    except Exception as exc:  # noqa: BLE001 - never let a page crash the stream
        raise CleanError("internal", f"{type(exc).__name__}: {exc}") from None


def _clean(
    html: str | bytes,
    *,
    id: str,
    url: str | None,
    source: str | None,
    fetched_at: str | None,
    encoding: str | None,
    max_bytes: int,
    utf8: bytes | None = None,
) -> CleanArticle:
    if isinstance(html, (bytes, bytearray, memoryview)):
        data = bytes(html)
        check_size(len(data), max_bytes, "page")
        if not data or data.isspace():  # (no stripped copy of the page)
            raise CleanError("empty", "page is empty or only whitespace")
        text, codec = decode_bytes(data, encoding)
        utf8 = utf8_of(data, codec)
    elif isinstance(html, str):
        check_size(
            len(html.encode("utf-8", "surrogatepass")) if len(html) * 4 > max_bytes else len(html), max_bytes, "page"
        )
        if not html or html.isspace():
            raise CleanError("empty", "page is empty or only whitespace")
        text = html
    else:
        raise CleanError("not_html", f"html is {type(html).__name__}, not str or bytes")
    require_markup(text)
    url = resolve_url(url, None)  # the page URL too is http(s) or nothing: no javascript:, data:, junk
    fields = extract(text, url=url, fetched_at=fetched_at, utf8=utf8)
    language = detect_language(" ".join([fields.title, *fields.paragraphs[:10]]), fields.language_hint)
    return CleanArticle(
        id=id,
        url=url,
        source=source,
        fetched_at=fetched_at,
        title=fields.title,
        subtitle=fields.subtitle,
        paragraphs=fields.paragraphs,
        captions=fields.captions,
        images=fields.images,
        bylines=fields.bylines,
        press=fields.press,
        published_at=fields.published_at,
        language=language,
        fingerprint=fingerprint(fields.paragraphs, normalised=True),
        extractor=fields.extractor,
    )
