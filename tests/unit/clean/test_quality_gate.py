"""Quality gate: the cleaner's scores on the real corpora never fall below the pinned floors.

Like trafilatura's tests/eval_gate.py. tests/fixtures/real/quality_floors.json pins, per corpus, the
corpus digest (`bench._corpora.corpus_digest`; of ko-pool only its labelled pages) and the floors:
- body corpora (readability, fundus, synthetic): `precision` and `f1` (4-token shingles: per page
  precision and recall, averaged over the pages, F1 of the two averages, exactly as
  `bench/extraction.py: summary` computes them) and `max_crashed`;
- labelled corpora (ko-real, ko-pool): `fields_met` (label checks met / all label checks, as
  `bench/extraction.py: evaluate` checks them) and `max_crashed`;
- trafilatura-eval: `precision` and `f1` of its snippets, pooled (`bench._corpora.snippet_scores`);
- fundus also: `title`, `authors` and `date`, the shares of pages equal to fundus' labels
  (`bench/extraction.py: field_shares`).
A corpus whose digest changed is not scored against floors measured on other pages: the test fails
and asks for a re-pin. The floors are raised as the cleaner improves and never lowered while the
digest stays the same (the second test reads the file's git history).

Current digests and scores, with the floors they would pin (measured - 0.005, rounded down):
    .venv/bin/python -c "from tests.unit.clean.test_quality_gate import current; current()"
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from functools import cache

import pytest

from bench._corpora import (
    CORPORA,
    FROM_REAL_TEXT,
    LABELLED,
    ROOT,
    SNIPPETS,
    corpora_dir,
    corpus_digest,
    f1,
    load,
    snippet_scores,
)
from bench.extraction import evaluate, field_shares, run_ours

FLOORS_PATH = "tests/fixtures/real/quality_floors.json"  # relative to the repository root
FLOORS_FILE = ROOT / FLOORS_PATH
REPIN = '.venv/bin/python -c "from tests.unit.clean.test_quality_gate import current; current()"'
MARGIN = 0.005  # a new floor = the measured score minus this, rounded down to 3 decimals


def corpus_pages(corpus: str) -> list:
    """The pages a corpus is scored on: all of it, but of ko-pool only the labelled pages."""
    pages = load(corpus)
    return [p for p in pages if p.labels] if corpus == "ko-pool" else pages


@cache
def measure(corpus: str) -> dict:
    """digest, pages, crashed and the scores of this cleaner on one corpus."""
    pages = corpus_pages(corpus)
    rows, _speed = evaluate(pages, run_ours)
    crashed = sum(1 for r in rows if r["error"] == "internal" or (r["error"] or "").startswith("crash:"))
    result = {
        "digest": corpus_digest(pages),
        "pages": len(pages),
        "crashed": crashed,
        "crashed_pages": [r["page"].key for r in rows if r["error"] == "internal"],
    }
    if corpus in LABELLED:
        met = sum(sum(r["checks"].values()) for r in rows)
        total = sum(len(r["checks"]) for r in rows)
        result["fields_met"] = met / total if total else 0.0
        result["fields"] = f"{met}/{total}"
    else:
        if corpus in SNIPPETS:
            precision, recall = snippet_scores([r["snippets"] for r in rows])
        else:
            precision = sum(r["p"] for r in rows) / len(rows) if rows else 0.0
            recall = sum(r["r"] for r in rows) / len(rows) if rows else 0.0
        result.update(precision=precision, recall=recall, f1=f1(precision, recall))
    if corpus in FIELDS:
        result.update(field_shares(rows))
    return result


FIELDS = ("fundus",)  # corpora whose labels also give title, authors and date


_SCORES = ("fields_met", "precision", "f1", "title", "authors", "date")


def floor_of(score: float) -> float:
    return math.floor(round((score - MARGIN) * 1000, 6)) / 1000


def current() -> None:
    """Print each corpus's digest and scores, and the JSON entry that would pin them."""
    base = corpora_dir()
    if base is None:
        print("the real corpora are absent ($NEWSROOM_CORPORA, ../shared/corpora): only synthetic is measured")
    entries = {}
    for corpus in CORPORA:
        if (corpus != "synthetic" and base is None) or (corpus in FROM_REAL_TEXT and not load(corpus)):
            continue
        m = measure(corpus)
        keys = ("fields_met",) if corpus in LABELLED else ("f1", "precision")
        keys += ("title", "authors", "date") if corpus in FIELDS else ()
        scores = ", ".join(f"{k} {m[k]:.4f}" for k in (*_SCORES, "recall") if k in m)
        print(
            f"{corpus}: digest {m['digest']}, {m['pages']} pages, crashed {m['crashed']}, {scores}"
            + (f" ({m['fields']} checks)" if "fields" in m else "")
        )
        entries[corpus] = {"digest": m["digest"], "floors": {**{k: floor_of(m[k]) for k in keys}, "max_crashed": 0}}
    print("\nfloors at the measured scores - 0.005 (raise only; re-pin a changed digest):")
    print(json.dumps(entries, indent=2, ensure_ascii=False))


def _pinned() -> dict:
    return json.loads(FLOORS_FILE.read_text("utf-8"))


@pytest.mark.parametrize("corpus", CORPORA)
def test_quality_floors(corpus):
    if corpus != "synthetic" and corpora_dir() is None:
        pytest.skip(
            f"the real corpora are absent: looked for $NEWSROOM_CORPORA, then "
            f"{ROOT.parent / 'shared' / 'corpora'} (bench/_corpora.py: corpora_dir); {corpus} not scored"
        )
    if corpus in FROM_REAL_TEXT and not load(corpus):
        pytest.skip(f"the real-text cache is absent (`make real-text` fills .cache/real-text): {corpus} not scored")
    pinned = _pinned().get(corpus)
    assert pinned, f"{corpus} has no entry in {FLOORS_PATH}: pin it (run {REPIN})"
    m = measure(corpus)
    assert m["digest"] == pinned["digest"], (
        f"{corpus} changed: its digest is now {m['digest']}, {FLOORS_PATH} pins {pinned['digest']}. "
        f"Floors measured on other pages do not apply: re-pin {corpus} (digest and floors) in the same "
        f"commit that changed it; run {REPIN} for the current digests and scores."
    )
    floors = pinned["floors"]
    failures = []
    for key, floor in floors.items():
        if key == "max_crashed":
            if m["crashed"] > floor:
                failures.append(f"crashed {m['crashed']} > max_crashed {floor}: {', '.join(m['crashed_pages'])}")
        elif m[key] < floor:
            failures.append(f"{key} {m[key]:.4f} < floor {floor}")
    measured = ", ".join(f"{k} {m[k]:.4f}" for k in (*_SCORES, "recall") if k in m)
    assert not failures, (
        f"{corpus} ({m['pages']} pages) fell below its floors: {'; '.join(failures)} "
        f"(measured: {measured}; floors: {floors})"
    )


def _floor_versions() -> list[tuple[str, dict]]:
    """(label, parsed file) for every committed version of the floors file on main's own line
    (first parents: a merged branch's commits, made beside main's, count once, as its merge),
    oldest first, then the working copy."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the floors' history cannot be read")
    log = subprocess.run(
        ["git", "log", "--first-parent", "--format=%H", "--", FLOORS_PATH], cwd=ROOT, capture_output=True, text=True
    )
    if log.returncode != 0:
        pytest.skip(f"no git history here ({ROOT}): {log.stderr.strip() or 'git log failed'}")
    versions = []
    for sha in reversed(log.stdout.split()):
        shown = subprocess.run(["git", "show", f"{sha}:{FLOORS_PATH}"], cwd=ROOT, capture_output=True, text=True)
        if shown.returncode != 0:
            pytest.skip(f"git show {sha[:10]}:{FLOORS_PATH} failed: {shown.stderr.strip()}")
        try:
            versions.append((f"commit {sha[:10]}", json.loads(shown.stdout)))
        except json.JSONDecodeError as exc:
            pytest.fail(f"{FLOORS_PATH} at commit {sha[:10]} is not JSON: {exc}")
    if FLOORS_FILE.exists():
        versions.append(("the working copy", _pinned()))
    return versions


def test_floors_never_lowered():
    """From each version of the floors file to the next, no floor of a corpus whose digest stayed
    the same went down (nor was dropped); `max_*` values are ceilings and never went up. Each
    version is held to the best value of every floor since the corpus's digest was last pinned,
    so dropping a floor in one commit and re-adding it lower in the next is caught too."""
    versions = _floor_versions()
    best: dict[str, tuple[str, dict[str, tuple[float, str]]]] = {}  # corpus -> (digest, key -> (value, version))
    lowered = []
    for label, version in versions:
        for corpus, entry in version.items():
            if corpus.startswith("_") or not isinstance(entry, dict):
                continue
            digest, floors = entry.get("digest"), entry.get("floors") or {}
            if corpus not in best or best[corpus][0] != digest:
                best[corpus] = (digest, {k: (v, label) for k, v in floors.items()})  # (re-)pinned: afresh
                continue
            record = best[corpus][1]
            for key, (was, since) in list(record.items()):
                now = floors.get(key)
                where = f"{corpus}.{key} in {label} (digest {digest})"
                if now is None:
                    lowered.append(f"{where}: dropped (it was {was} in {since})")
                elif key.startswith("max_") and now > was:
                    lowered.append(f"{where}: {now}, above the ceiling {was} of {since}")
                elif not key.startswith("max_") and now < was:
                    lowered.append(f"{where}: {now}, below the floor {was} of {since}")
                elif now != was:
                    record[key] = (now, label)  # raised: the new best
            for key, now in floors.items():
                record.setdefault(key, (now, label))
    assert not lowered, (
        f"floors in {FLOORS_PATH} are raised, never lowered, while a corpus's digest stays "
        f"the same:\n" + "\n".join(lowered)
    )


def test_snippets_are_scored_as_trafilatura_scores_them():
    """trafilatura-eval's measure: a `with` snippet found is a true positive (whitespace collapsed),
    one missed a false negative; a `without` snippet found is a false positive; pooled over pages."""
    from bench._corpora import snippet_counts

    labels = {"with": ["the council  met", "agreed to publish"], "without": ["Subscribe now", "Impressum"]}
    got = snippet_counts("The council met. Then the council\nmet again. Subscribe now for more.", labels)
    assert got == {"tp": 1, "fn": 1, "fp": 1, "tn": 1}
    refused = snippet_counts("", labels)
    assert refused == {"tp": 0, "fn": 2, "fp": 0, "tn": 2}
    assert snippet_scores([got, refused]) == (0.5, 0.25)


def test_a_page_that_says_it_is_an_article_is_told_from_the_rest():
    """The bench splits trafilatura-eval's measured pages into pages marked as articles (the kind the
    held-out news pages are) and the rest (shops, docs, home pages), by the page's own markup."""
    from bench._corpora import marked_as_article

    assert marked_as_article(b'<script type="application/ld+json">{"@type": "NewsArticle"}</script>')
    assert marked_as_article(b'<script type="application/ld+json">{"@type":"Article"}</script>')
    assert marked_as_article(b'<meta property="og:type" content="article">')
    assert marked_as_article(b"<meta property='og:type' data-x='1' content='Article'>")
    assert marked_as_article(b'<meta property="article:published_time" content="2020-01-01">')
    assert not marked_as_article(b'<meta property="og:type" content="website"><p>Our products</p>')
    assert not marked_as_article(b'<script type="application/ld+json">{"@type": "Product"}</script>')


def test_the_cleaners_text_is_scored_as_a_reader_sees_it_standfirst_first():
    """The bench and this gate score the cleaner's standfirst and paragraphs, in that order (fundus'
    bodies hold the summary, trafilatura's snippets count it); a refused page gives no text."""
    from types import SimpleNamespace

    from bench.extraction import ours_text

    article = SimpleNamespace(subtitle="The council will publish its figures.", paragraphs=["It met.", "It voted."])
    assert ours_text(article) == "The council will publish its figures.\nIt met.\nIt voted."
    assert ours_text(SimpleNamespace(subtitle=None, paragraphs=["It met."])) == "It met."
    assert ours_text(None) == ""


def test_a_fundus_date_without_an_offset_is_read_on_its_publishers_clock():
    """fundus labels some dates as naive local times; the cleaner publishes in Seoul's offset. The
    bench compares the same minute on the publisher's clock (a US afternoon is the next day in
    Seoul), a midnight label by its date, and a label with an offset as an instant."""
    from zoneinfo import ZoneInfo

    from bench.extraction import _same_time

    new_york = ZoneInfo("America/New_York")
    seoul_time = "2024-04-29T04:30:00+09:00"  # 15:30 the day before in New York
    assert _same_time(seoul_time, "2024-04-28 15:30:00", new_york)
    assert not _same_time(seoul_time, "2024-04-28 16:30:00", new_york)
    assert _same_time(seoul_time, "2024-04-28 00:00:00", new_york)  # a date written as midnight
    assert not _same_time(seoul_time, "2024-04-28 15:30:00")  # no zone: the dates as written differ
    assert _same_time(seoul_time, "2024-04-28T19:30:00+00:00", new_york)  # an instant
