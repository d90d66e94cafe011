"""Short-lived caches of expensive, rarely changing figures (facet counts, list totals, calendars).

Built on ``cachetools``: a bounded TTL cache per use, guarded by a lock (gunicorn threads share it).
Each cache is registered so that ``clear_all()`` (tests, and writes that must show at once) empties
every one of them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable

from cachetools import TTLCache

_caches: list[TTLCache] = []


class Cache:
    """A TTL cache of at most ``maxsize`` entries, each kept ``ttl`` seconds."""

    def __init__(self, *, ttl: float, maxsize: int = 512):
        self._data: TTLCache = TTLCache(maxsize=maxsize, ttl=ttl)
        self._lock = threading.Lock()
        _caches.append(self._data)

    def get_or_compute(self, key: Hashable, compute: Callable[[], object], keep=lambda _value: True):
        """The cached value for ``key``, else ``compute()``, kept when ``keep(value)`` is true."""
        with self._lock:
            try:
                return self._data[key]
            except KeyError:
                pass
        value = compute()
        if keep(value):
            with self._lock:
                self._data[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


def clear_all() -> None:
    for cache in _caches:
        cache.clear()
