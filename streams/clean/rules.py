"""Load the cleaner's data files once: text rules and site profiles (streams/clean/data/)."""
from __future__ import annotations

from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent / "data"


def load_yaml(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


RULES: dict = load_yaml("text_rules.yaml")
