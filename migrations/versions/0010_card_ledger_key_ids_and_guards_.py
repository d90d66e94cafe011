"""card: a ledger key id per transaction (HMAC chain); guard triggers on the ledger

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 15:20:00.000000

Existing transactions keep ``key_id`` NULL: their hashes are the earlier plain SHA-256, which the audit
accepts only before the first keyed transaction. The guards (written out literally, as
sharing/card/models.py's ``guard_sql`` builds them for ``db.create_all``): no TRUNCATE on any ledger
table (PostgreSQL), the chain head only moves forward to the newest transaction and is never deleted,
accounts' identity columns never change.
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

RAW_CREATE = {
    "postgresql": [
        "CREATE OR REPLACE FUNCTION card_ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RAISE EXCEPTION USING MESSAGE = 'TRUNCATE on ' || TG_TABLE_NAME || ' refused: "
        "the card ledger is append-only', ERRCODE = 'restrict_violation'; END $$",
        "CREATE OR REPLACE FUNCTION card_ledger_head_forward() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN IF TG_OP = 'DELETE' OR NEW.id <> OLD.id OR NEW.seq <= OLD.seq OR NOT EXISTS "
        "(SELECT 1 FROM card_transactions WHERE seq = NEW.seq AND hash = NEW.hash) OR EXISTS (SELECT "
        "1 FROM card_transactions WHERE seq > NEW.seq) THEN RAISE EXCEPTION USING MESSAGE = 'the "
        "card ledger head only moves forward to the newest transaction', ERRCODE = "
        "'restrict_violation'; END IF; RETURN NEW; END $$",
        "CREATE OR REPLACE FUNCTION card_accounts_identity() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF (NEW.id, NEW.owner_key, NEW.kind, NEW.user_id, NEW.organization_id) IS DISTINCT "
        "FROM (OLD.id, OLD.owner_key, OLD.kind, OLD.user_id, OLD.organization_id) THEN RAISE "
        "EXCEPTION USING MESSAGE = 'account identity columns (owner_key, kind, user_id, "
        "organization_id) never change', ERRCODE = 'restrict_violation'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER card_ledger_head_forward BEFORE UPDATE OR DELETE ON card_ledger_head FOR "
        "EACH ROW EXECUTE FUNCTION card_ledger_head_forward()",
        "CREATE TRIGGER card_accounts_identity BEFORE UPDATE OF id, owner_key, kind, user_id, "
        "organization_id ON card_accounts FOR EACH ROW EXECUTE FUNCTION card_accounts_identity()",
        "CREATE TRIGGER card_entries_no_truncate BEFORE TRUNCATE ON card_entries FOR EACH STATEMENT "
        "EXECUTE FUNCTION card_ledger_refuse_truncate()",
        "CREATE TRIGGER card_transactions_no_truncate BEFORE TRUNCATE ON card_transactions FOR EACH "
        "STATEMENT EXECUTE FUNCTION card_ledger_refuse_truncate()",
        "CREATE TRIGGER card_payments_no_truncate BEFORE TRUNCATE ON card_payments FOR EACH "
        "STATEMENT EXECUTE FUNCTION card_ledger_refuse_truncate()",
        "CREATE TRIGGER card_refunds_no_truncate BEFORE TRUNCATE ON card_refunds FOR EACH STATEMENT "
        "EXECUTE FUNCTION card_ledger_refuse_truncate()",
        "CREATE TRIGGER card_accounts_no_truncate BEFORE TRUNCATE ON card_accounts FOR EACH "
        "STATEMENT EXECUTE FUNCTION card_ledger_refuse_truncate()",
        "CREATE TRIGGER card_ledger_head_no_truncate BEFORE TRUNCATE ON card_ledger_head FOR EACH "
        "STATEMENT EXECUTE FUNCTION card_ledger_refuse_truncate()",
    ],
    "sqlite": [
        "CREATE TRIGGER card_ledger_head_no_delete BEFORE DELETE ON card_ledger_head BEGIN SELECT "
        "RAISE(ABORT, 'DELETE on card_ledger_head refused: the card ledger head only moves forward to "
        "the newest transaction'); END",
        "CREATE TRIGGER card_ledger_head_forward BEFORE UPDATE ON card_ledger_head WHEN NEW.id <> OLD.id "
        "OR NEW.seq <= OLD.seq OR NOT EXISTS (SELECT 1 FROM card_transactions WHERE seq = NEW.seq AND "
        "hash = NEW.hash) OR EXISTS (SELECT 1 FROM card_transactions WHERE seq > NEW.seq) BEGIN SELECT "
        "RAISE(ABORT, 'UPDATE on card_ledger_head refused: the card ledger head only moves forward to "
        "the newest transaction'); END",
        "CREATE TRIGGER card_accounts_identity BEFORE UPDATE OF id, owner_key, kind, user_id, "
        "organization_id ON card_accounts BEGIN SELECT RAISE(ABORT, 'UPDATE on card_accounts refused: "
        "account identity columns (owner_key, kind, user_id, organization_id) never change'); END",
    ],
}
RAW_DROP = {
    "postgresql": [
        "DROP FUNCTION IF EXISTS card_ledger_refuse_truncate() CASCADE",
        "DROP FUNCTION IF EXISTS card_ledger_head_forward() CASCADE",
        "DROP FUNCTION IF EXISTS card_accounts_identity() CASCADE",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS card_ledger_head_no_delete",
        "DROP TRIGGER IF EXISTS card_ledger_head_forward",
        "DROP TRIGGER IF EXISTS card_accounts_identity",
    ],
}


def upgrade():
    # Not through batch_alter_table: on SQLite it would rebuild card_transactions and lose its triggers.
    op.add_column("card_transactions", sa.Column("key_id", sa.String(length=16), nullable=True))
    for statement in RAW_CREATE.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    seq = op.get_bind().execute(sa.text("SELECT MAX(seq) FROM card_transactions")).scalar()
    if seq:
        print(f"card ledger: set LEDGER_LEGACY_SEQ={seq} (transactions 1..{seq} keep their unkeyed SHA-256)")


def downgrade():
    for statement in RAW_DROP.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.execute("ALTER TABLE card_transactions DROP COLUMN key_id")
