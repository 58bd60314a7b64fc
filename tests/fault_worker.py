"""A `newsroom worker` that SIGKILLs itself between a counter's changelog write and its commit.

Run as `python tests/fault_worker.py` with the worker's environment and KILL_AFTER_PUBLISHED=N: at the
first commit after the publish agent has taken N records, once the record cache has written its
changed counters to the table's changelog and the counts topic and the brokers have acknowledged
them, the worker kills itself with SIGKILL, before the offsets are committed. The restarted worker
re-reads those records, and the counters' source offsets must keep the counts exact (and the dedup
entries' sources and logs give each re-read record the decision it had: streams.dedup).
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import streams.app
from streams.settings import load_settings

log = logging.getLogger("newsroom.fault")


def create_app_that_dies_after_a_flush(settings, **kwargs):
    newsroom = create_app(settings, **kwargs)
    app, after = newsroom.app, int(os.environ["KILL_AFTER_PUBLISHED"])
    flush = newsroom.flush_caches

    async def flush_then_die() -> None:
        dirty = newsroom.counters.dirty()
        await flush()
        if dirty and newsroom.progress.counters.get("publish_in", 0) >= after:
            await app.producer.flush()  # the counters are in the changelog and on the counts topic
            log.warning("FAULT: killed after writing the counters of partitions %s, before the commit", dirty)
            logging.shutdown()
            os.kill(os.getpid(), signal.SIGKILL)

    app.before_commit[app.before_commit.index(flush)] = flush_then_die
    return newsroom


create_app = streams.app.create_app

if __name__ == "__main__":
    settings = load_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    streams.app.create_app = create_app_that_dies_after_a_flush
    streams.app.run_worker(settings)
