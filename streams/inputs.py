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
    path: str
    key: bytes | None
    value: bytes


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
        return Record(path, None, data)
    try:
        html = data.decode("utf-8")
    except UnicodeDecodeError:
        return Record(path, article_id.encode(), data)
    envelope = {
        "id": article_id,
        "url": None,
        "source": "file" if path == "-" else f"file:{Path(path).name}",
        "fetched_at": None,  # unknown for a file; the cleaner then takes dates from the page alone
        "html": html,
    }
    return Record(path, article_id.encode(), orjson.dumps(envelope))
