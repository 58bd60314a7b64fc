"""Errors of the local broker package."""


class BrokerError(RuntimeError):
    """The local broker could not be resolved, started, stopped or reached."""


class MissingToolError(BrokerError):
    """Java or Maven is not installed."""
