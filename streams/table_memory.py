"""One memory budget for the RocksDB of every table partition of the worker.

Faust opens one RocksDB per table partition (4 tables x 4 partitions = 16 by default), each with
its own block cache and its own memtables. Each fills slowly with the articles written to it, so
their sum kept adding to the worker's RSS for most of a 100,000-article run, though each was
bounded. Here every database shares one block cache of `budget` bytes, and a RocksDB write buffer
manager charges all memtables to that cache (RocksDB flushes a memtable once they pass about half
of it), so RocksDB holds about `budget` in all: 16 MiB was full after about 25,000 articles.

`store_url(table)` selects this store for a table; the files on disk are Faust's RocksDB ones,
in the same place, unchanged. Stores of the same budget share it: a worker has one.
See https://github.com/facebook/rocksdb/wiki/Write-Buffer-Manager and
https://github.com/facebook/rocksdb/wiki/Block-Cache.
"""

from __future__ import annotations

import threading
from typing import Any

import rocksdict
from faust.stores import STORES
from faust.stores import rocksdb as faust_rocksdb

SCHEME = "newsroom-rocksdb"


def store_url(table: str) -> str:
    """The store of `table` ("newsroom-rocksdb:<table>", as Faust names its own "rocksdb:<table>":
    a URL without a path would not count, and Faust would take the app's default store)."""
    return f"{SCHEME}:{table}"


# A memtable takes memory in arena blocks, by default an eighth of its write buffer (512 KiB here),
# and every partition's current memtable holds at least one: 16 partitions then fill 8 MiB with
# next to nothing, and the write buffer manager's limit was passed fourfold in a test. Small blocks
# keep that floor at 1 MiB.
ARENA_BLOCK_BYTES = 64 << 10

_lock = threading.Lock()
_shared: dict[int, tuple[rocksdict.Cache, rocksdict.WriteBufferManager]] = {}  # budget -> its pool


def shared_memory(budget: int) -> tuple[rocksdict.Cache, rocksdict.WriteBufferManager]:
    """The block cache and write buffer manager of `budget` bytes (created on the first call)."""
    if budget <= 0:
        raise ValueError(f"the table memory budget must be positive, not {budget}")
    with _lock:
        if budget not in _shared:
            cache = rocksdict.Cache(budget)
            _shared[budget] = (
                cache,
                rocksdict.WriteBufferManager.new_write_buffer_manager_with_cache(budget // 2, False, cache),
            )
        return _shared[budget]


def usage(budget: int) -> int | None:
    """Bytes the tables' RocksDB holds in the pool of `budget` (cached blocks and the memtables
    charged to it), or None before a table of that budget was opened."""
    with _lock:
        pool = _shared.get(budget)
    return pool[0].get_usage() if pool else None


class BudgetedOptions(faust_rocksdb.RocksDBOptions):
    """Faust's RocksDB options, with the shared cache and write buffer manager of `memory_budget`."""

    def __init__(self, *, memory_budget: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.memory_budget = memory_budget

    def as_options(self) -> rocksdict.Options:
        if not self.use_rocksdict:
            raise RuntimeError("the newsroom table store needs the rocksdict driver (faust-streaming's default)")
        cache, manager = shared_memory(self.memory_budget)
        options = rocksdict.Options(raw_mode=True)
        options.create_if_missing(True)
        options.set_max_open_files(self.max_open_files)
        options.set_write_buffer_size(self.write_buffer_size)
        options.set_target_file_size_base(self.target_file_size_base)
        options.set_max_write_buffer_number(self.max_write_buffer_number)
        options.set_write_buffer_manager(manager)
        options.set_arena_block_size(ARENA_BLOCK_BYTES)
        table_options = rocksdict.BlockBasedOptions()
        table_options.set_bloom_filter(self.bloom_filter_size, block_based=True)
        table_options.set_block_cache(cache)
        table_options.set_index_type(rocksdict.BlockBasedIndexType.binary_search())
        table_options.set_cache_index_and_filter_blocks(True)  # index and bloom blocks count in the budget
        options.set_block_based_table_factory(table_options)
        return options


class BudgetedStore(faust_rocksdb.Store):
    """Faust's RocksDB store, opening its databases with `BudgetedOptions`."""

    def __init__(self, *args: Any, options: dict | None = None, **kwargs: Any) -> None:
        options = dict(options or {})
        budget = int(options.pop("memory_budget"))
        super().__init__(*args, options=options, **kwargs)
        self.rocksdb_options = BudgetedOptions(memory_budget=budget, **self.options, use_rocksdict=self.use_rocksdict)


STORES.aliases.setdefault(SCHEME, f"{__name__}:BudgetedStore")
