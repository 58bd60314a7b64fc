"""Tagging benchmark: precision/recall per kind of body on the labelled set, the real-text set, and throughput.

Run:  .venv/bin/python bench/tagging.py [--seconds 3]
Prints Markdown tables.

The real-text set (tests/fixtures/tagging/real/labels.jsonl, labelled blind by an editor) is split
once by `real_half(key)`: sha256(key) even = development half (read and tuned on), odd = measured
half (only scored). English articles are built from the fundus JSON (title + body), so their score
does not depend on the cleaner; Korean pages go through the real cleaner, and a refused page
counts as no tags. Throughput is single-threaded (one core) over "typical" articles built
from the labelled sentences: a title, a two-line subtitle, 12 paragraphs of two sentences and
two captions (about 1,400 characters, close to a Korean news article).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas.events import CleanArticle  # noqa: E402
from streams.enrich import default_enricher, enrich  # noqa: E402
from streams.enrich.labelled import KINDS, evaluate, load_cases  # noqa: E402

CASES_DIR = ROOT / "tests" / "fixtures" / "tagging"
REAL_LABELS = CASES_DIR / "real" / "labels.jsonl"
HALVES = ("development", "measured")
TUNED_ON_HALF = "development"


def real_half(key: str) -> str:
    """The split, fixed once: sha256 of the key, even -> development (tuned on), odd -> measured."""
    return HALVES[int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 2]


@dataclass
class RealItem:
    label: dict
    article: CleanArticle | None  # None: the cleaner refused the page (counts as no tags)
    refused: str | None = None

    @property
    def half(self) -> str:
        return real_half(self.label["key"])


def load_real_labels(path: Path = REAL_LABELS) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _fundus_article(base: Path, label: dict) -> CleanArticle:
    rel, version = label["key"].removeprefix("fundus/").split("#", 1)
    entry = json.loads((base / "fundus" / rel).read_text("utf-8"))[version]
    body = entry.get("body") or {}
    paragraphs = [p for p in body.get("summary") or [] if p.strip()]
    for section in body.get("sections") or []:
        paragraphs += [p for p in section.get("paragraphs") or [] if p.strip()]
    text = "\n".join([entry.get("title") or "", *paragraphs])
    return CleanArticle(id=label["key"], title=entry.get("title") or "", paragraphs=paragraphs,
                        published_at=label["date"], language="en", press=rel.split("/")[-1].removesuffix(".json"),
                        fingerprint=hashlib.sha1(text.encode()).hexdigest(), extractor="fundus-json")


def _korean_article(base: Path, label: dict) -> tuple[CleanArticle | None, str | None]:
    from streams.clean import CleanError, clean_event
    from streams.inputs import InputError, read_record

    try:
        record = read_record(str(base / label["key"]))
        return clean_event(record.value, record.key), None
    except (CleanError, InputError) as exc:
        return None, f"{exc.code}: {exc.message}"


def real_items(base: Path | None = None, halves: tuple[str, ...] = HALVES) -> list[RealItem] | None:
    """The real-text set's articles (None where ../shared/corpora is absent)."""
    from bench._corpora import corpora_dir

    base = base or corpora_dir()
    if base is None:
        return None
    items = []
    for label in load_real_labels():
        if real_half(label["key"]) not in halves:
            continue
        if label["key"].startswith("fundus/"):
            items.append(RealItem(label, _fundus_article(base, label)))
        else:
            article, refused = _korean_article(base, label)
            items.append(RealItem(label, article, refused))
    return items


def score_real(items: list[RealItem], enricher=None) -> dict[str, float]:
    """The real-set measures of one group of items (see the table's legend in main)."""
    enricher = enricher or default_enricher()
    m_right = m_wrong = m_found = m_want = 0
    prim_ok = prim_n = 0
    t_found = t_want = trap_hit = trap_n = outside = tags = top_ok = top_n = 0
    for item in items:
        lab = item.label
        out = enricher.enrich(item.article) if item.article is not None else None
        ministries = [m.id for m in out.ministries] if out else []
        topics = [t.id for t in out.topics] if out else []
        allowed = set(lab["ministries"]) | set(lab["ministries_minor"])
        m_right += sum(1 for m in ministries if m in allowed)
        m_wrong += sum(1 for m in ministries if m not in allowed)
        m_want += len(lab["ministries"])
        m_found += len(set(lab["ministries"]) & set(ministries))
        if lab["ministries"]:
            prim_n += 1
            primary = [m.id for m in out.ministries if m.primary] if out else []
            prim_ok += bool(primary and primary[0] in lab["ministries"])
        t_want += len(lab["topics"])
        t_found += len(set(lab["topics"]) & set(topics))
        trap_n += len(lab["topics_traps"])
        trap_hit += len(set(lab["topics_traps"]) & set(topics))
        outside += sum(1 for t in topics if t not in set(lab["topics"]) | set(lab["topics_ok"]))
        tags += len(topics)
        if lab["topics"]:
            top_n += 1
            top_ok += bool(topics and topics[0] in lab["topics"])
    return {
        "articles": len(items), "refused": sum(1 for i in items if i.article is None),
        "m_precision": m_right / (m_right + m_wrong) if m_right + m_wrong else 1.0,
        "m_recall": m_found / m_want if m_want else 1.0, "m_tags": m_right + m_wrong, "m_wrong": m_wrong,
        "m_want": m_want, "m_primary": prim_ok / prim_n if prim_n else 1.0, "m_primary_n": prim_n,
        "t_recall": t_found / t_want if t_want else 1.0, "t_found": t_found, "t_want": t_want,
        "t_traps": trap_hit / trap_n if trap_n else 0.0, "t_trap_hit": trap_hit, "t_trap_n": trap_n,
        "t_outside": outside, "t_tags": tags, "t_top": top_ok / top_n if top_n else 1.0,
    }


def real_table(items: list[RealItem], enricher=None) -> str:
    groups = {half: [i for i in items if i.half == half] for half in HALVES}
    rows = [("articles (refused by the cleaner)", lambda s: f"{s['articles']} ({s['refused']})"),
            ("ministries precision (wrong / tags)", lambda s: f"{s['m_precision']:.3f} ({s['m_wrong']}/{s['m_tags']})"),
            ("ministries recall (over `ministries`)", lambda s: f"{s['m_recall']:.3f} (of {s['m_want']})"),
            ("primary ministry in `ministries`", lambda s: f"{s['m_primary']:.3f} (of {s['m_primary_n']})"),
            ("topics must-recall", lambda s: f"{s['t_recall']:.3f} ({s['t_found']}/{s['t_want']})"),
            ("topic traps hit", lambda s: f"{s['t_traps']:.1%} ({s['t_trap_hit']}/{s['t_trap_n']})"),
            ("topic tags outside topics+topics_ok (of all tags)", lambda s: f"{s['t_outside']} (of {s['t_tags']})"),
            ("first topic in `topics`", lambda s: f"{s['t_top']:.3f}")]
    scores = {half: score_real(group, enricher) for half, group in groups.items()}
    lines = [f"| measure | {HALVES[0]} (tuned on) | {HALVES[1]} (only scored) |", "|---|---:|---:|"]
    for name, fmt in rows:
        lines.append(f"| {name} | {fmt(scores[HALVES[0]])} | {fmt(scores[HALVES[1]])} |")
    return "\n".join(lines)


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

    print("\n## Real-text set (tests/fixtures/tagging/real/labels.jsonl, labelled blind by an editor)\n")
    items = real_items()
    if items is None:
        print("Skipped: ../shared/corpora (or NEWSROOM_CORPORA) is absent, so the real pages cannot be read.")
    else:
        print(f"Split: sha256(key) even -> development, odd -> measured; tuned on: {TUNED_ON_HALF} half only.\n")
        print(real_table(items, enricher))
        print("\nMinistries: a tag is right if in `ministries` or `ministries_minor`, wrong otherwise (traps or "
              "unlabelled). Topics: must-recall over `topics`, traps over `topics_traps`. Bars (measured half): "
              "ministries P >= 0.98, R >= 0.95; topics must-recall >= 0.90, traps <= 5 %.")

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
