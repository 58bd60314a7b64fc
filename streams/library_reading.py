"""trafilatura's reading of a page, as the cleaner asks it (streams/clean/library.py).

A module of its own, outside the cleaner's package: a batch's library process
(streams/library_process.py) loads trafilatura and reads pages with it without loading the cleaner.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def load() -> bool:
    """Import trafilatura (about 0.2 s of CPU, once per process); False where it is not installed."""
    try:
        import trafilatura  # noqa: F401
    except ImportError:  # pragma: no cover - a dependency of the project; a trimmed install reads without it
        return False
    return True


def read(html: str, fast: bool = False) -> str | None:
    """The page's main text as an HTML fragment (paragraphs, headings, lists, tables), or None
    where trafilatura finds none, is not installed, or fails on the page; `fast`: its own reading
    alone, without its readability and jusText fallbacks."""
    try:
        import trafilatura
    except ImportError:  # pragma: no cover - see load()
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
            fast=fast,
        )
    except Exception as exc:  # noqa: BLE001 - the library's own failure on a hostile page: no body from it
        log.debug("trafilatura failed on a page: %s: %s", type(exc).__name__, exc)
        return None
    return found or None
