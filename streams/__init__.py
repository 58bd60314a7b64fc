"""newsroom-streams: clean, enrich and count Korean news events over Kafka with Faust."""

__version__ = "0.1.0"
