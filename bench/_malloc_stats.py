"""glibc's malloc statistics (mallinfo2), for the memory benches and the malloc-tuning test; the
worker itself never reads them (streams.malloc_tuning only sets the mmap threshold)."""

from __future__ import annotations

import ctypes


class MallInfo2(ctypes.Structure):
    """glibc's `struct mallinfo2` (malloc statistics, all arenas)."""

    _fields_ = [
        (n, ctypes.c_size_t)
        for n in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def malloc_stats() -> MallInfo2 | None:
    """glibc's malloc statistics now, or None without glibc."""
    from streams.malloc_tuning import glibc

    lib = glibc()
    if lib is None:
        return None
    lib.mallinfo2.restype = MallInfo2
    return lib.mallinfo2()
