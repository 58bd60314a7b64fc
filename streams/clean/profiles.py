"""Site profiles (data/profiles.yaml): which site a page is, from the page itself."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from .rules import load_yaml
from .selectors import PageNames


@dataclass(frozen=True)
class Profile:
    name: str
    body: list[str]
    detect: dict = field(default_factory=dict)
    title: list[dict] = field(default_factory=list)
    subtitle: list[dict] = field(default_factory=list)
    byline: list[dict] = field(default_factory=list)
    date: list[dict] = field(default_factory=list)
    press: list[dict] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    caption: list[str] = field(default_factory=list)
    image_attrs: list[str] = field(default_factory=list)
    image_drop_query: bool = False
    about: str = ""

    def matches(self, tree, page_text: str, url: str | None, meta: dict[str, str], names: PageNames) -> bool:
        rule = self.detect
        hit = False
        host = _host(url)
        if host and any(host == h or host.endswith("." + h) for h in rule.get("hosts", [])):
            hit = True
        if not hit and rule.get("all_selectors"):
            hit = (all(names.may_match(sel) for sel in rule["all_selectors"])
                   and all(tree.css_first(sel) is not None for sel in rule["all_selectors"]))
        if not hit and rule.get("meta"):
            hit = all(re.search(rx, meta.get(name.lower(), "")) for name, rx in rule["meta"].items())
        if hit and rule.get("and_text"):
            hit = re.search(rule["and_text"], page_text[:20000]) is not None
        return hit


@lru_cache(maxsize=1024)
def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "") if url else ""


def load_profiles() -> list[Profile]:
    return [Profile(**entry) for entry in load_yaml("profiles.yaml")["profiles"]]


PROFILES: list[Profile] = load_profiles()


def detect_profile(tree, page_text: str, url: str | None, meta: dict[str, str],
                   names: PageNames) -> Profile | None:
    """The first profile (in file order) that recognises the page, or None (generic)."""
    for profile in PROFILES:
        if profile.matches(tree, page_text, url, meta, names):
            return profile
    return None
