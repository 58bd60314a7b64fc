"""The worker's tables share one RocksDB memory budget (streams.table_memory), so its RSS levels off."""

from __future__ import annotations

import os

import pytest
from faust.stores.rocksdb import RocksDBOptions

from streams.app import ROCKSDB_OPTIONS, create_app
from streams.settings import SettingsError, load_settings
from streams.table_memory import BudgetedOptions, BudgetedStore, shared_memory

MIB = 1 << 20


def memtable_bytes(dbs) -> int:
    return sum(db.property_int_value("rocksdb.cur-size-all-mem-tables") for db in dbs)


def fill(dbs, total_bytes: int) -> None:
    """Random keys (as the dedup tables get: ids and fingerprints) of 100-byte values."""
    for _ in range(total_bytes // (len(dbs) * 116)):
        for db in dbs:
            db[os.urandom(16)] = os.urandom(100)


@pytest.mark.parametrize("budget_mb", [8, 12])
def test_memtables_of_every_partition_stay_within_one_budget(tmp_path, budget_mb):
    """16 table partitions, as a worker has, take 32 MiB of writes: the memtables of them all stay
    within the budget, where Faust's store lets each partition's own memtables hold up to
    2 x 4 MiB (the same write buffer options) and so far more in all."""
    budget = budget_mb * MIB + 1  # a budget no other test uses: stores of one budget share its pool
    budgeted = BudgetedOptions(memory_budget=budget, **ROCKSDB_OPTIONS)
    dbs = [budgeted.open(tmp_path / f"budgeted-{i}.db") for i in range(16)]
    own = RocksDBOptions(**ROCKSDB_OPTIONS, block_cache_size=16 * MIB)
    own_dbs = [own.open(tmp_path / f"own-{i}.db") for i in range(16)]
    try:
        fill(dbs, 32 * MIB)
        fill(own_dbs, 32 * MIB)
        cache, manager = shared_memory(budget)
        assert memtable_bytes(dbs) <= budget
        assert manager.get_usage() <= budget
        assert cache.get_usage() <= budget * 1.05  # memtables are charged to the one cache
        assert memtable_bytes(own_dbs) > 2 * budget  # what the budget prevents
    finally:
        for db in dbs + own_dbs:
            db.close()


def test_budgeted_tables_read_back_what_was_written_after_a_reopen(tmp_path):
    """The budget changes memory, not data: flushed and reopened, every entry is there."""
    options = BudgetedOptions(memory_budget=8 * MIB + 2, **ROCKSDB_OPTIONS)
    db = options.open(tmp_path / "t.db")
    entries = {os.urandom(16): os.urandom(100) for _ in range(100_000)}  # 11 MiB: flushed on the way
    for key, value in entries.items():
        db[key] = value
    db.close()
    db = options.open(tmp_path / "t.db")
    try:
        assert all(db[key] == value for key, value in entries.items())
    finally:
        db.close()


def test_the_workers_tables_use_the_configured_budget(tmp_path):
    settings = load_settings(
        {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_HOME": str(tmp_path), "NEWSROOM_TABLE_MEMORY_MB": "48"}
    )
    app = create_app(settings).app
    stores = {name: table.data for name, table in app.tables.items()}
    assert set(stores) >= {"article_versions", "article_bodies", "published", "spikes"}
    assert all(isinstance(store, BudgetedStore) for store in stores.values()), stores
    assert {store.rocksdb_options.memory_budget for store in stores.values()} == {48 * MIB}
    assert load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"}).table_memory_mb == 16  # the default


def test_a_budget_too_small_to_work_is_refused_by_name():
    with pytest.raises(SettingsError, match="NEWSROOM_TABLE_MEMORY_MB"):
        load_settings({"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1", "NEWSROOM_TABLE_MEMORY_MB": "2"})
    with pytest.raises(ValueError, match="positive"):
        shared_memory(0)
