"""Everything that reaches into faust-streaming and aiokafka internals, and nothing else.

Faust 0.15.3 loses records around rebalances, and waits where it need not; the classes here
override its private methods to fix that. They were written for, and are checked against, exactly
the versions pinned in pyproject.toml:

- `versions`      the start-up guard: refuses other faust-streaming/aiokafka versions than pinned.
- `upstream`      which upstream methods we override, with a digest of each one's source (a test
                  fails when one changes, so a pin is never raised unread).
- `no_skip`       correctness: no record is skipped or committed past at a rebalance, a failed send
                  stops the commits (NoSkipConsumer, FullAckStream, FailStopTopic, the stall watchdog).
- `prompt`        speed only: no needless pass of the event loop per record or per send, short
                  empty fetches (PromptConsumer, PromptTopic, PromptConsumerThread).
- `lookahead`     speed only: the records waiting in an agent's queue, read without taking them
                  (the clean agent's pages and the enrich agent's articles go to the cleaning
                  processes meanwhile: streams.cleaners).
- `table_writes`  speed only: a table partition's writes of one commit as one batch (the record
                  caches' flush, streams.cache_flush), the same records and store writes as Faust's.
- `internal_reads` a read of a private attribute that fails is logged loudly and counted
                  (`newsroom_runtime_read_failures` on /metrics), never silently ignored.
- `app`           NewsroomApp: the faust.App composed of the above.
"""

from __future__ import annotations

from streams.runtime.app import NewsroomApp, NewsroomConsumer
from streams.runtime.lookahead import QueuePeek
from streams.runtime.no_skip import NoSkipConsumer, ack_counts, report_failed_send, watch_for_stalls
from streams.runtime.versions import check_versions

__all__ = [
    "NewsroomApp",
    "NewsroomConsumer",
    "NoSkipConsumer",
    "QueuePeek",
    "ack_counts",
    "check_versions",
    "report_failed_send",
    "watch_for_stalls",
]
