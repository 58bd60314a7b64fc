"""`newsroom`: the one entry point. Every subcommand has --help.

Offline (no Kafka): clean, enrich.   Local broker: broker start|stop|status.
Pipeline: worker, produce, tail, demo.   Getting news in: feed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys


def _run(coroutine):
    """asyncio.run, imported where a command talks to the broker: `newsroom clean` starts without it."""
    import asyncio

    return asyncio.run(coroutine)


def _print_json(obj) -> None:
    sys.stdout.write(obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False))
    sys.stdout.write("\n")
    sys.stdout.flush()


# -- clean / enrich ---------------------------------------------------------------------------
def cmd_offline(args) -> int:
    from streams.offline import lines

    if args.jobs is not None and args.jobs < 1:
        print(f"newsroom {args.command}: --jobs must be 1 or more, not {args.jobs}", file=sys.stderr)
        return 2
    failed = 0
    for processed, line in lines(args.paths, args.command, args.max_page_bytes, args.jobs):
        failed += not processed
        _print_json(line)
    return 1 if failed else 0


# -- broker ------------------------------------------------------------------------------------
def cmd_broker(args) -> int:
    from streams.broker import BrokerError, LocalBroker
    from streams.broker.local import default_home

    broker = LocalBroker(default_home())
    try:
        if args.action == "start":
            info = broker.start(log=lambda m: print(m, file=sys.stderr))
            print(info.bootstrap)
            print(
                f"export KAFKA_BOOTSTRAP_SERVERS={info.bootstrap}  # optional: newsroom finds it by itself",
                file=sys.stderr,
            )
        elif args.action == "stop":
            if not broker.stop(purge=args.purge, log=lambda m: print(m, file=sys.stderr)):
                print("no local broker was running", file=sys.stderr)
        else:
            info = broker.info()
            if not info:
                print(f"down (no local broker under {broker.home})")
                return 3
            print(f"up {info.bootstrap} kafka={info.kafka_version} pid={info.pid} log={info.log}")
    except BrokerError as err:
        print(f"newsroom broker {args.action}: {err}", file=sys.stderr)
        return 2
    return 0


# -- worker / produce / tail -----------------------------------------------------------------
def _settings(args=None):
    from streams.broker.local import with_local_broker
    from streams.settings import SettingsError, load_settings

    env = None
    if args is not None and getattr(args, "web_port", None):
        import os

        env = dict(os.environ, NEWSROOM_WEB_PORT=str(args.web_port))
    try:
        return load_settings(with_local_broker(env))
    except SettingsError as err:
        print(f"newsroom: {err}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_worker(args) -> int:
    from streams import logs
    from streams.app import run_worker

    settings = _settings(args)
    logs.setup(settings)  # until the worker starts; then its own set-up applies the same (streams.logs)
    run_worker(settings)
    return 0


def cmd_produce(args) -> int:
    from streams.inputs import InputError, read_record
    from streams.kafka_io import produce_records
    from streams.offline import error_line

    settings = _settings()
    records, failed = [], 0
    for path in args.paths:
        try:
            records.append(read_record(path))
        except InputError as err:
            failed += 1
            _print_json(error_line(path, err.code, err.message))
    topic = args.topic or settings.topics.raw
    sent = _run(produce_records(settings, topic, [(r.key, r.value) for r in records]))
    print(f"sent {sent} event(s) to {topic}", file=sys.stderr)
    return 1 if failed else 0


def cmd_tail(args) -> int:
    import orjson

    from streams.kafka_io import tail_topic

    settings = _settings()

    def show(key: bytes | None, value: bytes | None, meta: dict) -> None:
        try:
            shown = orjson.loads(value) if value else None
        except orjson.JSONDecodeError:
            shown = {"_bytes": len(value or b""), "_text": (value or b"")[:200].decode("utf-8", "replace")}
        if args.meta:
            shown = {**meta, "key": key.decode("utf-8", "replace") if key else None, "value": shown}
        _print_json(shown)

    n = _run(tail_topic(settings, args.topic, show, max_events=args.max, timeout=args.timeout, from_end=args.from_end))
    print(f"{n} event(s) from {args.topic}", file=sys.stderr)
    return 0


def cmd_feed(args) -> int:
    from streams.feed.config import FeedConfigError, load_config

    try:
        config = load_config(args.config)
    except FeedConfigError as err:
        print(f"newsroom feed: {err}", file=sys.stderr)
        return 2
    if args.metrics_port is not None:
        config = config.with_metrics_port(args.metrics_port or None)
    if args.check:
        for source in config.sources:
            print(
                f"{'on ' if source.enabled else 'off'} {source.kind:7} every {source.interval_seconds:>6.0f}s  "
                f"{source.name:32} {source.url}"
            )
        print(f"{len(config.enabled_sources)} of {len(config.sources)} source(s) enabled", file=sys.stderr)
        return 0
    from streams import logs
    from streams.feed.service import main as run_feed

    settings = _settings()
    logs.setup(settings)
    logging.getLogger("usp").setLevel(logging.WARNING)  # the sitemap parser's per-URL chatter
    return run_feed(config, settings, once=args.once)


def cmd_counts(args) -> int:
    from streams.live.counts_cli import run

    return run(args.url, args.window, args.topics, args.at)


def cmd_deadletters(args) -> int:
    from streams.deadletters import Selection, read_letters, replay, summary

    settings = _settings()
    selection = Selection(reason=args.reason, stage=args.stage, source_topic=args.source_topic)
    letters = read_letters(settings, selection, max_letters=args.max)
    if args.action == "list":
        if args.json:
            for meta, letter in letters:
                shown = letter.model_dump(exclude={"original"} if not args.with_original else set())
                _print_json({"offset": meta["offset"], "partition": meta["partition"], **shown})
        else:
            for meta, letter in letters:
                print(
                    f"{meta['partition']}/{meta['offset']:<8} {letter.failed_at[:19]}  {letter.stage:8} "
                    f"{letter.reason:18} {letter.topic}[{letter.partition}]@{letter.offset}  "
                    f"{letter.original_size} B  {letter.message[:80]}"
                )
        for stage, reason, n in summary(letters):
            print(f"{n:>7}  {stage}/{reason}", file=sys.stderr)
        print(f"{len(letters)} dead letter(s) on {settings.topics.deadletter}", file=sys.stderr)
        return 0
    if args.dry_run:
        print(f"would replay {len(letters)} dead letter(s)", file=sys.stderr)
        return 0
    sent = replay(settings, letters, to_topic=args.to)
    for topic, n in sent.items():
        print(f"replayed {n} event(s) to {topic}", file=sys.stderr)
    skipped = sum(1 for _, letter in letters if letter.original_truncated)
    if skipped:
        print(
            f"skipped {skipped} letter(s) whose original was too large to carry (see their source offset)",
            file=sys.stderr,
        )
    return 0


def cmd_topics(args) -> int:
    from streams.topology import TopicError, describe, ensure_topics, topic_specs

    settings = _settings()
    specs = topic_specs(settings)
    try:
        if args.action == "create":
            created, existing = _run(ensure_topics(settings, specs))
            for spec in specs:
                state = "created" if spec.name in created else "exists"
                print(f"{state:8} {spec.name:48} partitions={spec.partitions} replication={spec.replication}")
            print(f"{len(created)} created, {len(existing)} already there", file=sys.stderr)
            return 0
        rows = _run(describe(settings, [s.name for s in specs]))
    except TopicError as err:
        print(f"newsroom topics {args.action}: {err}", file=sys.stderr)
        return 2
    wanted = {s.name: s for s in specs}
    drift = 0
    for row in rows:
        if args.json:
            _print_json(row)
            continue
        spec = wanted[row["topic"]]
        if not row["exists"]:
            print(f"MISSING  {row['topic']}")
            drift += 1
            continue
        differs = [
            f"{k}={row['config'].get(k)} (want {v})" for k, v in spec.config.items() if row["config"].get(k) != v
        ]
        if row["partitions"] != spec.partitions:
            differs.append(f"partitions={row['partitions']} (want {spec.partitions})")
        drift += bool(differs)
        print(
            f"{'DIFFERS' if differs else 'ok':8} {row['topic']:48} partitions={row['partitions']} "
            f"replication={row['replication']} {' '.join(differs)}"
        )
    return 1 if drift else 0


def cmd_retag(args) -> int:
    import datetime as dt

    from streams.contract import retag

    settings = _settings()
    articles, oldest_ms = retag.read_enriched(settings, idle=args.idle)
    since, until = retag.seoul_time(args.since), retag.seoul_time(args.until) if args.until else None
    oldest = dt.datetime.fromtimestamp(oldest_ms / 1000, dt.UTC) if oldest_ms is not None else None
    if oldest is not None and oldest > since:
        print(
            f"newsroom retag: {settings.topics.enriched} holds nothing older than "
            f"{oldest.isoformat(timespec='seconds')}: articles "
            "fetched before were deleted by its retention (retention.ms, docs/contract.md) and are not re-tagged",
            file=sys.stderr,
        )
    changed = retag.plan(articles, since, until)
    for item in changed:
        _print_json(retag.describe_line(item))
    sent = 0 if args.dry_run else retag.send(settings, changed)
    print(
        f"{len(retag.newest(articles))} article(s) read, {len(changed)} with changed tags, "
        f"{'none sent (--dry-run)' if args.dry_run else f'{sent} sent as a new tag revision'}",
        file=sys.stderr,
    )
    return 0


def cmd_demo(args) -> int:
    from streams.demo import run_demo

    return run_demo(seconds=args.seconds, web_port=args.web_port, feed=args.feed)


def build_parser() -> argparse.ArgumentParser:
    from streams.page_limits import DEFAULT_MAX_BYTES

    parser = argparse.ArgumentParser(
        prog="newsroom", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    for name, what in (("clean", "CleanArticle"), ("enrich", "EnrichedArticle")):
        p = sub.add_parser(
            name,
            help=f"offline: print one {what} JSON per input (no Kafka)",
            description=f"Print one {what} JSON object per input, in order. A PATH is an HTML "
            "file (.html, .html.gz), a RawArticle JSON file (.json) or - for stdin. An input "
            'that cannot be processed prints {"path", "error": {"code", "message"}} on its '
            "line; the command goes on and exits 1 at the end.",
        )
        p.add_argument("paths", nargs="+", metavar="PATH")
        p.add_argument(
            "--max-page-bytes",
            type=int,
            default=DEFAULT_MAX_BYTES,
            help=f"reject larger pages with code too_large (default {DEFAULT_MAX_BYTES})",
        )
        p.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="processes for a batch of inputs (default: the CPUs this process may use; "
            "1 = in this process; stdin is always read in this process)",
        )
        p.set_defaults(func=cmd_offline)

    p = sub.add_parser(
        "broker",
        help="start, stop or inspect the local real Kafka broker",
        description="Run one real Apache Kafka broker (KRaft) on free loopback ports, resolved "
        "from Maven Central with Maven (needs Java 17+ and Maven). Files live under "
        "$NEWSROOM_HOME/broker (default ./.newsroom/broker).",
    )
    p.add_argument("action", choices=["start", "stop", "status"])
    p.add_argument("--purge", action="store_true", help="with stop: delete the broker's data too")
    p.set_defaults(func=cmd_broker)

    p = sub.add_parser(
        "worker",
        help="run the Faust worker (agents, tables, web views)",
        description="Run one worker: clean, enrich, fan out and count. Kafka is "
        "KAFKA_BOOTSTRAP_SERVERS or the local broker. SIGTERM/Ctrl-C stop it gracefully.",
    )
    p.add_argument("--web-port", type=int, help="web server port (default $NEWSROOM_WEB_PORT or 6066)")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser(
        "produce",
        help="send files as RawArticle events to news.raw",
        description="Send each PATH as the record a fetched page arrives as (see `newsroom clean`).",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--topic", help="target topic (default news.raw)")
    p.set_defaults(func=cmd_produce)

    p = sub.add_parser(
        "feed",
        help="poll RSS/Atom feeds and news sitemaps, fetch new pages politely into news.raw",
        description="Poll the sources of the config (RSS 2.0/Atom feeds, news sitemaps, sitemap "
        "indexes), each on its interval; fetch every new article page politely (robots.txt, "
        "per-host limits, conditional GET, timeouts, size limit, retries) and send it to "
        "news.raw as a RawArticle keyed by the id of its canonical URL. What was fetched is "
        "remembered on a compacted topic, so a restart fetches nothing twice. "
        "SIGTERM/Ctrl-C finish the polls under way and stop.",
    )
    p.add_argument("--config", default="sources.yaml", help="the sources file (default %(default)s)")
    p.add_argument(
        "--once",
        action="store_true",
        help="poll each source once, fetch what is new, then exit (exit 1 if a source failed)",
    )
    p.add_argument("--check", action="store_true", help="only check the config and list its sources")
    p.add_argument(
        "--metrics-port",
        type=int,
        default=None,
        help="port of /metrics and /healthz (default: the config's feed.metrics_port; 0: none)",
    )
    p.set_defaults(func=cmd_feed)

    p = sub.add_parser(
        "tail",
        help="print events of a topic as JSON lines",
        description="Print the events of TOPIC from its beginning (or --from-end) as JSON lines.",
    )
    p.add_argument("topic", metavar="TOPIC")
    p.add_argument("--max", type=int, default=None, help="stop after N events")
    p.add_argument("--timeout", type=float, default=None, help="stop after S seconds without a new event")
    p.add_argument("--from-end", action="store_true", help="only events that arrive from now on")
    p.add_argument("--meta", action="store_true", help="wrap each event with topic, partition, offset and key")
    p.set_defaults(func=cmd_tail)

    p = sub.add_parser(
        "deadletters",
        help="list dead letters, or replay them after a fix",
        description="list: the dead letters (position, time, stage, reason, source, size, message) "
        "and a count per stage/reason. replay: send the original bytes back to the topic "
        "they came from (or --to); the pipeline's dedup makes a replay safe.",
    )
    p.add_argument("action", choices=["list", "replay"])
    p.add_argument("--reason", help="only this reason code (e.g. not_html, internal_error)")
    p.add_argument("--stage", choices=["decode", "parse", "clean", "enrich", "publish"], help="only this stage")
    p.add_argument("--source-topic", help="only letters from this source topic")
    p.add_argument("--max", type=int, default=None, help="at most N letters (oldest first)")
    p.add_argument("--json", action="store_true", help="with list: one JSON object per letter")
    p.add_argument("--with-original", action="store_true", help="with list --json: include the base64 original")
    p.add_argument("--to", help="with replay: send to this topic instead of each letter's source topic")
    p.add_argument("--dry-run", action="store_true", help="with replay: only say how many would be sent")
    p.set_defaults(func=cmd_deadletters)

    p = sub.add_parser(
        "topics",
        help="create or inspect every topic the worker uses",
        description="create: make every topic (pipeline, per-ministry, per-topic, table changelogs) "
        "with its partitions and configs, idempotently, on the configured cluster. "
        "describe: show them as the cluster has them; exit 1 if any is missing or differs.",
    )
    p.add_argument("action", choices=["create", "describe"])
    p.add_argument("--json", action="store_true", help="with describe: one JSON object per topic")
    p.set_defaults(func=cmd_topics)

    p = sub.add_parser(
        "retag",
        help="re-tag stored articles of a period with today's gazetteer and taxonomy",
        description="Read news.enriched, re-run enrich with today's data on the newest revision of "
        "each article dated in [--since, --until), print one JSON line per article whose "
        "tags change and send it to news.enriched as its next tag revision: the worker "
        "publishes it on its new topics, sends retractions to the topics it left and "
        "adjusts the counts. Reaches back as far as news.enriched's retention.",
    )
    p.add_argument("--since", required=True, help="ISO 8601 date or time (Asia/Seoul if no offset)")
    p.add_argument("--until", help="ISO 8601 date or time, exclusive (default: no end)")
    p.add_argument("--dry-run", action="store_true", help="only print what would change, send nothing")
    p.add_argument("--idle", type=float, default=2.0, help="stop reading after S seconds without a record")
    p.set_defaults(func=cmd_retag)

    p = sub.add_parser(
        "demo",
        help="broker + worker + sample pages, printing events and counts live",
        description="Start the local broker (unless KAFKA_BOOTSTRAP_SERVERS is set) and a worker, "
        "feed the bundled sample pages, print enriched events and per-ministry counts "
        "as they arrive. Ctrl-C stops everything it started.",
    )
    p.add_argument("--seconds", type=float, default=None, help="stop by itself after S seconds")
    p.add_argument("--web-port", type=int, default=None, help="worker web port (default: a free port)")
    p.add_argument(
        "--feed",
        action="store_true",
        help="instead of sending the sample files, run `newsroom feed` over a local news site "
        "(RSS, Atom, a news sitemap, robots.txt) serving the real pages of ../shared/corpora "
        "(or the sample pages)",
    )
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "counts",
        help="print a running worker's counts per ministry (or topic) as a table",
        description="Read /counts/ministries (or /counts/topics) from a running worker's web "
        "server and print it as a table, largest first.",
    )
    p.add_argument(
        "--window",
        choices=["1h", "24h", "all"],
        default="all",
        help="the hour now, the last 24 hours, or all time (default)",
    )
    p.add_argument("--topics", action="store_true", help="topics instead of ministries")
    p.add_argument("--at", help="reference time for --window 1h/24h (ISO 8601, default now)")
    p.add_argument("--url", default="http://127.0.0.1:6066", help="the worker's web address (default %(default)s)")
    p.set_defaults(func=cmd_counts)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # The reader went away (`newsroom tail ... | head`, `newsroom clean ... | head -1`): stop
        # quietly, as `cat` does, instead of a traceback. Output still buffered for the closed pipe
        # goes to /dev/null, so the flush at exit cannot raise again (Python docs, "Note on SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
