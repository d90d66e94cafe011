"""news: a text index of the posts' title and body (FTS5 trigram on SQLite, pg_trgm GIN on
PostgreSQL), so that a search of three or more characters reads the posts that contain it instead of
every post. Autogenerate finds no table change (it lists only the FTS5 tables' shadow tables, which
are not the models'); the statements are written out as ``news.models.POST_SEARCH`` gave them.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 14:15:23.380315

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

CREATE = {
    "sqlite": [
        "CREATE VIRTUAL TABLE news_posts_fts USING fts5(title, body, content='news_posts', content_rowid='id', "
        "tokenize='trigram')",
        "CREATE TRIGGER news_posts_fts_ai AFTER INSERT ON news_posts BEGIN INSERT INTO news_posts_fts(rowid, "
        "title, body) VALUES (new.id, new.title, new.body); END",
        "CREATE TRIGGER news_posts_fts_ad AFTER DELETE ON news_posts BEGIN INSERT INTO news_posts_fts("
        "news_posts_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
        "CREATE TRIGGER news_posts_fts_au AFTER UPDATE OF title, body ON news_posts BEGIN INSERT INTO "
        "news_posts_fts(news_posts_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); "
        "INSERT INTO news_posts_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
        "INSERT INTO news_posts_fts(news_posts_fts) VALUES ('rebuild')",
    ],
    "postgresql": [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE INDEX ix_news_posts_search_trgm ON news_posts USING gin "
        "((coalesce(title, '') || ' ' || coalesce(body, '')) gin_trgm_ops)",
    ],
}
DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS news_posts_fts_ai",
        "DROP TRIGGER IF EXISTS news_posts_fts_ad",
        "DROP TRIGGER IF EXISTS news_posts_fts_au",
        "DROP TABLE IF EXISTS news_posts_fts",
    ],
    "postgresql": ["DROP INDEX IF EXISTS ix_news_posts_search_trgm"],
}


def upgrade():
    for statement in CREATE.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade():
    for statement in DROP.get(op.get_bind().dialect.name, []):
        op.execute(statement)
