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


# A page whose own finders find one sentence beside a menu: the library (trafilatura) is asked of it.
_LIBRARY_PAGE = (
    "<html><head><title>Council</title></head><body><div class='story'><p>The council met on Monday and "
    "agreed the plan, officials said.</p></div><ul class='menu'>"
    + "".join(f"<li><a href='/{i}'>Section number {i}</a></li>" for i in range(20))
    + "</ul></body></html>"
)
# Runs a batch on one process and on two with trafilatura's reading stood in for (the stand-in is
# forked into the batch's library process and workers too), and says which processes read with it
# in the two-process run. With "dies", the stand-in kills any process but the batch's own.
_BATCH_WITH_A_LIBRARY_STAND_IN = """
import json, os, sys, trafilatura
from streams.offline import lines
mode, log, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
here = os.getpid()
def extract(html, **options):
    if mode == "dies" and os.getpid() != here:
        os._exit(3)
    with open(log, "a") as out:
        out.write(f"{os.getpid()}\\n")
    return "".join(f"<p>The council of district {i} met on Monday and agreed the plan, after a long debate "
                   "about roads, schools and the budget, officials said.</p>" for i in range(4))
trafilatura.extract = extract
one = [line for _, line in lines(paths, "clean", 8 << 20, jobs=1)]
open(log, "w").close()
two = [line for _, line in lines(paths, "clean", 8 << 20, jobs=2)]
readers = [int(pid) for pid in open(log).read().split()]
print(json.dumps({"one": one, "two": two, "readers": readers, "here": here}))
"""


def _batch_with_a_library_stand_in(tmp_path, mode: str) -> dict:
    pages = sorted(p for p in (ROOT / "tests" / "fixtures" / "pages").glob("*.html"))[:8]
    needy = tmp_path / "needs-the-library.html"
    needy.write_text(_LIBRARY_PAGE, encoding="utf-8")
    paths = [str(p) for p in pages[:4]] + [str(needy)] + [str(p) for p in pages[4:]] + [str(needy)]
    out = subprocess.run(
        [sys.executable, "-c", _BATCH_WITH_A_LIBRARY_STAND_IN, mode, str(tmp_path / "readers"), *paths],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr.decode()
    result = json.loads(out.stdout)
    assert result["two"] == result["one"]  # the lines of one process, whoever read the library's pages
    articles = [CleanArticle.model_validate_json(result["two"][i]) for i in (4, 9)]
    assert all(a.extractor == "library" and len(a.paragraphs) == 4 for a in articles)
    return result


def test_a_batch_reads_the_pages_that_need_the_library_in_its_library_process(tmp_path):
    """The library loads once per batch, in a process of its own started before the cleaner
    loads: the workers send it the pages that need it, and the batch's own process reads none."""
    result = _batch_with_a_library_stand_in(tmp_path, "lives")
    # each page's reading (the library's own, taken: it is sentences), all in one process
    assert len(result["readers"]) == 2 and len(set(result["readers"])) == 1
    assert result["here"] not in result["readers"]


def test_a_batch_whose_library_process_dies_reads_its_pages_itself(tmp_path):
    """A library process that dies (here on its first page) leaves no worker waiting: the pages
    that need the library come back to the batch's own process, and every line is still there."""
    result = _batch_with_a_library_stand_in(tmp_path, "dies")
    assert set(result["readers"]) == {result["here"]}


def test_a_bad_jobs_value_is_refused_with_a_clear_error():
    out = run("clean", "--jobs", "0", str(SEED_HTML))
    assert out.returncode == 2 and b"--jobs must be 1 or more" in out.stderr


def test_every_subcommand_has_help():
    from streams.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        out = run(name, "--help")
        assert out.returncode == 0 and b"usage: newsroom " + name.encode() in out.stdout


def test_a_reader_that_stops_early_ends_the_command_quietly():
    """`newsroom clean ... | head -1`: the reader closes the pipe after one line; the command stops
    with exit 1 and no traceback, in either mode (in this process, or a batch on several)."""
    for jobs in ("1", "2"):
        cmd = [sys.executable, "-m", "streams.cli", "clean", "--jobs", jobs, *[str(SEED_HTML)] * 40]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = proc.stdout.readline()
        proc.stdout.close()
        _, err = proc.communicate(timeout=60)
        assert CleanArticle.model_validate_json(first).title
        assert proc.returncode == 1 and b"Traceback" not in err, err.decode()


_BATCH_LEFT_EARLY = """
import multiprocessing, sys
from streams.offline import lines
batch = lines(sys.argv[1:], "clean", 8 << 20, jobs=2)
next(batch)
library = [p for p in multiprocessing.active_children() if p.name == "newsroom-library"]
batch.close()  # the reader stops after one line
print(len(library), sum(p.is_alive() for p in library))
"""


def test_a_batch_left_after_one_line_stops_its_library_process():
    """A batch whose reader stops early (`| head -1`, an error in the caller) leaves no library
    process behind: closing the batch stops it."""
    out = subprocess.run(
        [sys.executable, "-c", _BATCH_LEFT_EARLY, *[str(SEED_HTML)] * 6],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.split() == [b"1", b"0"]  # it ran while the batch did, and is gone after


def test_the_collector_paused_while_the_cleaner_loads_runs_again_after():
    """The collector is paused while the modules and data load (`offline.loading`) and runs again
    after, for the pages: a long batch or a worker must not grow without it. A caller that had paused
    it itself keeps it paused."""
    import gc

    from streams.offline import loading

    assert gc.isenabled()
    with loading():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with loading():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
