"""organisations: a street address and opening hours, shown in the card shop list

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 08:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("opening_hours", sa.String(length=200), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("opening_hours")
        batch_op.drop_column("address")
