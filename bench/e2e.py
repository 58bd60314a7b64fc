"""End-to-end benchmark on the real broker: one newsroom worker side by side with two baselines.

Run:  .venv/bin/python bench/e2e.py [--events 20000] [--quick] [--latency-seconds 15]
      .venv/bin/python bench/e2e.py --soak 100000      # worker RSS over 100k articles
      .venv/bin/python bench/e2e.py --profile          # worker hot path under pyinstrument
      .venv/bin/python bench/e2e.py --soak 100000 --set NEWSROOM_TABLE_MEMORY_MB=32   # a worker setting
      .venv/bin/python bench/e2e.py --only newsroom --also linger5   # A/B: the worker, then a variant of it

Starts its own local Kafka broker (temporary home, purged after) unless KAFKA_BOOTSTRAP_SERVERS is
set. Each process under test runs alone, as its own OS process with its own topics and consumer
group, on the same broker and the same events:
  - passthrough: plain aiokafka consume -> produce, no processing (bench/_passthrough.py), the ceiling;
  - faust-forward: a minimal Faust agent forwarding each record unchanged (bench/_faust_forward.py);
  - faust-shape: the worker's app, agents and tables sending the records the worker sends per
    article, with no work in them (bench/_faust_shape.py): the cost of the pipeline's shape;
  - newsroom-old: the worker of the code before (`--old-code REF`, default: where this branch left
    main), extracted with `git archive` and run from there, beside today's;
  - newsroom: `python -m streams.cli worker`: the stages of streams/graph.py.
For each process the Kafka records written (end offsets of its topics, changelogs included) and read
(records of the topics its agents and its plain consumers read) per article are printed.
Events are the corpus pages (tests/fixtures, tests/fixtures/pages) as `newsroom produce` sends them,
cycled with unique article ids. For each process: a warm-up batch; then the throughput run (N events
produced as fast as the producer goes, acks=all); then paced runs at fixed offered loads, where
latency = time the bench's consumer received the article on the output topic (news.enriched for the
worker) minus the time the producer sent it, per article id, on one monotonic clock. RSS and CPU of
the process are sampled every second with psutil. The bench's own producer and consumer run in this
process, on the same machine: on 2 cores everything competes for CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import os
import signal
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    ROOT,
    Page,
    ServiceProcess,
    code_state,
    conditions,
    corpus_summary,
    kafka,
    load_corpus,
    mib,
    percentile,
    table,
    variable_pages,
)
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from tests.support import isolated_env  # (tests/support.py: own app id, home and topic names)

from _faust_shape import SUBJECTS, corpus_shape
from streams.broker.local import free_port
from streams.settings import MAX_MESSAGE_BYTES

PARTITIONS = 4  # the worker's default (NEWSROOM_PARTITIONS)
STALL_SECONDS = 90.0  # a phase gives up when no output arrived for this long
IDLE_GIVE_UP = 10.0  # ... or for this long while the process was idle too
WARM_ENOUGH = 0.95  # a warm-up with this much out goes on (the rest dropped, e.g. as repeats)
TARGETS = ("passthrough", "faust-forward", "faust-shape", "newsroom-old", "newsroom")
WORKERS = ("newsroom-old", "newsroom")
VARIANT = "newsroom~"  # a target "newsroom~NAME[,NAME]": the worker with `--also` variants (bench/_worker_variant.py)


def is_worker(target: str) -> bool:
    return target in WORKERS or target.startswith(VARIANT)


# -- events -------------------------------------------------------------------------------------
class Events:
    """Unique (id, key, value) events cycling through the corpus pages."""

    def __init__(self, pages: list[tuple[Page, tuple[str, ...]]], run: str):
        self.pages = pages  # (page, marks that vary its body), see _common.variable_pages
        self.run = run
        self.counter = itertools.count()
        self.taken = 0

    def take(self, n: int, phase: str) -> list[tuple[str, bytes, bytes]]:
        out = []
        self.taken += n
        for _ in range(n):
            i = next(self.counter)
            page, marks = self.pages[i % len(self.pages)]
            article_id = f"{self.run}-{phase}-{i}"
            key, value = page.variant(article_id, i, marks)
            out.append((article_id, key, value))
        return out


# -- the output side: who arrived when ------------------------------------------------------------
@dataclass
class Arrivals:
    at: dict[str, float] = field(default_factory=dict)  # article id -> first time seen on an output topic
    dead: set[str] = field(default_factory=set)  # ids that came out as dead letters
    duplicates: int = 0
    last_change: float = field(default_factory=time.monotonic)


async def consume_outputs(
    bootstrap: str,
    topics: list[str],
    deadletter: str | None,
    arrivals: Arrivals,
    ready: asyncio.Event,
    stop: asyncio.Event,
) -> None:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap,
        group_id=None,
        enable_auto_commit=False,
        fetch_max_bytes=MAX_MESSAGE_BYTES,
        max_partition_fetch_bytes=MAX_MESSAGE_BYTES,
        fetch_max_wait_ms=100,
        client_id=f"bench-tail-{uuid.uuid4().hex[:6]}",
    )
    await consumer.start()
    try:
        names = topics + ([deadletter] if deadletter else [])
        consumer.assign([TopicPartition(t, p) for t in names for p in range(PARTITIONS)])
        await consumer.seek_to_beginning()
        ready.set()
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=50)
            now = time.monotonic()
            for tp, messages in batch.items():
                for msg in messages:
                    article_id = msg.key.decode("utf-8", "replace") if msg.key else ""
                    if article_id in arrivals.at:
                        arrivals.duplicates += 1
                        continue
                    arrivals.at[article_id] = now
                    if tp.topic == deadletter:
                        arrivals.dead.add(article_id)
            if batch:
                arrivals.last_change = now
    finally:
        await consumer.stop()


def idle_for(proc: ServiceProcess, seconds: float, busy: float = 0.15) -> bool:
    """Whether the process used less than `busy` of a core over the last `seconds`."""
    now = time.monotonic()
    recent = [s for s in proc.samples if s.t >= now - seconds]
    if len(recent) < 2 or recent[-1].t - recent[0].t < seconds - 1.5:
        return False
    return (recent[-1].cpu - recent[0].cpu) / (recent[-1].t - recent[0].t) < busy


async def wait_for(
    ids: list[str], arrivals: Arrivals, proc: ServiceProcess, what: str, stall: float = STALL_SECONDS
) -> bool:
    """Until every id arrived (True) or nothing new arrived for `stall` seconds / the process died (False).
    A process idle for IDLE_GIVE_UP seconds with nothing new out is not waited for longer: what is
    missing then was dropped (the old code drops as repeats some pages that today's cleaner tells apart)."""
    missing = [i for i in ids if i not in arrivals.at]
    arrivals.last_change = time.monotonic()
    while missing:
        if not proc.alive():
            print(f"  {proc.name} exited during {what}:\n{proc.log_tail()}", file=sys.stderr)
            return False
        quiet = time.monotonic() - arrivals.last_change
        if quiet > stall or (quiet > IDLE_GIVE_UP and idle_for(proc, IDLE_GIVE_UP)):
            print(
                f"  {what}: {len(missing)} of {len(ids)} events did not come out within {quiet:.0f}s of "
                f"the last output{'' if quiet > stall else ', the process idle'}; giving up on them",
                file=sys.stderr,
            )
            return False
        await asyncio.sleep(0.1)
        missing = [i for i in missing if i not in arrivals.at]
    return True


# -- the input side -----------------------------------------------------------------------------
async def produce_fast(producer: AIOKafkaProducer, topic: str, events) -> tuple[float, float]:
    """Send as fast as the producer goes; (time of the first send, time every send was acknowledged)."""
    started = time.monotonic()
    futures = [await producer.send(topic, key=key, value=value) for _, key, value in events]
    await asyncio.gather(*futures)
    return started, time.monotonic()


async def produce_paced(producer: AIOKafkaProducer, topic: str, events, rate: float) -> tuple[dict, float]:
    """Send at `rate` per second on schedule; the send time of each id, and the achieved rate."""
    sent: dict[str, float] = {}
    futures = []
    started = time.monotonic()
    for i, (article_id, key, value) in enumerate(events):
        due = started + i / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        sent[article_id] = time.monotonic()
        futures.append(await producer.send(topic, key=key, value=value))
    await asyncio.gather(*futures)
    elapsed = max(sent.values()) - started if sent else 0.0
    return sent, (len(events) - 1) / elapsed if elapsed else float("nan")


async def records_by_topic(bootstrap: str, prefix: str) -> dict[str, int]:
    """Records written to each topic whose name starts with `prefix` (fresh topics: end offsets)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        names = [n for n in await admin.list_topics() if n.startswith(prefix)]
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None)
    await consumer.start()
    try:
        partitions = [
            TopicPartition(n, p)
            for n in names
            for p in (consumer.partitions_for_topic(n) or await _partitions(consumer, n))
        ]
        ends = await consumer.end_offsets(partitions)
        starts = await consumer.beginning_offsets(partitions)
    finally:
        await consumer.stop()
    out: dict[str, int] = {}
    for tp, end in ends.items():
        out[tp.topic] = out.get(tp.topic, 0) + end - starts[tp]
    return out


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    await consumer._client.force_metadata_update()  # aiokafka has no public call for this
    return consumer.partitions_for_topic(topic) or set()


def records_table(records: dict[str, int], prefix: str, articles: int) -> str:
    """Records per article, topics grouped (news.ministry.*, news.topic.*, changelogs)."""
    groups: dict[str, list[int]] = {}
    for name, n in records.items():
        short = name[len(prefix) :].lstrip(".-")
        for family in ("ministry.", "topic."):
            if short.startswith(family):
                short = f"{family}<id>"
        if short.endswith("-changelog"):
            short = f"changelog {short.removeprefix('app-').removesuffix('-changelog')}"
        groups.setdefault(short, []).append(n)
    rows = sorted(([g, len(v), sum(v), sum(v) / articles] for g, v in groups.items()), key=lambda r: -r[2])
    total = sum(records.values())
    rows.append(["**all**", len(records), total, total / articles])
    return table(["topic (group)", "topics", "records", "records per article in"], rows)


async def create_topics(bootstrap: str, names: list[str]) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(n, PARTITIONS, 1) for n in names])
    finally:
        await admin.close()


# -- one process under test -------------------------------------------------------------------
@dataclass
class Result:
    target: str
    n: int = 0
    done: int = 0
    dead: int = 0
    duplicates: int = 0
    produce_start: float = 0.0
    produce_acked: float = 0.0
    first_out: float = 0.0
    last_out: float = 0.0
    cpu_seconds: float = float("nan")
    main_cpu_seconds: float = float("nan")  # of its main thread: the event loop's, a worker's limit when it is busy
    machine_cpu_seconds: float = float("nan")  # every process on the machine (broker, bench) over the same span
    idle_at: float = float("nan")  # when the process's CPU went back to idle after the throughput run
    drain_done: int = 0
    drain_n: int = 0
    drain_span: float = float("nan")  # first -> last out while draining a backlog
    latency: dict = field(default_factory=dict)  # offered rate -> dict of stats
    marks: dict = field(default_factory=dict)  # phase name -> monotonic time
    samples: list = field(default_factory=list)
    soak_points: list = field(default_factory=list)  # (articles done, monotonic time)
    prefix: str = ""
    articles_in: int = 0
    records: dict = field(default_factory=dict)  # topic -> records written during the run
    read_topics: list = field(default_factory=list)  # the topics the process reads, once per record
    ok: bool = True

    @property
    def sustained(self) -> float:
        span = self.last_out - self.first_out
        return (self.done - 1) / span if self.done > 1 and span > 0 else float("nan")

    @property
    def end_to_end(self) -> float:
        span = self.last_out - self.produce_start
        return self.done / span if self.done and span > 0 else float("nan")

    @property
    def drain(self) -> float:
        return (self.drain_done - 1) / self.drain_span if self.drain_done > 1 and self.drain_span > 0 else float("nan")

    @property
    def to_idle(self) -> float:
        span = self.idle_at - self.produce_start
        return self.done / span if self.done and span > 0 else float("nan")


def shape_topics(env: dict) -> list[str]:
    """Topics of the faust-shape baseline, in its argument order; then its output topics."""
    names = [env[f"NEWSROOM_TOPIC_{n}"] for n in ("RAW", "UNIQUE", "ENRICHED", "COUNTS")]
    return names + [env["NEWSROOM_MINISTRY_TOPIC_PREFIX"] + s for s in SUBJECTS]


def topics_read(target: str, env: dict) -> list[str]:
    """The topics a process reads, once per record (the worker: its agents' sources and the topics
    every worker reads whole outside the group; the old worker: its five agents' and the desk's)."""

    def t(name):
        return env[f"NEWSROOM_TOPIC_{name}"]

    if target == "newsroom" or target.startswith(VARIANT):
        from streams.graph import READERS, STAGES
        from streams.settings import load_settings

        topics = load_settings(env).topics
        return [getattr(topics, s.source) for s in STAGES] + [getattr(topics, attr) for attr, _ in READERS]
    if target == "newsroom-old":
        return [t("RAW"), t("CLEANED"), t("UNIQUE"), t("ENRICHED"), t("COUNTS"), t("ENRICHED"), t("ALERTS")]
    if target == "faust-shape":
        return shape_topics(env)[:4]
    return [t("RAW")]


def old_code(ref: str, workdir: Path) -> Path | None:
    """The streams/ and schemas/ of `ref`, extracted (git archive: the repository is only read)."""
    import subprocess

    tree = workdir / "old-code"
    tree.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", ref, "streams", "schemas"], cwd=ROOT, capture_output=True)
    if archive.returncode != 0:
        print(f"newsroom-old: cannot read {ref}: {archive.stderr.decode(errors='replace').strip()}", file=sys.stderr)
        return None
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def default_old_ref() -> str:
    import subprocess

    base = subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True)
    return base.stdout.strip() or "HEAD~1"


def target_process(
    target: str,
    env: dict,
    workdir: Path,
    profile_out: Path | None,
    variant: str | None = None,
    shape: tuple = (),
    cwd: Path = ROOT,
) -> ServiceProcess:
    raw, enriched = env["NEWSROOM_TOPIC_RAW"], env["NEWSROOM_TOPIC_ENRICHED"]
    py = sys.executable
    if target == "passthrough":
        argv = [py, str(ROOT / "bench" / "_passthrough.py"), raw, enriched]
    elif target == "faust-forward":
        argv = [py, str(ROOT / "bench" / "_faust_forward.py"), raw, enriched]
    elif target == "faust-shape":
        argv = [
            py,
            str(ROOT / "bench" / "_faust_shape.py"),
            *shape_topics(env)[:4],
            env["NEWSROOM_MINISTRY_TOPIC_PREFIX"],
            *(str(x) for x in shape),
        ]
    else:
        argv = ["-m", "streams.cli", "worker"]
        if variant:  # an experiment: bench/_worker_variant.py
            argv = [str(ROOT / "bench" / "_worker_variant.py"), variant]
        if profile_out is not None:
            argv = ["-m", "pyinstrument", "-r", "pyisession", "-o", str(profile_out)] + argv
        argv = [py] + argv
    return ServiceProcess(target, argv, env, workdir / f"{target}.log", cwd=cwd)


async def run_target(
    target: str, bootstrap: str, events: Events, args, workdir: Path, profile_out: Path | None = None
) -> Result:
    prefix = f"b{uuid.uuid4().hex[:6]}-{''.join(c for c in target if c.isalnum())}"
    settings = dict(args.set or []) if is_worker(target) else {}
    env = isolated_env(
        bootstrap,
        workdir / f"{target}-home",
        prefix,
        NEWSROOM_WEB_PORT=str(free_port()),
        NEWSROOM_PARTITIONS=str(PARTITIONS),
        NEWSROOM_TOPIC_CLEANED=f"{prefix}.cleaned",
        **settings,
    )
    raw, enriched, deadletter = (
        env["NEWSROOM_TOPIC_RAW"],
        env["NEWSROOM_TOPIC_ENRICHED"],
        env["NEWSROOM_TOPIC_DEADLETTER"],
    )
    extra = [n for n in shape_topics(env) if n not in (raw, enriched)] if target == "faust-shape" else []
    await create_topics(bootstrap, [raw, enriched, deadletter] + extra)
    result = Result(target, prefix=prefix)
    taken_before = events.taken
    proc = target_process(
        target,
        env,
        workdir,
        profile_out,
        args.variant if target == "newsroom" else target.removeprefix(VARIANT) if target.startswith(VARIANT) else None,
        args.shape,
        args.old_tree if target == "newsroom-old" else ROOT,
    ).start()
    result.read_topics = topics_read(target, env)
    arrivals, ready, stop = Arrivals(), asyncio.Event(), asyncio.Event()
    tail = asyncio.create_task(
        consume_outputs(bootstrap, [enriched], deadletter if is_worker(target) else None, arrivals, ready, stop)
    )
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        acks="all",
        enable_idempotence=True,
        max_request_size=MAX_MESSAGE_BYTES,
        linger_ms=0,
    )
    await producer.start()
    await ready.wait()

    def log(m):
        print(f"  [{target}] {m}", file=sys.stderr)

    try:
        # warm-up: includes the process start, joining the group and the first partitions assignment
        result.marks["start"] = time.monotonic()
        warm = events.take(args.warmup, "warm")
        await produce_fast(producer, raw, warm)
        if not await wait_for([e[0] for e in warm], arrivals, proc, "warm-up", stall=180.0):
            out = sum(1 for e in warm if e[0] in arrivals.at)
            if out < WARM_ENOUGH * len(warm):
                result.ok = False
                return result
            log(f"warm-up: {len(warm) - out} of {len(warm)} did not come out (dropped); going on")
        result.marks["startup"] = min(arrivals.at[e[0]] for e in warm if e[0] in arrivals.at)
        await settle(proc)
        result.marks["warm-up"] = time.monotonic()
        log(f"warm after {result.marks['warm-up'] - result.marks['start']:.1f}s")

        if args.soak:
            await soak(producer, raw, events, arrivals, proc, result, args.soak, log, args.soak_minutes)
            await settle(proc, timeout=1800.0)  # the fan-out and counting behind news.enriched
            result.articles_in = events.taken - taken_before
            with contextlib.suppress(Exception):
                result.records = await records_by_topic(bootstrap, prefix)
            return result

        # throughput: N events as fast as the producer goes
        batch = events.take(args.events, "tput")
        ids = [e[0] for e in batch]
        cpu_before = proc.samples[-1].cpu if proc.samples else 0.0
        main_before = proc.samples[-1].main_cpu if proc.samples else 0.0
        machine_before = machine_busy_seconds()
        result.produce_start, result.produce_acked = await produce_fast(producer, raw, batch)
        del batch
        log(f"produced {len(ids)} in {result.produce_acked - result.produce_start:.1f}s")
        result.ok = await wait_for(ids, arrivals, proc, "throughput run")
        times = [arrivals.at[i] for i in ids if i in arrivals.at]
        result.n, result.done = len(ids), len(times)
        result.dead = sum(1 for i in ids if i in arrivals.dead)
        if times:
            result.first_out, result.last_out = min(times), max(times)
        result.idle_at = await settle(proc)
        if proc.samples:
            result.cpu_seconds = proc.samples[-1].cpu - cpu_before
            result.main_cpu_seconds = proc.samples[-1].main_cpu - main_before
        result.machine_cpu_seconds = machine_busy_seconds() - machine_before
        result.marks["throughput"] = time.monotonic()
        log(f"throughput {result.sustained:,.0f}/s")

        # drain: the process is paused (SIGSTOP) while N events are produced, then resumed: its capacity
        # on a backlog, without the bench's producer competing for the CPU
        if not args.profile and not args.no_drain:
            batch = events.take(args.events, "drain")
            ids = [e[0] for e in batch]
            os.killpg(proc.proc.pid, signal.SIGSTOP)
            try:
                paused, acked = await produce_fast(producer, raw, batch)
            finally:
                os.killpg(proc.proc.pid, signal.SIGCONT)
            del batch
            if acked - paused > 20:
                log(f"paused {acked - paused:.0f}s: close to the group session timeout; a rebalance may follow")
            await wait_for(ids, arrivals, proc, "drain run")
            times = [arrivals.at[i] for i in ids if i in arrivals.at]
            result.drain_n, result.drain_done = len(ids), len(times)
            if times:
                result.drain_span = max(times) - min(times)
            await settle(proc)
            result.marks["drain"] = time.monotonic()
            log(f"drain {result.drain:,.0f}/s")

        # latency at fixed offered loads
        if not args.profile:
            for rate in args.rates:
                n = max(10, int(rate * args.latency_seconds))
                paced = events.take(n, f"r{rate}")
                sent, achieved = await produce_paced(producer, raw, paced, rate)
                complete = await wait_for(list(sent), arrivals, proc, f"latency at {rate}/s", stall=30.0)
                await settle(proc)
                lat = [(arrivals.at[i] - t) * 1000 for i, t in sent.items() if i in arrivals.at]
                result.latency[rate] = {
                    "sent": n,
                    "achieved": achieved,
                    "done": len(lat),
                    "complete": complete,
                    "p50": percentile(lat, 50),
                    "p95": percentile(lat, 95),
                    "p99": percentile(lat, 99),
                    "max": max(lat) if lat else float("nan"),
                }
                result.marks[f"latency {rate}/s"] = time.monotonic()
                log(f"latency at {rate}/s: p99 {result.latency[rate]['p99']:.0f} ms")
        result.duplicates = arrivals.duplicates
        result.articles_in = events.taken - taken_before
        with contextlib.suppress(Exception):
            result.records = await records_by_topic(bootstrap, prefix)
        return result
    finally:
        await producer.stop()
        stop.set()
        with contextlib.suppress(Exception):
            await tail
        result.marks["stop"] = time.monotonic()
        code = proc.stop(signal.SIGINT if profile_out else signal.SIGTERM, timeout=120.0)
        if code not in (0, None, -signal.SIGTERM, -signal.SIGINT):
            log(f"exited with {code}; log {proc.log_path}")
        result.samples = proc.samples


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine was busy so far, all cores (not idle, not waiting for I/O)."""
    import psutil

    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


async def settle(proc: ServiceProcess, busy: float = 0.15, timeout: float = 180.0) -> float:
    """Wait until the process uses less than `busy` of a core over two seconds (its queues are
    drained: the worker goes on fanning out and counting after an article reached news.enriched);
    the time it went idle (the start of that quiet window)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.alive():
        await asyncio.sleep(1.0)
        recent = [s for s in proc.samples if s.t >= time.monotonic() - 2.5]
        if len(recent) >= 2 and (recent[-1].cpu - recent[0].cpu) / (recent[-1].t - recent[0].t) < busy:
            return recent[0].t
    return time.monotonic()


async def soak(
    producer,
    raw: str,
    events: Events,
    arrivals: Arrivals,
    proc: ServiceProcess,
    result: Result,
    total: int,
    log,
    minutes: float | None = None,
) -> None:
    """Produce `total` events keeping at most a few thousand in flight; note (done, time) as it goes.
    With `minutes`, stop producing after that long and report what was done by then."""
    chunk, in_flight_max = 1000, 5000
    deadline = time.monotonic() + minutes * 60 if minutes else float("inf")
    produced: list[str] = []
    done = 0
    result.produce_start = time.monotonic()
    next_report = time.monotonic() + 30
    while done < total:
        if time.monotonic() > deadline and len(produced) < total:
            log(f"soak: time limit reached, stopping at {len(produced):,} articles produced")
            total = len(produced)
        while len(produced) < total and len(produced) - done < in_flight_max:
            batch = events.take(min(chunk, total - len(produced)), "soak")
            await produce_fast(producer, raw, batch)
            produced += [e[0] for e in batch]
        await asyncio.sleep(0.5)
        new_done = sum(1 for i in produced[done:] if i in arrivals.at) + done
        if new_done == done and time.monotonic() - arrivals.last_change > STALL_SECONDS:
            log(f"soak stalled at {done} articles")
            result.ok = False
            break
        # ids complete in roughly produce order; advance past the contiguous done prefix
        while done < len(produced) and produced[done] in arrivals.at:
            done += 1
        result.soak_points.append((done, time.monotonic()))
        if time.monotonic() > next_report:
            rss = proc.samples[-1].rss if proc.samples else 0
            log(f"soak: {done:,} articles, RSS {mib(rss):.0f} MiB")
            next_report += 30
    result.n, result.done = total, done
    times = [arrivals.at[i] for i in produced if i in arrivals.at]
    if times:
        result.first_out, result.last_out = min(times), max(times)
    result.dead = sum(1 for i in produced if i in arrivals.dead)


# -- reporting ----------------------------------------------------------------------------------------
def command_line() -> str:
    text = " ".join([".venv/bin/python bench/e2e.py", *sys.argv[1:]])
    variant = next((a for a in sys.argv if a.startswith("--variant")), None)
    return f"`{text}`" + (" (worker variant: an experiment, see bench/_worker_variant.py)" if variant else "")


def rss_at(result: Result, t: float) -> float:
    before = [s for s in result.samples if s.t <= t]
    chosen = before[-1] if before else (result.samples[0] if result.samples else None)
    return mib(chosen.rss) if chosen else float("nan")


def rss_max(result: Result) -> float:
    return mib(max(s.rss for s in result.samples)) if result.samples else float("nan")


def report(results: dict[str, Result], args, broker: str, started_conditions: str, corpus: str) -> None:
    cmd = command_line()
    print("# End to end on the real broker\n")
    print(f"- command: {cmd}")
    print(f"- broker: {broker}; {PARTITIONS} partitions per topic; one process under test at a time")
    print(f"- code (at start): {args.code}")
    print(f"- at start: {started_conditions}")
    print(f"- at end: load average {'/'.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"- events: {corpus}; cycled with unique ids; warm-up {args.warmup} events per process first\n")

    ceiling = results.get("passthrough")
    faust_only = results.get("faust-forward")
    shape = results.get("faust-shape")
    if shape:
        cleaned, enriched, mentions = args.shape
        print(
            f"- faust-shape: cleaned articles of {cleaned:,} bytes, enriched of {enriched:,}, {mentions:.2f} "
            f"mentions per article (the corpus's means)\n"
        )

    def frac(value: float, base: Result | None, attr: str) -> str:
        ref = getattr(base, attr) if base else float("nan")
        return f"{value / ref:.0%}" if ref == ref and value == value and ref else "n/a"

    rows = []
    for name, r in results.items():
        cpu_ms = r.cpu_seconds * 1000 / r.done if r.done else float("nan")
        machine_ms = r.machine_cpu_seconds * 1000 / r.done if r.done else float("nan")
        main_ms = r.main_cpu_seconds * 1000 / r.done if r.done else float("nan")
        rows.append(
            [
                name,
                f"{r.done:,}/{r.n:,}" + ("" if r.ok else " (incomplete)"),
                r.sustained,
                r.end_to_end,
                r.to_idle,
                frac(r.sustained, ceiling, "sustained"),
                frac(r.sustained, faust_only, "sustained"),
                frac(r.to_idle, shape, "to_idle"),
                cpu_ms,
                main_ms,
                machine_ms,
                r.dead,
            ]
        )
    print("## Throughput, live: N events produced as fast as the bench's producer goes, while the process runs\n")
    print(
        table(
            [
                "process",
                "out/in",
                "articles/s first→last out",
                "articles/s produce start→last out",
                "articles/s produce start→process idle",
                "of passthrough",
                "of faust-forward",
                "of faust-shape (to idle)",
                "process CPU ms/article",
                "main thread CPU ms/article",
                "machine CPU ms/article",
                "dead letters",
            ],
            rows,
        )
    )
    print(
        "\n\"out\" is news.enriched for the worker (the forwarded topic for the baselines); the worker goes on "
        "fanning out and counting after that, so \"process idle\" (CPU back under 15% of a core, ±2 s) is when "
        "all of its work was done. Ratios use first→last out, except \"of faust-shape\": both to idle. The "
        "bench's producer (one Python process, acks=all) shares the CPU and can itself be the limit of the "
        "fastest process. Process CPU counts a worker's cleaning processes (NEWSROOM_CLEAN_PROCESSES) too; "
        "main thread CPU is its event loop's thread alone, what limits a worker that has a core to itself. "
        "Machine CPU is every process's (the broker's and the bench's too) from the first "
        f"event produced to idle: {os.cpu_count()} cores give {os.cpu_count()} ms of CPU per "
        "article at 1,000 articles/s."
    )
    if any(r.drain_n for r in results.values()):
        print("\n## Throughput, backlog: the process paused (SIGSTOP) while N events are produced, then resumed\n")
        rows = [
            [
                name,
                f"{r.drain_done:,}/{r.drain_n:,}",
                r.drain,
                frac(r.drain, ceiling, "drain"),
                frac(r.drain, faust_only, "drain"),
                frac(r.drain, shape, "drain"),
            ]
            for name, r in results.items()
            if r.drain_n
        ]
        print(
            table(
                [
                    "process",
                    "out/in",
                    "articles/s first→last out",
                    "of passthrough",
                    "of faust-forward",
                    "of faust-shape",
                ],
                rows,
            )
        )

    rates = args.rates
    if any(r.latency for r in results.values()):
        print(
            f"\n## Produce-to-output latency at fixed offered loads ({args.latency_seconds:g} s each, paced producer)\n"
        )
        rows = []
        for name, r in results.items():
            for rate in rates:
                lat = r.latency.get(rate)
                if not lat:
                    continue
                rows.append(
                    [
                        name,
                        rate,
                        lat["achieved"],
                        f"{lat['done']:,}/{lat['sent']:,}",
                        lat["p50"],
                        lat["p95"],
                        lat["p99"],
                        lat["max"],
                    ]
                )
        print(
            table(
                ["process", "offered/s", "achieved send rate/s", "out/in", "p50 ms", "p95 ms", "p99 ms", "max ms"], rows
            )
        )
        print(
            "\nEach paced run starts once the process is idle again. Above a process's capacity the queue grows "
            "for the whole run, and the latency mostly measures the run's length."
        )

    print("\n## Process RSS (psutil, sampled every second)\n")
    rows = []
    for name, r in results.items():
        rows.append(
            [
                name,
                rss_at(r, r.marks.get("startup", 0)),
                rss_at(r, r.marks.get("warm-up", 0)),
                rss_at(r, r.marks.get("stop", 0)),
                rss_max(r),
            ]
        )
    print(table(["process", "start (first output) MiB", "after warm-up MiB", "end MiB", "max MiB"], rows))

    ours = results.get("newsroom")
    if ours and ours.samples:
        print("\n### newsroom worker RSS over time\n")
        t0 = ours.samples[0].t
        phase_at = sorted((t, name) for name, t in ours.marks.items() if name != "start")
        step = max(1, len(ours.samples) // 20)
        rows = []
        for s in ours.samples[::step] + ([ours.samples[-1]] if len(ours.samples) % step != 1 else []):
            phase = next((name for t, name in phase_at if s.t <= t), "stop")
            rows.append([f"{s.t - t0:.0f}", phase, mib(s.rss), s.cpu])
        print(table(["t (s)", "phase", "RSS MiB", "CPU s so far"], rows))

    old = results.get("newsroom-old")
    rows = [
        [r.target, written_per_article(r), read_per_article(r)]
        for r in (shape, old, ours)
        if r and r.records and r.articles_in
    ]
    if rows:
        print("\n## Kafka records per article produced\n")
        print(table(["process", "records written per article", "records read per article"], rows))
        print(
            "\nWritten: every record of the process's topics, changelogs included (end offsets). Read: the "
            "records of the topics its agents read and of those each worker reads whole (desk feed, cluster "
            "counts), each read once; changelogs are read only when a table is recovered."
        )
    for r in (shape, old, ours):
        if r and r.records and r.articles_in:
            print(
                f"\n## Kafka records written by the {r.target} run, per article produced ({r.articles_in:,} articles)\n"
            )
            print(records_table(r.records, r.prefix, r.articles_in))
    if ours:
        print("\n## Targets\n")
        lat200 = ours.latency.get(200, {})
        checks = [
            (
                ">= 1,000 articles/s sustained, one worker",
                f"{ours.sustained:,.0f}/s live to news.enriched, {ours.to_idle:,.0f}/s live with fan-out and counting "
                f"done, {ours.drain:,.0f}/s backlog to news.enriched",
                ours.sustained >= 1000 and ours.to_idle >= 1000 and not ours.drain < 1000,
            ),
            (
                ">= 60% of the passthrough ceiling",
                f"{frac(ours.sustained, ceiling, 'sustained')} live, {frac(ours.drain, ceiling, 'drain')} backlog",
                bool(ceiling) and ours.sustained >= 0.6 * ceiling.sustained and not ours.drain < 0.6 * ceiling.drain,
            ),
            (
                "p99 produce-to-enriched <= 100 ms at 200/s",
                f"{lat200.get('p99', float('nan')):,.0f} ms",
                bool(lat200) and lat200["complete"] and lat200["p99"] <= 100,
            ),
            ("records written per article <= 10", f"{written_per_article(ours)}", written_per_article(ours) <= 10),
            (
                ">= 2x the old code's articles/s with all work done",
                f"{ours.to_idle:,.0f}/s against {old.to_idle:,.0f}/s" if old else "old code not run",
                bool(old) and ours.to_idle >= 2 * old.to_idle,
            ),
            (
                ">= 30% of the passthrough, all work done",
                frac(ours.to_idle, ceiling, "sustained"),
                bool(ceiling) and ours.to_idle >= 0.3 * ceiling.sustained,
            ),
        ]
        print(table(["target", "measured", "met"], [[a, b, "yes" if c else "**no**"] for a, b, c in checks]))
        print("\n(RSS target: run `--soak 100000`.)")
        if shape and shape.done:
            budget = os.cpu_count() * 1000 / 1000  # ms of CPU per second, all cores, shared by 1,000 articles
            need = shape.machine_cpu_seconds * 1000 / shape.done
            print(
                f"\nThe shape of this pipeline alone (faust-shape: the same records, no work) did "
                f"{shape.to_idle:,.0f} articles/s with all its work done and needed {need:.1f} ms of machine CPU "
                f"per article; {os.cpu_count()} cores give {budget:g} ms per article at 1,000/s."
            )


def written_per_article(r: Result) -> float:
    return round(sum(r.records.values()) / r.articles_in, 2) if r.records and r.articles_in else float("nan")


def read_per_article(r: Result) -> float:
    if not (r.records and r.articles_in):
        return float("nan")
    return round(sum(r.records.get(topic, 0) for topic in r.read_topics) / r.articles_in, 2)


def report_soak(r: Result, args, broker: str, started_conditions: str, corpus: str) -> None:
    print("# Worker RSS soak on the real broker\n")
    print(f"- command: {command_line()}")
    print(f"- code (at start): {args.code}")
    print(f"- broker: {broker}; at start: {started_conditions}")
    print(f"- at end: load average {'/'.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"- events: {corpus}; produced with at most 5,000 in flight\n")
    rows = []
    warm_rss = None
    for fraction in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        want = int(fraction * r.n)
        point = next(((d, t) for d, t in r.soak_points if d >= want), None)
        if point is None:
            continue
        rss = rss_at(r, point[1])
        if fraction == 0.2:
            warm_rss = rss
        rows.append([f"{point[0]:,}", f"{point[1] - r.produce_start:.0f}", rss])
    print(table(["articles done", "t (s)", "worker RSS MiB"], rows))
    end, top = rss_at(r, r.marks.get("stop", 0)), rss_max(r)
    print(f"\nthroughput over the soak: {r.sustained:,.0f} articles/s; done {r.done:,}/{r.n:,}; dead letters {r.dead}")
    print(
        f"RSS: start (first output) {rss_at(r, r.marks.get('startup', 0)):.0f} MiB, after warm-up "
        f"{rss_at(r, r.marks.get('warm-up', 0)):.0f} MiB, end {end:.0f} MiB, max {top:.0f} MiB"
    )
    if warm_rss:
        growth = end - warm_rss
        flat = growth <= 0.05 * warm_rss
        print(
            f"growth from 20% of the articles to the end: {growth:+.0f} MiB "
            f"({growth / warm_rss:+.1%}): {'flat' if flat else 'NOT flat'} (flat = within 5%)"
        )
        met = r.done >= 100_000 and top <= 400 and flat
        if r.records and r.articles_in:
            print(f"\nKafka records written, per article produced ({r.articles_in:,} articles):\n")
            print(records_table(r.records, r.prefix, r.articles_in))
        print(
            f"\ntarget RSS <= 400 MB after 100,000 articles, flat after warm-up: "
            f"{'met' if met else '**not met**'}" + ("" if r.done >= 100_000 else " (fewer than 100,000 articles)")
        )


def report_profile(path: Path, r: Result) -> None:
    from _profile import summarize

    print("# Worker hot path (pyinstrument, main thread)\n")
    print(
        f"- command: {command_line()}; throughput under the profiler "
        f"{r.sustained:,.0f} articles/s (the profiler slows it; not a benchmark number)"
    )
    print(f"- session file: {path} (open with `.venv/bin/python -m pyinstrument --load {path}`)\n")
    print(summarize(path))


# -- main ---------------------------------------------------------------------------------------
def setting(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.startswith("NEWSROOM_"):
        raise argparse.ArgumentTypeError(f"{text!r}: give NEWSROOM_<NAME>=<value>")
    return name, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000, help="events of the throughput run (default 20,000)")
    parser.add_argument("--quick", action="store_true", help="about 2,000 events and 5 s latency runs")
    parser.add_argument("--latency-seconds", type=float, default=15.0, help="seconds of each paced run (default 15)")
    parser.add_argument("--rates", type=int, nargs="+", default=[200, 1000], help="offered loads (default 200 1000)")
    parser.add_argument("--only", choices=TARGETS, nargs="+", help="run these processes only")
    parser.add_argument("--soak", type=int, metavar="N", help="soak the worker with N articles, report its RSS")
    parser.add_argument("--soak-minutes", type=float, help="with --soak: stop producing after this long")
    parser.add_argument("--profile", action="store_true", help="profile the worker with pyinstrument")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs, profile)")
    parser.add_argument("--no-drain", action="store_true", help="skip the backlog (paused process) run")
    parser.add_argument("--variant", help="run the worker with experimental changes (see bench/_worker_variant.py)")
    parser.add_argument(
        "--also",
        nargs="+",
        metavar="VARIANT",
        help="after the others, run the worker again with each variant (`newsroom~VARIANT` rows): an A/B in one run",
    )
    parser.add_argument(
        "--old-code",
        metavar="REF",
        help="the code the newsroom-old run uses (default: where this branch left main, `git merge-base HEAD main`)",
    )
    parser.add_argument(
        "--set",
        action="append",
        type=setting,
        metavar="NAME=VALUE",
        help="a NEWSROOM_ setting for the worker, e.g. NEWSROOM_TABLE_MEMORY_MB=32 (repeatable)",
    )
    args = parser.parse_args()
    if args.quick:
        args.events, args.latency_seconds = 2_000, 5.0
    args.warmup = 500 if not args.quick else 200
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # leader elections of the new topics

    pages, skipped = load_corpus()
    usable, fixed = variable_pages(pages)
    corpus = corpus_summary([p for p, _ in usable], skipped + fixed)
    started = conditions()
    args.code = code_state()
    targets = list(args.only or TARGETS) + [VARIANT + v for v in args.also or ()]
    if args.soak or args.profile:
        targets = ["newsroom"]
    args.shape = corpus_shape(usable) if "faust-shape" in targets else ()
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-e2e-"))
    args.old_tree = None
    if "newsroom-old" in targets:
        args.old_tree = old_code(args.old_code or default_old_ref(), workdir)
        if args.old_tree is None:
            targets.remove("newsroom-old")
    events = Events(usable, uuid.uuid4().hex[:6])
    results: dict[str, Result] = {}
    from streams.broker import MissingToolError

    try:
        with kafka() as (bootstrap, broker):
            for target in targets:
                print(f"running {target} ...", file=sys.stderr)
                profile_out = workdir / "worker.pyisession" if args.profile else None
                results[target] = asyncio.run(run_target(target, bootstrap, events, args, workdir, profile_out))
    except MissingToolError as err:  # no Java/Maven: say so, like a skipped benchmark
        print(f"# End to end on the real broker\n\nnot run: {err}")
        return 0
    if args.soak:
        report_soak(results["newsroom"], args, broker, started, corpus)
    elif args.profile:
        report_profile(workdir / "worker.pyisession", results["newsroom"])
    else:
        report(results, args, broker, started, corpus)
    if args.keep or args.profile:
        print(f"\nlogs: {workdir}", file=sys.stderr)
    else:
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
