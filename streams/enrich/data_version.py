"""The version of the data that tags articles: the gazetteer, the taxonomy and the topic model.

`data_version()` is `g<gazetteer as_of>-<hash>`: the gazetteer's own `as_of` date (what an editor
reads) and the first 12 hex digits of the sha256 of the three data files' bytes (what changes with
any edit, whether or not `as_of` was updated). Every EnrichedArticle names the version that tagged
it; `newsroom retag` re-tags the articles whose version is not today's (docs/contract.md).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from .gazetteer import DEFAULT_GAZETTEER
from .taxonomy import DEFAULT_TAXONOMY
from .topic_model import DEFAULT_TOPIC_MODEL

DATA_FILES: tuple[Path, ...] = (DEFAULT_GAZETTEER, DEFAULT_TAXONOMY, DEFAULT_TOPIC_MODEL)
_AS_OF = re.compile(rb"^as_of:\s*['\"]?([0-9-]+)", re.MULTILINE)


def version_of(files: tuple[Path, ...] = DATA_FILES) -> str:
    """The data version of the given files (the gazetteer first)."""
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + str(len(data)).encode() + b"\0" + data)
    found = _AS_OF.search(files[0].read_bytes()) if files else None
    as_of = found.group(1).decode() if found else "unknown"
    return f"g{as_of}-{digest.hexdigest()[:12]}"


@lru_cache(maxsize=1)
def data_version() -> str:
    """The version of the packaged data files, computed once per process."""
    return version_of()
