"""pydantic models of every event, and their generated JSON Schema files."""

from schemas.events import (
    ALL_EVENTS,
    Alert,
    Byline,
    CleanArticle,
    DeadLetter,
    EnrichedArticle,
    Evidence,
    FetchedURL,
    Image,
    MinistryTag,
    RawArticle,
    Retraction,
    SCHEMA_VERSIONS,
    TopicTag,
)

__all__ = [
    "ALL_EVENTS",
    "Alert",
    "Byline",
    "CleanArticle",
    "DeadLetter",
    "EnrichedArticle",
    "Evidence",
    "FetchedURL",
    "Image",
    "MinistryTag",
    "RawArticle",
    "Retraction",
    "SCHEMA_VERSIONS",
    "TopicTag",
]
