"""Tagging benchmark: precision/recall per kind of body on the labelled set, and throughput.

Run:  .venv/bin/python bench/tagging.py [--seconds 3]
Prints Markdown tables. Throughput is single-threaded (one core) over "typical" articles built
from the labelled sentences: a title, a two-line subtitle, 12 paragraphs of two sentences and
two captions (about 1,400 characters, close to a Korean news article).
"""
from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas.events import CleanArticle  # noqa: E402
from streams.enrich import default_enricher, enrich  # noqa: E402
from streams.enrich.labelled import KINDS, evaluate, load_cases  # noqa: E402

CASES_DIR = ROOT / "tests" / "fixtures" / "tagging"


def typical_articles(cases, count: int = 50) -> list[CleanArticle]:
    sentences = [c.title for c in cases if c.title] + [p for c in cases for p in c.paragraphs]
    articles = []
    for i in range(count):
        pick = [sentences[(i * 31 + k * 7) % len(sentences)] for k in range(30)]
        paragraphs = [f"{pick[2 + 2 * j]} {pick[3 + 2 * j]}" for j in range(12)]
        articles.append(CleanArticle(
            id=f"bench-{i}", title=pick[0], subtitle=f"{pick[1]}\n{pick[26]}", paragraphs=paragraphs,
            captions=[pick[27], pick[28]], published_at="2025-11-10T09:00:00+09:00",
            fingerprint=hashlib.sha1(pick[0].encode()).hexdigest(), extractor="bench"))
    return articles


def throughput(articles: list[CleanArticle], seconds: float) -> tuple[float, float, float]:
    for a in articles:  # warm up (loads data, builds the automaton)
        enrich(a)
    rates = []
    for _ in range(5):
        n, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 5:
            for a in articles:
                enrich(a)
            n += len(articles)
        rates.append(n / (time.perf_counter() - start))
    return statistics.median(rates), min(rates), max(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time spent on the throughput run")
    args = parser.parse_args()

    enricher = default_enricher()
    cases = load_cases(CASES_DIR)
    scores = evaluate(enricher, cases)
    negatives = sum(1 for c in cases if not c.ministries)
    print(f"## Ministry tagging on the labelled set ({len(cases)} cases, {negatives} negative)\n")
    print("| kind | support | TP | FP | FN | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind in (*KINDS, None):
        label = kind or "**all**"
        tp, fp, fn = (scores._sum(c, kind) for c in (scores.tp, scores.fp, scores.fn))
        print(f"| {label} | {scores.support(kind)} | {tp} | {fp} | {fn} | {scores.precision(kind):.3f} | {scores.recall(kind):.3f} |")
    print(f"\nCases failing (ministries, names on the date, or expected topics): {len(scores.failures)}")
    for failure in scores.failures:
        print(f"- {failure}")

    from tests.unit.enrich.seed_article import seed_article

    workloads = [("labelled sentences, a body in every sentence", typical_articles(cases)),
                 ("seed page (board-repost-asiae-msit-motie)", [seed_article()])]
    print("\n## Throughput (one core, single thread)\n")
    print("| articles | chars/article | median articles/s | slowest run | fastest run | µs/article (median) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, articles in workloads:
        chars = statistics.mean(len(a.title) + len(a.subtitle or "") + sum(map(len, a.paragraphs))
                                + sum(map(len, a.captions)) for a in articles)
        median, low, high = throughput(articles, args.seconds)
        print(f"| {label} | {chars:,.0f} | {median:,.0f} | {low:,.0f} | {high:,.0f} | {1e6 / median:,.0f} |")
    print("\nTarget: >= 2,000 articles/s per core.")


if __name__ == "__main__":
    main()
