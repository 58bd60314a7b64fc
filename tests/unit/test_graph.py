"""The stages declared once: the README's diagram, the topics and the metric labels derive from them."""

from __future__ import annotations

from streams.graph import STAGES, TABLES, TOPICS, diagram, stage_of_topic
from streams.settings import Topics, load_settings
from streams.topology import changelog_topic, topic_specs
from tests.support import ROOT


def test_the_readme_shows_the_declared_pipeline():
    assert f"```\n{diagram()}\n```" in (ROOT / "README.md").read_text()


def test_latency_and_counters_are_labelled_with_the_stage_that_reads_the_topic():
    topics = Topics()
    assert stage_of_topic(topics) == {
        "news.raw": "clean",
        "news.rekeyed": "rekeyed",
        "news.unique": "enrich",
        "news.enriched": "publish",
        "news.counts": "spikes",
    }


def test_every_stage_reads_and_writes_declared_topics_and_tables():
    for stage in STAGES:
        assert stage.source in TOPICS
        assert set(stage.tables) <= set(TABLES)
        assert {o for o in stage.outputs if "<id>" not in o} <= set(TOPICS)
    assert [s.name for s in STAGES if s.counts] == ["publish"]


def test_the_topic_specs_hold_every_declared_topic_and_changelog(tmp_path):
    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092", "NEWSROOM_HOME": str(tmp_path)})
    specs = {s.name: s for s in topic_specs(settings, ministries=["msit"], topic_ids=["ai"])}
    for attr in TOPICS:
        assert getattr(settings.topics, attr) in specs
    for table in TABLES:
        assert specs[changelog_topic(settings, table)].config["cleanup.policy"] == "compact"
    assert specs["news.counts"].config["cleanup.policy"] == "compact"
    assert "news.ministry.msit" in specs and "news.topic.ai" in specs
