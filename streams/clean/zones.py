"""A page's local time zone, for the times it writes without an offset (data/text_rules.yaml,
`local_time_zones`): from its locale's country, else its domain's, else its language's where one
country speaks it; Seoul's where the page says none of these."""

from __future__ import annotations

import re
from datetime import tzinfo
from zoneinfo import ZoneInfo

from streams.timezones import SEOUL

from .rules import RULES

_ZONES = RULES["local_time_zones"]
_COUNTRIES: dict[str, str] = _ZONES["countries"]
_DOMAINS: dict[str, str] = _ZONES.get("domains") or {}
_LANGUAGES: dict[str, str] = _ZONES["languages"]
_LOCALE = re.compile(r"^\s*([a-z]{2,3})(?:[-_]([a-z]{2}))?\b", re.I)


def _locale(value: str | None) -> tuple[str | None, str | None]:
    """(language, country) of `de_DE`, `en-GB`, `ko`."""
    match = _LOCALE.match(value or "")
    if not match:
        return None, None
    return match.group(1).lower(), (match.group(2) or "").upper() or None


def page_zone(locale: str | None, language: str | None, hosts: tuple[str, ...]) -> tzinfo:
    """The zone of the page's country: its locale's (`og:locale`, `<html lang>`), else the first
    host's country domain, else its language's; Seoul's otherwise."""
    countries = []
    languages = []
    for value in (locale, language):
        lang, country = _locale(value)
        countries.append(country)
        languages.append(lang)
    for host in hosts:
        tld = host.rsplit(".", 1)[-1].lower()
        countries.append(_DOMAINS.get(tld, tld.upper()))
    countries += [_LANGUAGES.get(lang) for lang in languages if lang]
    for country in countries:
        if country in _COUNTRIES:
            return ZoneInfo(_COUNTRIES[country])  # ZoneInfo keeps one instance per name
    return SEOUL
