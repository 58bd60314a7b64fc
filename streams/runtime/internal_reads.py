"""Reads of Faust's and aiokafka's private attributes that may fail on another release.

A failed read falls back to "nothing known" (the stall watchdog leaves that partition alone), which
is safe for one pass but would silently switch the watchdog off for good. So each failure is logged
at ERROR, with its traceback the first time per kind, and counted: `ReadFailures.counts`, exported
as `newsroom_runtime_read_failures{what}` on /metrics. Any count above zero is a bug to fix here.
"""

from __future__ import annotations

import logging
from collections import Counter

log = logging.getLogger("newsroom.runtime")


class ReadFailures:
    """Counts failed internal reads by what was being read."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def failed(self, what: str, exc: BaseException) -> None:
        first = not self.counts[what]
        self.counts[what] += 1
        log.error(
            "internal read failed: %s (%r), %d time(s) so far; the stall watchdog cannot see this "
            "partition's state. faust-streaming or aiokafka internals differ from what "
            "streams.runtime expects",
            what,
            exc,
            self.counts[what],
            exc_info=exc if first else None,
        )
