"""market: questions to a listing's owner before any request (listing_questions, one thread per
listing and asker); their messages are loan_messages rows with question_id instead of loan_id

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 08:26:06.669668

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "listing_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("asker_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asker_read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner_read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["asker_id"], ["users.id"], name=op.f("fk_listing_questions_asker_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_listing_questions_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_questions")),
        sa.UniqueConstraint("listing_id", "asker_id", name=op.f("uq_listing_questions_listing_id")),
    )
    with op.batch_alter_table("listing_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_listing_questions_asker_id"), ["asker_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_questions_listing_id"), ["listing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_listing_questions_updated_at"), ["updated_at"], unique=False)

    # SQLite: the batch copies loan_messages into a new table (the column becomes nullable).
    with op.batch_alter_table("loan_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("question_id", sa.Integer(), nullable=True))
        batch_op.alter_column("loan_id", existing_type=sa.INTEGER(), nullable=True)
        batch_op.create_index(batch_op.f("ix_loan_messages_question_id"), ["question_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_loan_messages_question_id_listing_questions"),
            "listing_questions",
            ["question_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_loan_messages_one_thread"), "(loan_id IS NULL) <> (question_id IS NULL)"
        )


def downgrade():
    # A message with no request cannot stay once loan_id is required again.
    op.execute("DELETE FROM loan_messages WHERE question_id IS NOT NULL")
    with op.batch_alter_table("loan_messages", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_loan_messages_one_thread"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_loan_messages_question_id_listing_questions"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_loan_messages_question_id"))
        batch_op.alter_column("loan_id", existing_type=sa.INTEGER(), nullable=False)
        batch_op.drop_column("question_id")

    with op.batch_alter_table("listing_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_listing_questions_updated_at"))
        batch_op.drop_index(batch_op.f("ix_listing_questions_listing_id"))
        batch_op.drop_index(batch_op.f("ix_listing_questions_asker_id"))

    op.drop_table("listing_questions")
