"""The suite's fixtures live in plugins (tests/plugins/), imported as modules of the `tests` package
(the repository root is on pytest's pythonpath): no sys.path edits.

Tests are organised by what they need: tests/unit the pure core (no Faust app, no broker),
tests/agent a Faust app in-process (memory tables, no broker), tests/integration the real Kafka
broker started by the `kafka_bootstrap` fixture (marked `integration`; the long fault runs also
`faults`).
"""

pytest_plugins = ["tests.plugins.real_broker"]
