"""The URL a page names for itself: `<link rel="canonical">`, else `og:url`.

A mobile page (m.), an AMP page or a page reached with tracking parameters names its canonical
URL on the site's main host; the feed takes it for the article's id. Only a canonical URL on the
same site as the URL fetched is believed: a page cannot claim another site's article (its id would
shadow that article's), and a publisher syndicating a story from another press keeps its own id.
"""

from __future__ import annotations

from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from .urls import normalise, same_site

_HEAD_BYTES = 256 * 1024  # the <head> of any page we know is well inside this


def named_canonical(html: str, base_url: str) -> str | None:
    """The page's canonical URL (absolute, normal form), or None."""
    head = html[:_HEAD_BYTES]
    if "canonical" not in head and "og:url" not in head:
        return None
    tree = LexborHTMLParser(head)
    candidates = []
    for node in tree.css('link[rel="canonical" i]'):
        candidates.append(node.attributes.get("href"))
    for node in tree.css('meta[property="og:url"]'):
        candidates.append(node.attributes.get("content"))
    for href in candidates:
        if not href or not href.strip():
            continue
        try:
            return normalise(urljoin(base_url, href.strip()))
        except ValueError:  # BadURL, or urljoin's own refusal of a damaged URL (`http://[x]/`)
            continue
    return None


def article_url(html: str, fetched_url: str) -> str:
    """The URL that names this article: its canonical on the same site, else the URL fetched."""
    fetched = normalise(fetched_url)
    canonical = named_canonical(html, fetched_url)
    if canonical and same_site(canonical, fetched):
        return canonical
    return fetched
