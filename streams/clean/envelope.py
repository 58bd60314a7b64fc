"""A Kafka record value -> (page bytes or text, envelope fields).

The value is a RawArticle JSON object, or else the raw HTML bytes themselves (then the id is
the key, or a hash of the bytes, and the url is the key when the key is a URL).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import orjson
from pydantic import ValidationError

from schemas.events import RawArticle

from .errors import CleanError

_URL = re.compile(r"^https?://[^\s/]+", re.IGNORECASE)
_WS = b" \t\r\n\x0b\x0c"


@dataclass(frozen=True)
class Envelope:
    id: str
    html: str | bytes
    url: str | None = None
    source: str | None = None
    fetched_at: str | None = None
    encoding: str | None = None


def check_size(size: int, max_bytes: int, what: str) -> None:
    if size > max_bytes:
        raise CleanError("too_large", f"{what} is {size} bytes, over the limit of {max_bytes}")


def open_value(value: bytes, key: bytes | None, max_bytes: int) -> Envelope:
    """Read a record value; raises CleanError (empty, too_large, malformed_json, bad_envelope)."""
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise CleanError("not_html", f"value is {type(value).__name__}, not bytes")
    value = bytes(value)
    check_size(len(value), max_bytes, "value")
    head = value[:64].lstrip(_WS)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip(_WS)
    if not head and not value.strip(_WS):
        raise CleanError("empty", "value is empty or only whitespace")
    if head[:1] in (b"{", b"["):
        return _from_json(value)
    return Envelope(id=_key_id(key, value), html=value, url=_key_url(key))


def _from_json(value: bytes) -> Envelope:
    try:
        data = orjson.loads(value.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        raise CleanError("malformed_json", f"value starts like JSON but is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise CleanError("not_html", f"value is a JSON {type(data).__name__}, not a RawArticle or HTML")
    try:
        raw = RawArticle.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors())
        raise CleanError("bad_envelope", f"JSON is not a RawArticle: {problems}") from None
    if not raw.html.strip():
        raise CleanError("empty", "the envelope's html is empty or only whitespace")
    return Envelope(
        id=raw.id,
        html=raw.html,
        url=raw.url,
        source=raw.source,
        fetched_at=raw.fetched_at,
        encoding=raw.encoding,
    )


def _key_text(key: bytes | None) -> str | None:
    if not key:
        return None
    text = bytes(key).decode("utf-8", "replace").strip()
    return text or None


def _key_id(key: bytes | None, value: bytes) -> str:
    return _key_text(key) or "sha256:" + hashlib.sha256(value).hexdigest()[:32]


def _key_url(key: bytes | None) -> str | None:
    text = _key_text(key)
    return text if text and _URL.match(text) else None
