"""sources.yaml: what `newsroom feed` polls and how politely, checked once with clear errors.

The file has three parts (sources.yaml at the top of the repository is the documented example):
  fetch:    politeness and limits for every host (user agent, per-host concurrency and delay,
            timeouts, size limit, retries);
  feed:     where the feed remembers what it fetched (a compacted topic) and its metrics port;
  sources:  one entry per RSS/Atom feed or (news) sitemap, each with its own interval.
Kafka itself (bootstrap servers, security, the `news.raw` topic name) comes from the same
environment as every other command (streams.settings).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .urls import BadURL, normalise

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_TOPIC = re.compile(r"^[A-Za-z0-9._-]{1,200}$")


class FeedConfigError(ValueError):
    """sources.yaml is missing or wrong; the message names the file, the entry and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FetchPolicy(_Strict):
    user_agent: str = Field("newsroom-streams-feed/0.1 (news monitoring)", min_length=8)
    per_host_concurrency: int = Field(2, ge=1, le=16, description="requests in flight to one host at most")
    per_host_delay_seconds: float = Field(
        1.0, ge=0, le=600, description="between the starts of two requests to one host at least"
    )
    max_crawl_delay_seconds: float = Field(
        30.0, ge=0, le=3600, description="a robots.txt Crawl-delay is honoured up to this"
    )
    max_in_flight: int = Field(16, ge=1, le=256, description="page fetches in flight over all hosts")
    timeout_seconds: float = Field(20.0, gt=0, le=600, description="one request, connect to last byte")
    max_page_bytes: int = Field(
        8 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024, description="a larger page (or feed) is refused unread past this"
    )
    retries: int = Field(3, ge=0, le=10, description="after a 429, 5xx, timeout or connection error")
    backoff_seconds: float = Field(2.0, ge=0, le=600, description="first retry after about this; doubles")
    backoff_max_seconds: float = Field(60.0, ge=0, le=3600)
    max_redirects: int = Field(5, ge=0, le=20)
    robots_ttl_seconds: float = Field(86400.0, ge=0, description="robots.txt kept this long")
    robots_error_ttl_seconds: float = Field(
        600.0, ge=0, description="an unreachable robots.txt forbids the host this long"
    )

    @field_validator("user_agent")
    @classmethod
    def _printable(cls, value: str) -> str:
        if not value.isprintable() or not value.isascii():
            raise ValueError("must be printable ASCII (it is sent as an HTTP header)")
        return value


class FeedOptions(_Strict):
    memory_topic: str = Field(
        "news.feed.fetched", description="compacted topic of every URL fetched, read back at start"
    )
    metrics_port: int | None = Field(6067, ge=0, le=65535, description="/metrics and /healthz; null: none")
    metrics_host: str = "127.0.0.1"
    item_max_age_days: float | None = Field(7.0, gt=0, description="items dated older are not fetched")
    max_items_per_poll: int = Field(500, ge=1, description="newest items of one poll of one source")
    max_child_sitemaps: int = Field(20, ge=1, le=1000, description="sitemaps read from one sitemap index")

    @field_validator("memory_topic")
    @classmethod
    def _topic(cls, value: str) -> str:
        if not _TOPIC.match(value):
            raise ValueError("must be a Kafka topic name (letters, digits, '.', '_', '-')")
        return value


class Source(_Strict):
    name: str = Field(description="short unique name: the `source` of every article it brings")
    kind: Literal["feed", "sitemap"] = Field(
        description="feed: RSS 2.0, RSS 1.0 or Atom; sitemap: a sitemap, news sitemap or sitemap index"
    )
    url: str
    interval_seconds: float = Field(600.0, ge=1, le=7 * 86400)
    about: str = Field(min_length=1, description="what an editor gets from this source")
    press: str | None = Field(None, description="the publisher, as in streams/clean/data/press.yaml")
    ministry: str | None = Field(None, description="gazetteer id of the body whose releases these are")
    enabled: bool = True
    verified: bool = Field(False, description="someone fetched the URL and saw the feed it says")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _NAME.match(value):
            raise ValueError("must be lower-case letters, digits, '.', '_' or '-' (at most 80)")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        try:
            normalise(value)
        except BadURL as exc:
            raise ValueError(str(exc)) from None
        return value.strip()


class FeedConfig(_Strict):
    fetch: FetchPolicy = FetchPolicy()
    feed: FeedOptions = FeedOptions()
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> FeedConfig:
        for attr in ("name", "url"):
            seen: set[str] = set()
            for source in self.sources:
                value = getattr(source, attr) if attr == "name" else normalise(source.url)
                if value in seen:
                    raise ValueError(f"two sources have the {attr} {value!r}")
                seen.add(value)
        return self

    @property
    def enabled_sources(self) -> list[Source]:
        return [s for s in self.sources if s.enabled]

    def with_metrics_port(self, port: int | None) -> FeedConfig:
        return self.model_copy(update={"feed": self.feed.model_copy(update={"metrics_port": port})})


def _where(config: dict, loc: tuple) -> str:
    parts = []
    for i, item in enumerate(loc):
        if isinstance(item, int):
            parts[-1] += f"[{item}]"
            if loc[:i] == ("sources",):
                try:
                    parts[-1] += f" ({config['sources'][item]['name']})"
                except (KeyError, IndexError, TypeError):
                    pass
        else:
            parts.append(str(item))
    return ".".join(parts) or "the file"


def parse_config(data, origin: str = "sources.yaml") -> FeedConfig:
    if not isinstance(data, dict):
        raise FeedConfigError(f"{origin}: must be a mapping with `sources:` (and optionally `fetch:`, `feed:`)")
    try:
        return FeedConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_where(data, e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
        raise FeedConfigError(f"{origin}: {problems}") from None


def load_config(path: str | Path) -> FeedConfig:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FeedConfigError(f"{path}: cannot read it ({exc.strerror or exc}); give one with --config") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FeedConfigError(f"{path}: not valid YAML: {exc}") from None
    return parse_config(data, str(path))
