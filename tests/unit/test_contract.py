"""The downstream contract in the pure core: retractions, headers, re-tagging, topics of every body."""

from __future__ import annotations

import datetime as dt

import orjson

from schemas import CleanArticle, DeadLetter, EnrichedArticle, Retraction
from schemas.compat import ignored_fields
from schemas.events import SCHEMA_VERSIONS
from streams import counting, steps
from streams.contract import headers as h
from streams.contract import retag
from streams.enrich import enrich
from streams.enrich.data_version import data_version
from streams.settings import Topics, load_settings
from streams.topology import topic_specs

TOPICS = Topics()
BOTH = [
    "과학기술정보통신부와 산업통상자원부는 14일 인공지능(AI) 반도체 협력 방안을 발표했다. 정부는 AI 반도체 투자를 늘린다.",
    "과학기술정보통신부 관계자는 AI 반도체 예산을 늘리겠다고 말했다. 산업통상자원부도 AI 반도체 지원에 나선다.",
]
ONE = [
    "과학기술정보통신부는 14일 인공지능(AI) 반도체 협력 방안을 발표했다. 정부는 AI 반도체 투자를 늘린다.",
    "과학기술정보통신부 관계자는 AI 반도체 예산을 늘리겠다고 말했다. 연구자들도 AI 반도체 개발에 나선다.",
]


def article(paragraphs: list[str], revision: int = 1, article_id: str = "a1") -> EnrichedArticle:
    clean = CleanArticle(
        id=article_id,
        title="과기정통부, AI 반도체 협력",
        paragraphs=paragraphs,
        fingerprint=f"fp-{revision}",
        extractor="generic",
        revision=revision,
        published_at="2025-08-14T09:00:00+09:00",
    )
    return enrich(clean)


def publish(counters: counting.Counters, enriched: EnrichedArticle, offset: int) -> list[steps.Output]:
    ctx = steps.StepContext(topics=TOPICS, counters=counters)
    rec = steps.Record(
        enriched.model_dump_json().encode(), enriched.id.encode(), steps.SourceRef(TOPICS.enriched, 0, offset)
    )
    return steps.publish(ctx, rec)


def test_a_revision_that_drops_a_ministry_retracts_it_and_uncounts_it():
    counters = counting.Counters({}, lateness=3600, retention_hours=48)
    first, second = article(BOTH), article(ONE, revision=2)
    assert {m.id for m in first.ministries} == {"msit", "motie"} and {m.id for m in second.ministries} == {"msit"}
    sent = publish(counters, first, 0)
    assert {o.topic for o in sent} >= {"news.ministry.msit", "news.ministry.motie"}
    sent = publish(counters, second, 1)
    [letter] = [o for o in sent if o.topic == "news.ministry.motie"]
    retraction = Retraction.model_validate_json(letter.value)
    assert (retraction.kind, retraction.id, retraction.revision, retraction.subject) == (
        "retraction",
        "a1",
        2,
        "ministry:motie",
    )
    assert letter.key == b"a1" and h.header(letter.headers, h.SCHEMA) == "Retraction"
    assert h.header(letter.headers, h.REVISION) == "2"
    assert "news.ministry.msit" in {o.topic for o in sent}
    # the replay of the retracting record (a crash before its commit) sends it again, uncounts nothing more
    again = publish(counters, second, 1)
    assert [o.value for o in again if o.topic == "news.ministry.motie"] == [letter.value]
    for partition in counters.dirty():
        counters.flush(partition)
    totals = counting.totals((k, v) for k, v in counters.table.items() if k.startswith(counting.COUNTER))
    assert totals["ministry:msit"] == 1 and totals["ministry:motie"] == 0
    assert publish(counters, first, 2) == []  # the older revision, late: neither published nor counted


def test_a_replayed_retraction_uncounts_nothing_even_after_its_counter_was_written_again():
    """c1's revision 2 retracts motie at offset 1 and is flushed; c2 (offset 2) counts motie and the
    counter is written again (its offsets now [2]); a crash before the commit of offset 1 replays it."""
    counters = counting.Counters({}, lateness=3600, retention_hours=48)
    publish(counters, article(BOTH), 0)
    publish(counters, article(ONE, revision=2), 1)
    counters.flush(0)
    publish(counters, article(BOTH, article_id="c2"), 2)
    counters.flush(0)
    replayed = publish(counters, article(ONE, revision=2), 1)
    assert "news.ministry.motie" in {o.topic for o in replayed}  # the retraction is sent again
    counters.flush(0)
    totals = counting.totals((k, v) for k, v in counters.table.items() if k.startswith(counting.COUNTER))
    assert totals["ministry:motie"] == 1 and totals["ministry:msit"] == 2


def test_every_output_names_its_schema_revision_and_data_version():
    enriched = article(BOTH)
    assert enriched.data_version == data_version()
    [fan_out, *_] = publish(counting.Counters({}, lateness=3600, retention_hours=48), enriched, 0)
    assert dict(fan_out.headers) == {
        h.CONTENT_TYPE: b"application/json",
        h.SCHEMA: b"EnrichedArticle",
        h.SCHEMA_VERSION: SCHEMA_VERSIONS["EnrichedArticle"].encode(),  # the version the model declares
        h.REVISION: b"1",
        h.TAG_REVISION: b"0",
        h.DATA_VERSION: data_version().encode(),
    }
    # writers stay strict: what the steps write is exactly what the models declare
    assert ignored_fields(EnrichedArticle, orjson.loads(fan_out.value)) == []


def test_trace_context_passes_through_and_dead_letters_carry_connect_headers():
    source = (("traceparent", b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("other", b"x"))
    out = h.outgoing(h.event_headers("CleanArticle", revision=1), source)
    assert h.header(out, "traceparent") == source[0][1].decode() and h.header(out, "other") is None
    assert h.header(h.outgoing((), source, "Alert"), h.SCHEMA) == "Alert"
    letter = steps.dead_letter(TOPICS, steps.SourceRef("news.raw", 3, 42), b"<p>", b"k", "clean", "not_html", "no html")
    assert DeadLetter.model_validate_json(letter.value).reason == "not_html"
    assert {k: v for k, v in letter.headers if k.startswith("__connect.errors.")} == {
        h.DLQ_TOPIC: b"news.raw",
        h.DLQ_PARTITION: b"3",
        h.DLQ_OFFSET: b"42",
        h.DLQ_STAGE: b"clean",
        h.DLQ_REASON: b"not_html",
        h.DLQ_MESSAGE: b"no html",
    }


def test_retag_plans_the_next_tag_revision_of_articles_whose_tags_change():
    stored = [article(BOTH), article(BOTH, revision=2), article(ONE, article_id="a2")]
    since = dt.datetime(2025, 8, 1, tzinfo=dt.UTC)
    assert retag.plan(stored, since) == []  # today's data tags them as they are

    def without_motie(clean: CleanArticle) -> EnrichedArticle:  # the data after a reorganisation
        fresh = enrich(clean)
        return fresh.model_copy(
            update={"ministries": [m for m in fresh.ministries if m.id != "motie"], "data_version": "g2027-01-01-new"}
        )

    [changed] = retag.plan(stored, since, enrich=without_motie)
    assert (changed.after.id, changed.after.revision, changed.after.tag_revision) == ("a1", 2, 1)
    assert changed.dropped == ["ministry:motie"] and changed.added == []
    assert changed.after.data_version == "g2027-01-01-new" and changed.after.paragraphs == BOTH
    assert retag.plan(stored, since, dt.datetime(2025, 8, 14, tzinfo=dt.UTC), enrich=without_motie) == []
    # a re-tagged revision is the newest until the article's next revision
    assert retag.newest([*stored, changed.after])["a1"].tag_revision == 1


def test_topics_exist_for_every_body_any_article_can_be_tagged_with():
    from streams.enrich import default_enricher, ministry_catalogue

    names = {s.name for s in topic_specs(load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"}))}
    every_body = {body.id for body in default_enricher().gazetteer.bodies}
    ended = every_body - {m["id"] for m in ministry_catalogue()}
    assert ended, "the gazetteer has bodies no longer in force"
    assert {TOPICS.ministry(b) for b in every_body} <= names


def test_an_output_to_a_missing_topic_becomes_a_dead_letter_naming_it():
    out = steps.Output(TOPICS.ministry("gone"), b"a1", b"{}")
    letter = steps.missing_topic(TOPICS, out, steps.SourceRef(TOPICS.enriched, 1, 7), b"{...}", b"a1")
    assert letter.topic == TOPICS.deadletter and h.header(letter.headers, h.DLQ_REASON) == "missing_topic"
    assert "news.ministry.gone" in DeadLetter.model_validate_json(letter.value).message
    assert "newsroom topics create" in DeadLetter.model_validate_json(letter.value).message
