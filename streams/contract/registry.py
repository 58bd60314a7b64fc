"""An optional schema registry (NEWSROOM_SCHEMA_REGISTRY_URL): the worker registers the JSON Schema of
every event on every topic it writes when it starts, over the Confluent Schema Registry REST API
(which Karapace and Apicurio's `/apis/ccompat/v7` also speak), and sends each record's schema id in
the `newsroom-schema-id` header.

Subjects follow Confluent's TopicRecordNameStrategy, `<topic>-<schema name>` (e.g.
`news.ministry.msit-EnrichedArticle`), because the fan-out topics carry two kinds of events
(EnrichedArticle and Retraction). The ids are kept per subject (Confluent gives one schema text one
id everywhere; Apicurio one per subject). Without the setting nothing is registered and no id
header is sent.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from schemas.generate import schema_of
from streams.settings import Settings

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"


class RegistryError(RuntimeError):
    """The registry could not be reached or refused a schema."""


def subjects(settings: Settings) -> list[tuple[str, str]]:
    """(subject, schema name) of every event on every topic the worker writes."""
    from streams.contract.asyncapi import CHANNELS
    from streams.enrich import ministry_names, topic_catalogue

    t = settings.topics
    out: list[tuple[str, str]] = []
    for attr, (names, _) in CHANNELS.items():
        if attr == "ministry":
            topics = [t.ministry(m) for m in sorted(ministry_names())]
        elif attr == "topic":
            topics = [t.topic(tp["id"]) for tp in topic_catalogue()]
        else:
            topics = [getattr(t, attr)]
        out += [(subject(topic, name), name) for topic in topics for name in names]
    return out


def register(settings: Settings, *, timeout: float = 10.0) -> dict[str, int]:
    """Register every subject's schema; returns {subject: registry id}."""
    base = (settings.schema_registry_url or "").rstrip("/")
    texts = {}
    ids: dict[str, int] = {}
    for subject, name in subjects(settings):
        text = texts.setdefault(name, json.dumps(schema_of(name), ensure_ascii=False))
        body = json.dumps({"schemaType": "JSON", "schema": text}).encode()
        url = f"{base}/subjects/{urllib.parse.quote(subject, safe='')}/versions"
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": CONTENT_TYPE})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as err:
            detail = err.read().decode(errors="replace")[:300]
            raise RegistryError(f"schema registry refused {name} under {subject}: HTTP {err.code} {detail}") from err
        except (OSError, ValueError) as err:
            raise RegistryError(f"schema registry at {base} not reachable: {err}") from err
        ids[subject] = int(answer["id"])
    return ids


def subject(topic: str, schema: str) -> str:
    return f"{topic}-{schema}"
