"""The desk page in headless Chromium against a real worker on the real broker.

Opens the page, produces articles to news.raw, and checks what a desk editor sees: each article in
the feed within 2 s of its enriched event, the ministry filter, the counts chart moving, an alert
highlighted, and a hostile title shown as text with nothing run. Saves test-artifacts/desk.png.

Needs Debian's chromium and chromium-driver (`make browser-deps`); skips, saying so, without them.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
import uuid
from pathlib import Path

import pytest

from streams.kafka_io import produce_records
from tests.support import ROOT, SEED_HTML

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = ROOT / "test-artifacts"
FEED_LATENCY_MS = 2000

SEED = SEED_HTML.read_text(encoding="utf-8")
SEED_TITLE = '과기정통부-산업부 장차관, AI 협력 위해 만났다…"공동사업 추진"'
SEED_FIRST_WORDS = "성공적인 산업 인공지능 전환(AX)을 위해"
HOSTILE = "<img src=x onerror=alert(1)>"
# The page is seen as the cleaner sees it: the title is text whose characters happen to be markup.
HOSTILE_HTML_TITLE = "&lt;img src=x onerror=alert(1)&gt;"
TO_MOLIT = {"과학기술정보통신부": "국토교통부", "과기정통부": "국토부"}  # adds 국토교통부 (molit) to the tags


def article(
    article_id: str,
    title_html: str,
    *,
    url: str | None = "https://www.asiae.co.kr/article/2025081418",
    swap: dict | None = None,
) -> tuple[bytes, bytes]:
    """A RawArticle built from the seed page: its own title, and a body of its own (a body seen
    before under another id is dropped by the pipeline as a duplicate)."""
    html = SEED.replace(SEED_TITLE, title_html, 1).replace(SEED_FIRST_WORDS, f"[{article_id}] {SEED_FIRST_WORDS}", 1)
    for old, new in (swap or {}).items():
        html = html.replace(old, new)
    value = {"id": article_id, "url": url, "source": "desk-test", "html": html}
    return article_id.encode(), json.dumps(value, ensure_ascii=False).encode()


@pytest.fixture
def browser(tmp_path):
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip(
            f"no Chromium here ({CHROMIUM} and {CHROMEDRIVER} are needed): `make browser-deps` "
            "installs Debian's chromium and chromium-driver when run as root with apt-get"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--lang=ko-KR",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    # An explicit driver: Selenium never tries to download one (there is no internet here).
    driver = webdriver.Chrome(
        service=Service(str(CHROMEDRIVER), log_output=str(tmp_path / "chromedriver.log")), options=options
    )
    # Were any page script to call alert(), it would be recorded here rather than open a dialog.
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {"source": ("window.__alerts = []; window.alert = function (m) { window.__alerts.push(String(m)); };")},
    )
    try:
        yield driver
    finally:
        driver.quit()


def poll(fn, timeout: float, message, interval: float = 0.1):
    """fn()'s first truthy value; `message` (or message()) says what was awaited if none comes."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    message = message() if callable(message) else message
    raise AssertionError(f"timed out after {timeout}s waiting for {message}; last value: {last!r}")


def holding(items: dict, ids: set) -> dict | None:
    return items if ids <= items.keys() else None


FEED_JS = """
return Array.from(document.querySelectorAll('#feed > li')).map(li => ({
  id: li.dataset.id, ts: Number(li.dataset.ts), shownAt: Number(li.dataset.shownAt),
  title: li.querySelector('.title').textContent,
  href: (li.querySelector('.title a') || {}).href || null,
  ministries: Array.from(li.querySelectorAll('.chip.ministry')).map(c => c.dataset.ministry)}));
"""
BARS_JS = """
return Object.fromEntries(Array.from(document.querySelectorAll('#chart .bar-row')).map(
  r => [r.dataset.ministry, {count: Number(r.dataset.count), alerted: r.classList.contains('alerted')}]));
"""


def test_desk_page_live_feed_filter_chart_alert_and_hostile_title(worker, pipeline_settings, browser):
    settings = pipeline_settings
    run = uuid.uuid4().hex[:6]
    worker.start()
    browser.get(f"{worker.url}/")
    poll(
        lambda: browser.execute_script("return document.getElementById('status').dataset.state") == "live",
        15,
        "the page's event stream to open",
    )
    assert browser.execute_script("return document.characterSet") == "UTF-8"
    assert browser.find_element("css selector", "h1").text == "뉴스룸 데스크"

    def feed() -> dict[str, dict]:
        return {item["id"]: item for item in browser.execute_script(FEED_JS)}

    def bars() -> dict[str, dict]:
        return browser.execute_script(BARS_JS)

    def send(*records) -> None:
        asyncio.run(produce_records(settings, settings.topics.raw, list(records)))

    # 1. articles appear in the feed within 2 s of their enriched event
    a1, b1, hostile = f"desk-a1-{run}", f"desk-b1-{run}", f"desk-h-{run}"
    send(
        article(a1, f"데스크 시험 기사 {run}"),
        article(b1, f"국토부 시험 기사 {run}", swap=TO_MOLIT),
        article(hostile, f"{HOSTILE_HTML_TITLE} 시험 {run}", url="javascript:alert(1)"),
    )
    shown = poll(
        lambda: holding(feed(), {a1, b1, hostile}),
        60,
        lambda: f"the three articles in the feed; worker log:\n{worker.log_tail()}",
    )
    for article_id in (a1, b1, hostile):
        item = shown[article_id]
        assert item["ts"] > 0, item
        assert item["shownAt"] - item["ts"] < FEED_LATENCY_MS, (
            f"{article_id} shown {item['shownAt'] - item['ts']} ms after its enriched event"
        )
    print("desk feed latency (ms):", {k: shown[k]["shownAt"] - shown[k]["ts"] for k in (a1, b1, hostile)})
    assert shown[a1]["title"] == f"데스크 시험 기사 {run}"
    assert shown[a1]["href"] == "https://www.asiae.co.kr/article/2025081418"
    assert set(shown[a1]["ministries"]) == {"msit", "motie"}
    assert "molit" in shown[b1]["ministries"]

    # 2. the hostile title is text: no <img> was made, nothing ran, and its javascript: URL is no link
    assert shown[hostile]["title"] == f"{HOSTILE} 시험 {run}"
    assert shown[hostile]["href"] is None
    assert browser.execute_script("return document.querySelectorAll('img').length") == 0
    assert browser.execute_script("return document.querySelector('img[src=\"x\"]')") is None
    assert browser.execute_script("return document.querySelectorAll('a[href^=\"javascript\"]').length") == 0
    assert browser.execute_script("return window.__alerts") == []

    # 3. the chart counts them (the page refreshes it every few seconds and after each article).
    # Windows count by publish time and the seed page is from 2025: its articles are in "all" only.
    browser.find_element("css selector", ".windows button[data-window='all']").click()
    poll(
        lambda: browser.execute_script("return document.getElementById('chart').dataset.window") == "all",
        10,
        "the chart to show all-time counts",
    )

    def all_counted():
        b = bars()
        return b if b.get("molit", {}).get("count", 0) >= 1 and b.get("msit", {}).get("count", 0) >= 3 else None

    counted = poll(
        all_counted,
        30,
        lambda: (
            f"the chart to count the articles: chart {bars()}, "
            f"note {browser.find_element('id', 'chart-note').text!r}, worker {worker.get('/counts/ministries')}"
        ),
    )
    molit_before = counted["molit"]["count"]

    # 4. filter by a ministry: the feed reconnects and shows only that ministry's articles
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "ministry-filter")).select_by_value("molit")
    poll(lambda: browser.execute_script("return document.body.dataset.feed") == "ministry=molit", 5, "the filter")
    poll(lambda: set(feed()) == {b1}, 10, "the feed to hold only the molit article")
    assert "ministry=molit" in browser.current_url

    a2, b2 = f"desk-a2-{run}", f"desk-b2-{run}"
    send(article(a2, f"필터 밖 기사 {run}"), article(b2, f"국토부 두 번째 기사 {run}", swap=TO_MOLIT))
    filtered = poll(lambda: holding(feed(), {b2}), 30, "the second molit article")
    assert filtered[b2]["shownAt"] - filtered[b2]["ts"] < FEED_LATENCY_MS
    poll(
        lambda: bars().get("molit", {}).get("count") == molit_before + 1, 15, "the chart's molit count to go up by one"
    )
    after = bars()
    assert after["msit"]["count"] >= counted["msit"]["count"] + 1  # a2 was counted too...
    assert set(feed()) == {b1, b2}  # ...but is not in the filtered feed
    assert all("molit" in item["ministries"] for item in feed().values())

    # 5. an alert on the alerts topic is highlighted, in the list and on its ministry's bar
    # (streams.live may send its own spike alerts here too: five articles in one 2025 hour is a spike)
    alert = {
        "kind": "spike",
        "subject": "ministry:molit",
        "window": "2025-08-14T11:00:00+09:00/2025-08-14T12:00:00+09:00",
        "observed": 2,
        "baseline": 0.5,
        "threshold": 2,
        "at": "2025-08-14T11:20:00+09:00",
    }
    asyncio.run(produce_records(settings, settings.topics.alerts, [(b"ministry:molit", json.dumps(alert).encode())]))
    shown_alert = poll(
        lambda: browser.execute_script(
            "return Array.from(document.querySelectorAll('#alerts .alert.recent[data-subject=\"molit\"]'))"
            ".map(a => a.textContent)"
        ),
        20,
        "the alert to be highlighted",
    )
    assert shown_alert[0].startswith("급증국토교통부 · 08-14 11:00–12:00 · 2건 (임계 2)"), shown_alert
    poll(lambda: bars().get("molit", {}).get("alerted"), 10, "the molit bar to be marked")

    # 6. clear the filter: everything again; the screenshot shows the whole desk
    browser.find_element("id", "clear-filter").click()
    poll(lambda: {a1, b1, hostile, a2, b2} <= set(feed()), 10, "every article after clearing the filter")
    ARTIFACTS.mkdir(exist_ok=True)
    time.sleep(2.5)  # let the "new" highlight fade
    assert browser.save_screenshot(str(ARTIFACTS / "desk.png"))

    # 7. phone width: one column, nothing wider than the screen
    browser.set_window_size(390, 844)
    poll(
        lambda: browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"),
        5,
        "no sideways scrolling",
    )
    assert browser.save_screenshot(str(ARTIFACTS / "desk-phone.png"))
    assert browser.execute_script("return window.__alerts") == []
    assert os.path.getsize(ARTIFACTS / "desk.png") > 10_000


def test_every_worker_feeds_every_article_when_two_workers_split_the_partitions(
    worker, pipeline_env, pipeline_settings, tmp_path
):
    """No browser: two workers in one consumer group each process part of the partitions, and each
    one's /feed still carries all the articles."""
    import aiohttp

    from tests.support import WorkerProcess

    second = WorkerProcess(pipeline_env, tmp_path / "worker2.log")
    try:
        worker.start()
        second.start()
        ids = [f"split-{n}-{uuid.uuid4().hex[:6]}" for n in range(8)]

        async def read_feeds() -> list[set[str]]:
            async def read(url: str) -> set[str]:
                seen: set[str] = set()
                async with aiohttp.ClientSession() as session, session.get(f"{url}/feed") as response:
                    assert response.status == 200
                    async for line in response.content:
                        if line.startswith(b"data: "):
                            seen.add(json.loads(line[6:]).get("id"))
                            if set(ids) <= seen:
                                return seen
                return seen

            readers = [asyncio.create_task(read(w.url)) for w in (worker, second)]
            await asyncio.sleep(1)
            await produce_records(
                pipeline_settings, pipeline_settings.topics.raw, [article(i, f"분할 시험 {i}") for i in ids]
            )
            return await asyncio.wait_for(asyncio.gather(*readers), 90)

        # the group may still be rebalancing at first: produce once both are up, then read both feeds
        def ready(w) -> bool:
            try:
                return bool(w.get("/readyz"))
            except OSError:  # 503 until its tables are recovered and no rebalance is under way
                return False

        poll(lambda: all(ready(w) for w in (worker, second)), 90, "both workers ready", interval=0.5)
        feeds = asyncio.run(read_feeds())
        assert all(set(ids) <= seen for seen in feeds)
        cleaned = [w.get("/healthz")["progress"].get("clean_in", 0) for w in (worker, second)]
        assert sum(cleaned) >= len(ids) and all(cleaned), f"partitions were not split: {cleaned}"
    finally:
        second.stop()
