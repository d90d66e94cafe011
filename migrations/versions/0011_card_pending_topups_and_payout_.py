"""card: pending top-ups (confirmed by the cash desk or a payment provider) and payout requests
(approved by the centre with the transfer's reference), the second phase outside the ledger

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 15:31:09.705890

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    op.create_table(
        "card_pending_topups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("confirmed_by", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("transaction_id", BigId, nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "status <> 'posted' OR transaction_id IS NOT NULL",
            name=op.f("ck_card_pending_topups_posted_transaction"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'posted', 'voided')", name=op.f("ck_card_pending_topups_status")
        ),
        sa.CheckConstraint("amount BETWEEN 1 AND 10000000", name=op.f("ck_card_pending_topups_amount_range")),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["users.id"], name=op.f("fk_card_pending_topups_confirmed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["card_transactions.id"],
            name=op.f("fk_card_pending_topups_transaction_id_card_transactions"),
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_card_pending_topups_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_pending_topups")),
    )
    op.create_index(
        "ix_card_pending_topups_status_expires_at", "card_pending_topups", ["status", "expires_at"]
    )
    op.create_index(op.f("ix_card_pending_topups_user_id"), "card_pending_topups", ["user_id"])
    op.create_index(
        "uq_card_pending_topups_user_id_idempotency_key",
        "card_pending_topups",
        ["user_id", "idempotency_key"],
        unique=True,
        sqlite_where=sa.text("idempotency_key IS NOT NULL"),
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )

    op.create_table(
        "card_payout_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("transaction_id", BigId, nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("request_hash", sa.String(length=64), nullable=True),
        sa.CheckConstraint(
            "status <> 'posted' OR transaction_id IS NOT NULL",
            name=op.f("ck_card_payout_requests_posted_transaction"),
        ),
        sa.CheckConstraint("status IN ('requested', 'posted')", name=op.f("ck_card_payout_requests_status")),
        sa.CheckConstraint("amount >= 1", name=op.f("ck_card_payout_requests_amount_positive")),
        sa.ForeignKeyConstraint(
            ["approved_by"], ["users.id"], name=op.f("fk_card_payout_requests_approved_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_card_payout_requests_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_card_payout_requests_requested_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["card_transactions.id"],
            name=op.f("fk_card_payout_requests_transaction_id_card_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_payout_requests")),
    )
    op.create_index(
        op.f("ix_card_payout_requests_organization_id"), "card_payout_requests", ["organization_id"]
    )
    op.create_index(
        "uq_card_payout_requests_requested_by_idempotency_key",
        "card_payout_requests",
        ["requested_by", "idempotency_key"],
        unique=True,
        sqlite_where=sa.text("idempotency_key IS NOT NULL"),
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )


def downgrade():
    op.drop_index("uq_card_payout_requests_requested_by_idempotency_key", table_name="card_payout_requests")
    op.drop_index(op.f("ix_card_payout_requests_organization_id"), table_name="card_payout_requests")
    op.drop_table("card_payout_requests")
    op.drop_index("uq_card_pending_topups_user_id_idempotency_key", table_name="card_pending_topups")
    op.drop_index(op.f("ix_card_pending_topups_user_id"), table_name="card_pending_topups")
    op.drop_index("ix_card_pending_topups_status_expires_at", table_name="card_pending_topups")
    op.drop_table("card_pending_topups")
