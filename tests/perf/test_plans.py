"""The main list queries read the big tables through an index, on SQLite and on PostgreSQL.

Each page's statements are recorded and explained with their own parameters. SQLite (``EXPLAIN QUERY
PLAN``): no big table is scanned without an index, and a paged list (``LIMIT``) is not sorted in a
temporary b-tree: it is read in index order. PostgreSQL (``EXPLAIN``, with sequential scans and sorts
priced out so that the tiny test tables do not hide a missing index): no sequential scan of a big
table, and no sort under a paged list. Totals and facet counts (``count``) are left out: large ones
are cached (``core.db.cached_count``, the archive's facets)."""

from __future__ import annotations

import re

import pytest

from bench.scale import PAGES
from sharing.core.extensions import db
from tests.perf.conftest import BIG_TABLES


def _explain(statement: str, parameters) -> list[str]:
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            return [row[-1] for row in rows]
        conn.exec_driver_sql("SET enable_seqscan = off")
        conn.exec_driver_sql("SET enable_sort = off")
        rows = conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
        conn.rollback()
        return [row[0] for row in rows]


def _problems(statement: str, plan: list[str], dialect: str) -> list[str]:
    paged = re.search(r"\bLIMIT\b", statement) is not None
    if dialect == "sqlite" and any(re.search(r"SCAN \w+_fts VIRTUAL TABLE", line) for line in plan):
        # Rows read by id from a text index's matches: fewer than ``SERVED_MAX`` (SearchIndex.served
        # asks the index first and walks the list's order otherwise), so their sort is bounded.
        paged = paged and "IN (SELECT" not in statement
    found = []
    for line in plan:
        if dialect == "sqlite":
            scan = re.match(r"SCAN (\w+)$", line.strip())
            if scan and scan.group(1) in BIG_TABLES:
                found.append(line)
            if paged and "USE TEMP B-TREE FOR ORDER BY" in line and "RIGHT PART" not in line:
                found.append(line)
        else:
            seq = re.search(r"Seq Scan on (\w+)", line)
            if seq and seq.group(1) in BIG_TABLES:
                found.append(line)
            if paged and re.search(r"->\s+Sort\b|^Sort\b", line.strip()) and "Incremental" not in line:
                found.append(line)
    return found


@pytest.mark.parametrize("path", [path for _name, path, _kind in PAGES])
def test_list_queries_use_an_index(path, seed, statements):
    seed(25)
    dialect = db.engine.dialect.name
    bad = []
    for statement, parameters in statements(path):
        if not re.search(r"\b(" + "|".join(BIG_TABLES) + r")\b", statement):
            continue
        if re.search(r"\bcount\(", statement, re.IGNORECASE):
            continue  # a total or a facet count: cached when large
        plan = _explain(statement, parameters)
        if problems := _problems(statement, plan, dialect):
            bad.append((" ".join(statement.split())[:300], problems))
    assert not bad, bad
