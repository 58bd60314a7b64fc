"""The largest page the cleaner reads by default, in a module of its own: `newsroom`'s options show
it without loading the cleaner (a batch starts its library process before the cleaner loads,
streams/offline.py)."""

DEFAULT_MAX_BYTES = 8 * 1024 * 1024  # a 5 MB page fits; 20 MB is rejected before parsing
