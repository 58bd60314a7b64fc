"""The pipeline, declared once: its stages, the topics between them and the tables they keep.

The agents (streams.app), the topic specs (streams.topology), the metric labels
(streams.live.metrics) and the README's diagram (`diagram()`, checked by a test) all derive from
`STAGES`, `TOPICS` and `TABLES` below. Every stage is `step(ctx, record) -> outputs` (streams.steps).

Each hop exists because its state needs its own partitioning: the dedup by id needs the id, the
dedup by body the fingerprint, the revision order and the counters the id again, and the spike
rule the subject.
"""

from __future__ import annotations

from dataclasses import dataclass

from streams import steps
from streams.live.spikes import SPIKES_TABLE, watch_spikes
from streams.settings import Topics


@dataclass(frozen=True)
class Stage:
    name: str  # the agent's name, the label of its metrics and its progress counters (`<name>_in`)
    source: str  # the Topics attribute of the topic it reads
    keyed_by: str  # what that topic's key is: the partitioning the stage's state relies on
    step: steps.Step
    tables: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()  # Topics attributes; "ministry.<id>" and "topic.<id>" are the fan-out
    counts: bool = False  # keeps counters (streams.counting), flushed to `counts` at each commit


STAGES: tuple[Stage, ...] = (
    Stage("clean", "raw", "article id", steps.clean, ("article_versions",), ("unique", "rekeyed", "deadletter")),
    Stage("rekeyed", "rekeyed", "article id", steps.dedup_rekeyed, ("article_versions",), ("unique", "deadletter")),
    Stage(
        "enrich", "unique", "body fingerprint", steps.enrich_article, ("article_bodies",), ("enriched", "deadletter")
    ),
    Stage(
        "publish",
        "enriched",
        "article id",
        steps.publish,
        ("published",),
        ("ministry.<id>", "topic.<id>", "counts", "deadletter"),
        counts=True,
    ),
    Stage(
        "spikes",
        "counts",
        "kind:subject|partition, partitioned by subject",
        watch_spikes,
        (SPIKES_TABLE,),
        ("alerts", "deadletter"),
    ),
)

# Topics every worker reads whole with a plain consumer outside the consumer group, and what for.
READERS: tuple[tuple[str, str], ...] = (
    ("counts", "the cluster's counts: /counts, newsroom counts, the desk chart (streams.live.cluster)"),
    ("enriched", "the desk's live feed (streams.desk)"),
    ("alerts", "the desk's alerts (streams.desk)"),
)

# Topics attribute -> (what it holds, retention in days or None, compacted)
TOPICS: dict[str, tuple[str, int | None, bool]] = {
    "raw": ("input: RawArticle JSON or raw page bytes, keyed by article id", 7, False),
    "rekeyed": ("internal: CleanArticle whose news.raw key was not its id, keyed by id", 7, False),
    "unique": ("internal: CleanArticle after the by-id dedup, keyed by body fingerprint", 7, False),
    "enriched": ("EnrichedArticle, keyed by article id", 30, False),
    "deadletter": ("DeadLetter: original bytes + reason", 30, False),
    "alerts": ("Alert", 30, False),
    "counts": (
        "counters per (ministry or topic, partition of news.enriched), keyed kind:subject|partition",
        None,
        True,
    ),
}

# The tables (name -> what it holds). Their changelog topics are "<app id>-<name>-changelog".
TABLES: dict[str, str] = {
    "article_versions": "article id -> {fp, rev, src}: the by-id dedup",
    "article_bodies": "body fingerprint -> {id, rev, src}: the same body under another id",
    "published": "r|<id> -> {rev, src, subjects} revision markers and "
    "c|<kind:subject>|<partition> -> {n, late, h, latest, new} counters",
    SPIKES_TABLE: "kind:subject -> {parts: hourly counts per partition, spike: state}: the spike rule",
}


def stage_of_topic(topics: Topics) -> dict[str, str]:
    """{source topic name: stage name}: the label of a record's latency and counters."""
    return {getattr(topics, stage.source): stage.name for stage in STAGES}


def _topic_name(topics: Topics, output: str) -> str:
    if output.startswith("ministry."):
        return topics.ministry("<id>")
    if output.startswith("topic."):
        return topics.topic("<id>")
    return getattr(topics, output)


def diagram(topics: Topics = Topics()) -> str:  # noqa: B008 - Topics is frozen: one default is safe to share
    """The pipeline as text, one stage per line (the README shows it)."""
    lines = []
    for stage in STAGES:
        source = f"{getattr(topics, stage.source)} (key = {stage.keyed_by})"
        tables = f" [{', '.join(stage.tables)}]" if stage.tables else ""
        outputs = ", ".join(_topic_name(topics, o) for o in stage.outputs)
        lines.append(f"{source} ──{stage.name}{tables}──▶ {outputs}")
    for attr, purpose in READERS:
        lines.append(f"{getattr(topics, attr)} ══read whole by every worker══▶ {purpose}")
    return "\n".join(lines)
