"""Body extraction quality and speed on the page corpus: this cleaner vs trafilatura.

Metric (as in the public article-extraction benchmarks): 4-token shingles of `\\w+` tokens
(lowercased); per document precision = |TP|/|extracted|, recall = |TP|/|expected| (each document
weighs 1); precision and recall averaged over documents; F1 = harmonic mean of the two averages.
Speed: documents per second over each subset (decode + extract), best of --repeat runs; the last
column is this cleaner's docs/s divided by the row's.

Run: .venv/bin/python bench/extraction.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402

from streams.clean import CleanError, clean_event  # noqa: E402
from streams.clean.decode import decode_bytes  # noqa: E402

PAGES = ROOT / "tests" / "fixtures" / "pages"
TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = TOKEN.findall(text.lower())
    if len(tokens) < n:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def load_corpus():
    docs = []
    for exp_path in sorted(PAGES.glob("*.expected.json")):
        name = exp_path.name[: -len(".expected.json")]
        src = PAGES / f"{name}.json"
        src = src if src.exists() else PAGES / f"{name}.html"
        value = src.read_bytes()
        if src.suffix == ".json":
            html = json.loads(value)["html"]
        else:
            html, _ = decode_bytes(value)
        expected = json.loads(exp_path.read_text("utf-8"))
        docs.append({"name": name, "value": value, "html": html, "lang": expected["language"],
                     "gold": "\n".join(expected["paragraphs"])})
    return docs


def ours(doc) -> str:
    try:
        return "\n".join(clean_event(doc["value"], doc["name"].encode()).paragraphs)
    except CleanError:
        return ""


def trafilatura_with(**options):
    def run(doc) -> str:
        return trafilatura.extract(doc["html"], include_comments=False, **options) or ""
    return run


def score(docs, extract) -> tuple[float, float, float]:
    precisions, recalls = [], []
    for doc in docs:
        got, gold = shingles(extract(doc)), shingles(doc["gold"])
        tp = sum((got & gold).values())
        precisions.append(tp / sum(got.values()) if got else 0.0)
        recalls.append(tp / sum(gold.values()) if gold else 0.0)
    p = sum(precisions) / len(docs)
    r = sum(recalls) / len(docs)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def speed(docs, extract, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for doc in docs:
            extract(doc)
        best = min(best, time.perf_counter() - start)
    return len(docs) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    docs = load_corpus()
    systems = {
        "newsroom-streams clean": ours,
        "trafilatura (default)": trafilatura_with(),
        "trafilatura favor_precision": trafilatura_with(favor_precision=True),
        "trafilatura favor_recall": trafilatura_with(favor_recall=True),
    }
    subsets = {"all pages": docs, "English pages": [d for d in docs if d["lang"] == "en"],
               "Korean pages": [d for d in docs if d["lang"] == "ko"]}
    print(f"trafilatura {trafilatura.__version__}, include_comments=False; corpus {PAGES.relative_to(ROOT)}\n")
    for label, subset in subsets.items():
        print(f"### {label} ({len(subset)} documents)\n")
        print("| extractor | precision | recall | F1 | docs/s | ours is |")
        print("|---|---:|---:|---:|---:|---:|")
        ours_speed = None
        for name, extract in systems.items():
            p, r, f = score(subset, extract)
            docs_per_s = speed(subset, extract, args.repeat)
            ours_speed = ours_speed or docs_per_s
            print(f"| {name} | {p:.3f} | {r:.3f} | {f:.3f} | {docs_per_s:,.0f} | {ours_speed / docs_per_s:.1f}x |")
        print()


if __name__ == "__main__":
    main()
