"""Worker settings, read from the environment, checked once, with clear errors.

Every setting is declared once, in `EnvironmentSettings` (pydantic-settings): its environment
variable, type, default, bounds and description. ENVIRONMENT (the names the project reads, checked
against docker-compose and the Kubernetes manifests) and the README's settings table
(`python -m streams.settings`, checked by a test) derive from it. A value may also come from a file
named after its variable in NEWSROOM_SECRETS_DIR (a mounted Kubernetes or Docker secret); the
environment wins over the file.

Finding the local development broker when KAFKA_BOOTSTRAP_SERVERS is unset is the CLI's business
(`streams.broker.local.with_local_broker`), not this module's.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

MAX_MESSAGE_BYTES = 64 * 1024 * 1024  # broker, topics, producer and consumer agree on this limit
SECRETS_DIR = "NEWSROOM_SECRETS_DIR"
LOG_FORMATS = ("text", "json")  # NEWSROOM_LOG_FORMAT (streams.logs)
EVENT_LOOPS = ("asyncio", "uvloop")  # NEWSROOM_EVENT_LOOP (streams.app.run_worker)

_TOPIC_NAME = re.compile(r"^[A-Za-z0-9._-]{1,200}$")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


def _python_number(kind: type) -> BeforeValidator:
    # Python's own int()/float() reading of a string ("1_000", " 5 ", "inf"), as the worker always had
    return BeforeValidator(lambda raw: kind(raw) if isinstance(raw, str) else raw)


Whole = Annotated[int, _python_number(int)]
Number = Annotated[float, _python_number(float)]


def _setting(env: str, default: Any, description: str, **bounds: Any) -> Any:
    return Field(default, alias=env, description=description, **bounds)


class EnvironmentSettings(BaseSettings):
    """One field per environment variable: the only place a setting's default and bounds are written."""

    model_config = SettingsConfigDict(case_sensitive=True, extra="ignore", hide_input_in_errors=True)

    bootstrap_servers: str = _setting(
        "KAFKA_BOOTSTRAP_SERVERS", "", "`host:port[,host:port]` of an existing cluster; unset: the local broker"
    )
    security_protocol: str = _setting(
        "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", "`PLAINTEXT`, `SSL`, `SASL_PLAINTEXT` or `SASL_SSL`"
    )
    sasl_mechanism: str | None = _setting(
        "KAFKA_SASL_MECHANISM", None, "`PLAIN` (with a SASL protocol, when unset), `SCRAM-SHA-256` or `SCRAM-SHA-512`"
    )
    sasl_username: str | None = _setting("KAFKA_SASL_USERNAME", None, "SASL user name")
    sasl_password: SecretStr | None = _setting("KAFKA_SASL_PASSWORD", None, "SASL password (never logged)")
    ssl_cafile: str | None = _setting("KAFKA_SSL_CAFILE", None, "CA bundle (PEM) to verify the brokers (SSL, SASL_SSL)")
    ssl_certfile: str | None = _setting("KAFKA_SSL_CERTFILE", None, "client certificate (PEM) for mutual TLS")
    ssl_keyfile: str | None = _setting("KAFKA_SSL_KEYFILE", None, "client private key (PEM) for mutual TLS")
    home: str | None = _setting(
        "NEWSROOM_HOME", None, "folder for local state (broker files, worker tables); unset: `./.newsroom`"
    )
    app_id: str = _setting(
        "NEWSROOM_APP_ID", "newsroom-streams", "Faust application id = consumer group and table/changelog prefix"
    )
    data_dir: str | None = _setting(
        "NEWSROOM_DATA_DIR", None, "worker table directory (RocksDB); unset: `$NEWSROOM_HOME/worker`"
    )
    web_host: str = _setting("NEWSROOM_WEB_HOST", "127.0.0.1", "address the worker's web server binds")
    web_port: Whole = _setting("NEWSROOM_WEB_PORT", 6066, "port of the worker's web server", ge=1)
    partitions: Whole = _setting("NEWSROOM_PARTITIONS", 4, "partitions of every topic the worker creates", ge=1)
    replication: Whole = _setting(
        "NEWSROOM_REPLICATION", 1, "replication factor of the topics the worker creates", ge=1
    )
    max_page_bytes: Whole = _setting(
        "NEWSROOM_MAX_PAGE_BYTES",
        8 * 1024 * 1024,
        "largest page the cleaner accepts; larger ones are dead letters `too_large`",
        ge=1024,
    )
    clean_processes: Whole = _setting(
        "NEWSROOM_CLEAN_PROCESSES",
        1,
        "processes that clean pages, and tag the articles queued in the enrich stage, beside the worker "
        "(streams.cleaners), on another core while its event loop does the rest (about 45 MiB of RSS each); one that "
        "dies is replaced, and a page on which two die in a row is an `internal_error` dead letter; `0`: pages are "
        "cleaned and articles tagged in the worker's thread",
        ge=0,
        le=64,
    )
    topic_raw: str = _setting("NEWSROOM_TOPIC_RAW", "news.raw", "input topic")
    topic_rekeyed: str = _setting(
        "NEWSROOM_TOPIC_REKEYED",
        "news.rekeyed",
        "internal repartition topic: cleaned articles whose input key was not their id, keyed by id",
    )
    topic_enriched: str = _setting("NEWSROOM_TOPIC_ENRICHED", "news.enriched", "enriched articles")
    topic_deadletter: str = _setting("NEWSROOM_TOPIC_DEADLETTER", "news.deadletter", "dead letters")
    topic_alerts: str = _setting("NEWSROOM_TOPIC_ALERTS", "news.alerts", "alerts")
    topic_counts: str = _setting(
        "NEWSROOM_TOPIC_COUNTS",
        "news.counts",
        "compacted topic of the counters of each (ministry or topic, news.enriched partition), read whole by every worker",
    )
    topic_unique: str = _setting(
        "NEWSROOM_TOPIC_UNIQUE", "news.unique", "internal topic of deduplicated articles, keyed by body fingerprint"
    )
    ministry_prefix: str = _setting(
        "NEWSROOM_MINISTRY_TOPIC_PREFIX", "news.ministry.", "prefix of the per-ministry topics"
    )
    topic_prefix: str = _setting("NEWSROOM_TOPIC_TOPIC_PREFIX", "news.topic.", "prefix of the per-topic topics")
    log_level: str = _setting("NEWSROOM_LOG_LEVEL", "info", "worker log level: `debug`, `info`, `warning` or `error`")
    log_format: str = _setting(
        "NEWSROOM_LOG_FORMAT",
        "text",
        "`text` (one line: time, level, logger, message) or `json` (one object per line: `time`, `level`, `logger`, "
        "`message`, and `agent`, `topic`, `partition`, `offset`, `exception` where known) for a log aggregator",
    )
    event_loop: str = _setting(
        "NEWSROOM_EVENT_LOOP",
        "asyncio",
        "the worker's event loop: `asyncio` (the standard library's) or `uvloop` (libuv: about 10 % less CPU per "
        "record in bench/e2e.py; one worker of a full test run died with SIGSEGV while stopping on SIGTERM during a "
        "rebalance with it, cause not found yet)",
    )
    commit_interval: Number = _setting(
        "NEWSROOM_COMMIT_INTERVAL",
        1.0,
        "seconds between offset commits: what a crash can make the worker redo",
        ge=0.05,
    )
    session_timeout: Number = _setting(
        "NEWSROOM_SESSION_TIMEOUT",
        30.0,
        "consumer group session timeout in seconds: how soon a dead worker's partitions move",
        ge=6.0,
    )
    producer_timeout: Number = _setting(
        "NEWSROOM_PRODUCER_TIMEOUT",
        120.0,
        "seconds a send may wait for the brokers; an output or table write still unsent then stops the worker "
        "without another commit, so on restart it re-reads from the last commit and nothing is lost",
        ge=1.0,
    )
    standby_replicas: Whole = _setting(
        "NEWSROOM_STANDBY_REPLICAS",
        0,
        "standby copies of each table partition kept warm on other workers (faster takeover)",
        ge=0,
    )
    table_memory_mb: Whole = _setting(
        "NEWSROOM_TABLE_MEMORY_MB",
        16,
        "MiB for the RocksDB of all table partitions together: one block cache that the memtables are charged to "
        "(`newsroom_table_memory_bytes` shows it); more for tables of millions of keys",
        ge=8,
    )
    group_instance_id: str | None = _setting(
        "NEWSROOM_GROUP_INSTANCE_ID",
        None,
        "static group membership (KIP-345): this worker's stable, unique id in the group, e.g. the pod name; a "
        "restart within the session timeout then moves no partition (unset: dynamic membership)",
    )
    schema_registry_url: str | None = _setting(
        "NEWSROOM_SCHEMA_REGISTRY_URL",
        None,
        "a Confluent-compatible schema registry (`http://host:8081`): the worker registers the JSON Schemas of its "
        "topics there when it starts and sends each record's schema id in the `newsroom-schema-id` header "
        "(unset: no registry)",
    )
    retention_hours: Whole = _setting(
        "NEWSROOM_WINDOW_RETENTION_HOURS",
        168,
        "hours of hourly count buckets kept per subject for the windowed views and alerts; at least the alert "
        "baseline + 1 and the lateness",
        ge=1,
    )
    lateness_minutes: Whole = _setting(
        "NEWSROOM_WINDOW_LATENESS_MINUTES",
        120,
        "a mention published more than this before the subject's newest one is not windowed",
        ge=0,
    )
    alert_min_count: Whole = _setting(
        "NEWSROOM_ALERT_MIN_COUNT", 5, "spike alert: the hourly count must reach at least this", ge=1
    )
    alert_stddevs: Number = _setting(
        "NEWSROOM_ALERT_STDDEVS", 3.0, "spike alert: k in `count >= max(min_count, mean + k × stddev)`", ge=0.0
    )
    alert_baseline_windows: Whole = _setting(
        "NEWSROOM_ALERT_BASELINE_WINDOWS", 24, "spike alert: hours before the window that form the baseline", ge=1
    )
    deadletter_rate: Number = _setting(
        "NEWSROOM_ALERT_DEADLETTER_RATE",
        0.2,
        "health alert: fraction of inputs becoming dead letters that alerts",
        ge=0.0,
        le=1.0,
    )
    deadletter_window_minutes: Number = _setting(
        "NEWSROOM_ALERT_DEADLETTER_WINDOW_MINUTES",
        5.0,
        "health alert: minutes the dead-letter rate is measured over",
        ge=0.05,
    )
    no_input_minutes: Number = _setting(
        "NEWSROOM_ALERT_NO_INPUT_MINUTES",
        30.0,
        "health alert: minutes without input before alerting; 0 turns it off",
        ge=0.0,
    )
    health_check_seconds: Number = _setting(
        "NEWSROOM_HEALTH_CHECK_SECONDS", 15.0, "seconds between pipeline-health checks", ge=0.1
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # load_settings passes the environment (os.environ, or a test's dict) itself; files fill the rest
        return init_settings, file_secret_settings


_FIELDS = EnvironmentSettings.model_fields
ENVIRONMENT: dict[str, str] = {f.alias: f.description or "" for f in _FIELDS.values() if f.alias}
ENVIRONMENT[SECRETS_DIR] = (
    "folder of mounted secrets: a file named after a variable above (e.g. KAFKA_SASL_PASSWORD) gives its value"
)


def default_of(env_name: str) -> Any:
    """The declared default of the setting read from `env_name`."""
    return next(f.default for f in _FIELDS.values() if f.alias == env_name)


def default_home() -> Path:
    """NEWSROOM_HOME of this process, else ./.newsroom."""
    return Path(os.environ.get("NEWSROOM_HOME", Path.cwd() / ".newsroom"))


@dataclass(frozen=True)
class Topics:
    raw: str = default_of("NEWSROOM_TOPIC_RAW")
    rekeyed: str = default_of("NEWSROOM_TOPIC_REKEYED")  # internal: cleaned articles whose raw key was not their id
    enriched: str = default_of("NEWSROOM_TOPIC_ENRICHED")
    deadletter: str = default_of("NEWSROOM_TOPIC_DEADLETTER")
    alerts: str = default_of("NEWSROOM_TOPIC_ALERTS")
    unique: str = default_of("NEWSROOM_TOPIC_UNIQUE")  # internal: after the by-id dedup, keyed by body fingerprint
    counts: str = default_of("NEWSROOM_TOPIC_COUNTS")  # compacted: counters per (kind:subject, partition)
    ministry_prefix: str = default_of("NEWSROOM_MINISTRY_TOPIC_PREFIX")
    topic_prefix: str = default_of("NEWSROOM_TOPIC_TOPIC_PREFIX")

    def ministry(self, ministry_id: str) -> str:
        return f"{self.ministry_prefix}{ministry_id}"

    def topic(self, topic_id: str) -> str:
        return f"{self.topic_prefix}{topic_id}"


@dataclass(frozen=True)
class Live:
    """Windowed counts and alerts (streams.live)."""

    retention_hours: int = default_of("NEWSROOM_WINDOW_RETENTION_HOURS")
    lateness_minutes: int = default_of("NEWSROOM_WINDOW_LATENESS_MINUTES")
    alert_min_count: int = default_of("NEWSROOM_ALERT_MIN_COUNT")
    alert_stddevs: float = default_of("NEWSROOM_ALERT_STDDEVS")
    alert_baseline_windows: int = default_of("NEWSROOM_ALERT_BASELINE_WINDOWS")
    deadletter_rate: float = default_of("NEWSROOM_ALERT_DEADLETTER_RATE")
    deadletter_window_minutes: float = default_of("NEWSROOM_ALERT_DEADLETTER_WINDOW_MINUTES")
    deadletter_min_inputs: int = 10  # not a setting: fewer inputs than this in the window give no verdict
    no_input_minutes: float = default_of("NEWSROOM_ALERT_NO_INPUT_MINUTES")
    health_check_seconds: float = default_of("NEWSROOM_HEALTH_CHECK_SECONDS")


@dataclass(frozen=True)
class Settings:
    """The checked settings the worker runs with (built by load_settings)."""

    bootstrap_servers: str
    security_protocol: str
    sasl_mechanism: str | None
    sasl_username: str | None
    sasl_password: SecretStr | None
    ssl_cafile: str | None
    ssl_certfile: str | None
    ssl_keyfile: str | None
    app_id: str
    home: Path
    data_dir: Path
    web_host: str
    web_port: int
    partitions: int
    replication: int
    max_page_bytes: int
    log_level: str
    commit_interval: float
    session_timeout: float
    producer_timeout: float
    standby_replicas: int
    table_memory_mb: int
    group_instance_id: str | None
    topics: Topics = field(default_factory=Topics)
    live: Live = field(default_factory=Live)
    max_message_bytes: int = MAX_MESSAGE_BYTES
    log_format: str = default_of("NEWSROOM_LOG_FORMAT")
    event_loop: str = default_of("NEWSROOM_EVENT_LOOP")
    clean_processes: int = default_of("NEWSROOM_CLEAN_PROCESSES")
    schema_registry_url: str | None = None

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

    @property
    def sasl_secret(self) -> str | None:
        """The SASL password itself, for the Kafka clients only."""
        return self.sasl_password.get_secret_value() if self.sasl_password is not None else None

    def kafka_client_options(self) -> dict:
        """Keyword arguments for aiokafka clients (producer, consumer, admin) with security applied."""
        options: dict = {"bootstrap_servers": self.bootstrap_list, "security_protocol": self.security_protocol}
        if self.security_protocol.startswith("SASL"):
            options.update(
                sasl_mechanism=self.sasl_mechanism,
                sasl_plain_username=self.sasl_username,
                sasl_plain_password=self.sasl_secret,
            )
        if self.security_protocol in ("SSL", "SASL_SSL"):
            options["ssl_context"] = self.ssl_context()
        return options

    def ssl_context(self):
        from aiokafka.helpers import create_ssl_context

        return create_ssl_context(cafile=self.ssl_cafile, certfile=self.ssl_certfile, keyfile=self.ssl_keyfile)


def _number_error(errors: list[dict[str, Any]], given: dict[str, str]) -> SettingsError:
    """The message of the first bad number, in declaration order, as the worker has always said it."""
    order = [f.alias for f in _FIELDS.values()]
    error = min(errors, key=lambda e: order.index(e["loc"][0]) if e["loc"] and e["loc"][0] in order else len(order))
    name = str(error["loc"][0])
    info = next(f for f in _FIELDS.values() if f.alias == name)
    kind: type = int if info.annotation is int else float
    raw = given.get(name)
    if error["type"] in ("greater_than_equal", "less_than_equal"):
        bounds = {type(m).__name__: m for m in info.metadata}
        low = bounds["Ge"].ge
        bound = f"between {low} and {bounds['Le'].le}" if "Le" in bounds else f"at least {low}"
        return SettingsError(f"{name}={kind(raw) if raw is not None else error['input']} must be {bound}")
    return SettingsError(f"{name}={raw!r} is not a {'whole number' if kind is int else 'number'}")


def _declared(given: dict[str, str], secrets_dir: str | None) -> tuple[EnvironmentSettings, SettingsError | None]:
    """The declared settings from the given values (files in `secrets_dir` fill the rest), and the error
    of the first bad number, if any: the other checks come first, with the bad numbers at their defaults."""
    values: dict[str, Any] = dict(given)  # by the variables' names (the fields' aliases)
    try:
        return EnvironmentSettings(_secrets_dir=secrets_dir, **values), None
    except ValidationError as err:
        errors: list[dict[str, Any]] = [dict(e) for e in err.errors()]
        bad = {str(e["loc"][0]) for e in errors if e["loc"]}
        rest: dict[str, Any] = {k: v for k, v in given.items() if k not in bad}
        return EnvironmentSettings(_secrets_dir=secrets_dir, **rest), _number_error(errors, given)


def _secret_text(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def load_settings(env: dict | None = None, *, require_broker: bool = True) -> Settings:
    """Settings from the environment (os.environ when `env` is None). An empty value counts as unset.
    Without KAFKA_BOOTSTRAP_SERVERS it is an error (when `require_broker`) naming how to get a broker:
    the CLI fills it with the local broker's address first (streams.broker.local.with_local_broker)."""
    env = dict(os.environ if env is None else env)
    given = {name: value for name, value in env.items() if name in ENVIRONMENT and value != ""}
    secrets_dir = given.pop(SECRETS_DIR, None)
    if secrets_dir is not None and not Path(secrets_dir).is_dir():
        raise SettingsError(f"{SECRETS_DIR}={secrets_dir!r}: no such folder")
    declared, number_error = _declared(given, secrets_dir)
    home = Path(declared.home or default_home())
    bootstrap = declared.bootstrap_servers.strip()
    if not bootstrap and require_broker:
        raise SettingsError(
            "no Kafka to talk to: KAFKA_BOOTSTRAP_SERVERS is not set and no local broker is running "
            f"under {home}. Start one with `newsroom broker start`, or set KAFKA_BOOTSTRAP_SERVERS."
        )
    for server in filter(None, (s.strip() for s in bootstrap.split(","))):
        host, _, port = server.rpartition(":")
        if not host or not port.isdigit():
            raise SettingsError(f"KAFKA_BOOTSTRAP_SERVERS: {server!r} is not host:port")

    protocol = declared.security_protocol.upper()
    if protocol not in ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"):
        raise SettingsError(f"KAFKA_SECURITY_PROTOCOL={protocol!r}: use PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL")
    mechanism = declared.sasl_mechanism or None
    if protocol.startswith("SASL"):
        mechanism = (mechanism or "PLAIN").upper()
        if mechanism not in ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"):
            raise SettingsError(f"KAFKA_SASL_MECHANISM={mechanism!r}: use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
        if not declared.sasl_username or not _secret_text(declared.sasl_password):
            raise SettingsError(f"{protocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD")
    for name, path in (
        ("KAFKA_SSL_CAFILE", declared.ssl_cafile),
        ("KAFKA_SSL_CERTFILE", declared.ssl_certfile),
        ("KAFKA_SSL_KEYFILE", declared.ssl_keyfile),
    ):
        if path and not Path(path).is_file():
            raise SettingsError(f"{name}={path!r}: no such file")

    topics = Topics(
        raw=declared.topic_raw,
        rekeyed=declared.topic_rekeyed,
        enriched=declared.topic_enriched,
        deadletter=declared.topic_deadletter,
        alerts=declared.topic_alerts,
        counts=declared.topic_counts,
        unique=declared.topic_unique,
        ministry_prefix=declared.ministry_prefix,
        topic_prefix=declared.topic_prefix,
    )
    for name, value in (
        ("raw", topics.raw),
        ("rekeyed", topics.rekeyed),
        ("enriched", topics.enriched),
        ("deadletter", topics.deadletter),
        ("alerts", topics.alerts),
        ("counts", topics.counts),
        ("unique", topics.unique),
        ("ministry prefix", topics.ministry_prefix + "x"),
        ("topic prefix", topics.topic_prefix + "x"),
    ):
        if not _TOPIC_NAME.match(value):
            raise SettingsError(f"topic name for {name} {value!r} may only hold letters, digits, '.', '_' and '-'")

    instance_id = declared.group_instance_id or None
    if instance_id and not _TOPIC_NAME.match(instance_id):
        raise SettingsError(
            f"NEWSROOM_GROUP_INSTANCE_ID={instance_id!r} may only hold letters, digits, '.', '_' and '-'"
        )

    log_level = declared.log_level.lower()
    if log_level not in ("debug", "info", "warning", "error"):
        raise SettingsError(f"NEWSROOM_LOG_LEVEL={log_level!r}: use debug, info, warning or error")
    log_format = declared.log_format.lower()
    if log_format not in LOG_FORMATS:
        raise SettingsError(f"NEWSROOM_LOG_FORMAT={log_format!r}: use {' or '.join(LOG_FORMATS)}")
    event_loop = declared.event_loop.lower()
    if event_loop not in EVENT_LOOPS:
        raise SettingsError(f"NEWSROOM_EVENT_LOOP={event_loop!r}: use {' or '.join(EVENT_LOOPS)}")
    if number_error is not None:
        raise number_error

    live = Live(
        retention_hours=declared.retention_hours,
        lateness_minutes=declared.lateness_minutes,
        alert_min_count=declared.alert_min_count,
        alert_stddevs=declared.alert_stddevs,
        alert_baseline_windows=declared.alert_baseline_windows,
        deadletter_rate=declared.deadletter_rate,
        deadletter_window_minutes=declared.deadletter_window_minutes,
        no_input_minutes=declared.no_input_minutes,
        health_check_seconds=declared.health_check_seconds,
    )
    needed = max(live.alert_baseline_windows + 1, -(-live.lateness_minutes // 60) + 1)
    if live.retention_hours < needed:
        raise SettingsError(
            f"NEWSROOM_WINDOW_RETENTION_HOURS={live.retention_hours} must be at least {needed}: the alert baseline "
            "(NEWSROOM_ALERT_BASELINE_WINDOWS) and the lateness (NEWSROOM_WINDOW_LATENESS_MINUTES) must fit in it"
        )
    return Settings(
        bootstrap_servers=bootstrap,
        security_protocol=protocol,
        sasl_mechanism=mechanism if protocol.startswith("SASL") else None,
        sasl_username=declared.sasl_username or None,
        sasl_password=declared.sasl_password if _secret_text(declared.sasl_password) else None,
        ssl_cafile=declared.ssl_cafile or None,
        ssl_certfile=declared.ssl_certfile or None,
        ssl_keyfile=declared.ssl_keyfile or None,
        app_id=declared.app_id,
        home=home,
        data_dir=Path(declared.data_dir or home / "worker"),
        web_host=declared.web_host,
        web_port=declared.web_port,
        partitions=declared.partitions,
        replication=declared.replication,
        max_page_bytes=declared.max_page_bytes,
        log_level=log_level,
        log_format=log_format,
        event_loop=event_loop,
        clean_processes=declared.clean_processes,
        commit_interval=declared.commit_interval,
        session_timeout=declared.session_timeout,
        producer_timeout=declared.producer_timeout,
        standby_replicas=declared.standby_replicas,
        table_memory_mb=declared.table_memory_mb,
        group_instance_id=instance_id,
        topics=topics,
        live=live,
        schema_registry_url=declared.schema_registry_url or None,
    )


def describe(settings: Settings) -> str:
    """One line for logs: where we connect and with which topics (no secrets)."""
    return json.dumps(
        {
            "bootstrap": settings.bootstrap_servers,
            "security": settings.security_protocol,
            "app_id": settings.app_id,
            "raw": settings.topics.raw,
            "web": f"{settings.web_host}:{settings.web_port}",
        },
        ensure_ascii=False,
    )


def _cell(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1 << 20 and value % (1 << 20) == 0:
        return f"{value >> 20} MiB"
    return f"`{value}`"


def settings_table() -> str:
    """The README's settings table (markdown), from the declarations: `python -m streams.settings`."""
    lines = ["| variable | default | allowed | what it does |", "|---|---|---|---|"]
    for info in _FIELDS.values():
        bounds = {type(m).__name__: m for m in info.metadata}
        allowed = ""
        if "Ge" in bounds:
            allowed = f"{bounds['Ge'].ge} to {bounds['Le'].le}" if "Le" in bounds else f">= {bounds['Ge'].ge}"
        lines.append(f"| `{info.alias}` | {_cell(info.default)} | {allowed} | {info.description} |")
    lines.append(f"| `{SECRETS_DIR}` | | | {ENVIRONMENT[SECRETS_DIR]} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(settings_table() + "\n")
