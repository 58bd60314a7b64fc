"""The Kafka headers of every output (docs/contract.md, "Headers").

Every record the pipeline writes carries `content-type`, `newsroom-schema` and
`newsroom-schema-version` (the JSON Schema it validates against, schemas/released/), and the
input's `traceparent` / `tracestate` (W3C Trace Context) when the input had them. Articles also
carry `newsroom-revision`, `newsroom-tag-revision` and `newsroom-data-version`; retractions the same.
Dead letters carry where and why they failed under Kafka Connect's dead-letter header names
(`__connect.errors.*`), so header-aware tools route them without parsing the value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from schemas import SCHEMA_VERSIONS

Headers = tuple[tuple[str, bytes], ...]

CONTENT_TYPE = "content-type"
JSON = b"application/json"
SCHEMA = "newsroom-schema"
SCHEMA_VERSION = "newsroom-schema-version"
SCHEMA_ID = "newsroom-schema-id"  # the registry's id of the schema, where a registry is configured
REVISION = "newsroom-revision"
TAG_REVISION = "newsroom-tag-revision"
DATA_VERSION = "newsroom-data-version"
PASSED_THROUGH = ("traceparent", "tracestate")  # W3C Trace Context: the input's, unchanged

# Kafka Connect's dead-letter headers (errors.deadletterqueue.context.headers.enable=true)
DLQ_TOPIC = "__connect.errors.topic"
DLQ_PARTITION = "__connect.errors.partition"
DLQ_OFFSET = "__connect.errors.offset"
DLQ_STAGE = "__connect.errors.stage"
DLQ_REASON = "__connect.errors.exception.class.name"  # Connect's exception class; ours is the reason code
DLQ_MESSAGE = "__connect.errors.exception.message"


def event_headers(
    schema: str, *, revision: int | None = None, tag_revision: int | None = None, data_version: str | None = None
) -> Headers:
    """Headers of an event that validates against `schema` (a name in schemas.ALL_EVENTS)."""
    out = [(CONTENT_TYPE, JSON), (SCHEMA, schema.encode()), (SCHEMA_VERSION, SCHEMA_VERSIONS[schema].encode())]
    if revision is not None:
        out.append((REVISION, str(revision).encode()))
    if tag_revision is not None:
        out.append((TAG_REVISION, str(tag_revision).encode()))
    if data_version is not None:
        out.append((DATA_VERSION, data_version.encode()))
    return tuple(out)


def dead_letter_headers(topic: str, partition: int, offset: int, stage: str, reason: str, message: str) -> Headers:
    return (
        *event_headers("DeadLetter"),
        (DLQ_TOPIC, topic.encode()),
        (DLQ_PARTITION, str(partition).encode()),
        (DLQ_OFFSET, str(offset).encode()),
        (DLQ_STAGE, stage.encode()),
        (DLQ_REASON, reason.encode()),
        (DLQ_MESSAGE, message[:500].encode()),
    )


def as_pairs(headers: Mapping | Iterable | None) -> Headers:
    """A record's headers (a mapping or (key, value) pairs, as Faust or aiokafka give them) as pairs."""
    if not headers:
        return ()
    items = headers.items() if isinstance(headers, Mapping) else headers
    return tuple(
        (k if isinstance(k, str) else k.decode(), v if isinstance(v, bytes) else str(v).encode()) for k, v in items
    )


def outgoing(
    own: Headers,
    source: Headers,
    default_schema: str | None = None,
    *,
    topic: str = "",
    schema_ids: Mapping[str, int] | None = None,
) -> Headers:
    """What an output to `topic` is sent with: its own headers (or those of `default_schema` if it has
    none), the source record's trace context, and the schema's registry id where `schema_ids`
    ({`<topic>-<schema>`: id}, streams.contract.registry) has one."""
    headers = own or (event_headers(default_schema) if default_schema else ())
    names = {k for k, _ in headers}
    out = (*headers, *((k, v) for k, v in source if k in PASSED_THROUGH and k not in names))
    schema = header(headers, SCHEMA)
    if schema_ids and schema is not None and f"{topic}-{schema}" in schema_ids:
        out = (*out, (SCHEMA_ID, str(schema_ids[f"{topic}-{schema}"]).encode()))
    return out


def header(headers: Iterable[tuple[str, bytes]], name: str) -> str | None:
    """The value of header `name` as text, or None."""
    for key, value in headers:
        if key == name:
            return value.decode()
    return None
