"""Image URLs: original size where the page gives it, http(s) only, resolved against the page."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlunsplit

from .urls import join_url, split_url

_BAD_CHARS = re.compile(r"[\s<>\"'\\`\x00-\x1f]")


def resolve_url(raw: str | None, base: str | None) -> str | None:
    """An absolute http(s) URL, or None (javascript:, data:, unresolvable relative, junk)."""
    if not raw:
        return None
    url = raw.strip()
    if not url or _BAD_CHARS.search(url):
        return None
    base_parts = split_url(base) if base else None
    if url.startswith("//"):
        scheme = base_parts.scheme if base_parts is not None else ""
        url = f"{scheme if scheme in ('http', 'https') else 'https'}:{url}"
    parts = split_url(url)
    if parts is not None and not parts.scheme:
        if base is None or base_parts is None or base_parts.scheme not in ("http", "https"):
            return None
        joined = join_url(base, url)
        parts = split_url(joined) if joined is not None else None
        url = joined or url
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def original_size(url: str, drop_query: bool = False) -> str:
    """Undo a thumbnail proxy (`...thumb/R658x0/?fname=<original>`) or a size query."""
    parts = split_url(url)
    if parts is None:
        return url
    fname = parse_qs(parts.query).get("fname") if "fname=" in parts.query else None
    if fname and resolve_url(fname[0], None):
        return fname[0]
    if drop_query and parts.query:
        return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return url


def widest(srcset: str | None) -> str | None:
    """The widest candidate of a `srcset` ("a.jpg 240w, b.jpg 976w"), or None."""
    best, best_width = None, -1.0
    for candidate in (srcset or "").split(","):
        parts = candidate.split()
        if not parts:
            continue
        size = parts[1] if len(parts) > 1 else "1x"
        try:
            width = float(size[:-1]) * (1 if size[-1] == "w" else 1000)
        except ValueError:
            continue
        if width > best_width:
            best, best_width = parts[0], width
    return best


def image_url(img, attrs: list[str], base: str | None, drop_query: bool = False) -> str | None:
    """The best URL of an <img>: first attribute (original size first) that resolves;
    `srcset` gives its widest candidate."""
    attributes = img.attributes
    for attr in attrs:
        value = attributes.get(attr)
        url = resolve_url(widest(value) if attr == "srcset" else value, base)
        if url:
            return original_size(url, drop_query)
    return None
