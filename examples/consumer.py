"""A downstream consumer of newsroom-streams' per-ministry topics (docs/contract.md).

    python examples/consumer.py --bootstrap localhost:9092 [--pattern '^news\\.ministry\\..*'] [--group my-desk]

Subscribes by regular expression to every `news.ministry.<id>` topic (a topic created later, for a
new ministry, is picked up too), and keeps, per topic, the newest version of each article that
concerns it:
- an event is an EnrichedArticle or, when its `kind` is "retraction", a Retraction: the article's
  newer revision no longer concerns this ministry;
- the newest is the one with the highest (revision, tag_revision); older ones arriving late (a
  replay, a re-tag racing an update) are ignored;
- fields it does not know are ignored (a tolerant reader: a newer producer may add fields).
With --idle S it prints the final state as JSON ({topic: [article ids]}) after S seconds without an
event and exits (what the test of this example checks); without, it prints each change as it comes.
Needs only aiokafka.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import uuid

from aiokafka import AIOKafkaConsumer


class Feed:
    """Per topic: article id -> (revision, tag_revision, article or None if retracted)."""

    def __init__(self) -> None:
        self.topics: dict[str, dict[str, tuple[int, int, dict | None]]] = {}

    def apply(self, topic: str, value: bytes) -> str | None:
        """Take one event; returns what changed ("added", "updated", "retracted") or None."""
        event = json.loads(value)
        order = (int(event["revision"]), int(event.get("tag_revision", 0)))
        articles = self.topics.setdefault(topic, {})
        seen = articles.get(event["id"])
        if seen is not None and (seen[0], seen[1]) >= order:
            return None  # an older or repeated version: we have a newer one
        if event.get("kind") == "retraction":
            articles[event["id"]] = (*order, None)
            return "retracted" if seen is not None and seen[2] is not None else None
        articles[event["id"]] = (*order, event)
        return "updated" if seen is not None and seen[2] is not None else "added"

    def state(self) -> dict[str, list[str]]:
        """{topic: ids of the articles that concern it now}."""
        return {
            topic: sorted(i for i, (_, _, a) in articles.items() if a is not None)
            for topic, articles in sorted(self.topics.items())
        }


async def run(bootstrap: str, pattern: str, group: str, idle: float | None) -> Feed:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=True,
        metadata_max_age_ms=5000,
    )
    await consumer.start()
    consumer.subscribe(pattern=pattern)
    feed = Feed()
    last = time.monotonic()
    assigned: set = set()
    try:
        while idle is None or time.monotonic() - last < idle:
            batch = await consumer.getmany(timeout_ms=500)
            if not consumer.assignment() or consumer.assignment() != assigned:
                assigned = set(consumer.assignment())  # joining, or a new matching topic: not idle yet
                last = time.monotonic()
            for records in batch.values():
                for record in records:
                    last = time.monotonic()
                    change = feed.apply(record.topic, record.value)
                    if change and idle is None:
                        print(f"{change:9} {record.topic} {record.key.decode() if record.key else ''}", flush=True)
    finally:
        await consumer.stop()
    return feed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="localhost:9092")
    parser.add_argument("--pattern", default=r"^news\.ministry\..*")
    parser.add_argument("--group", default=f"newsroom-example-{uuid.uuid4().hex[:8]}")
    parser.add_argument("--idle", type=float, default=None, help="print the state and exit after S quiet seconds")
    args = parser.parse_args(argv)
    feed = asyncio.run(run(args.bootstrap, args.pattern, args.group, args.idle))
    if args.idle is not None:
        json.dump(feed.state(), sys.stdout)
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
