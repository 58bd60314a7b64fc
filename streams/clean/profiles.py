"""Site profiles (data/profiles.yaml): which site a page is, from the page itself."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .rules import load_yaml
from .selectors import PageNames
from .urls import split_url


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

    @cached_property
    def _rule(self) -> tuple:
        """The detect rule, compiled once: (hosts, selectors, [(meta name, regex)], text regex)."""
        rule = self.detect
        return (
            tuple(rule.get("hosts", [])),
            tuple(rule.get("markup", [])),
            [(name.lower(), re.compile(rx)) for name, rx in rule.get("meta", {}).items()],
            re.compile(rule["and_text"]) if rule.get("and_text") else None,
        )

    def matches(
        self, tree, page_text: str, page_hosts: tuple[str, ...], meta: dict[str, str], names: PageNames
    ) -> bool:
        hosts, selectors, meta_rules, and_text = self._rule  # plain loops: this runs per page per profile
        hit = False
        for host in page_hosts:
            for h in hosts:
                if host == h or host.endswith("." + h):
                    hit = True
                    break
        if not hit and selectors:
            hit = True
            for sel in selectors:
                if not names.may_match(sel) or tree.css_first(sel) is None:
                    hit = False
                    break
        if not hit and meta_rules:
            hit = True
            for name, rx in meta_rules:
                if not rx.search(meta.get(name, "")):
                    hit = False
                    break
        if hit and and_text is not None:
            hit = and_text.search(page_text[:20000]) is not None
        return hit


@lru_cache(maxsize=1024)
def _host(url: str | None) -> str:
    parts = split_url(url) if url else None
    return (parts.hostname or "") if parts is not None else ""


def load_profiles() -> list[Profile]:
    return [Profile(**entry) for entry in load_yaml("profiles.yaml")["profiles"]]


PROFILES: list[Profile] = load_profiles()
# What any profile looks at: a page with none of it is generic without asking each profile.
_SELECTOR_SETS = [p._rule[1] for p in PROFILES if p._rule[1]]
_META_RULES = [rule for p in PROFILES for rule in p._rule[2]]


def page_hosts(url: str | None, meta: dict[str, str], canonical: str | None) -> tuple[str, ...]:
    """The hosts a page names for itself: its URL's, its canonical link's and its og:url's."""
    return tuple(dict.fromkeys(h for h in (_host(url), _host(canonical), _host(meta.get("og:url"))) if h))


def _maybe_any(hosts: tuple[str, ...], meta: dict[str, str], names: PageNames) -> bool:
    """Could any profile recognise the page? (No CSS: hosts, meta values, selector literals.)"""
    if hosts:
        return True
    for name, rx in _META_RULES:
        if rx.search(meta.get(name, "")):
            return True
    for selectors in _SELECTOR_SETS:
        for sel in selectors:
            if not names.may_match(sel):
                break
        else:
            return True
    return False


def page_hosts_of(tree, url: str | None, meta: dict[str, str], names: PageNames) -> tuple[str, ...]:
    canonical = tree.css_first('link[rel="canonical"]') if names.may_match("[rel]") else None
    return page_hosts(url, meta, canonical.attributes.get("href") if canonical is not None else None)


def detect_profiles(
    tree, page_text: str, hosts: tuple[str, ...], meta: dict[str, str], names: PageNames
) -> list[Profile]:
    """Every profile that recognises the page, in file order (a site's layouts of several years
    share its host: the first whose body is on the page reads it).

    A profile claims a page only on strong evidence: the host the page names for itself, its
    own meta values (og:site_name), or markup only that site has; never generic class names."""
    if not _maybe_any(hosts, meta, names):
        return []
    return [p for p in PROFILES if p.matches(tree, page_text, hosts, meta, names)]


def detect_profile(
    tree, page_text: str, hosts: tuple[str, ...], meta: dict[str, str], names: PageNames
) -> Profile | None:
    """The first profile that recognises the page, or None (generic)."""
    found = detect_profiles(tree, page_text, hosts, meta, names)
    return found[0] if found else None
