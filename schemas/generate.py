"""Write the JSON Schema of every event model into schemas/<Name>.schema.json.

`python -m schemas.generate` (make schemas) writes them; `--check` exits 1 if a file is stale.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from schemas.events import ALL_EVENTS

HERE = Path(__file__).resolve().parent


def rendered() -> dict[Path, str]:
    return {
        HERE / f"{name}.schema.json": json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
        for name, model in ALL_EVENTS.items()
    }


def main(argv: list[str] | None = None) -> int:
    check = "--check" in (argv if argv is not None else sys.argv[1:])
    stale = []
    for path, text in rendered().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path.name)
            if not check:
                path.write_text(text, encoding="utf-8")
    if check and stale:
        print("stale JSON Schema files (run `make schemas`): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
