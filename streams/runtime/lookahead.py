"""Speed only: the records waiting in an agent's queue, behind the one it holds, read without
taking them (the `clean` agent sends their pages, the `enrich` agent their articles, to the
cleaning processes meanwhile: streams.cleaners). Taking, acknowledging and committing records is unchanged."""

from __future__ import annotations

import itertools
from typing import Any

from streams.runtime.internal_reads import ReadFailures


class QueuePeek:
    """Reads the first events of a stream's queue. If that read fails (other Faust internals than
    pinned), the failure is logged and counted once (`newsroom_runtime_read_failures` on /metrics,
    streams.runtime.internal_reads) and no event is read ahead from then on: slower, not wrong."""

    def __init__(self) -> None:
        self.broken = False

    def __call__(self, stream: Any, start: int, stop: int) -> list[Any]:
        """The events at positions start to stop - 1 of the stream's queue (0: the oldest)."""
        if self.broken:
            return []
        try:
            waiting = stream.channel.queue._queue  # asyncio.Queue's deque: no public way to peek
            return list(itertools.islice(waiting, start, stop))
        except Exception as exc:  # noqa: BLE001 - any failure here is an internals mismatch, counted
            self.broken = True
            failures = getattr(getattr(getattr(stream, "app", None), "consumer", None), "read_failures", None)
            (failures or ReadFailures()).failed("agent queue contents (look-ahead)", exc)
            return []
