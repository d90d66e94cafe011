"""Short-lived caches of expensive, rarely changing figures (facet counts, list totals, calendars).

Built on ``cachetools``: a bounded TTL cache per use, guarded by a lock (gunicorn threads share it).
Each cache is registered so that ``clear_all()`` (tests, a new app) empties every one of them. A cache
made with ``tables=(...)`` is also emptied when a commit in this process has written one of those
tables (``forget``, called by ``sharing.core.db`` after each commit): what this process writes shows
at once, what another process writes within ``ttl`` seconds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable

from cachetools import TTLCache

_caches: list[Cache] = []
_watching: dict[str, list[Cache]] = {}


class Cache:
    """A TTL cache of at most ``maxsize`` entries, each kept ``ttl`` seconds; emptied by a commit that
    wrote one of ``tables``."""

    def __init__(self, *, ttl: float, maxsize: int = 512, tables: Iterable[str] = ()):
        self._data: TTLCache = TTLCache(maxsize=maxsize, ttl=ttl)
        self._lock = threading.Lock()
        _caches.append(self)
        for table in tables:
            _watching.setdefault(table, []).append(self)

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


def forget(tables: Iterable[str]) -> None:
    """Empty the caches that watch any of ``tables`` (they were just written)."""
    for cache in {cache for table in tables for cache in _watching.get(table, ())}:
        cache.clear()


def clear_all() -> None:
    for cache in _caches:
        cache.clear()
