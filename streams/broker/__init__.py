"""The local real Kafka broker (KRaft, one node) for development, demos and tests."""

from streams.broker.errors import BrokerError, MissingToolError
from streams.broker.local import BrokerInfo, LocalBroker, wait_until_ready

__all__ = ["BrokerError", "BrokerInfo", "LocalBroker", "MissingToolError", "wait_until_ready"]
