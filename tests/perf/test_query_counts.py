"""Every public page and list API runs a fixed number of queries, whatever the amount of data: no
N+1 loop, no query per row. Measured at two sizes of the demo data (``flask seed demo --scale``)."""

from __future__ import annotations

from bench.scale import PAGES

# The most statements a page may run (the session's user, organisations and lists included).
MOST = 10


def test_query_count_does_not_grow_with_the_data(seed, statements):
    seed(25)
    small = {path: len(statements(path)) for _name, path, _kind in PAGES}
    seed(75)
    large = {path: len(statements(path)) for _name, path, _kind in PAGES}
    assert large == small
    assert max(small.values()) <= MOST, small
