"""Site profiles claim only their own pages: never a page of another site or of the generic corpora.

Runs every real page of ../shared/corpora through profile detection (skipped, saying so, where the
corpora are absent). A page of a publisher no profile knows must go to the generic extractor; a
Korean page may be claimed only by a profile whose hosts include a host the page names for itself.
"""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from bench._corpora import corpora_dir, load
from streams.clean.decode import decode_bytes
from streams.clean.metadata import read_meta
from streams.clean.profiles import PROFILES, _host, detect_profile, page_hosts_of
from streams.clean.selectors import PageNames

BASE = corpora_dir()
pytestmark = pytest.mark.skipif(
    BASE is None,
    reason="../shared/corpora is absent (or NEWSROOM_CORPORA unset): profile detection is checked on real pages only",
)


def _detect(page):
    text, _ = decode_bytes(page.data)
    tree = LexborHTMLParser(text)
    meta = read_meta(tree)
    names = PageNames(tree)
    hosts = page_hosts_of(tree, page.url, meta, names)
    page_text = tree.body.text(deep=True, separator=" ") if tree.body is not None else ""
    return detect_profile(tree, page_text, hosts, meta, names), hosts


@pytest.mark.parametrize("corpus", ["readability", "fundus"])
def test_no_profile_claims_a_page_of_another_country(corpus):
    claimed = {}
    for page in load(corpus, BASE):
        profile, _ = _detect(page)
        if profile is not None:
            claimed[page.key] = profile.name
    assert not claimed, f"profiles claimed pages of publishers they do not know: {claimed}"


@pytest.mark.parametrize("corpus", ["ko-real", "ko-pool"])
def test_a_korean_page_is_claimed_only_by_its_own_sites_profile(corpus):
    wrong = {}
    for page in load(corpus, BASE):
        profile, hosts = _detect(page)
        if profile is None or not profile.detect.get("hosts"):
            continue
        own = any(h == known or h.endswith("." + known) for h in hosts for known in profile.detect["hosts"])
        if not own:
            wrong[page.key] = (profile.name, hosts)
    assert not wrong, f"profiles claimed another site's page: {wrong}"


def test_every_profile_detects_on_strong_evidence_only():
    """No profile may match on markup alone unless that markup is declared distinctive (`markup`);
    the retired generic `all_selectors` key must not come back."""
    for profile in PROFILES:
        assert "all_selectors" not in profile.detect, profile.name
        assert set(profile.detect) <= {"hosts", "markup", "meta", "and_text"}, profile.name
        assert profile.detect.get("hosts") or profile.detect.get("meta") or profile.detect.get("markup"), profile.name
    assert _host("https://news.sbs.co.kr/news/x") == "news.sbs.co.kr"
