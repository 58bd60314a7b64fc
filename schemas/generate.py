"""Write the JSON Schema of every event model into schemas/<Name>.schema.json, and keep each released
version under schemas/released/<Name>/<version>.schema.json.

`python -m schemas.generate` (make schemas) writes them; `--check` (make check-schemas) exits 1 if a
file is stale, if a model changed without a new version in `SCHEMA_VERSIONS`, or if a version breaks
an earlier release of its major version (schemas.compat).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from schemas.compat import breaking_changes
from schemas.events import ALL_EVENTS, SCHEMA_VERSIONS

HERE = Path(__file__).resolve().parent
RELEASED = HERE / "released"
SCHEMA_BASE = "https://schemas.newsroom-streams.dev/"


def schema_id(name: str, version: str) -> str:
    return f"{SCHEMA_BASE}{name}/{version}.schema.json"


def schema_of(name: str) -> dict:
    """The JSON Schema of one event, with its `$id` and `version`."""
    version = SCHEMA_VERSIONS[name]
    body = ALL_EVENTS[name].model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id(name, version),
        "version": version,
        **body,
    }


def _text(schema: dict) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def rendered() -> dict[Path, str]:
    """The current schema files, and the released file of each current version."""
    out: dict[Path, str] = {}
    for name in ALL_EVENTS:
        text = _text(schema_of(name))
        out[HERE / f"{name}.schema.json"] = text
        out[RELEASED / name / f"{SCHEMA_VERSIONS[name]}.schema.json"] = text
    return out


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(p) for p in path.name.removesuffix(".schema.json").split("."))


def releases(name: str) -> list[tuple[str, dict]]:
    """(version, schema) of every released version of an event, oldest first."""
    folder = RELEASED / name
    files = sorted(folder.glob("*.schema.json"), key=_version_key) if folder.exists() else []
    return [(p.name.removesuffix(".schema.json"), json.loads(p.read_text(encoding="utf-8"))) for p in files]


def compatibility_problems() -> list[str]:
    """Breaking changes of each current schema against every release of its major version."""
    problems = []
    for name in ALL_EVENTS:
        current, major = schema_of(name), SCHEMA_VERSIONS[name].split(".")[0]
        for version, released in releases(name):
            if version.split(".")[0] != major or version == SCHEMA_VERSIONS[name]:
                continue
            problems += [
                f"{name} {version} -> {SCHEMA_VERSIONS[name]}: {p}" for p in breaking_changes(released, current)
            ]
    return problems


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    stale = []
    for path, text in rendered().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if path.parent.parent == RELEASED and current is not None:
            print(
                f"{path.relative_to(HERE)} is released and differs from the model: give the model a new version "
                "in schemas/events.py SCHEMA_VERSIONS",
                file=sys.stderr,
            )
            return 1
        stale.append(str(path.relative_to(HERE)))
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if check and stale:
        print("stale JSON Schema files (run `make schemas`): " + ", ".join(stale), file=sys.stderr)
        return 1
    problems = compatibility_problems()
    if problems:
        print(
            "breaking schema changes (a new major version is needed, docs/contract.md):\n  " + "\n  ".join(problems),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
