"""market: the agreed daily price on each rental request; outbox: retry time of a failed mail;
indexes on the stored-file keys of listing photos and news covers (who uses a file)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 15:22:49.347928

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

# Rentals already requested recorded their total (price_per_day × days, both ends counted) at request
# time: the agreed daily price is that total over the days. Written out per dialect (date arithmetic).
DAYS = {
    "postgresql": "((end_date - start_date) + 1)",
    "sqlite": "(CAST(julianday(end_date) - julianday(start_date) AS INTEGER) + 1)",
}

INDEXED_KEYS = (
    ("listing_photos", "key"),
    ("listing_photos", "thumb_key"),
    ("news_posts", "cover_key"),
    ("news_posts", "cover_thumb_key"),
)


def upgrade():
    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("price_per_day", sa.Integer(), nullable=True))

    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))

    # Stored files are shared by content hash: which rows use a key is asked on every /media request
    # and before a file is deleted.
    for table, column in INDEXED_KEYS:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)

    days = DAYS[op.get_bind().dialect.name]
    op.execute(f"UPDATE loans SET price_per_day = amount / {days} WHERE amount IS NOT NULL")


def downgrade():
    for table, column in INDEXED_KEYS:
        op.drop_index(f"ix_{table}_{column}", table_name=table)

    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        batch_op.drop_column("next_attempt_at")

    with op.batch_alter_table("loans", schema=None) as batch_op:
        batch_op.drop_column("price_per_day")
