"""URLs a page gives, read without failing on a damaged one."""

from __future__ import annotations

from urllib.parse import SplitResult, urljoin, urlsplit


def split_url(url: str) -> SplitResult | None:
    """The URL's parts, or None where `urlsplit` refuses it: a bracketed host that is no IP address
    (`http://[data-name='x']/`, as a damaged page gives one) or an unclosed bracket."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def join_url(base: str, url: str) -> str | None:
    """`url` resolved against `base`, or None where either is such a damaged URL."""
    try:
        return urljoin(base, url)
    except ValueError:
        return None
