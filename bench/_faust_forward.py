"""Baseline (b): a minimal Faust agent forwarding events unchanged. The cost of Faust itself.

Run by bench/e2e.py as its own process:  python bench/_faust_forward.py SOURCE_TOPIC TARGET_TOPIC
The app is configured like the newsroom worker (streams.app.create_app: same broker options,
at-least-once, raw bytes topics, same partitions, web server on), minus tables, and its one agent
sends every record on unchanged. Settings come from the environment; SIGTERM/SIGINT stop it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import faust

from streams.app import bytes_topic
from streams.broker.local import with_local_broker
from streams.settings import load_settings


def main(source: str, target: str) -> None:
    settings = load_settings(with_local_broker())
    app = faust.App(
        settings.app_id,
        broker=[f"kafka://{server}" for server in settings.bootstrap_list],
        store="memory://",
        datadir=str(settings.data_dir),
        autodiscover=False,
        processing_guarantee="at_least_once",
        broker_commit_interval=getattr(settings, "commit_interval", 2.8),
        producer_acks=-1,
        broker_session_timeout=getattr(settings, "session_timeout", 60.0),
        consumer_auto_offset_reset="earliest",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication,
        producer_max_request_size=settings.max_message_bytes,
        consumer_max_fetch_size=settings.max_message_bytes,
        web_enabled=True,
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
    )

    out = bytes_topic(app, settings, target)

    @app.agent(bytes_topic(app, settings, source), name="forward")
    async def forward(stream) -> None:
        async for event in stream.events():
            await out.send(key=event.key, value=event.value)

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    faust.Worker(app, loglevel="INFO", quiet=True).execute_from_commandline()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
