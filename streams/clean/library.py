"""The library fallback: trafilatura's reading of a page where this cleaner's own finders found little.

trafilatura (Apache-2.0, https://trafilatura.readthedocs.io) is the best-kept main-text extractor
on PyPI. It is asked only where the site profiles, the generic extractor and the page's JSON gave
no body, or almost none (`finders._LIBRARY_BELOW`): a story in boxes the own finders took for
chrome, a layout the generic scores missed. Its body comes back
as HTML and goes through the same furniture, figure and field stages as any other finder's, so its
text is held to the same rules. It runs in this process, on the page as decoded here; anything it
raises is its own failure, and the page is then refused as it would have been without it.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def library_body(html: str) -> str | None:
    """The page's main text as an HTML fragment (paragraphs, headings, lists, tables), or None
    where trafilatura finds none, is not installed, or fails on the page."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - a dependency of the project; a trimmed install reads without it
        return None
    try:
        found = trafilatura.extract(
            html,
            output_format="html",
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            with_metadata=False,
        )
    except Exception as exc:  # noqa: BLE001 - the library's own failure on a hostile page: no body from it
        log.debug("trafilatura failed on a page: %s: %s", type(exc).__name__, exc)
        return None
    return found or None
