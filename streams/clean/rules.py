"""Load the cleaner's data files once: text rules and site profiles (streams/clean/data/)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent / "data"


def load_yaml(name: str) -> dict:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def line_patterns(patterns: list[str]) -> tuple[re.Pattern, list[re.Pattern]]:
    """Line rules as (one regex of those anchored at the line start, to `match`; the others, to
    `search`): one call instead of one per anchored rule. `(?i)` prefixes become scoped flags."""
    scoped = [f"(?i:{p[4:]})" if p.startswith("(?i)") else p for p in patterns]
    anchored = [p for p in scoped if p.startswith(("^", "(?i:^"))]
    start = re.compile("|".join(f"(?:{p})" for p in anchored) or "(?!)")
    return start, [re.compile(p) for p in scoped if p not in anchored]


RULES: dict = load_yaml("text_rules.yaml")
