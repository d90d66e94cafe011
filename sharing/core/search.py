"""Korean substring search over a table, on the database's own text index.

SQLite: an external-content FTS5 table with the ``trigram`` tokenizer (``<table>_fts``), kept in step
by triggers; queries of three or more characters use ``MATCH`` (ranked by bm25), shorter ones (most
Korean words are two syllables: 드릴, 공구) fall back to ``LIKE`` on the base table.
PostgreSQL: a ``pg_trgm`` GIN index over the same concatenated text, queried with ``ILIKE`` and ranked
by ``word_similarity`` (three or more characters; shorter ones are listed newest first, as on SQLite).

A feature declares one :class:`SearchIndex` next to its model and calls ``index.attach(Model)``; its
migration runs ``index.create_sql(dialect)`` / ``index.drop_sql(dialect)``. Queries go through
``index.apply(stmt, Model, q)`` (filtered and ranked: the archive), ``index.matching(...)`` (filtered,
newest first, streamed: the market orders by title match, then age), ``index.served(...)`` (a
condition the index serves, kept beside the table's own order: the news list) or
``index.match_ids(q)`` (an ``id IN (...)`` filter for counting).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import DDL, column, event, func, literal, literal_column, or_, select, table, text
from sqlalchemy.sql import Select

from .extensions import db

MAX_QUERY = 100
SERVED_MAX = 2000  # SearchIndex.served: from this many matches on, SQLite walks the list's order


def like_pattern(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def normalise_query(q: str | None) -> str:
    return " ".join((q or "").split())[:MAX_QUERY]


def contains(columns, q: str | None):
    """A condition: one of ``columns`` contains ``q`` (normalised), case-insensitively, with ``%`` and
    ``_`` taken literally. None when ``q`` is empty (nothing to filter by).

    Without an index (or for one or two characters) the database scans the rows, or walks an ordered
    index and stops after a page; :meth:`SearchIndex.served` adds the condition an index serves."""
    q = normalise_query(q)
    if not q:
        return None
    pattern = like_pattern(q)
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


@dataclass(frozen=True)
class SearchIndex:
    table: str
    columns: tuple[str, ...]

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"

    @property
    def pg_index(self) -> str:
        return f"ix_{self.table}_search_trgm"

    def _pg_expr_sql(self) -> str:
        return " || ' ' || ".join(f"coalesce({c}, '')" for c in self.columns)

    # --- DDL ---------------------------------------------------------------------------------
    def create_sql(self, dialect: str) -> list[str]:
        cols = ", ".join(self.columns)
        if dialect == "sqlite":
            new_vals = ", ".join(f"new.{c}" for c in self.columns)
            old_vals = ", ".join(f"old.{c}" for c in self.columns)
            t, f = self.table, self.fts
            return [
                f"CREATE VIRTUAL TABLE {f} USING fts5({cols}, content='{t}', content_rowid='id', "
                "tokenize='trigram')",
                f"CREATE TRIGGER {f}_ai AFTER INSERT ON {t} BEGIN "
                f"INSERT INTO {f}(rowid, {cols}) VALUES (new.id, {new_vals}); END",
                f"CREATE TRIGGER {f}_ad AFTER DELETE ON {t} BEGIN "
                f"INSERT INTO {f}({f}, rowid, {cols}) VALUES ('delete', old.id, {old_vals}); END",
                f"CREATE TRIGGER {f}_au AFTER UPDATE OF {cols} ON {t} BEGIN "
                f"INSERT INTO {f}({f}, rowid, {cols}) VALUES ('delete', old.id, {old_vals}); "
                f"INSERT INTO {f}(rowid, {cols}) VALUES (new.id, {new_vals}); END",
                f"INSERT INTO {f}({f}) VALUES ('rebuild')",
            ]
        if dialect == "postgresql":
            return [
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                f"CREATE INDEX {self.pg_index} ON {self.table} USING gin "
                f"(({self._pg_expr_sql()}) gin_trgm_ops)",
            ]
        return []

    def drop_sql(self, dialect: str) -> list[str]:
        if dialect == "sqlite":
            return [f"DROP TRIGGER IF EXISTS {self.fts}_{s}" for s in ("ai", "ad", "au")] + [
                f"DROP TABLE IF EXISTS {self.fts}"
            ]
        if dialect == "postgresql":
            return [f"DROP INDEX IF EXISTS {self.pg_index}"]
        return []

    def attach(self, model) -> None:
        """Create the index with ``db.create_all()`` too (tests build their schema that way)."""
        for dialect in ("sqlite", "postgresql"):
            for statement in self.create_sql(dialect):
                event.listen(model.__table__, "after_create", DDL(statement).execute_if(dialect=dialect))
            for statement in self.drop_sql(dialect):
                event.listen(model.__table__, "before_drop", DDL(statement).execute_if(dialect=dialect))

    # --- Queries -----------------------------------------------------------------------------
    def apply(self, stmt: Select, model, q: str | None, *, dialect: str) -> tuple[Select, object | None]:
        """Filter ``stmt`` to rows whose text contains ``q``. Returns (stmt, rank expression or None).

        Order by the rank (ascending) for relevance; rank is None when ``q`` is empty.
        """
        q = normalise_query(q)
        if not q:
            return stmt, None
        if dialect == "postgresql":
            expr = literal_column(f"({self._pg_expr_sql_qualified(model)})")
            stmt = stmt.where(expr.ilike(like_pattern(q), escape="\\"))
            if len(q) < 3:
                # As on SQLite: a trigram index cannot serve one or two characters, and ranking every
                # row that contains 공구 would sort them all; newest first stops after one page.
                return stmt, None
            return stmt, -func.word_similarity(literal(q), expr)
        if len(q) >= 3:
            fts = table(self.fts, column("rowid"), column("rank"))
            matched = (
                select(fts.c.rowid.label("rowid"), fts.c.rank.label("rank")).where(self._match(q)).subquery()
            )
            stmt = stmt.join(matched, matched.c.rowid == model.id)
            return stmt, matched.c.rank
        pattern = like_pattern(q)
        stmt = stmt.where(or_(*(getattr(model, c).like(pattern, escape="\\") for c in self.columns)))
        return stmt, None

    def matching(self, stmt: Select, model, q: str, *, dialect: str) -> tuple[Select, object]:
        """Filter ``stmt`` to rows whose text contains ``q`` (normalised, not empty), without ranking.

        Returns (stmt, key): ordering by ``key`` descending is newest first, in an order the database
        walks without sorting the matches. On SQLite with three or more characters that key is the
        FTS5 table's rowid: FTS5 reads its matches backwards and the query stops after one page (an
        order on the base table's id would make SQLite scan the table and probe the index per row).
        """
        if dialect == "sqlite" and len(q) >= 3:
            fts = table(self.fts, column("rowid"))
            return stmt.join(fts, fts.c.rowid == model.id).where(self._match(q)), fts.c.rowid
        stmt, _rank = self.apply(stmt, model, q, dialect=dialect)
        return stmt, model.id

    def served(self, model, q: str, *, dialect: str):
        """A condition the index serves that every row containing ``q`` (normalised, not empty) meets,
        or None when the index should not serve ``q``. A superset on PostgreSQL (the columns are
        searched joined by a space): the caller keeps its exact condition alongside, which the
        database then checks on the index's rows only.

        None for one or two characters (a trigram index cannot serve them). On SQLite also None for a
        word found in ``SERVED_MAX`` rows or more: its planner cannot tell a rare word from a common
        one and would read and sort every match, where walking the caller's ordered index finds a
        page of a common word after a few rows. The FTS5 table is asked first, up to that many rows.
        PostgreSQL weighs the same choice with the trigram statistics."""
        if len(q) < 3:
            return None
        if dialect == "postgresql":
            expr = literal_column(f"({self._pg_expr_sql_qualified(model)})")
            return expr.ilike(like_pattern(q), escape="\\")
        matches = self.match_ids(q, dialect=dialect)
        found = db.session.execute(
            select(func.count()).select_from(matches.limit(SERVED_MAX).subquery())
        ).scalar_one()
        return model.id.in_(matches) if found < SERVED_MAX else None

    def match_ids(self, q: str, *, dialect: str) -> Select | None:
        """``SELECT rowid`` of the FTS5 matches of ``q`` on SQLite (three or more characters), for an
        ``id IN (...)`` filter that runs the text query once (counting, grouping); None elsewhere."""
        if dialect != "sqlite" or len(q) < 3:
            return None
        fts = table(self.fts, column("rowid"))
        return select(fts.c.rowid).where(self._match(q))

    def _match(self, q: str):
        phrase = '"' + q.replace('"', '""') + '"'  # one phrase: the substring, not trigram terms
        return text(f"{self.fts} MATCH :fts_q").bindparams(fts_q=phrase)

    def _pg_expr_sql_qualified(self, model) -> str:
        name = model.__table__.name
        return " || ' ' || ".join(f"coalesce({name}.{c}, '')" for c in self.columns)
