"""Event contracts of newsroom-streams (the README, "What you get out", describes them for users).

Every event on every topic is one of these pydantic v2 models, serialised as JSON.
`make schemas` writes their JSON Schema next to this file; a test keeps the files current.

Readers are tolerant: every model ignores fields it does not know (`extra="ignore"`), and the JSON
Schemas allow additional properties, so a worker or consumer of an older version reads the events
of a newer one. Writers stay strict: a model only ever writes its declared fields, and tests check
what they write with `schemas.compat.ignored_fields`. Each schema has a version (`SCHEMA_VERSIONS`);
the released versions are kept under `schemas/released/` and a test fails on a breaking change
(docs/contract.md).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Event(BaseModel):
    # extra="ignore": a tolerant reader (an older process reads a newer event); defer_build: each
    # model's validator is built when first used (a process that only cleans builds CleanArticle's)
    model_config = ConfigDict(extra="ignore", defer_build=True)


class RawArticle(_Event):
    """`news.raw`: a fetched page. A value that is not this JSON is taken as the raw HTML bytes."""

    id: str = Field(min_length=1)
    url: str | None = None
    source: str | None = None
    fetched_at: str | None = Field(None, description="ISO 8601 time the page was fetched")
    html: str
    encoding: str | None = Field(None, description="charset the page was served in, if known")


class Image(_Event):
    url: str = Field(description="http(s) URL, the original-size one where the page gives it")
    caption: str | None = None


class Byline(_Event):
    name: str
    email: str | None = None


class CleanArticle(_Event):
    """`news.cleaned`: the article as a reader sees it, as plain text."""

    id: str
    url: str | None = None
    source: str | None = None
    fetched_at: str | None = None
    title: str
    subtitle: str | None = Field(None, description='subtitle lines joined by "\\n"')
    paragraphs: list[str]
    captions: list[str] = []
    images: list[Image] = []
    bylines: list[Byline] = []
    press: str | None = None
    published_at: str | None = Field(
        None, description="ISO 8601 with the Asia/Seoul offset; date only if no time is known"
    )
    language: str | None = None
    fingerprint: str = Field(description="hash of the normalised body text")
    extractor: str = Field(
        description="which finder read the page: the site profile's name, 'generic', 'embedded-json' or 'library'"
    )
    revision: int = Field(1, ge=1, description="1 for the first body seen under this id; n for its n-th distinct body")
    update: bool = Field(False, description="true when this is a changed version of an article already published")


class Evidence(_Event):
    """Why a tag is there: `text` stands at `field`[start:end] of the cleaned article.

    `field` is "title", "subtitle", "paragraphs[i]" or "captions[i]".
    """

    field: str
    start: int
    end: int
    text: str


class MinistryTag(_Event):
    id: str = Field(description="stable across renames")
    name_ko: str = Field(description="official name in force on the article's date")
    name_en: str
    kind: str = Field(description="부, 처, 청, 위원회, ...")
    mentions: int
    primary: bool
    evidence: list[Evidence]


class TopicTag(_Event):
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    label_ko: str
    label_en: str
    score: float
    primary: bool = Field(
        False, description="the article's main topic: the first tag, the best scored (one per article)"
    )
    evidence: list[Evidence]


class EnrichedArticle(CleanArticle):
    """`news.enriched`, `news.ministry.<id>`, `news.topic.<id>`."""

    ministries: list[MinistryTag]
    topics: list[TopicTag]
    data_version: str | None = Field(
        None, description="version of the gazetteer and taxonomy that tagged it (streams/enrich/data_version.py)"
    )
    tag_revision: int = Field(
        0,
        ge=0,
        description="0 when tagged by the pipeline; n after the n-th `newsroom retag` changed its tags. "
        "The newest event of an article is the one with the highest (revision, tag_revision)",
    )


class Retraction(_Event):
    """On `news.ministry.<id>` / `news.topic.<id>`: the newest (revision, tag_revision) of article `id`
    no longer concerns this subject. Replaces what the topic said of the article before."""

    kind: Literal["retraction"] = Field("retraction", description="tells a retraction from an EnrichedArticle")
    id: str = Field(description="the article id (also the record key)")
    revision: int = Field(ge=1, description="the article revision that dropped the subject")
    tag_revision: int = Field(0, ge=0)
    subject: str = Field(description="`ministry:<id>` or `topic:<id>`")
    data_version: str | None = Field(None, description="version of the data that tagged the dropping revision")


Stage = Literal["decode", "parse", "clean", "enrich", "publish"]


class DeadLetter(_Event):
    """`news.deadletter`: an event that could not be processed, with its original bytes."""

    original: str = Field(description="the original value, base64")
    original_key: str | None = Field(None, description="the original key, base64")
    topic: str
    partition: int
    offset: int
    stage: Stage
    reason: str = Field(description="reason code, e.g. not_html, too_large, undecodable")
    message: str
    failed_at: str
    original_size: int = Field(description="size of the original value in bytes")
    original_sha256: str = Field(description="sha256 of the original value, hex")
    original_truncated: bool = Field(
        False, description="true when the original was too large to carry whole; it stays at topic/partition/offset"
    )


class Alert(_Event):
    """`news.alerts`."""

    kind: str
    subject: str
    window: str
    observed: float
    baseline: float
    threshold: float
    at: str


class CounterUpdate(_Event):
    """`news.counts` (compacted, key = `ministry:<id>|<partition>` or `topic:<id>|<partition>`): the
    articles counted for one subject in one partition of news.enriched; a subject's count is the sum
    over its partitions' latest records."""

    n: int = Field(description="articles whose newest revision concerns the subject")
    late: int = Field(0, description="of them, counted too late for an hourly window")
    h: dict[str, int] = Field(default_factory=dict, description="{hour start, epoch seconds: articles}")
    latest: float | None = Field(None, description="newest publish time seen (epoch seconds): the windows' watermark")


class FetchedURL(_Event):
    """`news.feed.fetched` (compacted, key = `page|<url>` or `doc|<url>`): what `newsroom feed` fetched
    at a URL, so that any feed process, on any machine, fetches nothing twice after a restart."""

    url: str = Field(description="the URL in normal form (streams/feed/urls.py)")
    kind: Literal["page", "feed", "sitemap"]
    status: str = Field(
        description="a page: sent, unchanged, not_modified, duplicate (another URL of an article "
        "sent), alias (a redirect target or canonical URL of a page fetched), robots, "
        "too_large, http_<code> (a 4xx); a feed or sitemap: ok"
    )
    fetched_at: str = Field(description="ISO 8601, UTC")
    source: str | None = None
    id: str | None = Field(None, description="the article id sent to news.raw (pages)")
    article_url: str | None = Field(None, description="the URL the id was made from: the page's canonical URL")
    sha256: str | None = Field(None, description="sha256 of the body, hex")
    etag: str | None = None
    last_modified: str | None = None
    item_date: str | None = Field(None, description="the newest date its feed or sitemap gave it when fetched")


ALL_EVENTS: dict[str, type[BaseModel]] = {
    "RawArticle": RawArticle,
    "CleanArticle": CleanArticle,
    "EnrichedArticle": EnrichedArticle,
    "Retraction": Retraction,
    "CounterUpdate": CounterUpdate,
    "DeadLetter": DeadLetter,
    "Alert": Alert,
    "FetchedURL": FetchedURL,
}

# The version of each event's schema, "<major>.<minor>": the minor grows with each compatible change
# (a new optional field, a wider type or enum), the major with a breaking one (docs/contract.md).
# `make schemas` keeps each version's file under schemas/released/<Name>/<version>.schema.json.
SCHEMA_VERSIONS: dict[str, str] = {
    "RawArticle": "1.0",
    "CleanArticle": "1.2",
    "EnrichedArticle": "1.3",
    "Retraction": "1.0",
    "CounterUpdate": "1.0",
    "DeadLetter": "1.1",
    "Alert": "1.1",
    "FetchedURL": "1.0",
}
