"""sources.yaml is data an editor changes: every entry is loaded and checked here."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from streams.clean.press import CATALOGUE, press_of_hosts
from streams.enrich import ministry_catalogue
from streams.feed.config import FeedConfigError, load_config, parse_config

SOURCES = Path(__file__).resolve().parents[3] / "sources.yaml"
CONFIG = load_config(SOURCES)
PRESS = {entry["name"] for entry in CATALOGUE}
MINISTRIES = {m["id"] for m in ministry_catalogue()}


@pytest.mark.parametrize("source", CONFIG.sources, ids=lambda s: s.name)
def test_every_source_is_documented_and_names_known_publishers_and_bodies(source):
    host = urlsplit(source.url).hostname
    assert source.about.strip(), "say what an editor gets from it"
    assert urlsplit(source.url).scheme == "https", "publishers and korea.kr serve https"
    assert not (source.press and source.ministry), "a publisher's feed or a body's releases, not both"
    if source.press is None:
        assert host == "www.korea.kr", "a feed of no publisher is 정책브리핑's"
    if source.press is not None:
        assert source.press in PRESS, f"{source.press} is not in streams/clean/data/press.yaml"
        assert press_of_hosts((host,)) == source.press, f"{host} is not a host of {source.press}"
    if source.ministry is not None:
        assert source.ministry in MINISTRIES, f"{source.ministry} is not a gazetteer id"
        assert host == "www.korea.kr", "a body's releases come from 정책브리핑"


def test_the_file_covers_publishers_and_the_ministries_releases():
    enabled = CONFIG.enabled_sources
    assert sum(1 for s in enabled if s.press) >= 8
    assert sum(1 for s in enabled if s.ministry) >= 8
    assert any(s.name == "korea-kr-press-releases" and s.enabled for s in CONFIG.sources)
    assert CONFIG.fetch.per_host_concurrency <= 2 and CONFIG.fetch.per_host_delay_seconds >= 1.0, "polite by default"


GOOD = {"name": "a", "kind": "feed", "url": "https://news.example.kr/rss", "about": "x"}


@pytest.mark.parametrize(
    "data, message",
    [
        ({"sources": [{**GOOD, "kind": "rss"}]}, "sources[0] (a).kind"),
        ({"sources": [{**GOOD, "url": "ftp://news.example.kr/rss"}]}, "not an absolute http(s) URL"),
        ({"sources": [{**GOOD, "interval_seconds": 0}]}, "sources[0] (a).interval_seconds"),
        ({"sources": [GOOD, {**GOOD, "url": "https://news.example.kr/rss2"}]}, "two sources have the name 'a'"),
        (
            {"sources": [GOOD, {**GOOD, "name": "b", "url": "https://NEWS.example.kr/rss?utm_source=x#top"}]},
            "two sources have the url",
        ),
        ({"sources": [{**GOOD, "Name": "typo"}]}, "Name: Extra inputs are not permitted"),
        ({"sources": []}, "sources: List should have at least 1 item"),
        ({"fetch": {"per_host_concurrency": 0}, "sources": [GOOD]}, "fetch.per_host_concurrency"),
        ({"fetch": {"user_agent": "봇 robot 1.0"}, "sources": [GOOD]}, "printable ASCII"),
        ({"feed": {"memory_topic": "news fetched"}, "sources": [GOOD]}, "feed.memory_topic"),
        (["not", "a", "mapping"], "must be a mapping"),
    ],
)
def test_a_bad_config_says_which_entry_and_field(data, message):
    with pytest.raises(FeedConfigError) as err:
        parse_config(data, "test.yaml")
    assert message in str(err.value) and str(err.value).startswith("test.yaml: ")


def test_a_missing_or_broken_file_is_a_clear_error(tmp_path):
    with pytest.raises(FeedConfigError, match="cannot read it"):
        load_config(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("sources: [ {name: a", encoding="utf-8")
    with pytest.raises(FeedConfigError, match="not valid YAML"):
        load_config(broken)
