"""Cap the nesting depth of block elements before parsing.

The HTML tree builder checks "is there a <p> in button scope" for every block start tag by
scanning the stack of open elements, so 100,000 nested <div>s cost O(depth^2) (~13 s in lexbor).
Browsers cap depth too; here block start tags beyond MAX_DEPTH are dropped (with their matching
end tags), which keeps their text in the deepest allowed element. Linear, no recursion.
"""

from __future__ import annotations

import re
from itertools import accumulate, islice
from operator import sub

MAX_DEPTH = 400
_MIN_TAGS = 3000  # a page with fewer tags cannot be nested deeply enough to matter
# ASCII case and whitespace only, as the parser reads tag names (`<ſection` is no section): the
# same tags whether a page is searched as text or as its UTF-8 bytes
_BLOCK_TAG_PATTERN = (
    r"<(/?)(?:address|article|aside|blockquote|center|details|dialog|dir|div|dl|fieldset|figcaption|"
    r"figure|footer|header|hgroup|main|menu|nav|ol|section|summary|ul|li|dd|dt|form|table|"
    r"h[1-6]|pre|p)(?=[\s/>])[^>]*>"
)
_BLOCK_TAG = re.compile(_BLOCK_TAG_PATTERN, re.IGNORECASE | re.ASCII)
# in lowercased bytes (ASCII's case only, as re.IGNORECASE reads bytes): case-sensitive matching
# finds the same tags about 1.6x faster
_BLOCK_TAG_LOWER_BYTES = re.compile(_BLOCK_TAG_PATTERN.encode())


_STEP = {"": 1, "/": -1, b"": 1, b"/": -1}  # a start tag (a self-closing one counted as a start: a bound), an end tag


def too_deep(html: str | bytes, max_depth: int = MAX_DEPTH) -> bool:
    """Whether block tags may nest deeper than `max_depth` in a page (its text or its UTF-8 bytes,
    which a C search reads faster): false for most pages, which then parse as they are."""
    if isinstance(html, str):
        return html.count("<") >= _MIN_TAGS and _depth_bound(html, _BLOCK_TAG) > max_depth
    return html.count(b"<") >= _MIN_TAGS and _depth_bound(html.lower(), _BLOCK_TAG_LOWER_BYTES) > max_depth


def _depth_bound(html, tags: re.Pattern) -> int:
    """At least the deepest nesting of block tags that `cap_nesting` would meet, counted in C
    (map, accumulate) instead of a Python loop over the tags: the depth after each tag is its
    running sum less the lowest sum before it (an end tag at depth 0 closes nothing)."""
    levels = list(accumulate(map(_STEP.__getitem__, tags.findall(html))))
    if not levels:
        return 0
    return max(map(sub, levels, islice(accumulate(levels, min, initial=0), 1, None)))


def cap_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    if not too_deep(html, max_depth):
        return html
    depth = 0
    excess = 0
    cuts: list[tuple[int, int]] = []
    for match in _BLOCK_TAG.finditer(html):
        if match.group(1):  # end tag
            if excess:
                excess -= 1
                cuts.append(match.span())
            elif depth:
                depth -= 1
        elif match.group(0).endswith("/>"):
            continue
        elif depth >= max_depth:
            excess += 1
            cuts.append(match.span())
        else:
            depth += 1
    if not cuts:
        return html
    parts = []
    last = 0
    for start, end in cuts:
        parts.append(html[last:start])
        last = end
    parts.append(html[last:])
    return "".join(parts)
