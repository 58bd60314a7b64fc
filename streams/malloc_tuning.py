"""glibc malloc settings for a long-running worker, applied once at its start.

Large blocks (Kafka fetch responses, record batches, RocksDB's) come from glibc's malloc. glibc
gives a block of at least M_MMAP_THRESHOLD bytes its own mmap, returned to the system on free, but
it raises that threshold (up to 32 MiB) each time such a block is freed. After that, large blocks
come from the heap, and the heap keeps what they leave free: measured over a 100,000-article soak
(bench/e2e.py --soak, `--variant memstats`), glibc kept 25-55 MiB free and the worker's RSS kept
rising. With the threshold fixed at 128 KiB (glibc's starting value; setting it stops the raising)
malloc kept about 10 MiB free and the RSS levelled off.

The same as starting the worker with MALLOC_MMAP_THRESHOLD_=131072; a value set that way wins.
See mallopt(3).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import os

log = logging.getLogger("newsroom.worker")

M_MMAP_THRESHOLD = -3  # from glibc's malloc.h
M_ARENA_MAX = -8
MMAP_THRESHOLD_BYTES = 128 << 10
ENVIRONMENT_OVERRIDE = "MALLOC_MMAP_THRESHOLD_"


@functools.cache
def glibc():
    """The C library when it is glibc's (it has mallopt and mallinfo2), else None (macOS, musl)."""
    name = ctypes.util.find_library("c")
    try:
        lib = ctypes.CDLL(name) if name else None
        if lib is None or not (hasattr(lib, "mallopt") and hasattr(lib, "mallinfo2")):
            return None
    except OSError:
        return None
    lib.malloc.restype = ctypes.c_void_p
    lib.free.argtypes = [ctypes.c_void_p]
    return lib


def mallopt(param: int, value: int) -> bool:
    """glibc's mallopt(param, value): True when glibc took it."""
    lib = glibc()
    return lib is not None and bool(lib.mallopt(param, value))


def tune_malloc(threshold: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Fix glibc's mmap threshold; False (and nothing changed) where malloc is not glibc's, or the
    environment already sets it."""
    if os.environ.get(ENVIRONMENT_OVERRIDE) or glibc() is None:
        return False
    if not mallopt(M_MMAP_THRESHOLD, threshold):
        log.warning("mallopt(M_MMAP_THRESHOLD, %d) refused; malloc keeps its defaults", threshold)
        return False
    return True
