"""archive: an index for the public list in its order (newest first)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 15:15:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.create_index('ix_resources_public_list', ['archived_at', 'hidden_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.drop_index('ix_resources_public_list')
