"""Reading the editor-maintained YAML data files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from streams.yaml_data import parse_yaml

from .errors import EnrichDataError, data_error


def read_yaml(path: Path, what: str) -> Any:
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EnrichDataError(f"{path}: cannot read {what}: {exc}") from exc


def entry_id(where: str, raw: Any, pattern: re.Pattern[str]) -> str:
    """The `id` of a data-file entry, which must be a mapping with an id matching `pattern`."""
    if not isinstance(raw, dict):
        raise data_error(where, "must be a mapping")
    value = raw.get("id")
    if not isinstance(value, str) or not pattern.match(value):
        raise data_error(where, f"id must match {pattern.pattern}, got {value!r}")
    return value
