"""The ledger key: outside the database, created once with mode 600, required in production, recorded
by id on every transaction, and rotated without losing the old transactions' verification."""

import stat

import pytest
from sqlalchemy import select

from sharing import create_app
from sharing.card import keys, services
from sharing.card.models import CardTransaction
from sharing.card.services.audit_ledger import run
from sharing.core.extensions import db


def test_key_file_is_created_with_mode_600_and_reused(app_factory, tmp_path):
    path = tmp_path / "instance" / "ledger.key"
    first = app_factory(LEDGER_KEY="", LEDGER_KEY_FILE=str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    written = path.read_text()
    second = app_factory(LEDGER_KEY="", LEDGER_KEY_FILE=str(path))
    assert path.read_text() == written  # not overwritten
    ring1, ring2 = first.extensions[keys.EXTENSION], second.extensions[keys.EXTENSION]
    assert ring1.current_id == ring2.current_id == keys.key_id(written.strip().encode())
    assert ring1.keys == ring2.keys
    # a key from the environment wins over the file, and a different key has a different id
    third = app_factory(LEDGER_KEY="z" * 40, LEDGER_KEY_FILE=str(path))
    assert third.extensions[keys.EXTENSION].current_id != ring1.current_id
    # a key file others can read is refused, not used
    path.chmod(0o640)
    with pytest.raises(RuntimeError, match="chmod 600"):
        app_factory(LEDGER_KEY="", LEDGER_KEY_FILE=str(path))


def test_production_refuses_to_start_without_a_key(database_url, tmp_path):
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "production-secret-0123456789",
        "LEDGER_CHECKPOINT_FILE": str(tmp_path / "checkpoints.jsonl"),
    }
    missing = tmp_path / "missing.key"
    with pytest.raises(RuntimeError, match="LEDGER_KEY"):
        create_app("production", LEDGER_KEY="", LEDGER_KEY_FILE=str(missing), **settings)
    assert not missing.exists()  # production never makes up a key
    with pytest.raises(RuntimeError, match="too short"):
        create_app("production", LEDGER_KEY="short", **settings)
    app = create_app("production", LEDGER_KEY="p" * 40, **settings)
    assert app.extensions[keys.EXTENSION].current_id == keys.key_id(b"p" * 40)


def test_key_id_is_recorded_and_rotation_keeps_old_transactions_verifiable(app, make):
    owner, user = make.user(), make.user()
    org = make.org(owner)
    old_id = keys.ring().current_id
    services.topup(user, 50_000)
    services.pay(user, org.id, 1000)
    # Rotate: a new current key, the old one kept for verification.
    old_key = app.config["LEDGER_KEY"]
    app.config.update(LEDGER_KEY="n" * 40, LEDGER_KEYS_OLD=old_key)
    keys.init_app(app)
    new_id = keys.ring().current_id
    assert new_id != old_id
    services.pay(user, org.id, 2000)
    db.session.commit()
    ids = db.session.execute(select(CardTransaction.key_id).order_by(CardTransaction.seq)).scalars().all()
    assert ids == [old_id, old_id, new_id]
    report = run()
    assert report.ok, report.problems
    # Without the old key the first two transactions cannot be verified: named, not passed.
    app.config.update(LEDGER_KEYS_OLD="")
    keys.init_app(app)
    report = run()
    assert not report.chain_intact
    assert [p["check"] for p in report.problems] == ["key_unknown", "key_unknown"]
    # And with a wrong key under the right name, every hash fails.
    app.extensions[keys.EXTENSION] = keys.Keyring(new_id, {new_id: b"n" * 40, old_id: b"w" * 40})
    assert {p["check"] for p in run().problems} == {"hash"}


def test_the_idempotency_key_is_in_the_hash(app, make):
    """A key (or the request it carried) swapped in the database breaks the transaction's hash."""
    user = make.user()
    services.topup(user, 5000, idempotency_key="k-1")
    db.session.commit()
    txn = db.session.execute(select(CardTransaction)).scalar_one()
    from sharing.card import chain

    common = (txn.prev_hash, txn.seq, txn.kind, txn.user_id, txn.organization_id, txn.actor_id)
    args = (*common, txn.amount, txn.memo, chain.timestamp(txn.created_at), "", "")
    ring = keys.ring()

    def h(key, req):
        return chain.digest(
            *args[:-1],
            _entries(txn.id),
            mac=ring.mac(txn.key_id),
            key_id=txn.key_id,
            idempotency_key=key,
            request_hash=req,
        )

    assert h("k-1", txn.request_hash) == txn.hash
    assert h("k-2", txn.request_hash) != txn.hash
    assert h("k-1", "0" * 64) != txn.hash


def _entries(txn_id):
    from sharing.card import chain
    from sharing.card.models import CardEntry

    rows = db.session.execute(
        select(CardEntry.account_id, CardEntry.amount)
        .where(CardEntry.transaction_id == txn_id)
        .order_by(CardEntry.id)
    ).all()
    return chain.entries_text(rows)


def test_unkeyed_transactions_pass_only_up_to_the_legacy_seq(app, make, tamper):
    """A ledger from before the key: accepted up to LEDGER_LEGACY_SEQ (set outside the database), so
    nobody with database access can rewrite the chain as unkeyed transactions."""
    from .test_checkpoints import rechain

    user = make.user()
    for amount in (1000, 2000, 3000):
        services.topup(user, amount)
    tamper("UPDATE card_transactions SET key_id = NULL")
    app.config["LEDGER_LEGACY_SEQ"] = 3
    rechain(tamper)  # the plain SHA-256 chain, as before migration 0010
    assert run().ok
    services.topup(user, 4000)  # new transactions are keyed
    assert run().ok
    app.config["LEDGER_LEGACY_SEQ"] = 2
    report = run()
    assert [(p["check"], p["transaction_id"]) for p in report.problems] == [("unkeyed", _id_at(3))]
    app.config["LEDGER_LEGACY_SEQ"] = 0
    assert [p["check"] for p in run().problems] == ["unkeyed"] * 3


def _id_at(seq):
    return db.session.execute(select(CardTransaction.id).where(CardTransaction.seq == seq)).scalar_one()
