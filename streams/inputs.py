"""Turn a file path (or `-` for stdin) into the Kafka record a page would arrive as on news.raw.

`newsroom produce` sends exactly these records and `newsroom clean|enrich` process exactly these
records offline, so what you see offline is what the worker does.
  - `.json`: a RawArticle envelope, sent as it is (it must parse as one);
  - `.html` / `.htm` / `.html.gz` / anything else: the page. If its bytes are UTF-8 it is wrapped
    in a RawArticle envelope (id = file name without extension); otherwise the raw bytes are sent
    unchanged, keyed by that id, so the cleaner can detect EUC-KR/CP949 itself.
"""

from __future__ import annotations

import gzip
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import orjson
from pydantic import ValidationError

from schemas import RawArticle


class InputError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Record:
    """One input as the record it arrives as on news.raw: `key` and `value` (bytes). A UTF-8 page
    is kept as its RawArticle `envelope` and serialised into `value` only when asked (offline
    cleaning reads the envelope itself and skips the JSON round trip)."""

    path: str
    key: bytes | None
    raw: bytes | None = None  # the value as read: a RawArticle JSON file, or a page's non-UTF-8 bytes
    envelope: dict | None = None  # a UTF-8 page's RawArticle fields
    utf8: bytes | None = None  # that page's bytes (its `html`, encoded): offline cleaning parses them as they are

    @cached_property
    def value(self) -> bytes:
        return self.raw if self.raw is not None else orjson.dumps(self.envelope)


def _article_id(path: str) -> str:
    if path == "-":
        return "stdin"
    name = Path(path).name
    for suffix in (".html.gz", ".htm.gz", ".json", ".html", ".htm", ".gz"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def read_record(path: str) -> Record:
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise InputError("unreadable", f"{path}: {exc.strerror or exc}") from None
    if path.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError("bad_gzip", f"{path}: {exc}") from None
    article_id = _article_id(path)
    if path.endswith(".json"):
        try:
            RawArticle.model_validate_json(data)
        except ValidationError as exc:
            raise InputError("bad_envelope", f"{path} is not a RawArticle JSON: {exc.errors()[0]['msg']}") from None
        return Record(path, None, raw=data)
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError:
        return Record(path, article_id.encode(), raw=data)
    envelope = {
        "id": article_id,
        "url": None,
        "source": "file" if path == "-" else f"file:{Path(path).name}",
        "fetched_at": None,  # unknown for a file; the cleaner then takes dates from the page alone
        "html": html,
    }
    return Record(path, article_id.encode(), envelope=envelope, utf8=data)
