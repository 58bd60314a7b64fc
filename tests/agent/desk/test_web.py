"""The desk's routes as the app registers them on Faust's aiohttp web server (no broker, no worker)."""

from __future__ import annotations

import asyncio
import json

import pytest
from aiohttp.test_utils import TestClient, TestServer

from streams.app import EXTENSIONS, create_app
from streams.settings import load_settings

from streams.desk.feed import article_summary


def enriched(article_id: str, ministry: str) -> bytes:
    return json.dumps(
        {"id": article_id, "title": "제목", "ministries": [{"id": ministry, "name_ko": ministry}], "topics": []}
    ).encode()


@pytest.fixture
async def desk(tmp_path):
    assert "streams.desk" in EXTENSIONS
    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_HOME": str(tmp_path)})
    room = create_app(settings, store="memory://")
    client = TestClient(TestServer(room.app.web.web_app))
    await client.start_server()
    try:
        yield client, room, room.desk
    finally:
        await client.close()


async def test_page_and_static_files_are_utf8_with_a_strict_policy(desk):
    client, _, _ = desk
    page = await client.get("/")
    assert page.status == 200 and page.headers["Content-Type"] == "text/html; charset=utf-8"
    html = await page.text()
    assert '<html lang="ko">' in html and "뉴스룸 데스크" in html
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    for name, ctype in (("desk.js", "text/javascript"), ("desk.css", "text/css")):
        response = await client.get(f"/desk/static/{name}")
        assert response.status == 200 and response.content_type == ctype
    assert (await client.get("/desk/static/..%2Fweb.py")).status == 404
    assert "innerHTML" not in (await (await client.get("/desk/static/desk.js")).text())


async def test_catalogue_lists_ministries_and_topics_in_korean(desk):
    client, _, _ = desk
    body = await (await client.get("/desk/catalogue")).json()
    assert {"id": "msit", "name_ko": "과학기술정보통신부"} in body["ministries"]
    assert any(t["id"] == "ai" for t in body["topics"])


async def test_feed_rejects_a_filter_that_is_not_an_id(desk):
    client, _, _ = desk
    response = await client.get("/feed", params={"ministry": "<script>"})
    assert response.status == 400


async def test_feed_streams_filtered_events_and_ends_when_the_hub_closes(desk):
    client, room, hub = desk
    response = await client.get("/feed", params={"ministry": "moef"})
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/event-stream; charset=utf-8"
    assert (await response.content.readuntil(b"\n\n")) == b"retry: 2000\n\n"

    hub.publish("article", article_summary(enriched("skip", "msit")))
    hub.publish("article", article_summary(enriched("keep", "moef")))
    frame = await asyncio.wait_for(response.content.readuntil(b"\n\n"), 5)
    data = json.loads(frame.decode().split("data: ", 1)[1])
    assert data["id"] == "keep" and frame.startswith(b"id: 2\nevent: article\n")

    await room.app.on_before_shutdown.send()  # what the app does when the worker stops
    rest = await asyncio.wait_for(response.content.read(), 5)
    assert rest == b"" and not hub.clients
