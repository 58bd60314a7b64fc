"""Scale out on the real broker: the same stream through 1, 2 and 4 worker processes on 8 partitions.

Run:  .venv/bin/python bench/scale.py [--events 20000] [--workers 1 2 4] [--partitions 8] [--keep]

Starts its own local Kafka broker (temporary home, purged after) unless KAFKA_BOOTSTRAP_SERVERS is
set. Each configuration gets its own topics and consumer group: its workers are started together and
left to settle (every one ready), then the events (tests/support.py synthetic_article: small Korean
articles, unique ids and bodies) are produced as fast as the producer goes, and the clock stops when
every worker's /counts/ministries (the whole cluster's) equals the pure core's on the same events.
Then every worker gets SIGTERM together. Reported per configuration: throughput, each worker's share
of the input (its clean agent's `clean_in`), whether every article id reached news.enriched and the
counts were exact, and whether every worker stopped gracefully (exit 0, tables marked clean).
The workers, the bench's producer and the broker share this machine's cores: with 2 cores, more
workers do not go faster; what must hold is that the results stay exact and the work spreads.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import code_state, conditions, kafka, table
from tests.support import ScaleRun, isolated_env, run_on_workers, synthetic_article  # (tests/support.py)


def spread(run: ScaleRun) -> str:
    total = sum(run.taken) or 1
    return " / ".join(f"{n / total:.0%}" for n in run.taken)


def report(runs: list[ScaleRun], args, broker: str, started: str) -> None:
    print("# Scale out: workers sharing the partitions of one stream\n")
    print(f"- command: `{' '.join(['.venv/bin/python bench/scale.py', *sys.argv[1:]])}`")
    print(f"- broker: {broker}; {args.partitions} partitions per topic")
    print(f"- code (at start): {args.code}")
    print(f"- at start: {started}")
    print(f"- at end: load average {'/'.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"- events: {args.events:,} synthetic articles (unique ids and bodies), produced after the workers settled\n")
    rows = []
    for run in runs:
        graceful = sum(code == 0 and clean for code, clean in run.stops)
        rows.append(
            [
                run.workers,
                f"{run.events:,}",
                run.seconds,
                run.events / run.seconds if run.seconds else 0.0,
                spread(run),
                " / ".join(f"{n:,}" for n in run.taken),
                f"{run.articles_out:,}/{run.events:,}",
                "yes" if run.complete else f"no ({len(run.missing):,} missing)",
                "yes" if run.exact else "NO",
                run.dead_letters,
                f"{graceful}/{run.workers}",
            ]
        )
    print(
        table(
            [
                "workers",
                "events",
                "seconds (produce start → counts exact)",
                "events/s",
                "share of input per worker",
                "records taken per worker",
                "articles out",
                "output complete",
                "counts exact",
                "dead letters",
                "graceful stops",
            ],
            rows,
        )
    )
    print(
        "\n\"records taken\" is each worker's `clean_in` (/healthz): records of news.raw its clean agent took; "
        "a total above the events means a partition was re-read after a rebalance (at-least-once; counts stay "
        "exact through the dedup tables). \"counts exact\": every worker's /counts/ministries, which shows "
        "the whole cluster's counts, equals the input's."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000, help="events per configuration (default 20,000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="configurations (default 1 2 4)")
    parser.add_argument("--partitions", type=int, default=8, help="partitions per topic (default 8)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (worker logs)")
    args = parser.parse_args()
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # leader elections of the new topics
    started, args.code = conditions(), code_state()
    records = [synthetic_article(i) for i in range(args.events)]
    runs: list[ScaleRun] = []
    from streams.broker import MissingToolError

    keep = contextlib.nullcontext(tempfile.mkdtemp(prefix="newsroom-scale-")) if args.keep else None
    with keep or tempfile.TemporaryDirectory(prefix="newsroom-scale-") as tmp:
        try:
            with kafka() as (bootstrap, broker):
                for n in args.workers:
                    print(f"running {n} worker(s) ...", file=sys.stderr)
                    home = Path(tmp) / f"{n}-workers"
                    env = isolated_env(bootstrap, home / "home", NEWSROOM_PARTITIONS=str(args.partitions))
                    runs.append(run_on_workers(env, home, n, records, timeout=max(300.0, args.events / 10)))
        except MissingToolError as err:  # no Java/Maven: say so, like a skipped benchmark
            print(f"# Scale out\n\nnot run: {err}")
            return 0
        report(runs, args, broker, started)
        if args.keep:
            print(f"\nworker logs: {tmp}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
