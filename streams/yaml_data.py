"""YAML data files (profiles, rules, gazetteer, taxonomy) parsed as `yaml.safe_load` parses them,
by libyaml's C parser where PyYAML has it (the same data, 5-10x faster: the cleaner's and the
tagger's files load in ~30 ms instead of ~210 ms at every start of a worker or a CLI command).

`load_data_file` keeps what a file parses to in the run cache (streams/run_cache.py), under a
digest of the file's bytes and of the installed PyYAML (its module file's path, size and time, as
Python checks a .pyc against its source), where that data reads back from JSON exactly (no dates,
no keys that are not text): a later start reads it back without importing PyYAML (12 ms) or parsing
(the cleaner's three files, 9 ms). An editor's change to a file, or another PyYAML, is a new
digest: the file is parsed again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from streams import run_cache

_FORMAT = b"1"


def parse_yaml(text: str) -> Any:
    import yaml  # only where a file is parsed: a start that reads its data files back never needs it

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@lru_cache(maxsize=1)
def _parser_stamp() -> bytes:
    """Which PyYAML would parse, without importing it (its version is 24 ms away in importlib.metadata)."""
    spec = importlib.util.find_spec("yaml")
    if spec is None or spec.origin is None:
        return b""
    found = os.stat(spec.origin)
    return f"{spec.origin}:{found.st_size}:{found.st_mtime_ns}".encode()


def load_data_file(path: Path) -> Any:
    """The data of a YAML file: kept from an earlier start where the file is unchanged, else
    parsed (and kept for the next start where its data reads back from JSON as it is)."""
    source = path.read_bytes()
    name = f"data-{path.parent.parent.name}-{path.stem}"  # data-clean-profiles, data-enrich-gazetteer
    key = hashlib.sha256(_FORMAT + b"\0" + _parser_stamp() + b"\0" + source).hexdigest()
    kept = run_cache.load(name, key)
    if kept is not None:
        return kept
    data = parse_yaml(source.decode("utf-8"))
    try:
        same = orjson.loads(orjson.dumps(data)) == data
    except TypeError:  # a key JSON cannot hold, a set
        same = False
    if same:
        run_cache.keep(name, key, data)
    return data
