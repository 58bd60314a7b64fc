"""The newsroom worker with one experimental change, to measure what a proposed fix would gain
before anyone edits streams/. Run by `bench/e2e.py --variant NAME[,NAME]` in place of
`python -m streams.cli worker`:

  no-extensions   streams.app.EXTENSIONS = []  (no desk, no live: hooks, metrics, windowed counts)
  no-live         EXTENSIONS without streams.live
  no-desk         EXTENSIONS without streams.desk
  linger5         Faust producer_linger = 5 ms (batch produce requests; the default sends at once)
  commit3         broker_commit_interval = 3 s (NEWSROOM_COMMIT_INTERVAL default is 1 s)
  rocksdb-small   every table's RocksDB with 4 MiB memtables (max 2) and a 16 MiB block cache instead of
                  Faust's defaults (64 MiB x 3 memtables and a 2 GiB cache, per table partition)

Usage:  python bench/_worker_variant.py NAME[,NAME] (environment as for the worker)
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import faust  # noqa: E402

VARIANTS = ("no-extensions", "no-live", "no-desk", "linger5", "commit3", "rocksdb-small")
SMALL_ROCKSDB = {"write_buffer_size": 4 << 20, "max_write_buffer_number": 2, "block_cache_size": 16 << 20}


def apply(names: list[str]) -> None:
    import streams.app as app_module

    overrides: dict = {}
    for name in names:
        if name == "no-extensions":
            app_module.EXTENSIONS = []
        elif name == "no-live":
            app_module.EXTENSIONS = [m for m in app_module.EXTENSIONS if m != "streams.live"]
        elif name == "no-desk":
            app_module.EXTENSIONS = [m for m in app_module.EXTENSIONS if m != "streams.desk"]
        elif name == "linger5":
            overrides["producer_linger"] = 0.005
        elif name == "commit3":
            overrides["broker_commit_interval"] = 3.0
        elif name == "rocksdb-small":
            from faust.app.base import App

            original_table = App.Table

            def small_table(self, name, **kwargs):
                kwargs["options"] = {**SMALL_ROCKSDB, **(kwargs.get("options") or {})}
                return original_table(self, name, **kwargs)

            App.Table = small_table
        else:
            raise SystemExit(f"unknown variant {name!r}; known: {', '.join(VARIANTS)}")
    if overrides:
        original = faust.App

        def app_with_overrides(*args, **kwargs):
            kwargs.update(overrides)
            return original(*args, **kwargs)

        app_module.faust.App = app_with_overrides  # streams.app calls faust.App(...)


if __name__ == "__main__":
    apply([n for n in sys.argv[1].split(",") if n])
    from streams.cli import main

    raise SystemExit(main(["worker"]))
