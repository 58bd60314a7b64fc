"""The optional schema registry, against a stub of the Confluent Schema Registry REST API (no real
registry could be run here: docs/contract.md). What it checks is our side: the subjects, the schema
texts registered, the id header, and a clear error when the registry is not there."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from streams.app import create_app
from streams.contract import headers as h
from streams.contract.registry import RegistryError, register
from streams.settings import load_settings


class StubRegistry(BaseHTTPRequestHandler):
    """POST /subjects/<subject>/versions -> {"id": n}, one id per distinct schema text (as Confluent)."""

    received: dict[str, dict] = {}
    ids: dict[str, int] = {}

    def do_POST(self):  # http.server's name for it
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        subject = self.path.removeprefix("/subjects/").removesuffix("/versions")
        StubRegistry.received[subject] = body
        schema_id = StubRegistry.ids.setdefault(body["schema"], len(StubRegistry.ids) + 1)
        answer = json.dumps({"id": schema_id}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def registry_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubRegistry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_the_worker_registers_every_topics_schemas_and_names_their_ids(registry_url, tmp_path):
    settings = load_settings(
        {
            "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
            "NEWSROOM_HOME": str(tmp_path),
            "NEWSROOM_SCHEMA_REGISTRY_URL": registry_url,
        }
    )
    room = create_app(settings, store="memory://")
    received = StubRegistry.received
    assert {
        "news.ministry.msit-EnrichedArticle",
        "news.ministry.msit-Retraction",
        "news.enriched-EnrichedArticle",
        "news.deadletter-DeadLetter",
        "news.counts-CounterUpdate",
    } <= set(received)
    registered = received["news.enriched-EnrichedArticle"]
    assert registered["schemaType"] == "JSON" and json.loads(registered["schema"])["title"] == "EnrichedArticle"
    headers = h.outgoing(h.event_headers("Retraction"), (), topic="news.ministry.msit", schema_ids=room.schema_ids)
    assert h.header(headers, h.SCHEMA_ID) == str(room.schema_ids["news.ministry.msit-Retraction"])


def test_without_the_setting_nothing_is_registered_and_no_id_is_sent(tmp_path):
    room = create_app(
        load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_HOME": str(tmp_path)}), store="memory://"
    )
    assert room.schema_ids == {}
    assert h.header(h.outgoing(h.event_headers("Alert"), (), topic="news.alerts", schema_ids={}), h.SCHEMA_ID) is None


def test_a_registry_that_is_not_there_is_a_clear_error(tmp_path):
    settings = load_settings(
        {
            "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
            "NEWSROOM_HOME": str(tmp_path),
            "NEWSROOM_SCHEMA_REGISTRY_URL": "http://127.0.0.1:1",
        }
    )
    with pytest.raises(RegistryError, match="not reachable"):
        register(settings, timeout=2)
