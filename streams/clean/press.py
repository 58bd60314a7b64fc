"""The publisher as a reader names it, from the press catalogue (data/press.yaml)."""

from __future__ import annotations

import re

from .rules import RULES, load_yaml
from .text import normalise

_NOISE = re.compile(r"^(?:㈜|\(주\)|주식회사)\s*")
# A newspaper's company name, as its copyright line gives it: `대전일보사` is the paper 대전일보.
_COMPANY = re.compile(r"^(\S{2,}(?:일보|신문|경제))사$")
_PARTS = re.compile(r"\s*[|·]\s*")


def _key(value: str) -> str:
    return "".join(value.split()).lower()


def load_catalogue() -> list[dict]:
    return load_yaml("press.yaml")["press"]


CATALOGUE = load_catalogue()
_BY_ALIAS = {_key(alias): entry["name"] for entry in CATALOGUE for alias in [entry["name"], *entry.get("aliases", [])]}
_PORTALS = {"".join(p.split()).lower() for p in RULES["portals"]}
_BY_HOST = [(host, entry["name"]) for entry in CATALOGUE for host in entry.get("hosts", [])]


def press_name(value: str | None) -> str | None:
    """A press name as a reader names it ("SBS 뉴스" -> SBS), or None for no plausible name."""
    parts = [p for p in _PARTS.split(normalise(value)) if p]  # `네이버 스포츠 | 스포티비뉴스`
    value = next((p for p in parts if not is_portal(p)), "")
    value = _COMPANY.sub(r"\1", _NOISE.sub("", value).strip(" .,"))
    if not value or len(value) > 40 or value.startswith("http"):
        return None
    return _BY_ALIAS.get(_key(value), value)


def press_of_hosts(hosts: tuple[str, ...]) -> str | None:
    """The catalogue's publisher of the first host that is one of its hosts (or below one); of
    several, the most specific (`sports.chosun.com` is 스포츠조선's, not 조선일보's `chosun.com`)."""
    for host in hosts:
        found = [(len(known), name) for known, name in _BY_HOST if host == known or host.endswith("." + known)]
        if found:
            return max(found)[1]
    return None


def is_portal(name: str) -> bool:
    """A portal that carries other publishers' articles (네이버, 다음, 네이트 뉴스): never the press."""
    return _key(name) in _PORTALS


def is_press(name: str) -> bool:
    """The name is a publisher's (a byline such as "SBS NEWS" or "한국일보" names no reporter)."""
    return _key(name) in _BY_ALIAS
