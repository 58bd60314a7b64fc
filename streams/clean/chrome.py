"""Page chrome: the boxes around a story (navigation, sharing, related links, newsletters, ads)
removed by CSS selectors from data/text_rules.yaml and the site profiles, before and after the
body is found. Never the page itself: not the root, not `<body>`, not a wrapper that holds a
large share of the page's text (its class happens to say `header` or `menu`), not a box whose
name also says it holds the story."""

from __future__ import annotations

import re

from .generic import ancestor_ids
from .rules import RULES
from .selectors import PageNames

CHROME = RULES["chrome_selectors"]
PAGE_CHROME = RULES["chrome_selectors"] + RULES["page_chrome_selectors"]
# A class or id that says "story" as well as "chrome" is the story (Readability's okMaybeItsACandidate).
_STORY_NAME = re.compile(RULES["story_name"], re.I)
_CHROME_TAGS = {"nav", "aside", "footer", "header", "form", "button", "select", "input", "textarea"}
_SEMANTIC_CHROME = {"aside", "nav", "footer"}  # chrome by its tag, however much text it holds (a live feed)
_CHROME_SHARE = 0.4  # page chrome never holds this share of the page's text: such a box is the page


def remove(
    root, selectors: list[str], names: PageNames, keep_share: float | None = None, spare: re.Pattern | None = None
) -> None:
    """Remove the elements matching any of the selectors, never `root` itself and, with
    `keep_share`, never an element holding that share of root's text or more (a wrapper whose
    class happens to say `header` or `menu` is the page, not chrome); with `spare`, never an
    element whose class or id also says it holds the story (`articleBody -new-header-block`)."""
    selector = names.keep(selectors)
    if not selector:
        return
    try:
        nodes = root.css(selector)
    except Exception:  # noqa: BLE001 - a bad selector in a data file must not take the page down
        return
    limit = len(root.text(deep=True) or "") * keep_share if keep_share else None
    doomed: set[int] = set()
    for node in nodes:
        if node.mem_id == root.mem_id or node.tag in ("html", "body"):
            continue
        if limit is not None and node.tag not in _SEMANTIC_CHROME and len(node.text(deep=True) or "") >= limit:
            continue
        if (
            spare is not None
            and node.tag not in _CHROME_TAGS
            and spare.search(f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}")
        ):
            continue
        if doomed and any(a in doomed for a in ancestor_ids(node, root)):
            continue  # inside a removed element already
        doomed.add(node.mem_id)
    for node in nodes:
        if node.mem_id in doomed:
            node.decompose()


def strip_page_chrome(body, names: PageNames) -> None:
    """The whole page's chrome, before the generic finder looks for the story in what is left."""
    remove(body, PAGE_CHROME, names, keep_share=_CHROME_SHARE, spare=_STORY_NAME)


def strip_body_chrome(body, names: PageNames, extra: list[str] | None = None) -> None:
    """Chrome inside a found body: a profile's own `drop` list, then the shared list."""
    if extra:
        remove(body, extra, names)
    remove(body, CHROME, names)
