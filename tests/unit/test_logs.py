"""NEWSROOM_LOG_FORMAT: what a log aggregator (json) and a person (text) read of one record.

The worker's real output, through Faust's own logging set-up, is read by tests/integration/test_logs.py.
"""

from __future__ import annotations

import io
import logging
import logging.config
import sys
from types import SimpleNamespace

import orjson
import pytest

from streams import logs

AGENTS = {"news.unique": "enrich"}


def emit(log_format: str, monkeypatch, *, event=None, exc: BaseException | None = None, **extra) -> str:
    """What one ERROR record looks like on the handler `logs.config` sets up (on a stream of our own)."""
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)  # the handler writes to sys.stderr as it is when configured
    monkeypatch.setattr(logs, "_current_event", lambda: event)
    root, log = logging.getLogger(), logging.getLogger("newsroom.steps")
    handlers, level = root.handlers[:], root.level
    logging.config.dictConfig(logs.config(log_format, "info", AGENTS))
    try:
        if exc is None:
            log.error("unexpected error in stage %s", "enrich", extra=extra)
        else:
            try:
                raise exc
            except RuntimeError:
                log.exception("unexpected error in stage %s", "enrich", extra=extra)
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return stream.getvalue()


def handled_event(topic="news.unique", partition=3, offset=42):
    return SimpleNamespace(message=SimpleNamespace(topic=topic, partition=partition, offset=offset))


def test_json_is_one_object_per_line_with_the_fields_an_aggregator_needs(monkeypatch):
    out = emit("json", monkeypatch, event=handled_event(), exc=RuntimeError("bad page"), source="test")
    assert out.count("\n") == 1, "a traceback stays inside its line"
    line = orjson.loads(out)
    assert line["level"] == "ERROR" and line["logger"] == "newsroom.steps"
    assert line["message"] == "unexpected error in stage enrich"
    assert line["time"].endswith("+00:00") and "T" in line["time"]
    assert (line["agent"], line["topic"], line["partition"], line["offset"]) == ("enrich", "news.unique", 3, 42)
    assert line["exception"].startswith("Traceback") and "RuntimeError: bad page" in line["exception"]
    assert line["source"] == "test", "extra= fields are kept"


def test_json_outside_an_agent_has_no_record_fields(monkeypatch):
    line = orjson.loads(emit("json", monkeypatch))
    assert not {"agent", "topic", "partition", "offset", "exception"} & set(line)


def test_text_names_the_agent_and_the_record_after_the_message(monkeypatch):
    out = emit("text", monkeypatch, event=handled_event(), exc=RuntimeError("bad page"))
    first, *rest = out.splitlines()
    assert first.endswith(" ERROR newsroom.steps: unexpected error in stage enrich [enrich news.unique[3]@42]")
    assert rest[0].startswith("Traceback") and rest[-1] == "RuntimeError: bad page"


def test_text_outside_an_agent_is_the_plain_line(monkeypatch):
    assert emit("text", monkeypatch).rstrip().endswith(" ERROR newsroom.steps: unexpected error in stage enrich")


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="text or json"):
        logs.config("xml", "info")
