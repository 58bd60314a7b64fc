"""The paths and topics the deployment relies on exist in the app: the probe and scrape paths the
manifests and the compose file request are served by the worker's web server, `newsroom topics
create` makes every topic the worker needs, and the pod name becomes the group instance id."""

from __future__ import annotations

import pytest
from aiohttp.test_utils import TestClient, TestServer

from streams.app import app_tables, create_app
from streams.settings import SettingsError, load_settings
from streams.topology import topic_specs
from tests.deploy_files import probe_paths


async def test_probe_and_scrape_paths_are_served_by_the_app(tmp_path):
    paths = probe_paths()
    assert {"/readyz?role=web", "/healthz", "/metrics"} <= set(paths)
    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_HOME": str(tmp_path)})
    newsroom = create_app(settings, store="memory://")
    async with TestClient(TestServer(newsroom.app.web.web_app)) as client:
        answers = {path: await client.get(path) for path in paths}
        assert {p: r.status for p, r in answers.items() if r.status == 404} == {}, "probe paths the app lacks"
        assert answers["/healthz"].status == 200
        assert answers["/readyz?role=web"].status == 503, "not ready before the tables are recovered"
        assert "newsroom_ready" in await answers["/metrics"].text()


def test_topics_create_makes_every_topic_the_worker_needs():
    """`newsroom topics create` (the Job, the compose service) uses the topology's table list; the
    worker uses its app's tables, extensions' included: they must be the same."""
    settings = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"})
    worker_tables = app_tables(create_app(settings, store="memory://").app)
    assert [s.name for s in topic_specs(settings)] == [s.name for s in topic_specs(settings, tables=worker_tables)]


def test_the_pod_name_becomes_the_consumers_group_instance_id():
    settings = load_settings(
        {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_GROUP_INSTANCE_ID": "newsroom-worker-0"}
    )
    assert create_app(settings, store="memory://").app.conf.consumer_group_instance_id == "newsroom-worker-0"
    unset = load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"})
    assert create_app(unset, store="memory://").app.conf.consumer_group_instance_id is None  # dynamic membership
    with pytest.raises(SettingsError, match="NEWSROOM_GROUP_INSTANCE_ID"):
        load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_GROUP_INSTANCE_ID": "pod name"})
