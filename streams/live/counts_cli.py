"""`newsroom counts`: the counts of a running worker, as a table in the terminal (read from its web view)."""

from __future__ import annotations

import sys
import unicodedata
import urllib.error
import urllib.parse
import urllib.request

import orjson


def _width(text: str) -> int:
    """Columns a string takes in a terminal (Hangul is two columns wide)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(counts: dict, label: str, title: str) -> str:
    rows = sorted(((c["count"], key, c.get(label) or key) for key, c in counts.items()), key=lambda r: (-r[0], r[1]))
    if not rows:
        return f"{title}\n  (nothing counted)"
    id_w = max(_width("id"), *(_width(r[1]) for r in rows))
    name_w = max(_width("name"), *(_width(r[2]) for r in rows))
    n_w = max(len("count"), *(len(str(r[0])) for r in rows))
    lines = [
        title,
        f"{_pad('id', id_w)}  {_pad('name', name_w)}  {'count':>{n_w}}",
        f"{'-' * id_w}  {'-' * name_w}  {'-' * n_w}",
    ]
    lines += [f"{_pad(key, id_w)}  {_pad(name, name_w)}  {n:>{n_w}}" for n, key, name in rows]
    lines.append(f"{'':{id_w}}  {_pad('total', name_w)}  {sum(r[0] for r in rows):>{n_w}}")
    return "\n".join(lines)


def run(url: str, window: str, topics: bool, at: str | None = None) -> int:
    plural, label = ("topics", "label_ko") if topics else ("ministries", "name_ko")
    query = {"window": window} | ({"at": at} if at else {})
    address = f"{url.rstrip('/')}/counts/{plural}?{urllib.parse.urlencode(query)}"
    try:
        with urllib.request.urlopen(address, timeout=10) as resp:  # a URL the user gave
            counts = orjson.loads(resp.read())
    except urllib.error.HTTPError as err:
        try:
            detail = orjson.loads(err.read()).get("error")
        except (orjson.JSONDecodeError, AttributeError):
            detail = err.reason
        print(f"newsroom counts: {address}: {err.code} {detail}", file=sys.stderr)
        return 2
    except OSError as err:
        print(
            f"newsroom counts: no worker answers at {url} ({err}). Start one with `newsroom worker`, or pass --url.",
            file=sys.stderr,
        )
        return 2
    window_name = {"all": "all time", "1h": "this hour", "24h": "last 24 hours"}.get(window, window)
    print(format_table(counts, label, f"{plural} counted, {window_name}{' at ' + at if at else ''}"))
    return 0
