"""Cleaning speed as a user meets it: whole processes over the same files, in the same run.

`newsroom clean PATH...` (one process for the batch; by default a process per usable CPU, and with
`--jobs 1`) beside the `trafilatura` command line over the same files (`--input-dir`; by default
as many processes as CPUs, text only; with `--json --with-metadata`, which reads title, author and
date as the cleaner does; and with `--parallel 1`), on the real pages of ../shared/corpora
(readability, fundus, ko-real, ko-pool), copied as plain .html files into a temporary folder.
Each command runs `--rounds` times (default 3), alternated; the table gives each command's median
run, with the range: wall-clock pages per second (start-up included) and the CPU seconds of the
command and its children. The ratios are the medians of each round's own ratios (this machine's
speed drifts by up to half within minutes, for both tools alike). The cleaner's runs read their
compiled patterns and parsed data files from a cache folder of the bench's own, written by one untimed run first (what
a user's every later run does); one more row starts each round from an empty folder: a first run.

Run: .venv/bin/python bench/whole_process.py [--corpus NAME ...]  (also trafilatura-eval, goose: larger pages)
     .venv/bin/python bench/whole_process.py --pages DIR  (your own pages: the .html files of DIR)
     .venv/bin/python bench/whole_process.py --rounds N  (more alternated rounds: steadier medians)
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._corpora import corpora_dir, load

ROOT = Path(__file__).resolve().parents[1]

BIN = Path(sys.executable).parent
CORPORA = ("readability", "fundus", "ko-real", "ko-pool")  # the default set
# Opt-in: pages of `make real-text`'s cache. trafilatura's evaluation pages are larger (140 KB on
# average against the default set's 60 KB) and closer to a public extraction benchmark's.
MORE_CORPORA = ("trafilatura-eval", "goose")


def _corpus_pages(corpora: list[str]) -> Iterator[bytes]:
    for corpus in corpora:
        for page in load(corpus):
            if not page.html_field:  # an envelope is not a page: trafilatura reads HTML files only
                yield page.data


def _write_pages(pages: Iterable[bytes], into: Path) -> list[Path]:
    """The pages as numbered .html files of `into`, for both tools to read."""
    files: list[Path] = []
    for data in pages:
        target = into / f"{len(files):04d}.html"
        target.write_bytes(data)
        files.append(target)
    return files


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the children) of one command, output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="append", choices=CORPORA + MORE_CORPORA, help="only these corpora")
    parser.add_argument("--rounds", type=int, default=3, help="alternated runs of each command (default 3)")
    parser.add_argument("--pages", type=Path, help="time the .html files of this folder instead of the corpora")
    args = parser.parse_args()
    own = sorted(args.pages.glob("*.html")) if args.pages else None
    if args.pages and not own:
        print(f"{args.pages}: no .html files to time.")
        return 1
    if own is None and corpora_dir() is None:
        print("../shared/corpora is absent (set NEWSROOM_CORPORA): nothing to time.")
        return 0
    if shutil.which("trafilatura", path=str(BIN)) is None:
        print("(trafilatura's command line is not installed: `make bench` installs it)")
        return 0
    # The project's modules compiled as an installed package's are (pip compiles them; an editable
    # install leaves it to the first import, which a machine with PYTHONDONTWRITEBYTECODE never
    # writes: every start would compile them again, about 30 ms here), as trafilatura's are.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", *(str(ROOT / p) for p in ("streams", "schemas"))], check=True
    )
    folder = Path(tempfile.mkdtemp(prefix="newsroom-whole-process-"))
    try:
        pages = folder / "pages"
        pages.mkdir()
        sources = (f.read_bytes() for f in own) if own else _corpus_pages(args.corpus or list(CORPORA))
        files = _write_pages(sources, pages)
        names = [str(f) for f in files]
        # The cleaner keeps its compiled patterns and parsed data files in the user's cache
        # (streams/run_cache.py), as Python keeps compiled modules: here in a folder of the bench's
        # own, written by one untimed run first, so that the rows time what a user's every later run
        # costs; the `first run` row starts each round from an empty folder (a new install, an edit).
        kept = {**os.environ, "XDG_CACHE_HOME": str(folder / "kept")}
        subprocess.run([str(BIN / "newsroom"), "clean", names[0]], stdout=subprocess.DEVNULL, env=kept, check=False)
        first_run = "newsroom clean, first run (no kept patterns yet)"
        commands = {
            "newsroom clean (default: a process per CPU)": [str(BIN / "newsroom"), "clean", *names],
            first_run: [str(BIN / "newsroom"), "clean", *names],
            "newsroom clean --jobs 1": [str(BIN / "newsroom"), "clean", "--jobs", "1", *names],
            "trafilatura --input-dir (default: a process per CPU)": [
                str(BIN / "trafilatura"),
                "--input-dir",
                str(pages),
                "--output-dir",
                str(folder / "out"),
            ],
            "trafilatura --input-dir --json --with-metadata (title, author, date as the cleaner gives)": [
                str(BIN / "trafilatura"),
                "--input-dir",
                str(pages),
                "--output-dir",
                str(folder / "outm"),
                "--json",
                "--with-metadata",
            ],
            "trafilatura --input-dir --parallel 1": [
                str(BIN / "trafilatura"),
                "--input-dir",
                str(pages),
                "--output-dir",
                str(folder / "out1"),
                "--parallel",
                "1",
            ],
        }
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for round_ in range(args.rounds):
            for name, command in commands.items():
                env = {**kept, "XDG_CACHE_HOME": str(folder / f"empty-{round_}")} if name == first_run else kept
                runs[name].append(_timed(command, env))
        where = str(args.pages) if own else ", ".join(args.corpus or CORPORA)
        print(f"### Whole processes over the same {len(files)} real pages ({where}), {args.rounds} rounds\n")
        print("| command | wall s, median (range) | pages/s at the median | CPU s, median |")
        print("|---|---:|---:|---:|")
        for name, timed in runs.items():
            walls = [wall for wall, _ in timed]
            wall = statistics.median(walls)
            cpu = statistics.median(c for _, c in timed)
            print(f"| {name} | {wall:.1f} ({min(walls):.1f}-{max(walls):.1f}) | {len(files) / wall:,.0f} | {cpu:.1f} |")
        ours, first, ours1, theirs, with_metadata, theirs1 = ([wall for wall, _ in timed] for timed in runs.values())

        def ratio(slow: list[float], fast: list[float]) -> str:
            """Median and range of the round-by-round ratios: each round's commands ran minutes apart
            at most, so a machine whose speed drifts between rounds still compares like with like."""
            each = [a / b for a, b in zip(slow, fast)]
            return f"{statistics.median(each):.1f}x ({min(each):.1f}-{max(each):.1f}x)"

        print(
            f"\nnewsroom clean against trafilatura, each at its default: {ratio(theirs, ours)} the pages per second "
            f"({ratio(with_metadata, ours)} against trafilatura with its metadata); both on one process: "
            f"{ratio(theirs1, ours1)}; a first run against trafilatura at its default: {ratio(theirs, first)}. "
            "Ratios are medians (and ranges) of each round's own ratio."
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
