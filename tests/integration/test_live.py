"""Live counts, alerts and metrics on the real broker: a day of articles in which one ministry spikes.

The day (2 March 2026, Seoul time): 환경부 (me) has one article every hour; 과학기술정보통신부 (msit)
one every hour too, except 14:00-15:00 with eight. Then six malformed events. With one partition
per topic the whole pipeline keeps the day's order, so the alerts are exactly predictable:
  spike msit 14:00 (once its hour holds 5 articles: min_count 5 > mean + 3 stddev; the rule sees the
    cluster's counts as each commit sends them, so it may see 5 to 8 of them then),
  spike_cleared msit 15:00 (complete once a 16:00 article is counted, one article: below threshold),
  deadletter_rate (6 of 61 inputs > 5%), no_input (9 s of silence after the replay).
"""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request

import orjson
import pytest
from prometheus_client.parser import text_string_to_metric_families

from schemas import Alert
from streams.kafka_io import produce_records, tail_topic
from streams.settings import load_settings
from tests.support import WorkerProcess, isolated_env, newsroom, wait_until

pytestmark = pytest.mark.integration

DAY = "2026-03-02"
MINISTRY = {"msit": "과학기술정보통신부", "me": "환경부"}
SPIKE_HOUR, SPIKE_SIZE = 14, 8
MALFORMED = [(f"broken-{i}".encode(), b'{"id": "broken", "html": "<p>unterminated') for i in range(6)]


def article(ministry: str, hour: int, n: int) -> tuple[bytes, bytes]:
    """A small Korean article naming one ministry, published at hour:mm, with a body of its own."""
    name = MINISTRY[ministry]
    title = f"{name}, {hour}시 정례 브리핑 {n}호"
    paragraphs = [
        f"{name}는 2일 {hour}시 {n}번째 정례 브리핑을 열고 부처 업무 현황을 설명했다. 담당 국장은 기자들의 질문에 답했다.",
        f"이날 브리핑은 {n}번 안건을 중심으로 진행됐으며 관계자는 후속 일정을 다음 주에 공지하겠다고 밝혔다.",
        f"참석자들은 안건 {n}의 세부 내용을 검토했고 추가 자료는 누리집에 올리기로 했다.",
    ]
    html = (
        f"<html><head><meta charset='utf-8'><title>{title}</title><meta property='article:published_time' "
        f"content='{DAY}T{hour:02d}:{(n * 7) % 60:02d}:00+09:00'></head><body><article><h1>{title}</h1>"
        + "".join(f"<p>{p}</p>" for p in paragraphs)
        + "</article></body></html>"
    )
    article_id = f"live-{ministry}-{hour:02d}-{n}"
    return article_id.encode(), orjson.dumps(
        {
            "id": article_id,
            "url": f"https://news.example.kr/{article_id}",
            "source": "example",
            "fetched_at": f"{DAY}T{hour:02d}:59:00+09:00",
            "html": html,
        }
    )


def day_of_articles() -> list[tuple[bytes, bytes]]:
    records, n = [], 0
    for hour in range(24):
        for ministry in ("me", "msit"):
            for _ in range(SPIKE_SIZE if (ministry, hour) == ("msit", SPIKE_HOUR) else 1):
                n += 1
                records.append(article(ministry, hour, n))
    return records


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:  # loopback
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


@pytest.fixture
def live_worker(kafka_bootstrap, tmp_path):
    env = isolated_env(
        kafka_bootstrap,
        tmp_path / "home",
        NEWSROOM_PARTITIONS="1",
        NEWSROOM_ALERT_MIN_COUNT="5",
        NEWSROOM_ALERT_STDDEVS="3",
        NEWSROOM_ALERT_BASELINE_WINDOWS="24",
        NEWSROOM_ALERT_DEADLETTER_RATE="0.05",
        NEWSROOM_ALERT_DEADLETTER_WINDOW_MINUTES="10",
        NEWSROOM_ALERT_NO_INPUT_MINUTES="0.15",
        NEWSROOM_HEALTH_CHECK_SECONDS="0.5",
    )
    proc = WorkerProcess(env, tmp_path / "worker.log")
    yield proc, load_settings(env), env
    proc.stop()


def test_a_day_with_one_spiking_ministry(live_worker):
    worker, settings, env = live_worker
    worker.start()
    wait_until(lambda: fetch(f"{worker.url}/readyz")[0] == 200, timeout=60, message="/readyz to answer 200")
    records = day_of_articles() + MALFORMED
    asyncio.run(produce_records(settings, settings.topics.raw, records))

    alerts: list[Alert] = []
    asyncio.run(
        tail_topic(
            settings,
            settings.topics.alerts,
            lambda k, v, m: alerts.append(Alert.model_validate_json(v)),
            max_events=4,
            timeout=30,
        )
    )
    spike_window = f"{DAY}T14:00:00+09:00/{DAY}T15:00:00+09:00"
    cleared_window = f"{DAY}T15:00:00+09:00/{DAY}T16:00:00+09:00"
    assert sorted((a.kind, a.subject, a.window) for a in alerts) == sorted(
        [
            ("spike", "ministry:msit", spike_window),
            ("spike_cleared", "ministry:msit", cleared_window),
            ("deadletter_rate", "pipeline", "PT600S"),
            ("no_input", "pipeline", "PT9S"),
        ]
    ), f"alerts: {alerts}\nworker log:\n{worker.log_tail()}"
    spike = next(a for a in alerts if a.kind == "spike")
    assert spike.threshold == 5.0 <= spike.observed <= SPIKE_SIZE  # once, for the hour, at the commit that reached 5
    assert spike.baseline == pytest.approx(14 / 24, abs=1e-3)  # 14 hours with one article, 10 before the day
    rate = next(a for a in alerts if a.kind == "deadletter_rate")
    assert rate.observed == pytest.approx(6 / len(records), abs=1e-3)

    def view(path: str):
        status, body = fetch(f"{worker.url}{path}")
        assert status == 200, (path, status, body)
        return orjson.loads(body)

    total = {"msit": 23 + SPIKE_SIZE, "me": 24}
    assert {k: v["count"] for k, v in view("/counts/ministries").items()} == total
    assert {k: v["count"] for k, v in view("/counts/ministries?window=all").items()} == total
    assert view("/counts/ministries")["msit"]["name_ko"] == "과학기술정보통신부"
    assert {k: v["count"] for k, v in view(f"/counts/ministries?window=1h&at={DAY}T14:30:00%2B09:00").items()} == {
        "msit": SPIKE_SIZE,
        "me": 1,
    }
    assert {k: v["count"] for k, v in view(f"/counts/ministries?window=24h&at={DAY}T23:10:00%2B09:00").items()} == total
    assert {k: v["count"] for k, v in view(f"/counts/ministries?window=24h&at={DAY}T05:10:00%2B09:00").items()} == {
        "msit": 6,
        "me": 6,
    }
    assert view("/counts/ministries?window=1h&at=2026-03-03T10:00:00%2B09:00") == {}  # nothing that day
    series = view(f"/counts/ministries/msit/series?window=1h&last=26&at={DAY}T23:10:00%2B09:00")
    assert [p["count"] for p in series["series"]] == [0, 0] + [1] * 14 + [SPIKE_SIZE] + [1] * 9
    assert series["series"][16]["start"] == f"{DAY}T14:00:00+09:00"
    hopping = view(f"/counts/ministries/msit/series?window=24h&last=2&at={DAY}T23:10:00%2B09:00")
    assert [p["count"] for p in hopping["series"]] == [total["msit"] - 1, total["msit"]]
    assert view("/counts/topics") == {}  # these articles name no topic
    for bad in (
        "/counts/ministries?window=2h",
        "/counts/ministries/msit/series?window=all",
        "/counts/ministries/msit/series?last=0",
        "/counts/ministries?window=1h&at=yesterday",
    ):
        status, body = fetch(f"{worker.url}{bad}")
        assert status == 400 and "error" in orjson.loads(body), (bad, status, body)
    assert fetch(f"{worker.url}/counts/ministries/nosuch/series")[0] == 404

    def metrics() -> dict:
        status, body = fetch(f"{worker.url}/metrics")
        assert status == 200
        samples = {}
        for family in text_string_to_metric_families(body.decode()):
            for s in family.samples:
                samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
        return samples

    def lag_drained():
        m = metrics()
        lags = {k: v for k, v in m.items() if k[0] == "newsroom_consumer_lag"}
        return m if lags and all(v == 0 for v in lags.values()) else None

    m = wait_until(lag_drained, timeout=20, message="consumer lag to reach 0 on every partition")
    t = settings.topics
    assert m[("newsroom_events_in_total", (("agent", "clean"), ("topic", t.raw)))] == len(records)
    assert sum(
        v
        for (name, labels), v in m.items()
        if name == "newsroom_dead_letters_total" and dict(labels)["reason"] == "malformed_json"
    ) == len(MALFORMED)
    assert sum(v for (name, _), v in m.items() if name == "newsroom_dead_letters_total") == len(MALFORMED)
    assert m[("newsroom_events_out_total", (("topic", t.ministry("msit")),))] == total["msit"]
    assert m[("newsroom_events_out_total", (("topic", t.ministry("me")),))] == total["me"]
    assert m[("newsroom_events_out_total", (("topic", t.deadletter),))] == len(MALFORMED)
    assert m[("newsroom_events_in_total", (("agent", "publish"), ("topic", t.enriched)))] == sum(total.values())
    assert m[("newsroom_windowed_mentions_total", (("outcome", "windowed"),))] == sum(total.values())
    assert m[("newsroom_alerts_total", (("kind", "spike"),))] == 1
    assert m[("newsroom_processing_latency_seconds_count", (("stage", "clean"),))] == len(records)
    # the publish table holds a revision marker per article beside one counter per ministry (one partition)
    assert m[("newsroom_table_keys", (("table", "published"),))] == sum(total.values()) + len(total)
    assert m[("newsroom_ready", ())] == 1
    # the tables' RocksDB holds something, within its one budget (NEWSROOM_TABLE_MEMORY_MB, default 16)
    assert 0 < m[("newsroom_table_memory_bytes", ())] <= settings.table_memory_bytes
    errors = [v for (name, _), v in m.items() if name == "newsroom_agent_errors_total"]
    assert len(errors) == 5 and not any(errors), "every stage's error counter is there, at 0"

    out = newsroom("counts", "--url", worker.url, env=env, timeout=30)
    assert out.returncode == 0, out.stderr
    rows = {line.split()[0]: line.split()[-1] for line in out.stdout.splitlines()[3:]}
    assert rows["msit"] == str(total["msit"]) and rows["me"] == str(total["me"])
