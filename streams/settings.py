"""Worker settings, read from the environment (names below), checked once, with clear errors.

Every environment variable the project reads is listed in ENVIRONMENT, which the README and the
deploy tests (docker-compose, Kubernetes) are checked against.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from streams.broker.local import LocalBroker, default_home

MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # broker, topics, producer and consumer agree on this limit

ENVIRONMENT: dict[str, str] = {
    "KAFKA_BOOTSTRAP_SERVERS": "host:port[,host:port] of an existing cluster; default: the local broker",
    "KAFKA_SECURITY_PROTOCOL": "PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL",
    "KAFKA_SASL_MECHANISM": "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (with a SASL protocol)",
    "KAFKA_SASL_USERNAME": "SASL user name",
    "KAFKA_SASL_PASSWORD": "SASL password",
    "KAFKA_SSL_CAFILE": "CA bundle (PEM) to verify the brokers (SSL, SASL_SSL)",
    "KAFKA_SSL_CERTFILE": "client certificate (PEM) for mutual TLS",
    "KAFKA_SSL_KEYFILE": "client private key (PEM) for mutual TLS",
    "NEWSROOM_HOME": "folder for local state (broker files, worker tables); default ./.newsroom",
    "NEWSROOM_APP_ID": "Faust application id = consumer group and table/changelog prefix (default newsroom-streams)",
    "NEWSROOM_DATA_DIR": "worker table directory (RocksDB); default $NEWSROOM_HOME/worker",
    "NEWSROOM_WEB_HOST": "address the worker's web server binds (default 127.0.0.1)",
    "NEWSROOM_WEB_PORT": "port of the worker's web server (default 6066)",
    "NEWSROOM_PARTITIONS": "partitions of every topic the worker creates (default 4)",
    "NEWSROOM_REPLICATION": "replication factor of the topics the worker creates (default 1)",
    "NEWSROOM_MAX_PAGE_BYTES": "largest page the cleaner accepts (default 8 MiB); larger ones are dead letters 'too_large'",
    "NEWSROOM_TOPIC_RAW": "input topic (default news.raw)",
    "NEWSROOM_TOPIC_REKEYED": "internal repartition topic: cleaned articles whose news.raw key was not their id, keyed by id (default news.rekeyed)",
    "NEWSROOM_TOPIC_ENRICHED": "enriched articles (default news.enriched)",
    "NEWSROOM_TOPIC_DEADLETTER": "dead letters (default news.deadletter)",
    "NEWSROOM_TOPIC_ALERTS": "alerts (default news.alerts)",
    "NEWSROOM_TOPIC_COUNTS": "compacted topic of the counters of each (ministry or topic, news.enriched partition), read whole by every worker (default news.counts)",
    "NEWSROOM_TOPIC_UNIQUE": "internal topic of deduplicated articles, keyed by body fingerprint (default news.unique)",
    "NEWSROOM_MINISTRY_TOPIC_PREFIX": "prefix of the per-ministry topics (default news.ministry.)",
    "NEWSROOM_TOPIC_TOPIC_PREFIX": "prefix of the per-topic topics (default news.topic.)",
    "NEWSROOM_LOG_LEVEL": "worker log level (default info)",
    "NEWSROOM_WINDOW_RETENTION_HOURS": "hours of hourly count buckets kept per subject for the windowed views and alerts (default 168)",
    "NEWSROOM_WINDOW_LATENESS_MINUTES": "a mention published more than this before the subject's newest one is not windowed (default 120)",
    "NEWSROOM_ALERT_MIN_COUNT": "spike alert: the hourly count must reach at least this (default 5)",
    "NEWSROOM_ALERT_STDDEVS": "spike alert: k in count >= max(min_count, mean + k * stddev) (default 3)",
    "NEWSROOM_ALERT_BASELINE_WINDOWS": "spike alert: hours before the window that form the baseline (default 24)",
    "NEWSROOM_ALERT_DEADLETTER_RATE": "health alert: fraction of inputs becoming dead letters that alerts (default 0.2)",
    "NEWSROOM_ALERT_DEADLETTER_WINDOW_MINUTES": "health alert: minutes the dead-letter rate is measured over (default 5)",
    "NEWSROOM_ALERT_NO_INPUT_MINUTES": "health alert: minutes without input before alerting; 0 turns it off (default 30)",
    "NEWSROOM_HEALTH_CHECK_SECONDS": "seconds between pipeline-health checks (default 15)",
    "NEWSROOM_COMMIT_INTERVAL": "seconds between offset commits (default 1.0); what a crash can make the worker redo",
    "NEWSROOM_SESSION_TIMEOUT": "consumer group session timeout in seconds (default 30): how soon a dead worker's partitions move",
    "NEWSROOM_PRODUCER_TIMEOUT": "seconds the producer waits for the brokers before failing a send (default 120)",
    "NEWSROOM_TABLE_MEMORY_MB": "memory for the RocksDB of all table partitions together: one block cache that the "
                                "memtables are charged to (default 16; more for tables of millions of keys)",
    "NEWSROOM_STANDBY_REPLICAS": "standby copies of each table partition kept warm on other workers (default 0)",
    "NEWSROOM_GROUP_INSTANCE_ID": "static group membership (KIP-345): this worker's stable, unique id in the group, "
                                  "e.g. the pod name; a restart within the session timeout then moves no partition "
                                  "(default: none, dynamic membership)",
}

_TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,200}$")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Topics:
    raw: str = "news.raw"
    rekeyed: str = "news.rekeyed"  # internal: cleaned articles whose raw key was not their id, keyed by id
    enriched: str = "news.enriched"
    deadletter: str = "news.deadletter"
    alerts: str = "news.alerts"
    unique: str = "news.unique"  # internal: cleaned articles after the by-id dedup, keyed by body fingerprint
    counts: str = "news.counts"  # compacted: counters per (kind:subject, partition of news.enriched)
    ministry_prefix: str = "news.ministry."
    topic_prefix: str = "news.topic."

    def ministry(self, ministry_id: str) -> str:
        return f"{self.ministry_prefix}{ministry_id}"

    def topic(self, topic_id: str) -> str:
        return f"{self.topic_prefix}{topic_id}"


@dataclass(frozen=True)
class Live:
    """Windowed counts and alerts (streams.live)."""

    retention_hours: int = 168
    lateness_minutes: int = 120
    alert_min_count: int = 5
    alert_stddevs: float = 3.0
    alert_baseline_windows: int = 24
    deadletter_rate: float = 0.2
    deadletter_window_minutes: float = 5.0
    deadletter_min_inputs: int = 10
    no_input_minutes: float = 30.0
    health_check_seconds: float = 15.0


@dataclass(frozen=True)
class Settings:
    bootstrap_servers: str
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = field(default=None, repr=False)
    ssl_cafile: str | None = None
    ssl_certfile: str | None = None
    ssl_keyfile: str | None = None
    app_id: str = "newsroom-streams"
    home: Path = Path(".newsroom")
    data_dir: Path = Path(".newsroom/worker")
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    partitions: int = 4
    replication: int = 1
    max_page_bytes: int = 8 * 1024 * 1024
    max_message_bytes: int = MAX_MESSAGE_BYTES
    log_level: str = "info"
    commit_interval: float = 1.0
    session_timeout: float = 30.0
    producer_timeout: float = 120.0
    standby_replicas: int = 0
    table_memory_mb: int = 16
    group_instance_id: str | None = None
    topics: Topics = Topics()
    live: Live = Live()

    @property
    def table_memory_bytes(self) -> int:
        """NEWSROOM_TABLE_MEMORY_MB in bytes: the tables' RocksDB budget (streams.table_memory)."""
        return self.table_memory_mb << 20

    @property
    def table_dir(self) -> Path:
        """This app's RocksDB tables: one folder per app id, so that another app id (another
        consumer group with its own changelogs) never reads tables that are not its own."""
        return self.data_dir / self.app_id

    @property
    def bootstrap_list(self) -> list[str]:
        return [s.strip() for s in self.bootstrap_servers.split(",") if s.strip()]

    def kafka_client_options(self) -> dict:
        """Keyword arguments for aiokafka clients (producer, consumer, admin) with security applied."""
        options: dict = {"bootstrap_servers": self.bootstrap_list, "security_protocol": self.security_protocol}
        if self.security_protocol.startswith("SASL"):
            options.update(sasl_mechanism=self.sasl_mechanism, sasl_plain_username=self.sasl_username,
                           sasl_plain_password=self.sasl_password)
        if self.security_protocol in ("SSL", "SASL_SSL"):
            options["ssl_context"] = self.ssl_context()
        return options

    def ssl_context(self):
        from aiokafka.helpers import create_ssl_context

        return create_ssl_context(cafile=self.ssl_cafile, certfile=self.ssl_certfile, keyfile=self.ssl_keyfile)


def _number(env: dict, name: str, default, minimum, maximum=None, *, kind=float):
    """A number from the environment (`kind` int or float), within bounds, with an error naming it."""
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a {'whole number' if kind is int else 'number'}") from None
    if not minimum <= value <= (maximum if maximum is not None else float("inf")):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise SettingsError(f"{name}={value} must be {bound}")
    return value


def _int(env: dict, name: str, default: int, minimum: int = 1) -> int:
    return _number(env, name, default, minimum, kind=int)


def _live_settings(env: dict) -> Live:
    live = Live(
        retention_hours=_int(env, "NEWSROOM_WINDOW_RETENTION_HOURS", Live.retention_hours),
        lateness_minutes=_int(env, "NEWSROOM_WINDOW_LATENESS_MINUTES", Live.lateness_minutes, minimum=0),
        alert_min_count=_int(env, "NEWSROOM_ALERT_MIN_COUNT", Live.alert_min_count),
        alert_stddevs=_number(env, "NEWSROOM_ALERT_STDDEVS", Live.alert_stddevs, 0.0),
        alert_baseline_windows=_int(env, "NEWSROOM_ALERT_BASELINE_WINDOWS", Live.alert_baseline_windows),
        deadletter_rate=_number(env, "NEWSROOM_ALERT_DEADLETTER_RATE", Live.deadletter_rate, 0.0, 1.0),
        deadletter_window_minutes=_number(env, "NEWSROOM_ALERT_DEADLETTER_WINDOW_MINUTES",
                                          Live.deadletter_window_minutes, 0.05),
        no_input_minutes=_number(env, "NEWSROOM_ALERT_NO_INPUT_MINUTES", Live.no_input_minutes, 0.0),
        health_check_seconds=_number(env, "NEWSROOM_HEALTH_CHECK_SECONDS", Live.health_check_seconds, 0.1),
    )
    needed = max(live.alert_baseline_windows + 1, -(-live.lateness_minutes // 60) + 1)
    if live.retention_hours < needed:
        raise SettingsError(
            f"NEWSROOM_WINDOW_RETENTION_HOURS={live.retention_hours} must be at least {needed}: the alert baseline "
            "(NEWSROOM_ALERT_BASELINE_WINDOWS) and the lateness (NEWSROOM_WINDOW_LATENESS_MINUTES) must fit in it")
    return live


def load_settings(env: dict | None = None, *, require_broker: bool = True) -> Settings:
    """Settings from the environment. Without KAFKA_BOOTSTRAP_SERVERS, the local broker's address."""
    env = dict(os.environ if env is None else env)
    home = Path(env.get("NEWSROOM_HOME") or default_home())
    bootstrap = (env.get("KAFKA_BOOTSTRAP_SERVERS") or "").strip()
    if not bootstrap:
        info = LocalBroker(home).info()
        if info:
            bootstrap = info.bootstrap
        elif require_broker:
            raise SettingsError(
                "no Kafka to talk to: KAFKA_BOOTSTRAP_SERVERS is not set and no local broker is running "
                f"under {home}. Start one with `newsroom broker start`, or set KAFKA_BOOTSTRAP_SERVERS."
            )
    for server in filter(None, (s.strip() for s in bootstrap.split(","))):
        host, _, port = server.rpartition(":")
        if not host or not port.isdigit():
            raise SettingsError(f"KAFKA_BOOTSTRAP_SERVERS: {server!r} is not host:port")

    protocol = (env.get("KAFKA_SECURITY_PROTOCOL") or "PLAINTEXT").upper()
    if protocol not in ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"):
        raise SettingsError(f"KAFKA_SECURITY_PROTOCOL={protocol!r}: use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
    mechanism = env.get("KAFKA_SASL_MECHANISM") or None
    if protocol.startswith("SASL"):
        mechanism = (mechanism or "PLAIN").upper()
        if mechanism not in ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"):
            raise SettingsError(f"KAFKA_SASL_MECHANISM={mechanism!r}: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
        if not env.get("KAFKA_SASL_USERNAME") or not env.get("KAFKA_SASL_PASSWORD"):
            raise SettingsError(f"{protocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD")
    for name in ("KAFKA_SSL_CAFILE", "KAFKA_SSL_CERTFILE", "KAFKA_SSL_KEYFILE"):
        if env.get(name) and not Path(env[name]).is_file():
            raise SettingsError(f"{name}={env[name]!r}: no such file")

    topics = Topics(
        raw=env.get("NEWSROOM_TOPIC_RAW") or Topics.raw,
        rekeyed=env.get("NEWSROOM_TOPIC_REKEYED") or Topics.rekeyed,
        enriched=env.get("NEWSROOM_TOPIC_ENRICHED") or Topics.enriched,
        deadletter=env.get("NEWSROOM_TOPIC_DEADLETTER") or Topics.deadletter,
        alerts=env.get("NEWSROOM_TOPIC_ALERTS") or Topics.alerts,
        counts=env.get("NEWSROOM_TOPIC_COUNTS") or Topics.counts,
        unique=env.get("NEWSROOM_TOPIC_UNIQUE") or Topics.unique,
        ministry_prefix=env.get("NEWSROOM_MINISTRY_TOPIC_PREFIX") or Topics.ministry_prefix,
        topic_prefix=env.get("NEWSROOM_TOPIC_TOPIC_PREFIX") or Topics.topic_prefix,
    )
    for name, value in (("raw", topics.raw), ("rekeyed", topics.rekeyed), ("enriched", topics.enriched),
                        ("deadletter", topics.deadletter), ("alerts", topics.alerts), ("counts", topics.counts), ("unique", topics.unique),
                        ("ministry prefix", topics.ministry_prefix + "x"), ("topic prefix", topics.topic_prefix + "x")):
        if not _TOPIC_NAME.match(value):
            raise SettingsError(f"topic name for {name} {value!r} may only hold letters, digits, '.', '_' and '-'")

    instance_id = env.get("NEWSROOM_GROUP_INSTANCE_ID") or None
    if instance_id and not _TOPIC_NAME.match(instance_id):
        raise SettingsError(f"NEWSROOM_GROUP_INSTANCE_ID={instance_id!r} may only hold letters, digits, '.', '_' and '-'")

    log_level = (env.get("NEWSROOM_LOG_LEVEL") or "info").lower()
    if log_level not in ("debug", "info", "warning", "error"):
        raise SettingsError(f"NEWSROOM_LOG_LEVEL={log_level!r}: use debug, info, warning or error")

    return Settings(
        bootstrap_servers=bootstrap,
        security_protocol=protocol,
        sasl_mechanism=mechanism if protocol.startswith("SASL") else None,
        sasl_username=env.get("KAFKA_SASL_USERNAME") or None,
        sasl_password=env.get("KAFKA_SASL_PASSWORD") or None,
        ssl_cafile=env.get("KAFKA_SSL_CAFILE") or None,
        ssl_certfile=env.get("KAFKA_SSL_CERTFILE") or None,
        ssl_keyfile=env.get("KAFKA_SSL_KEYFILE") or None,
        app_id=env.get("NEWSROOM_APP_ID") or "newsroom-streams",
        home=home,
        data_dir=Path(env.get("NEWSROOM_DATA_DIR") or home / "worker"),
        web_host=env.get("NEWSROOM_WEB_HOST") or "127.0.0.1",
        web_port=_int(env, "NEWSROOM_WEB_PORT", 6066),
        partitions=_int(env, "NEWSROOM_PARTITIONS", 4),
        replication=_int(env, "NEWSROOM_REPLICATION", 1),
        max_page_bytes=_int(env, "NEWSROOM_MAX_PAGE_BYTES", 8 * 1024 * 1024, minimum=1024),
        log_level=log_level,
        commit_interval=_number(env, "NEWSROOM_COMMIT_INTERVAL", 1.0, 0.05),
        session_timeout=_number(env, "NEWSROOM_SESSION_TIMEOUT", 30.0, 6.0),
        producer_timeout=_number(env, "NEWSROOM_PRODUCER_TIMEOUT", 120.0, 1.0),
        standby_replicas=_int(env, "NEWSROOM_STANDBY_REPLICAS", 0, minimum=0),
        table_memory_mb=_int(env, "NEWSROOM_TABLE_MEMORY_MB", 16, minimum=8),
        group_instance_id=instance_id,
        topics=topics,
        live=_live_settings(env),
    )


def describe(settings: Settings) -> str:
    """One line for logs: where we connect and with which topics (no secrets)."""
    return json.dumps({"bootstrap": settings.bootstrap_servers, "security": settings.security_protocol,
                       "app_id": settings.app_id, "raw": settings.topics.raw,
                       "web": f"{settings.web_host}:{settings.web_port}"}, ensure_ascii=False)
