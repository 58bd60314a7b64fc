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
against about 20 ms for the own finders' whole cleaning of a page, and its body is taken on few
pages (7 of the corpus pages on 4 December 2026: one of readability's 130, one of fundus' 254, none
of the Korean corpora or goose's, 5 of trafilatura-eval's 881). A
batch's worker processes (streams.offline) therefore never load it: they ask the batch's library
process (streams/library_process.py, `read_with`), which loaded trafilatura while the batch's
process loaded the cleaner. Without that process (it died, or the platform cannot fork) they defer
(`defer`): a page that needs the library raises `LibraryDeferred`, and the batch's parent reads
that page again. Either way the library loads once per batch, not once per worker. Its own reading alone (`fast`: without its readability and jusText
fallbacks, whose first use loads jusText's stoplists of every language) is asked first, and taken
where it is mostly sentences; the full reading decides elsewhere (`finders.from_library`). On
fundus' LBC page that is 0.24 s instead of 0.57 s for the same text. Its fast mode alone, asked of
every page, read goose's twitter.com page with half its text junk and lost trafilatura-eval's
kochbar.de page (2026-12-03); neither fast reading is mostly sentences (0.47 and 0.0 of its text),
so both pages still get the full reading, and no corpus page's output changed (2026-12-04).
"""

from __future__ import annotations

from collections.abc import Callable

from streams import library_reading

_deferred = False  # this process defers the library's reading to its caller (`defer`)
_reader: Callable[[str, bool], str | None] | None = None  # who reads for this process (`read_with`)


class LibraryDeferred(Exception):
    """The page needs the library, and this process defers it: the page is to be read again where
    the library is loaded (not a failure of the page: `clean_event`/`clean_html` let it pass)."""


def defer() -> None:
    """From now on this process does not load the library: a page that needs it raises
    `LibraryDeferred` (a batch's worker processes, whose parent reads such pages)."""
    global _deferred
    _deferred = True


def read_with(reader: Callable[[str, bool], str | None] | None) -> None:
    """From now on `reader(html, fast)` reads for this process (a batch's worker asks the batch's
    library process, streams/library_process.py); None: this process reads, or defers, again. The
    reader raises `LibraryDeferred` where it cannot read."""
    global _reader
    _reader = reader


def library_body(html: str, fast: bool = False) -> str | None:
    """The page's main text as an HTML fragment (paragraphs, headings, lists, tables), or None
    where trafilatura finds none, is not installed, or fails on the page; `fast`: its own reading
    alone, without its readability and jusText fallbacks. Raises `LibraryDeferred` in a process
    that defers the library and has no reader."""
    if _reader is not None:
        return _reader(html, fast)
    if _deferred:
        raise LibraryDeferred
    return library_reading.read(html, fast)
