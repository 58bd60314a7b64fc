"""Helpers for tests that run real worker processes against the real broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from streams.broker.local import free_port
from streams.demo import fetch_json

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SEED_HTML = FIXTURES / "board-repost-asiae-msit-motie.html"
SEED_EXPECTED = FIXTURES / "board-repost-asiae-msit-motie.expected.json"
# The seed's expected.json says paragraph_count 12: the 13 <p> elements of its article body less the
# byline, which counts the two empty <p class="link_figure"> image holders. A reader sees 10 body
# paragraphs (the CleanArticle contract: paragraphs hold no captions, bylines or markup), the first and last of
# which are the expected ones; the two captions are in `captions`.
SEED_BODY_PARAGRAPHS = 10


def isolated_env(bootstrap: str, home: Path, prefix: str | None = None, **extra: str) -> dict[str, str]:
    """Environment for a worker or client with its own app id, state folder and topic names."""
    prefix = prefix or f"t{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSROOM_", "KAFKA_"))}
    env.update(
        {
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "NEWSROOM_HOME": str(home),
            "NEWSROOM_APP_ID": f"{prefix}-app",
            "NEWSROOM_TOPIC_RAW": f"{prefix}.raw",
            "NEWSROOM_TOPIC_REKEYED": f"{prefix}.rekeyed",
            "NEWSROOM_TOPIC_ENRICHED": f"{prefix}.enriched",
            "NEWSROOM_TOPIC_DEADLETTER": f"{prefix}.deadletter",
            "NEWSROOM_TOPIC_ALERTS": f"{prefix}.alerts",
            "NEWSROOM_TOPIC_COUNTS": f"{prefix}.counts",
            "NEWSROOM_TOPIC_UNIQUE": f"{prefix}.unique",
            "NEWSROOM_MINISTRY_TOPIC_PREFIX": f"{prefix}.ministry.",
            "NEWSROOM_TOPIC_TOPIC_PREFIX": f"{prefix}.topic.",
            "NEWSROOM_LOG_LEVEL": "info",
        }
    )
    env.update(extra)
    return env


class WorkerProcess:
    """A real `newsroom worker` process (python -m streams.cli worker)."""

    def __init__(self, env: dict[str, str], log_path: Path, argv: list[str] | None = None):
        self.env = env
        self.log_path = log_path
        self.argv = argv or ["-m", "streams.cli", "worker"]
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_timeout: float = 90.0) -> WorkerProcess:
        env = dict(self.env, NEWSROOM_WEB_PORT=str(self.port))
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, *self.argv],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"worker exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                fetch_json(f"{self.url}/healthz", timeout=1.0)
                return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"worker web server did not come up:\n{self.log_tail()}")

    def get(self, path: str):
        return fetch_json(f"{self.url}{path}", timeout=5.0)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int | None:
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        os.killpg(self.proc.pid, sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait(timeout=10)

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def wait_until(predicate, timeout: float, interval: float = 0.5, message: str = "condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except OSError as exc:  # web server busy or restarting
            last = exc
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}; last value: {last!r}")


# -- synthetic article streams for fault and scale tests ---------------------------------------
MINISTRIES_2025 = [  # (name in force on 2025-08-14, what the test writes in the title)
    ("과학기술정보통신부", "과기정통부"),
    ("산업통상자원부", "산업부"),
    ("기획재정부", "기재부"),
    ("보건복지부", "복지부"),
    ("국토교통부", "국토부"),
    ("환경부", "환경부"),
    ("교육부", "교육부"),
    ("해양수산부", "해수부"),
    ("중소벤처기업부", "중기부"),
    ("금융위원회", "금융위"),
]
_TOPICS = [
    "인공지능(AI) 반도체 투자",
    "원전 수출",
    "부동산 공급 대책",
    "의료 개혁",
    "탄소중립 정책",
    "청년 일자리",
    "해운 물류",
    "스타트업 지원",
]


def synthetic_article(i: int) -> tuple[bytes, bytes]:
    """(key, RawArticle JSON) of a small, realistic Korean article naming one or two ministries."""
    import orjson

    first = MINISTRIES_2025[i % len(MINISTRIES_2025)]
    second = MINISTRIES_2025[(i * 7 + 3) % len(MINISTRIES_2025)] if i % 3 == 0 else None
    topic = _TOPICS[i % len(_TOPICS)]
    names = first[0] + (f"와 {second[0]}" if second and second != first else "")
    paragraphs = [
        f"{names}는 {i}번째 {topic} 계획을 발표했다. 정부는 이번 대책으로 현장의 어려움을 덜 것이라고 밝혔다.",
        f"{first[1]} 관계자는 \"관련 예산 {i % 97 + 3}억원을 투입해 연내 성과를 내겠다\"고 말했다.",
        f"전문가들은 이번 {topic} 계획이 중장기적으로 효과를 낼 것으로 내다봤다. 후속 조치는 다음 달 나온다. ({i})",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f"<html><head><meta charset='utf-8'><title>{first[1]}, {topic} 추진 ({i})</title></head><body>"
        f"<nav><a href='/'>홈</a> <a href='/politics'>정치</a></nav>"
        f"<article><h1>{first[1]}, {topic} 추진 ({i})</h1><div class='byline'>홍길동 기자</div>{body}"
        f"<p>ⓒ 뉴스통신. 무단전재 및 재배포 금지.</p></article>"
        f"<aside><h3>많이 본 뉴스</h3><ul><li><a href='/x'>다른 기사</a></li></ul></aside></body></html>"
    )
    article_id = f"syn-{i:06d}"
    envelope = {
        "id": article_id,
        "url": f"https://news.example.kr/article/{i}",
        "source": "test",
        "fetched_at": "2025-08-14T09:00:00+09:00",
        "html": html,
    }
    return article_id.encode(), orjson.dumps(envelope)


def expected_ministry_counts(records: list[tuple[bytes | None, bytes]]) -> dict[str, int]:
    """What the worker must count: the pure core on the same records, under the dedup rules
    (an id counts once; a body already seen under another id does not count)."""
    from streams.clean import CleanError, clean_event
    from streams.enrich import enrich

    counts: dict[str, int] = {}
    ids, bodies = set(), set()
    for key, value in records:
        try:
            article = clean_event(value, key)
        except CleanError:
            continue
        if article.id in ids or article.fingerprint in bodies:
            continue
        ids.add(article.id)
        bodies.add(article.fingerprint)
        for ministry in enrich(article).ministries:
            counts[ministry.id] = counts.get(ministry.id, 0) + 1
    return counts


def read_all(settings, topic: str, *, idle: float = 3.0) -> list[tuple[bytes | None, bytes]]:
    """Every event on topic, until none arrives for `idle` seconds."""
    import asyncio

    from streams.kafka_io import tail_topic

    events: list[tuple[bytes | None, bytes]] = []
    asyncio.run(tail_topic(settings, topic, lambda k, v, m: events.append((k, v)), timeout=idle))
    return events


def produce(settings, records: list[tuple[bytes | None, bytes]]) -> None:
    """Send records to the raw topic (acks=all)."""
    import asyncio

    from streams.kafka_io import produce_records

    asyncio.run(produce_records(settings, settings.topics.raw, records))


def progress(worker: WorkerProcess) -> dict:
    """The worker's per-agent counters (`/healthz`)."""
    return worker.get("/healthz")["progress"]


def ministry_counts(worker: WorkerProcess) -> dict[str, int]:
    """All-time counts per ministry, of the whole cluster, as this worker shows them."""
    return {mid: c["count"] for mid, c in worker.get("/counts/ministries?window=all").items()}


# -- several workers sharing the partitions of one stream ----------------------------------------
@dataclass
class ScaleRun:
    """What `run_on_workers` saw: the facts a test asserts and a benchmark prints."""

    workers: int
    events: int
    seconds: float  # first event sent -> every worker's counts equal the expected ones
    taken: list[int]  # records each worker's clean agent took (`clean_in`): how the work spread
    articles_out: int  # distinct article ids on the enriched topic
    missing: list[str]  # article ids sent but not on the enriched topic
    dead_letters: int
    counts: list[dict[str, int]]  # /counts/ministries of each worker (each shows the whole cluster's)
    expected: dict[str, int]
    stops: list[tuple[int | None, bool]]  # per worker: exit code after SIGTERM, tables marked clean
    timed_out: bool = False

    @property
    def complete(self) -> bool:
        return not self.missing and not self.timed_out

    @property
    def exact(self) -> bool:
        return all(counts == self.expected for counts in self.counts)


def run_on_workers(
    env: dict[str, str], workdir: Path, n_workers: int, records: list[tuple[bytes, bytes]], *, timeout: float = 300.0
) -> ScaleRun:
    """Start n_workers worker processes (one group, own data dirs), wait until the group is settled,
    send the records, wait until every worker's counts equal the pure core's, and stop the workers
    with SIGTERM. Events must have unique ids and bodies (synthetic_article)."""
    import orjson

    from streams.settings import load_settings
    from streams.worker_state import MARKER

    settings = load_settings(env)
    expected = expected_ministry_counts(records)
    workdir.mkdir(parents=True, exist_ok=True)
    workers = [
        WorkerProcess({**env, "NEWSROOM_DATA_DIR": str(workdir / f"worker-{i}")}, workdir / f"worker-{i}.log")
        for i in range(n_workers)
    ]
    timed_out = False
    counts: list[dict[str, int]] = []
    try:
        with ThreadPoolExecutor(n_workers) as pool:  # start together: one rebalance, not one per worker
            list(pool.map(WorkerProcess.start, workers))

        # every worker ready (tables recovered, no rebalance) twice in a row: the group is settled
        def all_ready():
            return all(w.get("/readyz")["ready"] for w in workers)

        wait_until(
            lambda: all_ready() and (time.sleep(2) or all_ready()),
            timeout=180,
            interval=1.0,
            message=f"{n_workers} worker(s) ready",
        )
        started = time.monotonic()
        produce(settings, records)
        try:

            def every_worker_exact():
                seen = [ministry_counts(w) for w in workers]
                return all(c == expected for c in seen) and seen

            counts = wait_until(
                every_worker_exact, timeout=timeout, interval=0.5, message="every worker's counts to equal the input's"
            )
        except AssertionError:
            timed_out, counts = True, [ministry_counts(w) for w in workers]
        seconds = time.monotonic() - started
        taken = [progress(w).get("clean_in", 0) for w in workers]
    finally:
        with ThreadPoolExecutor(n_workers) as pool:  # SIGTERM to all at once, as a scale-down does
            codes = list(pool.map(WorkerProcess.stop, workers))
        stops = [(code, (load_settings(w.env).table_dir / MARKER).exists()) for code, w in zip(codes, workers)]
    enriched_ids = {orjson.loads(value)["id"] for _, value in read_all(settings, settings.topics.enriched, idle=1.0)}
    sent_ids = [key.decode() for key, _ in records]
    return ScaleRun(
        workers=n_workers,
        events=len(records),
        seconds=seconds,
        taken=taken,
        articles_out=len(enriched_ids),
        missing=[i for i in sent_ids if i not in enriched_ids],
        dead_letters=len(read_all(settings, settings.topics.deadletter, idle=1.0)),
        counts=counts,
        expected=expected,
        stops=stops,
        timed_out=timed_out,
    )


# Faults are found fast: a dead worker's partitions move after 8 s, commits every half second.
FAST_FAILOVER = {"NEWSROOM_SESSION_TIMEOUT": "8", "NEWSROOM_COMMIT_INTERVAL": "0.5"}


def settled(*workers: WorkerProcess) -> None:
    """Wait until the group has settled with these workers in it: every one ready twice in a row, so
    each owns partitions before a stream starts (one worker could otherwise take the whole stream
    before the other joined)."""

    def ready():
        return all(w.get("/readyz")["ready"] for w in workers)

    wait_until(lambda: ready() and (time.sleep(2) or ready()), timeout=120, interval=1.0, message="workers ready")


def newsroom(*args: str, env: dict, timeout: float = 180) -> subprocess.CompletedProcess:
    """`newsroom ARGS` as a user runs it (python -m streams.cli), its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
