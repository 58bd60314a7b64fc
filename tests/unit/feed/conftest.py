"""Fixtures of the feed's unit tests: the local news site and a host that never answers."""

from __future__ import annotations

import pytest

from tests.feed_support import Harness, site_pages
from streams.feed.site import NewsSite, SilentHost


@pytest.fixture
async def silent():
    host = SilentHost()
    await host.start()
    yield host
    await host.stop()


@pytest.fixture
async def site(silent):
    news = NewsSite(site_pages(), silent_url=f"{silent.base}/article/never", page_delay=0.02)
    await news.start()
    yield news
    await news.stop()


@pytest.fixture
def harness():
    return Harness
