"""Pages a framework renders in the browser: the server's HTML has no story text, and the story sits
in the page's JSON (JSON-LD `articleBody`, Next.js, Arc's `Fusion.globalContent`, Nuxt, Redux,
Apollo). The real pages of ../shared/corpora are served with every paragraph emptied, as such a page
comes from the server, and the cleaner must find the story in their JSON where the JSON holds it.

The pages listed are those of the corpora whose JSON holds the story (measured: their body recall
with every `<p>` emptied is 0.86-1.00). A page that stops recovering fails, with its recall; the
list grows when the cleaner learns to read another framework. Skipped, saying so, where the
corpora are absent."""

from __future__ import annotations

import re

import pytest

from bench._corpora import body_scores, corpora_dir, load
from streams.clean import CleanError, clean_html

RECOVERS = {
    "fundus": [
        "de/BR_2024_04_22",
        "de/BR_2024_08_27",
        "de/BR_2026_04_15",
        "de/DW_2023_06_13",
        "de/DW_2024_01_30",
        "de/FAZ_2024_04_17",
        "de/FAZ_2025_04_15",
        "de/VogueDE_2024_04_30",
        "es/MallorcaZeitung_2025_04_16",
        "us/FoxNews_2023_04_28",
        "us/TheNewYorker_2023_05_16",
    ],
}
MIN_RECALL = 0.8
_PARAGRAPH = re.compile(r"(<p\b[^>]*>).*?(</p>)", re.S | re.I)


def client_rendered(html: str) -> str:
    """The page as a client-rendered site serves it: every paragraph's text gone from the HTML."""
    return _PARAGRAPH.sub(r"\1\2", html)


@pytest.mark.skipif(
    corpora_dir() is None,
    reason="the real corpora are absent (../shared/corpora or "
    "$NEWSROOM_CORPORA): no real page to serve client-rendered",
)
@pytest.mark.parametrize("corpus", sorted(RECOVERS))
def test_a_story_only_in_the_pages_json_is_found_there(corpus):
    pages = {p.name: p for p in load(corpus)}
    missing = [n for n in RECOVERS[corpus] if n not in pages]
    assert not missing, f"pages gone from the corpus: {missing}"
    weak = []
    for name in RECOVERS[corpus]:
        page = pages[name]
        try:
            article = clean_html(client_rendered(page.data.decode("utf-8", "replace")), id=name)
        except CleanError as err:
            weak.append(f"{name}: refused ({err.code})")
            continue
        _, recall = body_scores("\n".join(article.paragraphs), page.reference or "")
        if recall < MIN_RECALL or article.extractor != "embedded-json":
            weak.append(f"{name}: recall {recall:.2f} by {article.extractor}")
    assert not weak, "client-rendered pages whose story in JSON was not found:\n" + "\n".join(weak)
