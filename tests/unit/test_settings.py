"""Settings come from the environment and fail with a message that names the variable."""

from __future__ import annotations

import pytest

from streams.settings import SettingsError, load_settings

BASE = {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9092"}


def test_defaults_are_the_topic_names_of_the_design(tmp_path):
    s = load_settings({**BASE, "NEWSROOM_HOME": str(tmp_path)})
    assert (
        s.topics.raw,
        s.topics.unique,
        s.topics.enriched,
        s.topics.deadletter,
        s.topics.alerts,
        s.topics.counts,
    ) == ("news.raw", "news.unique", "news.enriched", "news.deadletter", "news.alerts", "news.counts")
    assert s.topics.ministry("msit") == "news.ministry.msit"
    assert s.topics.topic("ai") == "news.topic.ai"
    assert s.data_dir == tmp_path / "worker"


def test_topic_names_are_configurable():
    s = load_settings({**BASE, "NEWSROOM_TOPIC_RAW": "desk.in", "NEWSROOM_MINISTRY_TOPIC_PREFIX": "m."})
    assert s.topics.raw == "desk.in" and s.topics.ministry("me") == "m.me"


@pytest.mark.parametrize(
    "env, names",
    [
        ({"KAFKA_BOOTSTRAP_SERVERS": "localhost"}, "KAFKA_BOOTSTRAP_SERVERS"),
        ({**BASE, "KAFKA_SECURITY_PROTOCOL": "TLS"}, "KAFKA_SECURITY_PROTOCOL"),
        ({**BASE, "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT"}, "KAFKA_SASL_USERNAME"),
        (
            {
                **BASE,
                "KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
                "KAFKA_SASL_MECHANISM": "GSSAPI",
                "KAFKA_SASL_USERNAME": "u",
                "KAFKA_SASL_PASSWORD": "p",
            },
            "KAFKA_SASL_MECHANISM",
        ),
        ({**BASE, "KAFKA_SSL_CAFILE": "/no/such/ca.pem"}, "KAFKA_SSL_CAFILE"),
        ({**BASE, "NEWSROOM_WEB_PORT": "http"}, "NEWSROOM_WEB_PORT"),
        ({**BASE, "NEWSROOM_PARTITIONS": "0"}, "NEWSROOM_PARTITIONS"),
        ({**BASE, "NEWSROOM_TOPIC_RAW": "news raw!"}, "raw"),
        ({**BASE, "NEWSROOM_LOG_LEVEL": "loud"}, "NEWSROOM_LOG_LEVEL"),
        ({**BASE, "NEWSROOM_LOG_FORMAT": "xml"}, "NEWSROOM_LOG_FORMAT"),
        ({**BASE, "NEWSROOM_EVENT_LOOP": "trio"}, "NEWSROOM_EVENT_LOOP"),
    ],
)
def test_bad_settings_name_the_variable(env, names):
    with pytest.raises(SettingsError, match=names):
        load_settings(env)


def test_event_loop_is_asyncio_unless_asked_for_uvloop():
    assert load_settings(BASE).event_loop == "asyncio"
    assert load_settings({**BASE, "NEWSROOM_EVENT_LOOP": "UVLoop"}).event_loop == "uvloop"


def test_no_broker_anywhere_says_how_to_get_one(tmp_path):
    with pytest.raises(SettingsError, match="newsroom broker start"):
        load_settings({"NEWSROOM_HOME": str(tmp_path)})


def test_sasl_settings_reach_the_kafka_clients():
    s = load_settings(
        {
            **BASE,
            "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "KAFKA_SASL_MECHANISM": "scram-sha-512",
            "KAFKA_SASL_USERNAME": "desk",
            "KAFKA_SASL_PASSWORD": "secret",
        }
    )
    options = s.kafka_client_options()
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert (options["sasl_plain_username"], options["sasl_plain_password"]) == ("desk", "secret")
    assert "secret" not in repr(s)


def test_the_readme_settings_table_is_the_declared_one():
    """Every setting is declared once (streams.settings.EnvironmentSettings); the README's table is
    generated from it (`python -m streams.settings`)."""
    from pathlib import Path

    from streams.settings import ENVIRONMENT, settings_table

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert settings_table() in readme
    assert all(f"`{name}`" in settings_table() for name in ENVIRONMENT)


def test_a_mounted_secret_file_gives_a_value_the_environment_can_override(tmp_path):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "KAFKA_SASL_PASSWORD").write_text("from-file")
    sasl = {**BASE, "KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT", "KAFKA_SASL_USERNAME": "desk"}
    s = load_settings({**sasl, "NEWSROOM_SECRETS_DIR": str(secrets)})
    assert s.kafka_client_options()["sasl_plain_password"] == "from-file"
    assert "from-file" not in repr(s)
    env_wins = load_settings({**sasl, "NEWSROOM_SECRETS_DIR": str(secrets), "KAFKA_SASL_PASSWORD": "from-env"})
    assert env_wins.kafka_client_options()["sasl_plain_password"] == "from-env"
    with pytest.raises(SettingsError, match="NEWSROOM_SECRETS_DIR"):
        load_settings({**sasl, "NEWSROOM_SECRETS_DIR": str(tmp_path / "absent")})


def test_reading_settings_needs_no_broker_code():
    """Production config loads do not depend on the development broker manager: finding the local
    broker is the CLI's (streams.broker.local.with_local_broker)."""
    import subprocess
    import sys

    code = "import sys, streams.settings; print(any(m.startswith('streams.broker') for m in sys.modules))"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
        == "False"
    )
