"""sendkg's version, in a module of its own that imports nothing (the cache of answers keys on it)."""

__version__ = "0.1.0"
