"""Shared helpers of the benchmarks: the page corpus, statistics, Markdown tables, machine conditions,
the broker, and processes under test (worker, baselines) with their RSS sampled every second.

Files starting with `_` are not run by `make bench`.
"""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT,):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from streams.inputs import InputError, read_record  # noqa: E402 - run as a script: the repository joins sys.path first

CORPUS_DIRS = [ROOT / "tests" / "fixtures", ROOT / "tests" / "fixtures" / "pages"]


# -- the page corpus ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Page:
    """One corpus page as the record it arrives as on news.raw (see streams.inputs.read_record)."""

    name: str
    key: bytes | None
    value: bytes
    html: str | bytes  # the page itself (envelope's html, or the raw bytes), for trafilatura

    @property
    def size(self) -> int:
        return len(self.value)

    def variant(self, article_id: str, n: int, marks: tuple[str, ...] = ("</p>",)) -> tuple[bytes, bytes]:
        """(key, value) of this page as another article: its own id, and its own body text.

        The worker drops a body it has already published under another id (streams.dedup), so
        cycling through the corpus needs unique bodies too: " #<n>" is added before each of `marks`
        (the ends of paragraphs), which changes the body fingerprint and little else.
        """
        tag = f" #{n}"
        if self.value[:1] == b"{":
            envelope = orjson.loads(self.value)
            envelope["id"] = article_id
            for mark in marks:
                envelope["html"] = envelope["html"].replace(mark, tag + mark)
            return article_id.encode(), orjson.dumps(envelope)
        value = self.value  # raw bytes (EUC-KR...): the cleaner takes the id from the key
        for mark in marks:
            value = value.replace(mark.encode(), tag.encode() + mark.encode())
        return article_id.encode(), value


def corpus_paths() -> list[Path]:
    paths: list[Path] = []
    for folder in CORPUS_DIRS:
        for p in sorted(folder.glob("*")):
            if p.name.endswith(".expected.json") or not p.is_file():
                continue
            if p.suffix in (".html", ".htm", ".json") or p.name.endswith(".html.gz"):
                paths.append(p)
    return paths


def load_corpus() -> tuple[list[Page], list[str]]:
    """Every page of the corpus that reads as a record, and the names of those that do not."""
    pages, skipped = [], []
    for path in corpus_paths():
        try:
            record = read_record(str(path))
        except InputError:
            skipped.append(path.name)
            continue
        html: str | bytes = record.value
        if record.value[:1] == b"{":
            html = orjson.loads(record.value).get("html") or ""
        pages.append(Page(path.name, record.key, record.value, html))
    if not pages:
        raise SystemExit(f"no pages found under {', '.join(map(str, CORPUS_DIRS))}")
    return pages, skipped


BODY_MARKS = [("</p>",), ("</p>", "<br"), ("</p>", "<br", "</div>")]


def variable_pages(pages: list[Page]) -> tuple[list[tuple[Page, tuple[str, ...]]], list[str]]:
    """Pages whose body fingerprint changes with `Page.variant`, each with the marks that do it."""
    from streams.clean import CleanError, clean_event

    usable, fixed = [], []
    for page in pages:
        for marks in BODY_MARKS:
            try:
                a, b = (clean_event(page.variant("x", n, marks)[1], b"x") for n in (1, 2))
            except CleanError:
                continue
            if a.fingerprint != b.fingerprint:
                usable.append((page, marks))
                break
        else:
            fixed.append(page.name)
    return usable, fixed


def corpus_summary(pages: list[Page], skipped: list[str]) -> str:
    sizes = sorted(p.size for p in pages)
    kinds = {"RawArticle JSON": sum(p.value[:1] == b"{" for p in pages)}
    kinds["raw bytes (non-UTF-8)"] = len(pages) - kinds["RawArticle JSON"]
    text = (
        f"corpus: {len(pages)} pages ({', '.join(f'{v} {k}' for k, v in kinds.items())}); record size "
        f"median {percentile(sizes, 50) / 1024:.1f} KiB, max {sizes[-1] / 1024:.1f} KiB, "
        f"total {sum(sizes) / 1024:.0f} KiB"
    )
    if skipped:
        text += f"; skipped (not a record): {', '.join(skipped)}"
    return text


# -- statistics and tables ------------------------------------------------------------------------
def percentile(values, q: float) -> float:
    """Nearest-rank percentile of `values` (q in 0..100); nan when empty."""
    data = sorted(values)
    if not data:
        return float("nan")
    rank = max(1, min(len(data), int(round(q / 100.0 * len(data) + 0.5))))
    return data[rank - 1]


def table(headers: list[str], rows: list[list]) -> str:
    def cell(v) -> str:
        if isinstance(v, float):
            if v != v:
                return "n/a"
            return f"{v:,.1f}" if abs(v) < 100 else f"{v:,.0f}"
        return str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def conditions() -> str:
    """One line describing the machine and how busy it is (benchmarks here share the machine)."""
    load = os.getloadavg()
    cpus = os.cpu_count()
    busy = ""
    try:
        import psutil

        me = {os.getpid(), *(c.pid for c in psutil.Process().children(recursive=True))}
        others = []
        for proc in psutil.process_iter(["pid", "name", "cpu_percent"]):
            if proc.info["pid"] not in me:
                others.append(proc)
        time.sleep(0.5)
        hot = []
        for proc in others:
            with contextlib.suppress(psutil.Error):
                pct = proc.cpu_percent(None)
                if pct >= 20:
                    hot.append(f"{proc.info['name']} {pct:.0f}%")
        busy = f"; other processes >=20% CPU at start: {', '.join(hot) or 'none'}"
    except ImportError:
        pass
    return (
        f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {platform.python_implementation()} "
        f"{platform.python_version()}, {cpus} CPUs, load average {load[0]:.2f}/{load[1]:.2f}/{load[2]:.2f}"
        f"{busy}"
    )


def code_state() -> str:
    """Which code was measured: the commit, and a digest of the working tree's streams/ and schemas/
    sources (other people change them while benchmarks run; read-only git commands only)."""
    import hashlib

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""

    digest = hashlib.sha256()
    for path in sorted([*ROOT.glob("streams/**/*.py"), *ROOT.glob("streams/**/data/**/*"), *ROOT.glob("schemas/*.py")]):
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    dirty = [line for line in git("status", "--porcelain", "--", "streams", "schemas").splitlines() if line]
    return (
        f"commit {git('rev-parse', '--short', 'HEAD') or '?'}"
        + (f" + {len(dirty)} uncommitted change(s) in streams/, schemas/" if dirty else "")
        + f"; source digest {digest.hexdigest()[:12]}"
    )


# -- the broker ------------------------------------------------------------------------------------
@contextlib.contextmanager
def kafka(log=lambda m: print(m, file=sys.stderr)):
    """Bootstrap address: KAFKA_BOOTSTRAP_SERVERS, or a local broker in a temporary home (purged after)."""
    existing = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if existing:
        yield existing, "existing cluster (KAFKA_BOOTSTRAP_SERVERS)"
        return
    from streams.broker import LocalBroker

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as home:
        broker = LocalBroker(home)
        info = broker.start(log=log)
        try:
            yield info.bootstrap, f"local Kafka {info.kafka_version} (one node, same machine)"
        finally:
            broker.stop(purge=True, log=lambda m: None)


# -- processes under test ------------------------------------------------------------------------
@dataclass
class Sample:
    t: float  # time.monotonic()
    rss: int  # bytes, the process's and its children's (a worker's cleaning processes)
    cpu: float  # user+system seconds so far, the process's and its children's
    main_cpu: float = float("nan")  # user+system seconds so far of the process's main thread (its event loop)


@dataclass
class ServiceProcess:
    """A process under test (worker or baseline), in its own session, RSS and CPU sampled every second."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    cwd: Path = ROOT  # another checkout for the old code's worker (bench/e2e.py newsroom-old)
    proc: subprocess.Popen | None = None
    samples: list[Sample] = field(default_factory=list)
    _stop_sampling: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> ServiceProcess:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self._thread = threading.Thread(target=self._sample, name=f"rss-{self.name}", daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        import psutil

        try:
            ps = psutil.Process(self.proc.pid)
            while not self._stop_sampling.is_set():
                with ps.oneshot():
                    cpu = ps.cpu_times()
                    rss, seconds = ps.memory_info().rss, cpu.user + cpu.system + cpu.children_user + cpu.children_system
                    main = next((t.user_time + t.system_time for t in ps.threads() if t.id == ps.pid), float("nan"))
                for child in ps.children(recursive=True):  # the worker's cleaning processes (streams.cleaners)
                    with contextlib.suppress(psutil.Error), child.oneshot():
                        child_cpu = child.cpu_times()
                        rss, seconds = rss + child.memory_info().rss, seconds + child_cpu.user + child_cpu.system
                self.samples.append(Sample(time.monotonic(), rss, seconds, main))
                self._stop_sampling.wait(1.0)
        except psutil.Error:
            return

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def sample_at(self, t: float) -> Sample | None:
        """The last sample taken at or before t (the first one if none)."""
        before = [s for s in self.samples if s.t <= t]
        return before[-1] if before else (self.samples[0] if self.samples else None)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60.0) -> int | None:
        self._stop_sampling.set()
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        if self._thread:
            self._thread.join(timeout=5)
        return self.proc.returncode

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def mib(n: float) -> float:
    return n / (1024 * 1024)
