"""A table's record cache: its writes kept in memory and written once per commit, as Kafka Streams'
record cache does, or after each record. The pure part; streams.cache_flush writes it in the worker.

Every stage's table goes through one (streams.app): the publish stage's table of revision markers
and counters (streams.counting, a `RecordCache` with the counting on top), written once per commit,
and the by-id and by-body dedup tables (streams.dedup), written after each record, before its
outputs (their keys are one per article: once per commit would save no record, and a crash would
lose more writes whose outputs went out). A record's write changes the pending copy in memory at
once, so the next record (of this agent or another sharing the table) reads it; the table, and so
its changelog, gets each changed key once per write, with its latest value. A partition's writes
go out before the offsets of the records that made them are committed (streams.cache_flush), so a
commit never covers a record whose write is only in memory, and a crash leaves the changelog a
prefix of the writes, which the replay from the last commit makes good (streams.dedup says how its
decisions stay the same; streams.counting how its counts stay exact).

A flush is two steps, because the worker may send records that depend on the taken values (the
counters to the counts topic) and wait for the brokers between them while its agents go on: `take`
moves a partition's pending writes aside (they are still read from there), `write` writes what was
taken to the table. What the agents change meanwhile is pending for the next flush.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable, Iterable, MutableMapping

# src ("topic/partition/offset") -> whether that record's offset is committed: its write is then
# never read again by a replay (streams.dedup.forget_committed)
Committed = Callable[[str], bool]


def nothing_committed(src: str) -> bool:
    return False


@dataclass
class RecordCache:
    table: MutableMapping
    # what a value loses when written, given which source records are committed (streams.dedup)
    prune: Callable[[dict, Committed], dict] | None = field(default=None, kw_only=True)
    pending: dict[int, dict[str, dict]] = field(default_factory=dict, init=False)  # partition -> key -> latest
    taken: dict[int, dict[str, dict]] = field(default_factory=dict, init=False)  # partition -> taken, not written

    def get(self, key: str, partition: int):
        for layer in (self.pending, self.taken):
            cached = layer.get(partition, {}).get(key)
            if cached is not None:
                return cached
        return self.table.get(key)

    def put(self, key: str, partition: int, value: dict) -> None:
        self.pending.setdefault(partition, {})[key] = value

    def view(self, partition: int) -> PartitionView:
        """The table as the partition's records see it, pending writes included (for streams.dedup)."""
        return PartitionView(self, partition)

    def write_order(self, key: str) -> int:
        """Keys of a flush are written in this order (a stable sort): 0 for all here."""
        return 0

    def dirty(self) -> list[int]:
        return [p for p, changed in self.pending.items() if changed]

    def take(self, partition: int) -> list[tuple[str, dict]]:
        """Set the partition's pending writes aside for `write`; returns what is taken (key, value)."""
        taken = self.taken.setdefault(partition, {})
        taken.update(self.pending.pop(partition, {}))
        return list(taken.items())

    def to_write(self, partition: int, committed: Committed = nothing_committed) -> list[tuple[str, dict]]:
        """What was taken of the partition, as it is to be written: each key once, in `write_order`,
        pruned. It stays readable where it is until `written` (the writes may wait for the producer)."""
        prune = self.prune
        return [
            (key, prune(value, committed) if prune is not None else value)
            for key, value in sorted(self.taken.get(partition, {}).items(), key=lambda item: self.write_order(item[0]))
        ]

    def written(self, partition: int) -> None:
        """What was taken of the partition is in the table now."""
        self.taken.pop(partition, None)

    def write(self, partition: int, committed: Committed = nothing_committed) -> None:
        """Write what was taken of the partition to the table, each key once, in `write_order`."""
        for key, value in self.to_write(partition, committed):
            self.table[key] = value
        self.written(partition)

    def flush(self, partition: int, committed: Committed = nothing_committed) -> list[tuple[str, dict]]:
        """`take` and `write` at once; returns what `take` returned."""
        taken = self.take(partition)
        self.write(partition, committed)
        return taken

    def forget(self, partitions: Iterable[int]) -> None:
        """Drop what is pending for partitions this worker no longer owns: their new owner re-reads
        them from the last commit."""
        for partition in partitions:
            self.pending.pop(partition, None)
            self.taken.pop(partition, None)

    def values(self) -> dict:
        """{key: value} of every key, pending and taken writes over the table's (for views and tests)."""
        merged = dict(self.table.items())
        for layer in (self.taken, self.pending):
            for changes in layer.values():
                merged.update(changes)
        return merged


@dataclass
class PartitionView:
    """A mapping over one partition of a record cache: what a step reads and writes."""

    cache: RecordCache
    partition: int

    def get(self, key: str, default=None):
        value = self.cache.get(key, self.partition)
        return default if value is None else value

    def __setitem__(self, key: str, value: dict) -> None:
        self.cache.put(key, self.partition, value)
