"""HTML -> CleanArticle. Pure functions, no Kafka, no network.

    clean_event(value, key=None, *, max_bytes=DEFAULT_MAX_BYTES) -> CleanArticle
    clean_html(html, *, id, url=None, source=None, fetched_at=None, encoding=None,
               max_bytes=DEFAULT_MAX_BYTES) -> CleanArticle

Both raise `CleanError` (code, stage, message; codes in errors.py) and nothing else, except
`library.LibraryDeferred` in a process that called `library.defer()` (a batch's workers).
"""

from __future__ import annotations

from .article import DEFAULT_MAX_BYTES, clean_event, clean_html
from .errors import CODES, CleanError

__all__ = ["CODES", "DEFAULT_MAX_BYTES", "CleanError", "clean_event", "clean_html"]
