"""The data files' YAML parser: what yaml.safe_load gives, and never an object built from a tag."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from streams.yaml_data import parse_yaml

DATA_FILES = sorted(Path("streams").glob("*/data/*.yaml"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p))
def test_every_data_file_parses_as_safe_load_parses_it(path):
    text = path.read_text(encoding="utf-8")
    assert parse_yaml(text) == yaml.safe_load(text)


def test_a_data_file_cannot_build_python_objects():
    with pytest.raises(yaml.YAMLError):
        parse_yaml("rule: !!python/object/apply:os.system ['echo owned']")
