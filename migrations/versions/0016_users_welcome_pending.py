"""users: welcome_pending, the home page's first-visit hint for residents who registered through
the web form (existing accounts start without it)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 08:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN (SQLite has both), as in 0012: a batch copy of ``users`` would lose its
# expression index uq_users_email_lower (lower(email)), which batch mode cannot reflect.


def upgrade():
    op.add_column(
        "users", sa.Column("welcome_pending", sa.Boolean(), server_default=sa.false(), nullable=False)
    )


def downgrade():
    op.drop_column("users", "welcome_pending")
