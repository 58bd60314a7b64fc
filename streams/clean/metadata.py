"""Page metadata: <meta> tags and the JSON-LD NewsArticle, read before scripts are removed."""

from __future__ import annotations

import orjson

from .text import normalise

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "blogposting",
    "opinionnewsarticle",
    "webpage",
}


def read_meta(tree) -> dict[str, str]:
    """{lowercased property/name/itemprop: content}, first occurrence wins."""
    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        if key:
            found.setdefault(key.strip().lower(), normalise(attrs.get("content") or ""))
    return found


def read_json_ld(tree) -> dict:
    """The first JSON-LD object of an article type (searching @graph, lists and a page's
    `mainEntity`) in any of the page's JSON-LD scripts, or {}; a `WebPage` only where no script
    holds an article: a page that describes itself as a WebPage first, in a script of its own, and
    the story in the next (Times of India's), gives the story, and a WebPage whose `mainEntity` is
    the article (Nature's) gives the article."""
    page: dict | None = None
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = orjson.loads((node.text(deep=True) or "").strip())
        except orjson.JSONDecodeError:
            continue
        queue = [data]
        while queue:  # iterative walk: a hostile JSON-LD cannot recurse us to death
            item = queue.pop(0)
            if isinstance(item, list):
                queue.extend(item[:50])
            elif isinstance(item, dict):
                kind = item.get("@type")
                kinds = [k.lower() for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]
                if any(k in _ARTICLE_TYPES for k in kinds):
                    if "webpage" not in kinds:
                        return item
                    page = page or item
                    if "mainEntity" in item:
                        queue.append(item["mainEntity"])
                if "@graph" in item:
                    queue.append(item["@graph"])
    return page or {}


def json_ld_names(value) -> list[str]:
    """Names from a JSON-LD author/publisher value (string, object or list of them)."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items[:20]:
        if isinstance(item, str):
            names.append(normalise(item))
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            names.append(normalise(item["name"]))
    return [n for n in names if n]
