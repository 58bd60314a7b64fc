"""The library fallback: trafilatura's reading of a page where this cleaner's own finders found little.

trafilatura (Apache-2.0, https://trafilatura.readthedocs.io) is the best-kept main-text extractor
on PyPI. It is asked only where the site profiles, the generic extractor and the page's JSON gave
no body, or almost none (`finders._LIBRARY_BELOW`): a story in boxes the own finders took for
chrome, a layout the generic scores missed. Its body comes back
as HTML and goes through the same furniture, figure and field stages as any other finder's, so its
text is held to the same rules. It runs in this process, on the page as decoded here; anything it
raises is its own failure, and the page is then refused as it would have been without it.

Loading the library costs a process about 0.8 s of CPU on its first page (importing it, 0.3 s;
justext's stoplists of every language, 0.25 s; its own patterns), and 0.05-0.5 s each page it reads,
against about 20 ms for the own finders' whole cleaning of a page, and it is asked of few pages (10 of the 1,406 corpus pages: none of
readability's, fundus' or the Korean corpora; 4 of goose's 46, 6 of trafilatura-eval's 881). A
batch's worker processes (streams.offline) therefore defer it (`defer`): a page that needs it
raises `LibraryDeferred`, and the batch's parent reads that page again, so the library loads once
per batch, not once per worker. (Its fast mode, without those fallbacks, would save 0.05-0.3 s a
page more, but read goose's twitter.com page with less precision and lost trafilatura-eval's
kochbar.de page: not taken, 2026-12-03.)
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

_deferred = False  # this process defers the library's reading to its caller (`defer`)


class LibraryDeferred(Exception):
    """The page needs the library, and this process defers it: the page is to be read again where
    the library is loaded (not a failure of the page: `clean_event`/`clean_html` let it pass)."""


def defer() -> None:
    """From now on this process does not load the library: a page that needs it raises
    `LibraryDeferred` (a batch's worker processes, whose parent reads such pages)."""
    global _deferred
    _deferred = True


def library_body(html: str) -> str | None:
    """The page's main text as an HTML fragment (paragraphs, headings, lists, tables), or None
    where trafilatura finds none, is not installed, or fails on the page. Raises `LibraryDeferred`
    in a process that defers the library."""
    if _deferred:
        raise LibraryDeferred
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
