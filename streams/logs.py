"""How every command logs: NEWSROOM_LOG_FORMAT=text (the default) or json, at NEWSROOM_LOG_LEVEL.

`newsroom worker` runs Faust's worker (a mode.Worker), which clears the root logger's handlers when
it starts and configures logging anew from its `logging_config` argument
(mode.utils.logging.setup_logging: `logging.config.dictConfig(logging_config)`); a `basicConfig`
made before it is gone by then. So the set-up is one dictConfig dict, `config()`: the CLI applies
it at a command's start (`setup`), and the worker hands a fresh one to `faust.Worker(logging_config=...)`
(streams.app.run_worker), so its own set-up installs the same handler and format.

text  `2026-12-02 05:40:00,123 ERROR newsroom.steps: unexpected error ... [enrich news.unique[3]@42]`
      (the bracket names the agent and the record it was handling, when there is one)
json  one object per line: `time` (ISO 8601, UTC), `level`, `logger`, `message`, and where known
      `agent`, `topic`, `partition`, `offset` (the record the agent was handling), `exception`
      (the traceback), plus any `extra=` fields of the call.
"""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import orjson

from streams.settings import LOG_FORMATS

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CONTEXT = ("agent", "topic", "partition", "offset")  # what EventContext adds to a record
# The attributes every LogRecord has: anything else on a record came from `extra=` (or EventContext).
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def _current_event() -> Any:
    """The event the running agent task is handling (Faust keeps it per task), or None."""
    try:
        from faust.streams import current_event
    except ImportError:  # pragma: no cover - faust is a dependency; a command without it logs no context
        return None
    return current_event()


class EventContext(logging.Filter):
    """Adds where a record was logged from: the agent (by the topic it reads: `agents`) and the
    topic, partition and offset of the event it was handling, when logged within an agent."""

    def __init__(self, agents: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.agents = dict(agents or {})

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "topic", None) is None:
            message = getattr(_current_event(), "message", None)
            if message is not None:
                record.topic, record.partition, record.offset = message.topic, message.partition, message.offset
                record.agent = self.agents.get(message.topic)
        return True


def where(record: logging.LogRecord) -> str:
    """` [agent topic[partition]@offset]` of a record logged while an agent handled an event, else ""."""
    topic = getattr(record, "topic", None)
    if topic is None:
        return ""
    agent = getattr(record, "agent", None)
    return f" [{agent + ' ' if agent else ''}{topic}[{getattr(record, 'partition', '?')}]@{getattr(record, 'offset', '?')}]"


class TextFormatter(logging.Formatter):
    """TEXT_FORMAT, and where the record was logged from after the message (before a traceback)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return super().formatMessage(record) + where(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (a traceback is a field, never extra lines)."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in CONTEXT:
            value = getattr(record, key, None)
            if value is not None:
                out[key] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["exception"] = record.exc_text
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in out and key not in CONTEXT and not key.startswith("_"):
                out[key] = value
        return orjson.dumps(out, default=str).decode()


def config(log_format: str, level: str, agents: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A new logging.config.dictConfig dict: one handler on stderr with the format of `log_format`
    (a new dict each time: dictConfig consumes parts of the one it is given)."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log format {log_format!r}: use {' or '.join(LOG_FORMATS)}")
    formatter: dict[str, Any] = (
        {"()": JsonFormatter} if log_format == "json" else {"()": TextFormatter, "fmt": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"event": {"()": EventContext, "agents": dict(agents or {})}},
        "formatters": {"newsroom": formatter},
        "handlers": {
            "newsroom": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "newsroom",
                "filters": ["event"],
            }
        },
        "root": {"level": level.upper(), "handlers": ["newsroom"]},
    }


def setup(settings: Any, agents: Mapping[str, str] | None = None) -> None:
    """Log as the settings say (NEWSROOM_LOG_FORMAT, NEWSROOM_LOG_LEVEL), from now on."""
    logging.config.dictConfig(config(settings.log_format, settings.log_level, agents))
    logging.captureWarnings(True)  # Python's warnings as log records too, not bare lines on stderr
