"""Stage 2 of cleaning: the page parsed once, with what it says about itself.

`read_page` turns decoded HTML into a `Page`: the lexbor tree (unsafe tags stripped), its
metadata (meta tags, JSON-LD), the hosts it names for itself, its text and its class/id names.
Every later stage reads from it; none parses the page again except to retry with its chrome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from .errors import CleanError
from .metadata import read_json_ld, read_meta
from .nesting import cap_nesting, too_deep
from .profiles import page_hosts_of
from .rules import RULES
from .selectors import PageNames
from .text import needs_preparing, normalise, prepare_page


@dataclass
class Page:
    html: str  # the prepared HTML the tree was parsed from (a retry parses it again)
    tree: LexborHTMLParser
    meta: dict
    ld: dict
    names: PageNames
    hosts: tuple[str, ...]
    text: str  # the body's text, blocks joined by spaces
    language_hint: str | None
    url: str | None
    fetched_at: str | None
    profile_bodies: dict = field(default_factory=dict)  # profile name -> its body element or None
    utf8: bytes | None = None  # `html` in UTF-8 where the page came as those bytes
    readings: dict = field(default_factory=dict)  # what a costly reader gave for the page, read once

    def descriptions(self) -> list[str]:
        """What the page says it is about, each as one line: its JSON-LD, Open Graph, `<meta
        name=description>` and Twitter descriptions ("" where it gives none)."""
        ld_description = self.ld.get("description")
        return [
            normalise(ld_description) if isinstance(ld_description, str) else "",
            self.meta.get("og:description", ""),
            self.meta.get("description", ""),
            self.meta.get("twitter:description", ""),
        ]

    def mentions(self, literal: str) -> bool:
        """Whether the page's HTML holds the literal (searched in its UTF-8 bytes where it has
        them: a C search over one byte per character is faster than over a text of wide ones)."""
        return literal.encode() in self.utf8 if self.utf8 is not None else literal in self.html


def parse(html: str) -> LexborHTMLParser:
    """HTML -> a lexbor tree without script, style and other never-content tags."""
    tree = LexborHTMLParser(html)
    if _page_lives_in_noscript(tree):
        tree.unwrap_tags(["noscript"])
    strip_unsafe(tree)
    return tree


_UNSAFE = ", ".join(RULES["unsafe_tags"])


def strip_unsafe(tree: LexborHTMLParser) -> None:
    """Remove the never-content elements (script, style, ...) with everything inside them: one
    query, then each removed inner first (in reverse document order an element's descendants come
    before it, so none is freed before its turn; a node matching twice is removed once). lexbor's
    `strip_tags` walks the tree once per tag."""
    found = {node.mem_id: node for node in tree.css(_UNSAFE)}
    for node in reversed(found.values()):
        node.decompose()


def _page_lives_in_noscript(tree: LexborHTMLParser) -> bool:
    """The page's text sits in a `<noscript>` (a site's no-JavaScript version of the whole page,
    as parcoabruzzo.it serves it): then noscript is unwrapped, not dropped with the other
    never-content tags. A noscript holding an ad or a tracking pixel is dropped as usual."""
    boxes = tree.css("body noscript")
    if not boxes or tree.body is None:
        return False
    inside = sum(len(box.text(deep=True) or "") for box in boxes)
    return inside > _NOSCRIPT_PAGE and inside > len(tree.body.text(deep=True) or "") / 2


_NOSCRIPT_PAGE = 500  # characters of text: a noscript this full is a page, not a fallback pixel


def read_page(html: str, *, url: str | None = None, fetched_at: str | None = None, utf8: bytes | None = None) -> Page:
    """The page parsed once; `utf8`, the page's bytes where they are `html` in UTF-8, is what the
    parser reads while preparing the page changed nothing (lexbor would encode the text again)."""
    source: str | bytes
    if utf8 is not None and not needs_preparing(utf8) and not too_deep(utf8):  # read in its bytes: faster
        prepared, source = html, utf8
    else:
        prepared = cap_nesting(prepare_page(html))
        source = utf8 if utf8 is not None and prepared is html else prepared
    try:
        tree = LexborHTMLParser(source)
    except Exception as exc:  # noqa: BLE001 - lexbor does not fail on bad HTML; this is for the unexpected
        raise CleanError("parse_failed", f"HTML parser failed: {exc}") from None
    if tree.body is None:
        raise CleanError("parse_failed", "document has no body")
    meta = read_meta(tree)
    ld = read_json_ld(tree)  # JSON-LD lives in <script>: read before the scripts go
    html_node = tree.root  # the <html> element (lexbor always makes one)
    language_hint = html_node.attributes.get("lang") if html_node is not None else None
    strip_unsafe(tree)
    names = PageNames(tree)
    return Page(
        html=prepared,
        tree=tree,
        meta=meta,
        ld=ld,
        names=names,
        hosts=page_hosts_of(tree, url, meta, names),
        text=tree.body.text(deep=True, separator=" "),
        language_hint=language_hint,
        url=url,
        fetched_at=fetched_at,
        utf8=utf8 if source is utf8 else None,
    )
