"""What a start works out from the project's own files, kept in the user's cache folder for the
next start: compiled patterns (streams/clean/rule_cache.py) and parsed data files
(streams/yaml_data.py), as Python keeps compiled modules.

Each kept file is a JSON object holding the `key` of what it was built from (a digest of the
sources and of whatever else decides the result); `load` gives its `value` only where the key is
the caller's. The folder is `$XDG_CACHE_HOME/newsroom-streams`, by default
`~/.cache/newsroom-streams`. Nothing here fails a start: where the folder cannot be read or written
(a read-only container, no home), the caller works the thing out again, as without a cache.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

log = logging.getLogger(__name__)


def folder() -> Path | None:
    """The cache folder; None where the user has no home to hold one."""
    base = os.environ.get("XDG_CACHE_HOME")
    try:
        return Path(base or Path.home() / ".cache") / "newsroom-streams"
    except RuntimeError:  # no HOME and no password entry: nowhere to keep anything
        return None


def load(name: str, key: str) -> Any | None:
    """The value kept as `name` under this key, or None (none kept, another key, unreadable)."""
    found = folder()
    if found is None:
        return None
    try:
        kept = orjson.loads((found / f"{name}.json").read_bytes())
        return kept["value"] if kept.get("key") == key else None
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - another build's file, or a damaged one: worked out again
        log.debug("%s: kept file not used (%s: %s)", name, type(exc).__name__, exc)
        return None


def writable() -> bool:
    """Whether `keep` can write (the folder made where it is missing)."""
    found = folder()
    if found is None:
        return False
    try:
        found.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a read-only home, a container without one
        log.debug("nothing kept: %s", exc)
        return False
    return os.access(found, os.W_OK)


def keep(name: str, key: str, value: Any) -> None:
    """Write the value under its key, whole or not at all (another process may be reading it)."""
    found = folder()
    if found is None or not writable():
        return
    target = found / f"{name}.json"
    try:
        data = orjson.dumps({"key": key, "value": value})
        fd, temporary = tempfile.mkstemp(dir=found, prefix=target.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except Exception as exc:  # noqa: BLE001 - a full disk, a value JSON cannot hold: worked out next time
        log.debug("%s: not kept (%s: %s)", name, type(exc).__name__, exc)
