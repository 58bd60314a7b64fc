"""The downstream contract on the real broker: headers on every output, retractions and counts that
follow the newest revision, `newsroom retag`, and the example consumer in examples/."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys

import orjson
import pytest

from schemas import CleanArticle, EnrichedArticle, Retraction
from schemas.events import SCHEMA_VERSIONS
from streams.contract import headers as h
from streams.contract import retag
from streams.enrich import enrich
from streams.enrich.data_version import data_version
from streams.kafka_io import produce_records, tail_topic
from tests.support import ROOT, ministry_counts, newsroom, wait_until

pytestmark = pytest.mark.integration

TRACEPARENT = b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def page(article_id: str, paragraphs: list[str], title: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<div class='byline'>홍길동 기자</div>{body}</article></body></html>"
    )
    return orjson.dumps(
        {
            "id": article_id,
            "url": f"https://news.example.kr/{article_id}",
            "source": "test",
            "fetched_at": "2025-08-14T09:00:00+09:00",
            "html": html,
        }
    )


BOTH = [
    "과학기술정보통신부와 산업통상자원부는 14일 반도체 협력 방안을 발표했다. 양 부처는 공동 사업을 추진한다.",
    "과기정통부 관계자는 예산을 늘리겠다고 말했다. 산업부도 현장 지원에 나선다고 밝혔다.",
]
MSIT_ONLY = [
    "과학기술정보통신부는 14일 반도체 협력 방안을 발표했다. 부처는 공동 사업을 추진한다.",
    "과기정통부 관계자는 예산을 늘리겠다고 말했다. 연구 현장 지원에도 나선다고 밝혔다.",
]


def records(settings, topic: str, idle: float = 1.5) -> list[tuple[bytes | None, bytes, dict]]:
    out: list[tuple[bytes | None, bytes, dict]] = []
    asyncio.run(tail_topic(settings, topic, lambda k, v, m: out.append((k, v, m)), timeout=idle))
    return out


def test_headers_retractions_retag_and_the_example_consumer(worker, pipeline_env, pipeline_settings):
    settings = pipeline_settings
    worker.start()
    raw = settings.topics.raw
    traced = [("traceparent", TRACEPARENT)]
    asyncio.run(
        produce_records(
            settings,
            raw,
            [
                (b"c1", page("c1", BOTH, "과기정통부·산업부 협력"), traced),
                (b"c2", page("c2", MSIT_ONLY, "과기정통부 협력"), traced),
                (b"bad-1", b"this is not a page at all", traced),
            ],
        )
    )
    wait_until(lambda: ministry_counts(worker) == {"msit": 2, "motie": 1}, timeout=90, message="c1 and c2 counted")
    # revision 2 of c1 no longer concerns motie (MOTIE)
    asyncio.run(
        produce_records(
            settings,
            raw,
            [(b"c1", page("c1", MSIT_ONLY + ["정부는 후속 대책을 낸다."], "과기정통부 협력 확대"), traced)],
        )
    )
    wait_until(
        lambda: ministry_counts(worker).get("motie", 0) == 0 and ministry_counts(worker)["msit"] == 2,
        timeout=60,
        message="motie uncounted when c1's revision 2 dropped it",
    )

    motie = records(settings, settings.topics.ministry("motie"))
    assert [(k, orjson.loads(v).get("kind"), orjson.loads(v)["revision"]) for k, v, _ in motie] == [
        (b"c1", None, 1),
        (b"c1", "retraction", 2),
    ]
    retraction_headers = motie[1][2]["headers"]
    assert retraction_headers.get(h.SCHEMA) == "Retraction"
    tail = newsroom("tail", settings.topics.ministry("motie"), "--meta", "--timeout", "1", env=pipeline_env, timeout=60)
    assert [json.loads(x)["headers"][h.SCHEMA] for x in tail.stdout.splitlines()] == ["EnrichedArticle", "Retraction"]
    assert Retraction.model_validate_json(motie[1][1]).subject == "ministry:motie"

    # every output carries the contract's headers and the input's trace context, all the way through
    msit = records(settings, settings.topics.ministry("msit"))
    for _, value, meta in msit:
        headers = meta["headers"]
        article = EnrichedArticle.model_validate_json(value)
        assert headers.get(h.CONTENT_TYPE) == "application/json"
        assert (headers.get(h.SCHEMA), headers.get(h.SCHEMA_VERSION)) == (
            "EnrichedArticle",
            SCHEMA_VERSIONS["EnrichedArticle"],
        )
        assert headers.get(h.REVISION) == str(article.revision)
        assert headers.get(h.DATA_VERSION) == data_version() == article.data_version
        assert headers.get("traceparent") == TRACEPARENT.decode()
    [(_, _, letter)] = records(settings, settings.topics.deadletter)
    assert letter["headers"].get(h.DLQ_STAGE) and letter["headers"].get(h.DLQ_REASON)
    assert letter["headers"].get(h.DLQ_TOPIC) == raw and letter["headers"].get("traceparent")
    [(_, _, counter)] = records(settings, settings.topics.counts)[:1]
    assert counter["headers"].get(h.SCHEMA) == "CounterUpdate"

    # re-tagging with the data of a (made-up) reorganisation under which c2 no longer concerns msit
    def reorganised(clean: CleanArticle) -> EnrichedArticle:
        fresh = enrich(clean)
        return fresh.model_copy(
            update={
                "ministries": [m for m in fresh.ministries if m.id != "msit" or clean.id != "c2"],
                "data_version": "g2027-01-01-test",
            }
        )

    stored, _ = retag.read_enriched(settings, idle=1.0)
    [changed] = retag.plan(stored, retag.article_time(stored[0]).replace(year=2025, month=1, day=1), enrich=reorganised)
    assert (changed.after.id, changed.after.tag_revision, changed.dropped) == ("c2", 1, ["ministry:msit"])
    assert retag.send(settings, [changed]) == 1
    wait_until(lambda: ministry_counts(worker)["msit"] == 1, timeout=60, message="msit uncounted for c2 after retag")

    # today's data would give c2 its msit tag back: the dry run says so and sends nothing
    out = newsroom("retag", "--since", "2025-08-01", "--dry-run", "--idle", "1", env=pipeline_env, timeout=60)
    assert out.returncode == 0, out.stderr
    [line] = [json.loads(x) for x in out.stdout.splitlines()]
    assert (line["id"], line["tag_revision"], line["added"]) == ("c2", 2, ["ministry:msit"])
    assert "none sent (--dry-run)" in out.stderr

    # the example consumer: regex subscription to every ministry topic, newest (revision, tag_revision) kept
    prefix = re.escape(settings.topics.ministry(""))
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "consumer.py"),
            "--bootstrap",
            pipeline_env["KAFKA_BOOTSTRAP_SERVERS"],
            "--pattern",
            f"^{prefix}.*",
            "--idle",
            "4",  # quiet seconds after the last record or assignment change (2 ran out on a loaded machine)
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {settings.topics.ministry("motie"): [], settings.topics.ministry("msit"): ["c1"]}
