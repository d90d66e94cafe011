"""news: indexes in the public list's order (whole, and per category, dong and organisation), and a
partial index of the posts whose followers are still to be told; the (status, publish_at) index goes
(it led SQLite to sort every published post for each page)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 18:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

ORDER = "(pinned_at IS NULL), pinned_at DESC, publish_at DESC, id DESC"
FILTERS = ("category", "dong", "organization_id")


def upgrade():
    op.drop_index("ix_news_posts_listing", table_name="news_posts")
    op.execute(f"CREATE INDEX ix_news_posts_order ON news_posts ({ORDER})")
    for column in FILTERS:
        op.execute(f"CREATE INDEX ix_news_posts_{column}_order ON news_posts ({column}, {ORDER})")
    op.create_index(
        "ix_news_posts_due",
        "news_posts",
        ["publish_at"],
        unique=False,
        sqlite_where=sa.text("notified_at IS NULL"),
        postgresql_where=sa.text("notified_at IS NULL"),
    )
    _analyze()


def downgrade():
    op.drop_index("ix_news_posts_due", table_name="news_posts")
    for column in FILTERS:
        op.drop_index(f"ix_news_posts_{column}_order", table_name="news_posts")
    op.drop_index("ix_news_posts_order", table_name="news_posts")
    op.create_index("ix_news_posts_listing", "news_posts", ["status", "publish_at"], unique=False)


def _analyze():
    # Fresh statistics for the planner (PostgreSQL's autovacuum would get there later).
    op.execute("ANALYZE news_posts")
