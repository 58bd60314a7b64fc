"""`newsroom clean|enrich` offline: one JSON line per input, errors on their line, exit 1 at the end."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

from schemas import CleanArticle, EnrichedArticle
from tests.support import ROOT, SEED_BODY_PARAGRAPHS, SEED_EXPECTED, SEED_HTML


def run(*args, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args], cwd=ROOT, input=stdin, capture_output=True, timeout=120
    )


def test_enrich_seed_page_matches_what_a_reader_sees():
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    out = run("enrich", str(SEED_HTML))
    assert out.returncode == 0, out.stderr.decode()
    article = EnrichedArticle.model_validate_json(out.stdout.splitlines()[0])
    exact = expected["exact"]
    assert article.title == exact["title"]
    assert article.subtitle == "\n".join(exact["subtitle_lines"])
    assert article.press == exact["press"]
    assert (article.bylines[0].name, article.bylines[0].email) == (exact["byline_name"], exact["byline_email"])
    assert article.published_at.startswith(exact["published_date"])
    assert len(article.paragraphs) == SEED_BODY_PARAGRAPHS
    assert article.paragraphs[0] == exact["first_paragraph"]
    assert article.paragraphs[-1] == exact["last_paragraph"]
    assert article.captions == exact["captions"]
    assert [i.url for i in article.images] == exact["image_urls"]
    texts = [
        article.title,
        article.subtitle or "",
        *article.paragraphs,
        *article.captions,
        *(b.name for b in article.bylines),
        article.press or "",
    ]
    for banned in expected["must_not_contain"]:
        assert not any(banned in t for t in texts), banned
    assert sorted(m.name_ko for m in article.ministries) == sorted(expected["ministries_exactly"])
    assert all(m.primary for m in article.ministries)
    topic_ids = [t.id for t in article.topics]
    assert topic_ids[0] == "ai"
    assert not set(topic_ids) & set(expected["topics_must_not_include"])


def test_each_input_gets_its_line_and_failures_exit_1(tmp_path):
    gz = tmp_path / "seed.html.gz"
    gz.write_bytes(gzip.compress(SEED_HTML.read_bytes()))
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"url": "https://example.com"}')
    out = run(
        "clean", str(gz), str(empty), str(tmp_path / "missing.html"), str(bad_json), "-", stdin=SEED_HTML.read_bytes()
    )
    assert out.returncode == 1
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 5
    assert CleanArticle.model_validate(lines[0]).id == "seed"
    assert lines[1] == {"path": str(empty), "error": {"code": "empty", "message": lines[1]["error"]["message"]}}
    assert lines[2]["error"]["code"] == "unreadable"
    assert lines[3]["error"]["code"] == "bad_envelope"
    assert CleanArticle.model_validate(lines[4]).title == CleanArticle.model_validate(lines[0]).title


def test_a_batch_on_several_processes_prints_the_same_lines_in_input_order(tmp_path):
    """`--jobs 2` (the default on a multi-core machine) spreads the inputs over processes and
    still prints one line per input, in the order given, identical to the lines of one process."""
    pages = sorted(p for p in (ROOT / "tests" / "fixtures" / "pages").glob("*.html"))[:12]
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    paths = [str(p) for p in pages[:6]] + [str(empty)] + [str(p) for p in pages[6:]]
    one = run("clean", "--jobs", "1", *paths)
    two = run("clean", "--jobs", "2", *paths)
    assert one.returncode == two.returncode == 1  # the empty page fails in both
    assert two.stdout.splitlines() == one.stdout.splitlines()
    lines = [json.loads(line) for line in two.stdout.splitlines()]
    assert len(lines) == len(paths) and lines[6]["error"]["code"] == "empty"
    assert [line.get("id") for line in lines[:6]] == [p.stem for p in pages[:6]]


def test_a_bad_jobs_value_is_refused_with_a_clear_error():
    out = run("clean", "--jobs", "0", str(SEED_HTML))
    assert out.returncode == 2 and b"--jobs must be 1 or more" in out.stderr


def test_every_subcommand_has_help():
    from streams.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        out = run(name, "--help")
        assert out.returncode == 0 and b"usage: newsroom " + name.encode() in out.stdout
