"""`newsroom deadletters list|replay`: inspect dead letters, and re-feed them after a fix.

Replay sends each selected letter's original bytes, with its original key, back to the topic it
came from (or --to). The pipeline's dedup makes a replay safe: an article that meanwhile went
through is recognised and neither published nor counted again.
"""

from __future__ import annotations

import asyncio
import base64
from collections import Counter
from dataclasses import dataclass

from pydantic import ValidationError

from schemas import DeadLetter
from streams.kafka_io import produce_records, tail_topic
from streams.settings import Settings


@dataclass(frozen=True)
class Selection:
    reason: str | None = None
    stage: str | None = None
    source_topic: str | None = None

    def wants(self, letter: DeadLetter) -> bool:
        return (
            (self.reason is None or letter.reason == self.reason)
            and (self.stage is None or letter.stage == self.stage)
            and (self.source_topic is None or letter.topic == self.source_topic)
        )


def read_letters(
    settings: Settings, selection: Selection, *, idle: float = 2.0, max_letters: int | None = None
) -> list[tuple[dict, DeadLetter]]:
    """(position on the dead-letter topic, letter) for every selected letter, oldest first."""
    letters: list[tuple[dict, DeadLetter]] = []

    def keep(key, value, meta) -> None:
        try:
            letter = DeadLetter.model_validate_json(value or b"")
        except ValidationError:
            return  # not a dead letter (someone else wrote here); nothing to replay
        if selection.wants(letter):
            letters.append((meta, letter))

    asyncio.run(tail_topic(settings, settings.topics.deadletter, keep, timeout=idle))
    return letters[:max_letters] if max_letters is not None else letters


def summary(letters: list[tuple[dict, DeadLetter]]) -> list[tuple[str, str, int]]:
    counted = Counter((letter.stage, letter.reason) for _, letter in letters)
    return sorted(((stage, reason, n) for (stage, reason), n in counted.items()), key=lambda r: (-r[2], r[0], r[1]))


def replay(
    settings: Settings, letters: list[tuple[dict, DeadLetter]], *, to_topic: str | None = None
) -> dict[str, int]:
    """Send the originals back; returns {target topic: events sent}. Truncated originals are skipped
    (their bytes are only at their source position)."""
    by_topic: dict[str, list[tuple[bytes | None, bytes]]] = {}
    for _, letter in letters:
        if letter.original_truncated:
            continue
        key = base64.b64decode(letter.original_key) if letter.original_key is not None else None
        by_topic.setdefault(to_topic or letter.topic, []).append((key, base64.b64decode(letter.original)))
    return {topic: asyncio.run(produce_records(settings, topic, records)) for topic, records in by_topic.items()}
