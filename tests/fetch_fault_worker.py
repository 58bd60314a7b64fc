"""A `newsroom worker` whose Kafka consumer fails: aiokafka's fetcher raises in the consumer's thread.

Run as `python tests/fetch_fault_worker.py` with the worker's environment and FAIL_FETCH_AFTER=N: the
fetcher's N-th hand-out of records raises the KeyError a seek racing the fetcher made there (aiokafka's
`Fetcher.fetched_records`, the failure `NoSkipConsumer._seek` now avoids; any failure of the consumer's
thread ends the same way). The worker can read nothing more: it must exit non-zero, so that its
supervisor (systemd, Kubernetes) starts it again, and the restarted worker must lose nothing.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiokafka.consumer.fetcher import Fetcher

from streams.cli import main

log = logging.getLogger("newsroom.fault")


def fail_after(calls: int) -> None:
    fetched_records = Fetcher.fetched_records
    seen = 0

    async def failing(self, partitions, timeout=0, max_records=None):
        nonlocal seen
        records = await fetched_records(self, partitions, timeout=timeout, max_records=max_records)
        if records and threading.current_thread() is not threading.main_thread():  # faust's consumer, not the desk's
            seen += 1
            if seen == calls:
                log.warning("FAULT: the fetcher fails in the consumer's thread")
                raise KeyError(next(iter(records)))
        return records

    Fetcher.fetched_records = failing  # type: ignore[method-assign]


if __name__ == "__main__":
    fail_after(int(os.environ["FAIL_FETCH_AFTER"]))
    sys.argv = ["newsroom", "worker"]
    raise SystemExit(main())
