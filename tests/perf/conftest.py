"""Pages at two sizes of demo data, and the statements each request runs (for counts and plans)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from bench.scale import PAGES
from sharing.core.cache import clear_all
from sharing.core.extensions import db

BIG_TABLES = ("news_posts", "listings", "resources", "resource_tags", "resource_revisions")


@pytest.fixture
def seed(runner):
    """``flask seed demo --scale n`` (idempotent: a larger n adds the difference)."""

    def run(n: int):
        result = runner.invoke(args=["seed", "demo", "--scale", str(n)])
        assert result.exit_code == 0, result.output
        clear_all()

    return run


@pytest.fixture
def statements(app, client):
    """``run(path)``: GET ``path`` (twice: the second, warm, request is the one recorded) and return
    its ``[(sql, parameters)]``."""

    def run(path: str):
        assert client.get(path).status_code == 200
        seen = []

        def record(_conn, _cursor, statement, parameters, _context, _many):
            seen.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            response = client.get(path)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        assert response.status_code == 200, path
        return seen

    return run


def page_ids():
    return [path for _name, path, _kind in PAGES]
