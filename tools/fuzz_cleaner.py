"""Fuzz the cleaner on real pages: random damage to the corpora's pages, for as long as you give it.

`tests/unit/clean/test_real_pages.py` runs a fixed, derandomised set of mutations on a few pages in
every `make test`; this runs random ones on every page of the corpora (../shared/corpora, and
`make real-text`'s cache where present) until the time is up, and prints per kind of damage how
many pages were cleaned, refused (a reason code: what bad input gets) and crashed (`internal`, or
any other exception: a bug), and the slowest. Each crashing or slow page is written to --out with
its seed, kind and source, to reproduce and to turn into a test. It found, on 4 December 2026, a
control character in a tag's name (a selector lexbor refused), a `<?php ?>` instruction beside the
story (a node without a tag name), an image in thousands of nested blocks (13 s) and a URL whose
bracketed host is no IP address (urllib raises): all four fixed.

Run: .venv/bin/python tools/fuzz_cleaner.py [--seconds 600] [--seed N] [--out DIR]   (or `make fuzz`, FUZZ_SECONDS=600)
Exit status 1 when a page crashed the cleaner.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._corpora import CORPORA, load
from streams.clean import CleanError, clean_event

SLOW_SECONDS = 2.0  # a page this slow is written out: a stream would stall on a run of them
CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe"]
_CLOSING = re.compile(r"</[a-zA-Z][a-zA-Z0-9]*\s*>")
_TAG_NAME = re.compile(r"(</?)(div|section|article|p|span|main|figure|a)(?=[\s>/])", re.I)

Mutation = Callable[[random.Random, bytes], bytes]


def truncated(rng: random.Random, page: bytes) -> bytes:
    return page[: rng.randrange(1, len(page))]


def closers_lost_or_doubled(rng: random.Random, page: bytes) -> bytes:
    text = page.decode("utf-8", "replace")
    spans = [m.span() for m in _CLOSING.finditer(text)]
    for start, end in sorted(rng.sample(spans, min(len(spans), rng.randrange(1, 40))), reverse=True):
        text = text[:start] + text[start:end] * rng.randrange(0, 3) + text[end:]
    return text.encode()


def controls_sprinkled(rng: random.Random, page: bytes) -> bytes:
    text = page.decode("utf-8", "replace")
    for spot in sorted((rng.randrange(len(text) + 1) for _ in range(rng.randrange(1, 300))), reverse=True):
        text = text[:spot] + rng.choice(CONTROLS) + text[spot:]
    return text.encode("utf-8", "surrogatepass")


def control_in_tag_names(rng: random.Random, page: bytes) -> bytes:
    text = page.decode("utf-8", "replace")
    names = sorted({m.group(2).lower() for m in _TAG_NAME.finditer(text)})
    if not names:
        return page
    name, char = rng.choice(names), rng.choice(CONTROLS)
    cut = rng.randrange(1, len(name)) if len(name) > 1 else 1
    pattern = re.compile(rf"(</?){name}(?=[\s>/])", re.I)
    return pattern.sub(lambda m: m.group(1) + name[:cut] + char + name[cut:], text).encode("utf-8", "surrogatepass")


def mixed_encodings(rng: random.Random, page: bytes) -> bytes:
    text = page.decode("utf-8", "replace")
    start = rng.randrange(len(text))
    end = min(len(text), start + rng.randrange(1, 20_000))
    codec = rng.choice(["cp949", "latin-1", "utf-16", "shift_jis", "koi8-r"])
    return text[:start].encode() + text[start:end].encode(codec, "replace") + text[end:].encode()


def nested_deep(rng: random.Random, page: bytes) -> bytes:
    text = page.decode("utf-8", "replace")
    spot = rng.randrange(len(text) + 1)
    opener = rng.choice(["<div><span><p><b>", "<span>", "<b><i>", "<div><span>", "<font>", '<a href="#">'])
    return (text[:spot] + opener * rng.randrange(100, 4000) + text[spot:]).encode()


def span_deleted(rng: random.Random, page: bytes) -> bytes:
    start = rng.randrange(len(page))
    return page[:start] + page[start + rng.randrange(1, 30_000) :]


def markup_shuffled(rng: random.Random, page: bytes) -> bytes:
    parts = re.split(r"(?=<)", page.decode("utf-8", "replace"))
    for _ in range(rng.randrange(1, 30)):
        a, b = rng.randrange(len(parts)), rng.randrange(len(parts))
        parts[a], parts[b] = parts[b], parts[a]
    return "".join(parts).encode()


def instructions_inserted(rng: random.Random, page: bytes) -> bytes:
    text = page.decode("utf-8", "replace")
    for spot in sorted((rng.randrange(len(text) + 1) for _ in range(rng.randrange(1, 20))), reverse=True):
        piece = rng.choice(
            ["<?php echo $x; ?>", "<!-- -->", "<![CDATA[ x ]]>", "<?xml version='1.0'?>", "<!DOCTYPE x>"]
        )
        text = text[:spot] + piece + text[spot:]
    return text.encode()


_URL = re.compile(r"""((?:href|src|content)=["'])(https?:)?//""", re.I)


def urls_damaged(rng: random.Random, page: bytes) -> bytes:
    """Some of the page's absolute addresses given a host urllib refuses (`//[x]`, `//[::1`)."""
    text = page.decode("utf-8", "replace")

    def damage(match: re.Match) -> str:
        if rng.random() > 0.3:
            return match.group(0)
        return match.group(0) + rng.choice(["[", "[x]", "[::1", "]", "[data-name='slot']"])

    return _URL.sub(damage, text).encode()


# a JSON-LD or JSON script: (its opening tag, its text, its closing tag); tests damage it too
JSON_SCRIPT = re.compile(
    r"""(<script[^>]*type=["']?application/(?:ld\+)?json["']?[^>]*>)(.*?)(</script>)""", re.I | re.S
)
# values of the wrong type or out of range, as sites' structured data carries them
_ODD_VALUES: list = [None, True, 0, -1, 1e308, 2**70, "", " ", [], {}, [None], [[["x"]]], {"@type": None}]
_ODD_VALUES += ["x" * 100_000, "\x00", "2024-13-45T99:99:99+99:99", "0000-00-00", "-1", "NaN"]


def json_retyped(rng: random.Random, page: bytes) -> bytes:
    """Values of the page's JSON-LD and JSON scripts (`__NEXT_DATA__`) replaced by values of another
    type or out of range (a headline that is a list, a date that is a number, an author that is null)."""
    text = page.decode("utf-8", "replace")

    def retype(value):
        if isinstance(value, dict):
            return {k: (rng.choice(_ODD_VALUES) if rng.random() < 0.3 else retype(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [retype(v) for v in value]
        return value

    def damage(match: re.Match) -> str:
        try:
            data = json.loads(match.group(2))
        except ValueError:
            return match.group(0)
        return match.group(1) + json.dumps(retype(data), ensure_ascii=False) + match.group(3)

    return JSON_SCRIPT.sub(damage, text).encode("utf-8", "surrogatepass")


_DATE = re.compile(r"\b\d{4}([-./])\d{1,2}\1\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?")
_DATE_JUNK = ["0000-00-00", "9999-99-99", "2024-02-30", "2024-13-01T25:61:61", "99999-01-01", "0001-01-01T00:00:00"]
_DATE_JUNK += ["2024.13.45 25:61", "0000.00.00", "9999.12.31 23:59", "1900-01-01", "2024-00-10T00:00:00+25:00"]


def dates_damaged(rng: random.Random, page: bytes) -> bytes:
    """Half of the page's dates (meta, JSON-LD, time tags, datelines) made impossible or extreme."""
    text = page.decode("utf-8", "replace")
    return _DATE.sub(lambda m: rng.choice(_DATE_JUNK) if rng.random() < 0.5 else m.group(0), text).encode()


MUTATIONS: dict[str, Mutation] = {
    "truncated at a random byte": truncated,
    "closing tags lost or doubled": closers_lost_or_doubled,
    "control characters sprinkled": controls_sprinkled,
    "a control character in a tag name": control_in_tag_names,
    "a slice in another encoding": mixed_encodings,
    "inline or block tags nested thousands deep": nested_deep,
    "a span of bytes deleted": span_deleted,
    "markup chunks swapped": markup_shuffled,
    "instructions, CDATA and comments inserted": instructions_inserted,
    "URLs with a host urllib refuses": urls_damaged,
    "JSON-LD and JSON values of another type": json_retyped,
    "dates impossible or extreme": dates_damaged,
}


def real_pages() -> list[tuple[str, bytes]]:
    pages = []
    for corpus in CORPORA:
        if corpus == "synthetic":
            continue
        for page in load(corpus):
            if not page.html_field:
                pages.append((f"{corpus}/{page.path.name}", page.data))
    return pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=600.0, help="how long to fuzz (default %(default)s)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: from the clock, printed)")
    parser.add_argument("--out", type=Path, default=None, help="where crashing and slow pages go (default: a temp dir)")
    parser.add_argument(
        "--kind", action="append", choices=sorted(MUTATIONS), help="only this kind of damage (repeat for more)"
    )
    args = parser.parse_args()
    kinds = sorted(args.kind or MUTATIONS)
    seed = args.seed if args.seed is not None else int(time.time())
    rng = random.Random(seed)
    pages = real_pages()
    if not pages:
        print("no real pages: ../shared/corpora (NEWSROOM_CORPORA) is absent; nothing to fuzz")
        return 0
    out = args.out or Path(tempfile.mkdtemp(prefix="newsroom-fuzz-"))
    out.mkdir(parents=True, exist_ok=True)
    print(f"fuzzing {len(pages)} real pages for {args.seconds:.0f} s, seed {seed}; findings go to {out}")
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    findings = 0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        source, page = rng.choice(pages)
        kind = rng.choice(kinds)
        data = MUTATIONS[kind](rng, page) or page
        started = time.perf_counter()
        failure = None
        try:
            clean_event(data, b"fuzz")
            outcome = "cleaned"
        except CleanError as err:
            outcome = "crashed" if err.code == "internal" else "refused"
            failure = str(err) if err.code == "internal" else None
        except Exception as exc:  # noqa: BLE001 - clean_event must turn every failure into a CleanError
            outcome, failure = "crashed", f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        row = counts[kind]
        row[outcome] += 1
        row["slowest"] = max(row["slowest"], elapsed)
        if failure is not None or elapsed > SLOW_SECONDS:
            findings += 1
            name = f"{findings:03d}-{'crash' if failure else 'slow'}.html"
            (out / name).write_bytes(data)
            print(f"{name}: {source}, {kind}: {failure or f'{elapsed:.1f} s'}", flush=True)
    print()
    print("| damage | pages | cleaned | refused (reason code) | crashed | slowest s |")
    print("|---|---:|---:|---:|---:|---:|")
    total = defaultdict(float)
    for kind in sorted(counts):
        row = counts[kind]
        runs = row["cleaned"] + row["refused"] + row["crashed"]
        for key in ("cleaned", "refused", "crashed"):
            total[key] += row[key]
        total["slowest"] = max(total["slowest"], row["slowest"])
        print(
            f"| {kind} | {runs:.0f} | {row['cleaned']:.0f} | {row['refused']:.0f} | {row['crashed']:.0f} "
            f"| {row['slowest']:.2f} |"
        )
    runs = total["cleaned"] + total["refused"] + total["crashed"]
    print(
        f"| **all** | {runs:.0f} | {total['cleaned']:.0f} | {total['refused']:.0f} | {total['crashed']:.0f} "
        f"| {total['slowest']:.2f} |"
    )
    return 1 if total["crashed"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
