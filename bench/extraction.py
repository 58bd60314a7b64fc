"""Cleaning on real pages: this cleaner beside trafilatura and resiliparse, corpus by corpus.

For each corpus of ../shared/corpora (ko-real, ko-pool as far as labelled, readability, fundus),
Korean news pages of other projects' test suites with labels written here blind (ko-external, from
`make real-text`'s cache; measure-only),
GoOse's test pages with their expected texts (goose, from `make real-text`'s cache; half development since 2026-12-02),
trafilatura's evaluation pages with their snippets (trafilatura-eval, from the same cache) and
the synthetic pages written here (last), one table: pages, cleaned, refused (by code),
crashed (`internal`), quality and docs/s, a row per extractor, and the cleaner's own rows split
into the pages it was tuned on and the pages that only measure it (`bench/_corpora.py: TUNED_ON`).

Quality (of the cleaner's standfirst and paragraphs, `ours_text`):
- body corpora (readability, fundus, goose, synthetic): 4-token shingles of lowercased `\\w+` tokens
  (Chinese/Japanese cut per character); per page precision and recall, averaged over pages
  (a refused page counts 0/0); F1 of the two averages;
- labelled Korean corpora: the share of field expectations met (title, first and last paragraph,
  date, press, reporters, no chrome, ministries; `bench/_corpora.py: label_checks`);
- trafilatura-eval: trafilatura's own measure, snippets a good extraction holds (found: true
  positive) or must not hold (found: false positive), precision and recall over all snippets.
Speed: pages per second in this process (read bytes -> article), one pass over the same pages.
Under each table: which body finder (site profile, generic, the page's JSON) produced the pages.

Run: .venv/bin/python bench/extraction.py [--corpus NAME ...] [--misses]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._corpora import (  # noqa: E402 - run as a script: the repository joins sys.path first
    CORPORA,
    FROM_REAL_TEXT,
    LABELLED,
    LANGUAGE_PER_PAGE,
    SNIPPETS,
    TUNED_ON,
    Page,
    body_scores,
    corpora_dir,
    f1,
    label_checks,
    load,
    marked_as_article,
    snippet_counts,
    snippet_scores,
)
from streams.clean import CleanError, clean_event  # noqa: E402 - run as a script: the repository joins sys.path first
from streams.clean.zones import page_zone  # noqa: E402 - run as a script: the repository joins sys.path first
from streams.enrich import enrich  # noqa: E402 - run as a script: the repository joins sys.path first
from streams.inputs import read_record  # noqa: E402 - run as a script: the repository joins sys.path first


def run_ours(page: Page):
    """(article or None, error code or None): the page as `newsroom clean PATH` reads it."""
    record = read_record(str(page.path))  # a .json page is its RawArticle envelope, URL and all
    try:
        return clean_event(record.value, record.key), None
    except CleanError as err:
        return None, err.code


def run_without_profiles(page: Page):
    """`run_ours` with no site profile: the page read as a layout the cleaner does not know (a
    site's redesign, a publisher nobody wrote a profile for) by the generic finder alone."""
    from streams.clean import profiles

    kept = profiles.PROFILES[:]
    profiles.PROFILES[:] = []
    try:
        return run_ours(page)
    finally:
        profiles.PROFILES[:] = kept


_NO_PROFILE = "newsroom-streams clean, no site profile (a layout it does not know)"


def ours_text(article) -> str:
    """The cleaner's text as a reader sees it below the headline: the standfirst (`subtitle`), then
    the paragraphs. Every other extractor gives a standfirst inside its text, and fundus' bodies
    (`summary` + sections) and trafilatura's snippets count it as the article's."""
    if article is None:
        return ""
    return "\n".join([article.subtitle, *article.paragraphs] if article.subtitle else article.paragraphs)


def _trafilatura_name() -> str:
    try:
        from importlib.metadata import version

        return f"trafilatura {version('trafilatura')}"
    except Exception:  # noqa: BLE001 - not installed: the row is absent anyway
        return "trafilatura"


_TRAFILATURA_DEFAULT = _trafilatura_name()


def trafilatura_system(**options):
    import trafilatura

    def run(page: Page):
        try:
            doc = trafilatura.bare_extraction(page.data, include_comments=False, with_metadata=True, **options)
        except Exception as exc:  # noqa: BLE001 - a library crash is a row of the table, not ours
            return None, f"crash:{type(exc).__name__}"
        if doc is None:
            return None, "none"
        doc = doc if isinstance(doc, dict) else doc.as_dict()
        text = doc.get("text") or ""
        if not text:
            return None, "none"
        paragraphs = [line for line in text.split("\n") if line.strip()]
        article = SimpleNamespace(
            title=doc.get("title") or "",
            subtitle=None,
            paragraphs=paragraphs,
            captions=[],
            published_at=doc.get("date"),
            press=doc.get("sitename"),
            bylines=[SimpleNamespace(name=n.strip()) for n in (doc.get("author") or "").split(";") if n.strip()],
        )
        return article, None

    return run


def resiliparse_system(page: Page):
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import bytes_to_str, detect_encoding

    try:
        html = bytes_to_str(page.data, detect_encoding(page.data))
        text = extract_plain_text(html, main_content=True, alt_texts=False, links=False)
    except Exception as exc:  # noqa: BLE001 - a library crash is a row of the table, not ours
        return None, f"crash:{type(exc).__name__}"
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    if not paragraphs:
        return None, "none"
    return SimpleNamespace(
        title="", subtitle=None, paragraphs=paragraphs, captions=[], published_at=None, press=None, bylines=[]
    ), None


def systems() -> dict:
    found = {"newsroom-streams clean": run_ours}
    try:
        import trafilatura  # noqa: F401 - only whether it is installed

        found[_TRAFILATURA_DEFAULT] = trafilatura_system()
        found["trafilatura favor_precision"] = trafilatura_system(favor_precision=True)
    except ImportError:
        print("(trafilatura not installed: `make bench` installs it)")
    try:
        import resiliparse  # noqa: F401 - only whether it is installed

        found["resiliparse main_content"] = resiliparse_system
    except ImportError:
        print("(resiliparse not installed: `make bench` installs it)")
    return found


def evaluate(pages: list[Page], run) -> tuple[list[dict], float]:
    rows = []
    start = time.perf_counter()
    results = [run(page) for page in pages]
    elapsed = time.perf_counter() - start
    for page, (article, error) in zip(pages, results):
        row = {"page": page, "article": article, "error": error}
        if page.labels and page.corpus in LABELLED:
            ministries = None
            if article is not None and hasattr(article, "fingerprint"):
                ministries = [m.name_ko for m in enrich(article).ministries]
            row["checks"] = label_checks(page.labels, article, ministries if article is not None else [])
        elif page.corpus in SNIPPETS:
            row["snippets"] = snippet_counts(ours_text(article), page.labels)
        else:
            row["p"], row["r"] = body_scores(ours_text(article), page.reference or "")
        rows.append(row)
    return rows, (len(pages) / elapsed if elapsed else 0.0)


def summary(rows: list[dict]) -> str:
    n = len(rows)
    cleaned = sum(1 for r in rows if r["article"] is not None)
    codes = Counter(r["error"] for r in rows if r["error"])
    crashed = codes.pop("internal", 0) + sum(v for k, v in codes.items() if k.startswith("crash:"))
    codes = {k: v for k, v in codes.items() if not k.startswith("crash:")}
    refused = ", ".join(f"{k} {v}" for k, v in sorted(codes.items())) or "0"
    if rows and "checks" in rows[0]:
        met = sum(sum(r["checks"].values()) for r in rows)
        total = sum(len(r["checks"]) for r in rows)
        quality = f"{met}/{total} = {met / total:.1%}" if total else "-"
        return f"{n} | {cleaned} | {refused} | {crashed} | {quality}"
    if rows and "snippets" in rows[0]:
        p, rc = snippet_scores([r["snippets"] for r in rows])
    else:
        p = sum(r["p"] for r in rows) / n if n else 0.0
        rc = sum(r["r"] for r in rows) / n if n else 0.0
    return f"{n} | {cleaned} | {refused} | {crashed} | {p:.3f} | {rc:.3f} | {f1(p, rc):.3f}"


def _same_text(a: str | None, b: str | None) -> bool:
    return " ".join(unicodedata.normalize("NFC", a or "").casefold().split()) == " ".join(
        unicodedata.normalize("NFC", b or "").casefold().split()
    )


def _instant(value: str | None):
    """A time as a UTC minute (a date-only value as its date), None where it does not parse."""
    try:
        when = dt.datetime.fromisoformat(str(value))
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return when.date()
    return when.astimezone(dt.UTC).replace(second=0, microsecond=0)


def _same_time(got: str | None, want: str | None, zone: dt.tzinfo | None = None) -> bool:
    """The same minute; where either side gives only a date, the same date as each writes it. A
    label written without an offset is the publisher's local time: with `zone` (its country's),
    the cleaner's time (published in Seoul's offset) is read in that zone before comparing."""
    a, b = _instant(got), _instant(want)
    if a is None or b is None:
        return False
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a == b
    if zone is not None and isinstance(a, dt.datetime):  # a naive label: the publisher's clock
        local = dt.datetime.fromisoformat(str(got)).astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
        label = dt.datetime.fromisoformat(str(want))
        if len(str(want)) > 10 and label.time() != dt.time():  # a time (midnight is a date's way of saying none)
            return local == label.replace(tzinfo=None, second=0, microsecond=0)
        return local.date() == label.date()
    return str(got)[:10] == str(want)[:10]


def _publisher_zone(page) -> dt.tzinfo | None:
    """The zone of a fundus page's country (its folder: `fundus/us/...`), as the cleaner finds a
    page's zone from its domain."""
    parts = page.key.split("/")
    if page.corpus != "fundus" or len(parts) < 3:
        return None
    return page_zone(None, page.lang, (f"publisher.{parts[1]}",))


def field_shares(rows: list[dict]) -> dict[str, float]:
    """Share of pages whose title, authors (as a set of names) and publication time (the same
    minute, in any time zone; a label without an offset on its publisher's clock; the same date as
    written where one side has no time) equal fundus' labels."""
    n = len(rows) or 1
    title = authors = date = 0
    for row in rows:
        article, labels = row["article"], row["page"].labels
        if article is None:
            continue
        title += _same_text(article.title, labels.get("title"))
        got = {" ".join(b.name.casefold().split()) for b in article.bylines}
        authors += got == {" ".join(a.casefold().split()) for a in labels.get("authors") or []}
        date += _same_time(article.published_at, labels.get("date"), _publisher_zone(row["page"]))
    return {"title": title / n, "authors": authors / n, "date": date / n}


def field_scores(rows: list[dict]) -> str:
    """`title | authors | date`: `field_shares` as a table row."""
    return " | ".join(f"{share:.3f}" for share in field_shares(rows).values())


def finders_used(rows: list[dict]) -> str:
    """Which body finder (streams/clean/finders.py) produced each cleaned page: a site profile,
    the generic extractor, the page's JSON or the library fallback (trafilatura)."""
    used = Counter(
        a.extractor if a.extractor in ("generic", "embedded-json", "library") else "profile"
        for a in (r["article"] for r in rows)
        if a is not None
    )
    return ", ".join(f"{name} {count}" for name, count in used.most_common()) or "none"


def print_misses(rows: list[dict]) -> None:
    for row in rows:
        page = row["page"]
        if "checks" in row:
            missed = [k for k, ok in row["checks"].items() if not ok]
            if missed or row["error"]:
                print(f"  - {page.key}{' (tuned on)' if page.tuned_on else ''}: {row['error'] or ''} {missed}")
        elif "snippets" in row:
            counts = row["snippets"]
            if row["error"] or counts["fn"] or counts["fp"]:
                print(f"  - {page.key}{' (tuned on)' if page.tuned_on else ''}: {row['error'] or ''} {counts}")
        elif row["error"] or f1(row["p"], row["r"]) < 0.8:
            print(
                f"  - {page.key}{' (tuned on)' if page.tuned_on else ''}: {row['error'] or ''} "
                f"P {row['p']:.2f} R {row['r']:.2f}"
            )


def _article_page(page: Page) -> bool:
    return marked_as_article(page.data)


def _english_page(page: Page) -> bool:
    return (page.lang or "").lower().startswith("en")


def _print_measured_split(rows: list[dict], parts: tuple[str, str], kind) -> None:
    """The measured-only rows split in two by `kind` of page (parts: its yes and its no), as rows
    under the measured-only row; nothing where no page is measured only."""
    measured = [r for r in rows if not r["page"].tuned_on]
    if not measured:
        return
    for part, keep in zip(parts, (True, False)):
        subset = [r for r in measured if kind(r["page"]) == keep]
        if subset:
            print(f"| &nbsp;&nbsp;&nbsp;&nbsp;measured-only, {part} | {summary(subset)} | |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", action="append", choices=CORPORA, help="only these corpora")
    parser.add_argument("--misses", action="store_true", help="list this cleaner's weak pages")
    parser.add_argument("--ours-only", action="store_true", help="no other extractor")
    args = parser.parse_args()
    base = corpora_dir()
    if base is None:
        print("../shared/corpora is absent (set NEWSROOM_CORPORA): only the synthetic pages are scored.\n")
    chosen = systems()
    if args.ours_only:
        chosen = {k: v for k, v in chosen.items() if k.startswith("newsroom")}
    for corpus in args.corpus or CORPORA:
        pages = load(corpus, base)
        if corpus == "ko-pool":
            pages = [p for p in pages if p.labels]
        if not pages:
            if corpus in FROM_REAL_TEXT:
                print(
                    f"### {corpus}: not scored, the real-text cache is absent (`make real-text` fills .cache/real-text)\n"
                )
            continue
        labelled = corpus in LABELLED
        head = "pages | cleaned | refused | crashed | " + ("fields met" if labelled else "P | R | F1")
        print(f"### {corpus} ({len(pages)} pages; tuned on: {TUNED_ON[corpus]})\n")
        print(f"| extractor | {head} | docs/s |")
        print("|---|" + "---:|" * (head.count("|") + 2))
        fields: list[str] = []
        for name, run in chosen.items():
            rows, speed = evaluate(pages, run)
            print(f"| {name} | {summary(rows)} | {speed:,.0f} |")
            if corpus == "fundus" and name != "resiliparse main_content":
                for part, keep in ((" (tuned on)", True), (" (measured only)", False)):
                    subset = [r for r in rows if r["page"].tuned_on == keep]
                    fields.append(f"| {name}{part} | {field_scores(subset)} |")
            if name.startswith("newsroom"):
                ours_rows = rows
            if name.startswith("newsroom") or name == _TRAFILATURA_DEFAULT:  # the halves, side by side
                for part, keep in (("pages the cleaner was tuned on", True), ("measured-only pages", False)):
                    subset = [r for r in rows if r["page"].tuned_on == keep]
                    if subset and len(subset) < len(rows):
                        print(f"| &nbsp;&nbsp;on the {part} | {summary(subset)} | |")
                if corpus in SNIPPETS:  # news and not: the held-out pages of the same kind are news
                    _print_measured_split(rows, ("marked as articles", "not marked so"), _article_page)
                elif corpus in LANGUAGE_PER_PAGE:  # English and not: held-out English news
                    _print_measured_split(rows, ("in English", "in other languages"), _english_page)
        if labelled:  # how the cleaner reads these sites' pages where no profile matches them
            rows, speed = evaluate(pages, run_without_profiles)
            print(f"| {_NO_PROFILE} | {summary(rows)} | {speed:,.0f} |")
        print(f"Body finders of this cleaner's pages: {finders_used(ours_rows)}\n")
        if fields:
            print("Fields equal to fundus' labels (share of pages; authors as a set of names, date to the minute):\n")
            print("| extractor | title | authors | date |\n|---|---:|---:|---:|")
            print("\n".join(fields) + "\n")
        if args.misses:
            print_misses(ours_rows)
            print()


if __name__ == "__main__":
    main()
