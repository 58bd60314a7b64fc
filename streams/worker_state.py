"""Whether the worker's local tables can be trusted at start.

A worker killed with SIGKILL can leave its RocksDB tables *ahead* of their changelog topics (the
store wrote a value whose changelog record was still in the producer's buffer). Counting relies on
the table equalling a prefix of its changelog (streams.dedup), so after an unclean shutdown the
local tables are dropped and Faust rebuilds them from the changelogs. A graceful stop (SIGTERM,
Ctrl-C) writes a marker that lets the next start keep them.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

log = logging.getLogger("newsroom.worker")

MARKER = "CLEAN_SHUTDOWN"


def prepare_data_dir(data_dir: Path) -> bool:
    """Make data_dir ready for a start. Returns True when local tables were dropped."""
    data_dir.mkdir(parents=True, exist_ok=True)
    marker = data_dir / MARKER
    contents = [p for p in data_dir.iterdir() if p.name != MARKER]
    dropped = False
    if contents and not marker.exists():
        log.warning(
            "the last run of this worker did not shut down cleanly: dropping local tables in %s; "
            "they are rebuilt from their changelog topics",
            data_dir,
        )
        for path in contents:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        dropped = True
    marker.unlink(missing_ok=True)
    return dropped


def mark_clean_shutdown(data_dir: Path) -> None:
    (data_dir / MARKER).write_text("the worker stopped gracefully; its tables match their changelogs\n")
