"""`newsroom worker` (through the CLI, as a user starts it) whose enrich step raises for an article
whose id starts with `boom`: an unexpected error inside an agent, as a bug would make one.

Run as `python tests/erring_worker.py` with the worker's environment. The error becomes an
`internal_error` dead letter, is logged with its traceback (tests/integration/test_logs.py reads
the log) and counted on `newsroom_agent_errors_total` (tests/integration/test_monitoring.py).

The failure is injected where tagging runs: `streams.steps.enrich` is replaced by this module's
`enrich_or_fail`, named by its importable name (`tests.erring_worker`), so the cleaning process
(NEWSROOM_CLEAN_PROCESSES, which tags the enrich stage's articles) is started with it too
(streams.cleaners.tagger_name): an article tagged there fails in the process as a bug in tagging
would, the process tells the step so, and the step tags it again in the worker's thread, where it
fails again and becomes the dead letter, logged with the traceback (the step counts it as
`tagged_here`, as it counts an article tagged in the thread because it was not sent to the process).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orjson

import streams.steps
from streams.cli import main
from tests.support import synthetic_article

FAILING_PREFIX = "boom"
_enrich = streams.steps.enrich


def failing_article(i: int) -> tuple[bytes, bytes]:
    """(key, RawArticle JSON) of an article that this worker fails on in the enrich stage."""
    _, value = synthetic_article(i)
    envelope = orjson.loads(value)
    envelope["id"] = f"{FAILING_PREFIX}-{i}"
    return envelope["id"].encode(), orjson.dumps(envelope)


def enrich_or_fail(article):
    if article.id.startswith(FAILING_PREFIX):
        raise RuntimeError(f"deliberate failure for {article.id}")
    return _enrich(article)


TAGGER = "tests.erring_worker:enrich_or_fail"  # how streams.cleaners names it to a cleaning process


if __name__ == "__main__":
    # the module as `tests.erring_worker`, not `__main__`: a cleaning process imports the tagger by that name
    from tests import erring_worker

    streams.steps.enrich = erring_worker.enrich_or_fail
    raise SystemExit(main(["worker"]))
