"""The data files' YAML parser: what yaml.safe_load gives, and never an object built from a tag;
read back from the run cache only where the file is unchanged and its data is what JSON holds."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from streams import yaml_data
from streams.yaml_data import load_data_file, parse_yaml

DATA_FILES = sorted(Path("streams").glob("*/data/*.yaml"))


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p))
def test_every_data_file_parses_as_safe_load_parses_it(path):
    text = path.read_text(encoding="utf-8")
    assert parse_yaml(text) == yaml.safe_load(text)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: str(p))
def test_every_data_file_loads_as_safe_load_parses_it_kept_or_not(path):
    """Whatever the user's cache held when this ran, twice (the second from the cache where kept)."""
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert load_data_file(path) == expected
    assert load_data_file(path) == expected


@pytest.fixture
def data_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "sample" / "data"
    folder.mkdir(parents=True)
    return folder / "rules.yaml"


def test_a_data_file_is_read_back_without_parsing_until_it_changes(data_file, monkeypatch):
    data_file.write_text("words: [share, 관련기사]\nmax: 3\n", encoding="utf-8")
    assert load_data_file(data_file) == {"words": ["share", "관련기사"], "max": 3}
    assert (data_file.parents[2] / "cache" / "newsroom-streams" / "data-sample-rules.json").is_file()

    def no_parsing(text):
        raise AssertionError("parsed again")

    with monkeypatch.context() as parsing_fails:
        parsing_fails.setattr(yaml_data, "parse_yaml", no_parsing)
        assert load_data_file(data_file) == {"words": ["share", "관련기사"], "max": 3}
    data_file.write_text("words: [share]\nmax: 4\n", encoding="utf-8")  # an editor's change
    assert load_data_file(data_file) == {"words": ["share"], "max": 4}


def test_another_pyyaml_parses_the_file_again(data_file, monkeypatch):
    """An upgraded PyYAML may read a file otherwise: what the old one parsed is not used."""
    data_file.write_text("words: [share]\n", encoding="utf-8")
    load_data_file(data_file)
    parsed = []
    monkeypatch.setattr(yaml_data, "parse_yaml", lambda text: parsed.append(text) or {"words": ["share"]})
    load_data_file(data_file)
    assert parsed == []  # the same PyYAML: read back
    monkeypatch.setattr(yaml_data, "_parser_stamp", lambda: b"another PyYAML")
    assert load_data_file(data_file) == {"words": ["share"]} and len(parsed) == 1


def test_data_that_json_cannot_hold_is_parsed_every_time(data_file):
    """A date (`valid_from: 2025-10-01`) is a date, never the text a JSON file would give back."""
    data_file.write_text("valid_from: 2025-10-01\n", encoding="utf-8")
    assert load_data_file(data_file) == {"valid_from": datetime.date(2025, 10, 1)}
    assert load_data_file(data_file) == {"valid_from": datetime.date(2025, 10, 1)}
    assert not (data_file.parents[2] / "cache" / "newsroom-streams" / "data-sample-rules.json").exists()


def test_a_data_file_cannot_build_python_objects():
    with pytest.raises(yaml.YAMLError):
        parse_yaml("rule: !!python/object/apply:os.system ['echo owned']")
