"""Every topic the worker uses, with its partitions and configs, in one place.

`newsroom topics create` and the worker's start both call `ensure_topics`, which creates what is
missing (idempotently, on any cluster) and waits until the cluster's metadata shows every topic,
so the consumer group never starts with a topic it cannot see yet. The fan-out topics are those of
every body in the gazetteer, ended ones included (an article is tagged with the body in force on its
date), and every topic of the taxonomy: once they exist the worker creates no topic, at start or at
run time (an output to a topic that is not there becomes a `missing_topic` dead letter).
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from streams.settings import Settings

log = logging.getLogger("newsroom.topics")

DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    replication: int
    purpose: str
    config: dict[str, str] = field(default_factory=dict)


def changelog_topic(settings: Settings, table: str) -> str:
    return f"{settings.app_id}-{table}-changelog"


def topic_specs(
    settings: Settings,
    *,
    ministries: list[str] | None = None,
    topic_ids: list[str] | None = None,
    tables: dict[str, str] | None = None,
) -> list[TopicSpec]:
    """The topics of this deployment: pipeline, fan-out (one per body any article can be tagged with,
    whatever its validity period, and one per topic) and changelogs."""
    if ministries is None or topic_ids is None:
        from streams.enrich import ministry_names, topic_catalogue

        ministries = sorted(ministry_names()) if ministries is None else ministries
        topic_ids = [tp["id"] for tp in topic_catalogue()] if topic_ids is None else topic_ids
    t = settings.topics
    size = {"max.message.bytes": str(settings.max_message_bytes)}

    def spec(name: str, purpose: str, retention_days: int | None = 7, **extra: str) -> TopicSpec:
        config = dict(size)
        if retention_days is not None:
            config["retention.ms"] = str(retention_days * DAY_MS)
        config.update(extra)
        return TopicSpec(name, settings.partitions, settings.replication, purpose, config)

    from streams.graph import TABLES, TOPICS

    specs = [
        spec(getattr(t, attr), purpose, retention_days, **({"cleanup.policy": "compact"} if compacted else {}))
        for attr, (purpose, retention_days, compacted) in TOPICS.items()
    ]
    specs += [
        spec(t.ministry(m), f"EnrichedArticle (or Retraction) concerning ministry {m}", retention_days=30)
        for m in ministries
    ]
    specs += [
        spec(t.topic(tp), f"EnrichedArticle (or Retraction) on topic {tp}", retention_days=30) for tp in topic_ids
    ]
    specs += [
        spec(
            changelog_topic(settings, name),
            f"changelog of table {name}: {purpose}",
            retention_days=None,
            **{"cleanup.policy": "compact"},
        )
        for name, purpose in (TABLES if tables is None else tables).items()
    ]
    return specs


class TopicError(RuntimeError):
    """A topic could not be created or inspected."""


async def ensure_topics(
    settings: Settings, specs: list[TopicSpec], *, timeout: float = 60.0
) -> tuple[list[str], list[str]]:
    """Create the missing topics and wait until metadata shows all. Returns (created, existing)."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(**settings.kafka_client_options(), request_timeout_ms=int(timeout * 1000))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [s for s in specs if s.name not in existing]
        for start in range(0, len(missing), 50):
            batch = missing[start : start + 50]
            response = await admin.create_topics(
                [NewTopic(s.name, s.partitions, s.replication, topic_configs=s.config) for s in batch],
                timeout_ms=int(timeout * 1000),
            )
            for error in response.topic_errors:
                name, code = error[0], error[1]
                if code not in (0, 36):  # 36: TOPIC_ALREADY_EXISTS (another worker was first)
                    message = error[2] if len(error) > 2 else ""
                    raise TopicError(f"creating topic {name} failed: Kafka error {code} {message or ''}".strip())
        deadline = time.monotonic() + timeout
        wanted = {s.name: s.partitions for s in specs}
        while True:
            described = await admin.describe_topics(list(wanted))
            ready = {d["topic"] for d in described if d["error_code"] == 0 and len(d["partitions"]) > 0}
            if ready >= set(wanted):
                break
            if time.monotonic() > deadline:
                raise TopicError(f"topics not visible after {timeout:.0f}s: {sorted(set(wanted) - ready)[:10]}")
            await asyncio.sleep(0.2)
        created = [s.name for s in missing]
        if created:
            log.info(
                "created %d topic(s): %s", len(created), ", ".join(created[:8]) + (" ..." if len(created) > 8 else "")
            )
        return created, sorted(existing & set(wanted))
    finally:
        await admin.close()


async def describe(settings: Settings, names: list[str]) -> list[dict]:
    """Partitions, replication and configs of the named topics as the cluster has them."""
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

    admin = AIOKafkaAdminClient(**settings.kafka_client_options())
    await admin.start()
    try:
        described = {d["topic"]: d for d in await admin.describe_topics(names)}
        present = [n for n in names if n in described and described[n]["error_code"] == 0]
        configs: dict[str, dict[str, str]] = {}
        if present:
            responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n) for n in present])
            for response in responses:
                for resource in response.resources:
                    # (error_code, error_message, resource_type, resource_name, config_entries)
                    entries = resource[4]
                    configs[resource[3]] = {
                        e[0]: e[1]
                        for e in entries
                        if not (len(e) > 3 and e[3]) or e[0] in ("cleanup.policy", "retention.ms", "max.message.bytes")
                    }
        rows = []
        for name in names:
            d = described.get(name)
            if not d or d["error_code"] != 0:
                rows.append({"topic": name, "exists": False})
                continue
            parts = d["partitions"]
            rows.append(
                {
                    "topic": name,
                    "exists": True,
                    "partitions": len(parts),
                    "replication": len(parts[0]["replicas"]) if parts else 0,
                    "config": configs.get(name, {}),
                }
            )
        return rows
    finally:
        await admin.close()
