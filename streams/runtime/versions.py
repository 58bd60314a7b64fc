"""The start-up guard: the runtime patches run only on the faust-streaming and aiokafka they were
written for.

They override private methods and read private attributes, so another release can break them in
ways no error shows: records skipped at a rebalance, partitions stalled. Raising a pin means reading
the upstream changes to every method in `streams.runtime.upstream`, then running the tests that
catch what they would break.
"""

from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version

# The versions in pyproject.toml's dependencies (tests/agent/runtime/test_guards.py checks they agree).
PINNED = {"faust-streaming": "0.15.3", "aiokafka": "0.14.0"}

FAULT_TESTS = (
    "make test-faults (tests/integration/test_faults.py) and "
    "tests/agent/runtime/ (the overrides, and the digests of the upstream methods they replace)"
)


class UnsupportedVersion(RuntimeError):
    """An installed faust-streaming or aiokafka is not the version streams.runtime was written for."""


def installed(distribution: str) -> str | None:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def mismatches() -> dict[str, tuple[str, str | None]]:
    """{distribution: (pinned, installed)} for every pinned distribution installed at another version."""
    wrong = {}
    for distribution, pinned in PINNED.items():
        have = installed(distribution)
        if have != pinned:
            wrong[distribution] = (pinned, have)
    return wrong


@functools.cache
def check_versions() -> None:
    """Raise UnsupportedVersion unless the pinned versions are installed (checked once per process)."""
    wrong = mismatches()
    if wrong:
        found = ", ".join(
            f"{name} {have or 'not installed'} (pinned {pinned})" for name, (pinned, have) in sorted(wrong.items())
        )
        raise UnsupportedVersion(
            f"streams.runtime patches private methods of faust-streaming and aiokafka and refuses to run "
            f"on other versions than it was written for: {found}. Install the pinned versions "
            f"(pip install -e .), or, to raise a pin, read the upstream changes to the methods listed in "
            f"streams/runtime/upstream.py and run {FAULT_TESTS} before changing PINNED and pyproject.toml."
        )
