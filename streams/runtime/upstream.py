"""The upstream methods streams.runtime overrides, and a digest of the source each was written
against.

`overridden()` finds them by walking the runtime's classes: every method a class defines that one of
its faust/mode/aiokafka bases defines too. `RELIED_ON` adds upstream methods that are not overridden
but whose internals the overrides copy or call. tests/agent/runtime/test_guards.py fails when a
digest below no longer matches the installed source, or when an override has no digest: read the
upstream change, adapt the override, then update the digest (`python -m streams.runtime.upstream`
prints the current ones).
"""

from __future__ import annotations

import hashlib
import inspect
import sys
from typing import Any

RELIED_ON = (
    "faust.streams.Stream._py_aiter",  # FullAckStream iterates with it; it must ack via Consumer.ack
    "faust.transport.consumer.Consumer._drain_messages",  # PromptConsumer._drain_messages is a copy
    "faust.transport.consumer.Consumer._add_gap",  # called by the watchdog for holes with no records
    "aiokafka.consumer.subscription_state.Assignment.state_value",  # NoSkipConsumer._position reads
    "aiokafka.consumer.subscription_state.TopicPartitionState.__init__",  # ... its state's _position
    "faust.tables.table.Table.on_key_set",  # table_writes.write_partition does what it does, batched
    "faust.tables.base.Collection.send_changelog",  # ... with the serializers it passes
    "faust.tables.base.Collection._on_changelog_sent",  # ... and the persisted offset it writes
    "faust.transport.drivers.aiokafka.AIOKafkaConsumerThread.seek",  # NoSkipConsumer._seek calls it in its thread
    "aiokafka.consumer.fetcher.Fetcher.seek_to",  # ... because it drops fetched records the thread reads
    "faust.tables.recovery.Recovery._resume_streams",  # resumes flow control (queues emptied), then the consumer's flow
)

# "module.Class.method" -> sha256 of inspect.getsource, faust-streaming 0.15.3 and aiokafka 0.14.0.
PINNED_SOURCES = {
    "aiokafka.consumer.fetcher.Fetcher.seek_to": "f0ba6aba6c22ef83e0d58690ef771d04777032ec48cbfa68325c67bf0ef508f4",
    "aiokafka.consumer.subscription_state.Assignment.state_value": "183fea82ef48f3e6136739948785fbf07feec2d7119b60e5e9378264ba6780de",
    "aiokafka.consumer.subscription_state.TopicPartitionState.__init__": "f0b391da1b87af045ac4125de2c2ae928bb351157c2859d9e3586562e0edf7f7",
    "faust.app.base.App.__init__": "698e2bf236c673699eb1e1624a5344685aa535a919133120825f3531991af5a9",
    "faust.app.base.App._new_transport": "42db531312dd776fc3937154a32f19eeb9ad7d4ebc2722a92d081a2d271baea1",
    "faust.sensors.base.SensorDelegate.on_message_in": "f1af3e0182fd158e3aa73a866aa97a7e02e768ea2ebf79bd7b3fd766ca93e5a2",
    "faust.sensors.base.SensorDelegate.on_message_out": "83cf8e5b85710e3c4aab8d3708b4b82eb842337cb08e39adb949548e437635d7",
    "faust.sensors.base.SensorDelegate.on_send_completed": "bedecdbbba428b75b8cf858d853405b263d86ccf99b50f1990d1ffb4b9e45494",
    "faust.sensors.base.SensorDelegate.on_send_initiated": "821d945f1268a0907153b1d5626f3c2d2268bc1e0ac1bb3cb547e694ce8b32d3",
    "faust.sensors.base.SensorDelegate.on_stream_event_in": "8d61a7ef5f31b1ab28e5f516aa977dd31a017765f0f2f40f56f1666e3d980c5e",
    "faust.sensors.base.SensorDelegate.on_stream_event_out": "ce5a4152026c5fa138efd900ecfab83770c8cbabf95540ba87e0b6909b55d14f",
    "faust.sensors.base.SensorDelegate.on_table_get": "8c598c575d33ec2bbd3a70c4b075c28c35d3520bd882102455b101452f646985",
    "faust.sensors.base.SensorDelegate.on_table_set": "b07c6af87cd69a2e3b908f9a6b6cbe03c9f186d88fcf10a4ed1a01be0e67ea93",
    "faust.streams.Stream.__aiter__": "e815c0e831f1d2ccf43b083b725f87403dc38142dedda59d12b249ab2e044c50",
    "faust.streams.Stream._py_aiter": "3a48ee257a65435b482d51edb74f2993a67867949b1ef89b49fea893769e0614",
    "faust.tables.base.Collection._on_changelog_sent": "60122c86a120d82cffa95da4c22323e12d67fa82f3112f08ac7f8edde7c47826",
    "faust.tables.base.Collection.send_changelog": "3dd3884e1b5fc0e1612bc688b83d9318a1805ddc49700d3b6b37bade73c3905d",
    "faust.tables.recovery.Recovery._resume_streams": "d986a6710c1aca98f08c4c723fb3eadc5bf24576ad4eb9da3dd3eecedda2f24e",
    "faust.tables.table.Table.on_key_set": "a370e35ca55c2c7e36e93f0d4b485927c32d49199043cab2314572846184dd94",
    "faust.topics.Topic._get_producer": "93292ab6a147592fa3221a99517cd4e9cc9fa2e76f39fc5f441c5b5ed4a7d398",
    "faust.topics.Topic._on_published": "7cfe9ebd65964b0a9e7845853f98d58b995907b0020493fa1d2fa3a52aa29f8f",
    "faust.transport.consumer.Consumer._add_gap": "4df2573ded7c1c2cde04dc6bde6d4480cb5875ef565256e56966b585ae39b1c1",
    "faust.transport.consumer.Consumer._commit_offsets": "1a6979904118844111259d182ca1c6e92ccc16364ccbe55c58e59d6e254a7adb",
    "faust.transport.consumer.Consumer._drain_messages": "44a2500309e83c630493f6828af50166ec8d96a0b3e4fb2bab735f704ae93417",
    "faust.transport.consumer.Consumer._new_offset": "1d2c7ea89a7ad4f1a216c1d51936e569162cd66bd56f889e13fd29c910b58eb0",
    "faust.transport.consumer.Consumer._wait_next_records": "6218e1969a636b3ff504ad1b8e7ad58a113572e43d746cc96d684ed5153032c6",
    "faust.transport.consumer.Consumer.ack": "5fcf41cf45153475de3790dc56fec1b83335956dc8b3bf7ff6bbb2b57627f03f",
    "faust.transport.consumer.Consumer.getmany": "4b168d84882a70d6e3e2f9804430a63b92f8fd117d3187cbb4aeb54305bda34e",
    "faust.transport.consumer.Consumer.perform_seek": "0e8c130ff4b0afd82c0be9c5fd831316e10febc62c94032833911096e156d7c6",
    "faust.transport.consumer.Consumer.resume_flow": "db59630f25b5819b092c90649e1046cbea184e91a0aff59368e7747665536dd5",
    "faust.transport.consumer.Consumer.seek": "b86a9fe05f956b30cf299c787b6787c6e0349cbf1ae556f2456a1e97b15dbb22",
    "faust.transport.consumer.ThreadDelegateConsumer.__init__": "7072ae80eac1ff62b52ce9503a8fe7b6ff44fbb390b8f6beba7161b31b8bb483",
    "faust.transport.consumer.ThreadDelegateConsumer._seek": "4f95c631420410a5fe6ecb1eff2f9010d7cfff6861fe00d41889bb31bd7df8b1",
    "faust.transport.consumer.ThreadDelegateConsumer.seek_wait": "e9db5bbc4ceb2543830e020a97ba36d762de5affe579278f933d20bc42af9b9b",
    "faust.transport.drivers.aiokafka.AIOKafkaConsumerThread._create_worker_consumer": "c2701bfc3e6f6cad95c2be36d6a255a86e2c57d18d36cc1082b5fb5c482d99d7",
    "faust.transport.drivers.aiokafka.AIOKafkaConsumerThread.seek": "1498560d05f025820be906f3695710b6ac45258ea1c96ab5a403fcb38520c234",
    "faust.transport.drivers.aiokafka.Consumer._new_consumer_thread": "0870ec53dea75083995e3565c0f0a25a1c63ecceaeb238e92e2585e3623af5a9",
}


def _ours(cls: type) -> bool:
    return cls.__module__.startswith("streams.")


def _runtime_classes() -> list[type]:
    from streams.runtime import app, no_skip, prompt

    classes = []
    for module in (no_skip, prompt, app):
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == module.__name__ and not _ours(value.__mro__[-2]):
                classes.append(value)
    return classes


def _upstream_definition(cls: type, name: str) -> tuple[str, Any] | None:
    for base in cls.__mro__[1:]:
        if not _ours(base) and name in vars(base):
            return f"{base.__module__}.{base.__qualname__}.{name}", vars(base)[name]
    return None


def _resolve(dotted: str) -> Any:
    module_name, cls_name, name = dotted.rsplit(".", 2)
    __import__(module_name)
    return vars(getattr(sys.modules[module_name], cls_name))[name]


def _source(obj: Any) -> str:
    if isinstance(obj, property):
        obj = obj.fget
    return inspect.getsource(inspect.unwrap(obj))


def digest(obj: Any) -> str:
    return hashlib.sha256(_source(obj).encode()).hexdigest()


def overridden() -> dict[str, Any]:
    """{"module.Class.method": upstream function} of every upstream method the runtime overrides."""
    found = {}
    for cls in _runtime_classes():
        for name, value in vars(cls).items():
            if isinstance(value, type) or not (callable(value) or isinstance(value, property)):
                continue  # a class attribute (Transport.Consumer) names our class, not upstream code
            upstream = _upstream_definition(cls, name)
            if upstream is not None:
                found[upstream[0]] = upstream[1]
    return found


def current_sources() -> dict[str, str]:
    """{"module.Class.method": digest} of the installed upstream source of every method we depend on."""
    methods = overridden()
    methods.update({dotted: _resolve(dotted) for dotted in RELIED_ON})
    return {name: digest(fn) for name, fn in sorted(methods.items())}


if __name__ == "__main__":
    for name, sha in current_sources().items():
        print(f'    "{name}":\n        "{sha}",')
