"""Is decoded text HTML at all? Plain text, JSON and binary-as-text are rejected as not_html."""

from __future__ import annotations

import re

from .errors import CleanError

_MARKUP = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|main|span|h[1-6]|"
    r"br|table|td|strong|figure|img|a|ul|li|header|font|b|em)\b[^<>]{0,2000}>",
    re.IGNORECASE,
)


def require_markup(text: str) -> None:
    head = text.lstrip()[:1]
    if head in ("{", "["):
        raise CleanError("not_html", "text is JSON, not HTML")
    if not _MARKUP.search(text, 0, 200_000):  # the page's start, read where it lies (no copy)
        raise CleanError("not_html", "no HTML markup found (plain text or another format)")
    bad = text.count("\ufffd", 0, 20000)
    if bad > 50 and bad > min(len(text), 20000) * 0.05:
        raise CleanError("undecodable", "text is mostly replacement characters")
