"""The worker fixes glibc's mmap threshold (streams.malloc_tuning), so large freed blocks go back to
the system instead of staying in the heap."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from streams.malloc_tuning import ENVIRONMENT_OVERRIDE, tune_malloc

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# In a fresh process: free a 4 MiB block (glibc then raises its threshold past it, unless tuned),
# then allocate 1 MiB and print whether that block got its own mmap (glibc's count of them).
PROBE = textwrap.dedent("""
    import sys
    from bench._malloc_stats import malloc_stats
    from streams.malloc_tuning import glibc, tune_malloc

    libc = glibc()
    if sys.argv[1] == "tuned":
        assert tune_malloc()
    libc.free(libc.malloc(4 << 20))
    before = malloc_stats().hblks
    block = libc.malloc(1 << 20)
    print(malloc_stats().hblks - before)
""")


def own_mmaps_after_a_big_free(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != ENVIRONMENT_OVERRIDE}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    return int(out.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc: Linux only")
def test_a_large_block_gets_its_own_mmap_even_after_a_larger_one_was_freed():
    assert own_mmaps_after_a_big_free("tuned") == 1
    assert own_mmaps_after_a_big_free("default") == 0  # what glibc does untuned: the block stays in the heap


def test_a_threshold_set_in_the_environment_wins(monkeypatch):
    monkeypatch.setenv(ENVIRONMENT_OVERRIDE, "65536")
    assert tune_malloc() is False
