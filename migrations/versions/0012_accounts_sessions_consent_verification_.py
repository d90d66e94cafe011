"""accounts: session generation, e-mail verification, consent versions, deletion

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 15:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN (SQLite has both): a batch copy of ``users`` would lose its expression index
# uq_users_email_lower (lower(email)), which batch mode cannot reflect.
COLUMNS = (
    ("session_generation", sa.Integer(), {"server_default": "0", "nullable": False}),
    ("email_verified_at", sa.DateTime(timezone=True), {}),
    ("privacy_consent_version", sa.String(length=20), {}),
    ("privacy_consent_at", sa.DateTime(timezone=True), {}),
    ("terms_consent_version", sa.String(length=20), {}),
    ("terms_consent_at", sa.DateTime(timezone=True), {}),
    ("deleted_at", sa.DateTime(timezone=True), {}),
)


def upgrade():
    for name, type_, options in COLUMNS:
        op.add_column("users", sa.Column(name, type_, **{"nullable": True, **options}))
    # Accounts made before verification existed keep working: they count as verified when they
    # were made. Their consent is unknown (NULL), not invented.
    op.execute("UPDATE users SET email_verified_at = created_at")


def downgrade():
    for name, _type, _options in reversed(COLUMNS):
        op.drop_column("users", name)
