"""The enricher: CleanArticle -> EnrichedArticle (government bodies and topics, with evidence).

Pure functions, no Kafka, no network. Knowledge lives in `data/gazetteer.yaml` and
`data/taxonomy.yaml`; `data/topic_model.yaml` is a learned alternative to the topic rules, used
only when it says `use: model`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from schemas.events import CleanArticle, EnrichedArticle

from .catalogue import bodies_in_force, topics_listed
from .enricher import Enricher, article_date
from .errors import EnrichDataError, EnrichError
from .gazetteer import Gazetteer, load_gazetteer
from .taxonomy import Taxonomy, load_taxonomy

__all__ = [
    "EnrichDataError",
    "EnrichError",
    "Enricher",
    "Gazetteer",
    "Taxonomy",
    "article_date",
    "default_enricher",
    "enrich",
    "load_gazetteer",
    "load_taxonomy",
    "ministry_catalogue",
    "ministry_names",
    "topic_catalogue",
]


@lru_cache(maxsize=1)
def default_enricher() -> Enricher:
    """The enricher over the packaged gazetteer and taxonomy (and the topic model if it is in use), built once."""
    from .topic_model import load_topic_model

    model = load_topic_model()
    return Enricher(load_gazetteer(), load_taxonomy(), model if model.use == "model" else None)


def enrich(article: CleanArticle) -> EnrichedArticle:
    """Tag `article` with the government bodies and topics it concerns (default data)."""
    return default_enricher().enrich(article)


def ministry_catalogue(day: dt.date | None = None) -> list[dict]:
    """{"id", "name_ko", "name_en", "kind"} of every body in force today (or on `day`)."""
    return bodies_in_force(default_enricher().gazetteer, day)


def ministry_names(day: dt.date | None = None) -> dict[str, str]:
    """{id: name_ko} of every body in the gazetteer, ended ones included (with their last name):
    labels for counters kept by id, whose articles may date from before a body was abolished."""
    from .validity import today_in_seoul

    day = day or today_in_seoul()
    return {body.id: body.name_on(day).ko for body in default_enricher().gazetteer.bodies}


def topic_catalogue() -> list[dict]:
    """{"id", "label_ko", "label_en"} of every topic in the taxonomy."""
    return topics_listed(default_enricher().taxonomy)
