"""Article URLs: one normal form, the site a host belongs to, and the article id.

The same article reaches us under many URLs: with tracking parameters (`?utm_source=rss`), a
fragment, its parameters in another order, on the mobile or AMP host. `normalise` removes what
never names the article (the parameters listed in data/urls.yaml, the fragment, a default port),
and w3lib's `canonicalize_url` (Scrapy's) puts the rest in one form: lower-case scheme and host,
sorted query, one percent-encoding. The article id is a hash of the normal form of the URL the
page names as canonical (`streams.feed.canonical`), so one article from two feeds is one id.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import yaml
from w3lib.url import canonicalize_url

DATA = Path(__file__).resolve().parent / "data" / "urls.yaml"
_DEFAULT_PORTS = {"http": 80, "https": 443}


class BadURL(ValueError):
    """Not an absolute http(s) URL."""


@lru_cache(maxsize=1)
def url_rules() -> dict:
    """data/urls.yaml, checked: three lists of lower-case strings."""
    rules = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    for name in ("tracking_parameters", "tracking_prefixes", "variant_host_labels"):
        values = rules.get(name)
        if not isinstance(values, list) or not all(isinstance(v, str) and v == v.lower() and v for v in values):
            raise ValueError(f"{DATA}: {name} must be a list of non-empty lower-case strings")
    return {
        "tracking_parameters": frozenset(rules["tracking_parameters"]),
        "tracking_prefixes": tuple(rules["tracking_prefixes"]),
        "variant_host_labels": frozenset(rules["variant_host_labels"]),
    }


def is_tracking(parameter: str) -> bool:
    rules = url_rules()
    name = parameter.lower()
    return name in rules["tracking_parameters"] or name.startswith(rules["tracking_prefixes"])


def normalise(url: str) -> str:
    """The normal form of an absolute http(s) URL; raises BadURL for anything else."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # a bracketed host that is no IP address, an unclosed bracket
        raise BadURL(f"not a URL: {url[:200]!r}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise BadURL(f"not an absolute http(s) URL: {url[:200]!r}")
    try:
        port = parts.port
    except ValueError:
        raise BadURL(f"bad port in {url[:200]!r}") from None
    host = parts.hostname.lower().rstrip(".")
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)])
    return canonicalize_url(urlunsplit((scheme, netloc, parts.path or "/", query, "")))


def host_key(url: str) -> str:
    """What politeness is counted by: scheme, host and port (robots.txt is per origin too)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or _DEFAULT_PORTS.get(scheme)
    return f"{scheme}://{(parts.hostname or '').lower()}:{port}"


def site_of(host: str) -> str:
    """The site a host belongs to: m.news.example.kr and www.news.example.kr are news.example.kr."""
    labels = host.lower().rstrip(".").split(".")
    variants = url_rules()["variant_host_labels"]
    while len(labels) > 2 and labels[0] in variants:
        labels = labels[1:]
    return ".".join(labels)


def same_site(a: str, b: str) -> bool:
    """Both URLs on one site (its main, mobile or AMP host), on the same port."""
    pa, pb = urlsplit(a), urlsplit(b)
    if not pa.hostname or not pb.hostname:
        return False
    return site_of(pa.hostname) == site_of(pb.hostname) and (pa.port or 0) == (pb.port or 0)


def article_id(canonical_url: str) -> str:
    """The article id: a hash of the normal form of the article's canonical URL."""
    return "u" + hashlib.sha256(normalise(canonical_url).encode("utf-8")).hexdigest()[:31]
