"""The AsyncAPI 3 document of every topic, generated from the topology (streams.topology,
streams.graph) and the event models (schemas/): `python -m streams.contract.asyncapi` (make asyncapi)
writes docs/asyncapi.json; `--check` exits 1 if it is stale (a test checks it, and validates it as
an AsyncAPI 3.0 document).

Each topic is a channel with its Kafka binding (partitions, replicas, retention, compaction, size
limit); the fan-out topics are two parameterised channels (`news.ministry.{ministry}` and
`news.topic.{topic}`, the ids as the parameter's enum). Each event is a message whose payload is
its released JSON Schema file (schemas/released/) and whose headers are the contract's
(streams.contract.headers).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from schemas import SCHEMA_VERSIONS
from streams.contract import headers as h
from streams.settings import Settings, Topics

ROOT = Path(__file__).resolve().parents[2]
DOCUMENT = ROOT / "docs" / "asyncapi.json"
KAFKA_BINDING = "0.5.0"

# Topics attribute -> (messages on it, what its key is); "ministry" and "topic" are the fan-out
CHANNELS: dict[str, tuple[tuple[str, ...], str]] = {
    "raw": (("RawArticle",), "article id (or URL): a value that is not RawArticle JSON is the page's bytes"),
    "rekeyed": (("CleanArticle",), "article id"),
    "unique": (("CleanArticle",), "body fingerprint"),
    "enriched": (("EnrichedArticle",), "article id"),
    "ministry": (("EnrichedArticle", "Retraction"), "article id"),
    "topic": (("EnrichedArticle", "Retraction"), "article id"),
    "counts": (("CounterUpdate",), "`kind:subject|partition`, e.g. `ministry:msit|3`"),
    "alerts": (("Alert",), "the alert's subject"),
    "deadletter": (("DeadLetter",), "the failed record's own key"),
}
# what the worker reads and writes (a consumer's operations are the other way round)
RECEIVED = ("raw", "rekeyed", "unique", "enriched", "counts")
SENT = tuple(attr for attr in CHANNELS if attr != "raw")


def _string(description: str) -> dict:
    return {"type": "string", "description": description}


def message_headers(name: str) -> dict:
    props = {
        h.CONTENT_TYPE: _string("application/json"),
        h.SCHEMA: {"type": "string", "const": name, "description": "the JSON Schema the value validates against"},
        h.SCHEMA_VERSION: _string("its version, <major>.<minor> (schemas/released/)"),
        h.SCHEMA_ID: _string("its id in the schema registry, where one is configured"),
        "traceparent": _string("W3C Trace Context of the input, passed through"),
        "tracestate": _string("W3C Trace Context of the input, passed through"),
    }
    if name in ("EnrichedArticle", "Retraction", "CleanArticle"):
        props[h.REVISION] = _string("the article's revision (1, 2, ... for each new body under its id)")
    if name in ("EnrichedArticle", "Retraction"):
        props[h.TAG_REVISION] = _string("0, or n after the n-th `newsroom retag` changed its tags")
        props[h.DATA_VERSION] = _string("the gazetteer and taxonomy version that tagged it")
    if name == "DeadLetter":
        for key, what in (
            (h.DLQ_TOPIC, "source topic"),
            (h.DLQ_PARTITION, "source partition"),
            (h.DLQ_OFFSET, "source offset"),
            (h.DLQ_STAGE, "the stage that failed"),
            (h.DLQ_REASON, "the reason code"),
            (h.DLQ_MESSAGE, "what went wrong"),
        ):
            props[key] = _string(what)
    return {"type": "object", "properties": props, "required": [h.CONTENT_TYPE, h.SCHEMA, h.SCHEMA_VERSION]}


def _message(name: str, key: str) -> dict:
    version = SCHEMA_VERSIONS[name]
    return {
        "name": name,
        "contentType": "application/json",
        "headers": message_headers(name),
        "payload": {
            "schemaFormat": "application/schema+json;version=draft-07",
            "schema": {"$ref": f"../schemas/released/{name}/{version}.schema.json"},
        },
        "bindings": {"kafka": {"key": _string(key), "bindingVersion": KAFKA_BINDING}},
    }


def _binding(spec) -> dict:
    config: dict = {
        "cleanup.policy": [spec.config.get("cleanup.policy", "delete")],
        "max.message.bytes": int(spec.config["max.message.bytes"]),
    }
    if "retention.ms" in spec.config:
        config["retention.ms"] = int(spec.config["retention.ms"])
    return {
        "kafka": {
            "topic": spec.name,
            "partitions": spec.partitions,
            "replicas": spec.replication,
            "topicConfiguration": config,
            "bindingVersion": KAFKA_BINDING,
        }
    }


def document(settings: Settings) -> dict:
    """The AsyncAPI 3.0 document of the deployment `settings` describes."""
    from streams.enrich import ministry_names, topic_catalogue
    from streams.topology import topic_specs

    t: Topics = settings.topics
    specs = {s.name: s for s in topic_specs(settings, tables={})}
    ministries, topic_ids = sorted(ministry_names()), sorted(tp["id"] for tp in topic_catalogue())
    channels: dict = {}
    messages: dict = {}
    operations: dict = {}
    for attr, (names, key) in CHANNELS.items():
        for name in names:
            messages[name] = _message(name, key)
        refs = {name: {"$ref": f"#/components/messages/{name}"} for name in names}
        if attr in ("ministry", "topic"):
            ids = ministries if attr == "ministry" else topic_ids
            example = specs[t.ministry(ids[0]) if attr == "ministry" else t.topic(ids[0])]
            prefix = t.ministry_prefix if attr == "ministry" else t.topic_prefix
            binding = _binding(example)
            del binding["kafka"]["topic"]  # one per id
            channel = {
                "address": f"{prefix}{{{attr}}}",
                "description": f"one topic per {attr} id (every id the data knows, ended bodies too): "
                "the EnrichedArticle of each newest revision that concerns it, and a Retraction "
                "when a newer revision no longer does",
                "parameters": {attr: {"enum": ids, "description": f"the {attr} id"}},
                "bindings": binding,
            }
        else:
            spec = specs[getattr(t, attr)]
            channel = {"address": spec.name, "description": spec.purpose, "bindings": _binding(spec)}
        channel["messages"] = refs
        channels[attr] = channel
        for action in ("receive", "send"):
            if attr in (RECEIVED if action == "receive" else SENT):
                operations[f"{action}_{attr}"] = {
                    "action": action,
                    "channel": {"$ref": f"#/channels/{attr}"},
                    "messages": [{"$ref": f"#/channels/{attr}/messages/{name}"} for name in names],
                }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "newsroom-streams",
            "version": _version(),
            "description": "Korean news articles cleaned, tagged with the government bodies and topics they "
            "concern, and fanned out per ministry and per topic (docs/contract.md).",
        },
        "defaultContentType": "application/json",
        "servers": {
            "kafka": {
                "host": "localhost:9092",
                "protocol": "kafka",
                "description": "KAFKA_BOOTSTRAP_SERVERS of the deployment",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def _version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def rendered() -> str:
    from streams.settings import load_settings

    return json.dumps(document(load_settings({}, require_broker=False)), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    text = rendered()
    if DOCUMENT.exists() and DOCUMENT.read_text(encoding="utf-8") == text:
        return 0
    if check:
        print(f"{DOCUMENT.relative_to(ROOT)} is stale: run `make asyncapi`", file=sys.stderr)
        return 1
    DOCUMENT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
