"""A payment's unit of work outside an outer ``transaction()``: it commits or rolls back alone, returns
its connection, releases the write lock, and leaves the session seeing what it wrote. Its idempotency
key lives on the transaction's row, unique per actor and append-only."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from sharing.card import services
from sharing.card.models import CardTransaction
from sharing.core import idempotency
from sharing.core.db import transaction
from sharing.core.errors import Conflict, NotFound
from sharing.core.extensions import db

from .conftest import check_invariants, snapshot


def test_the_session_sees_the_payment_after_holding_a_read_snapshot(shop, resident):
    org, _owner = shop
    db.session.commit()
    assert services.card_summary(resident).balance == 100_000  # opens the session's read snapshot
    assert db.session().in_transaction()
    services.pay(resident, org.id, 1000)
    assert not db.session().in_transaction()  # the snapshot was ended before the payment
    assert services.card_summary(resident).balance == 100_000 - 950
    check_invariants()


def test_unsaved_session_changes_are_refused_and_nothing_moves(shop, resident):
    org, _owner = shop
    before = snapshot()
    org_id = org.id  # loaded before the change (a load would autoflush it)
    resident.name = "바뀐 이름"
    with pytest.raises(RuntimeError, match="unsaved changes"):
        services.pay(resident, org_id, 1000)
    db.session.rollback()
    assert snapshot() == before


@pytest.mark.parametrize("problem", ["insufficient_funds", "organization_not_found", "success"])
def test_every_ending_returns_the_connection_and_releases_the_lock(make, shop, resident, problem):
    org, _owner = shop
    db.session.commit()
    pool = db.engine.pool
    checked_out = pool.checkedout()
    before = snapshot()
    if problem == "insufficient_funds":
        with pytest.raises(Conflict):
            services.pay(resident, org.id, 10_000_000)
    elif problem == "organization_not_found":
        with pytest.raises(NotFound):
            services.pay(resident, org.id + 1000, 1000)
    else:
        services.pay(resident, org.id, 1000)
    db.session.commit()
    assert pool.checkedout() == checked_out
    if problem != "success":
        assert snapshot() == before
    # the write lock is free: another writer gets it at once
    with transaction():
        db.session.execute(text("UPDATE users SET name = name WHERE id = :id"), {"id": resident.id})
    services.topup(make.user(), 1000)
    check_invariants()


def test_the_key_and_hash_are_stored_on_the_transaction(shop, resident):
    org, _owner = shop
    p = services.pay(resident, org.id, 1000, idempotency_key="row-1")
    db.session.commit()
    row = db.session.execute(
        select(CardTransaction.actor_id, CardTransaction.idempotency_key, CardTransaction.request_hash).where(
            CardTransaction.id == p.id
        )
    ).one()
    expected = idempotency.call_hash("pay", organization_id=org.id, amount=1000, use_mileage=False)
    assert tuple(row) == (resident.id, "row-1", expected)
    plain = services.pay(resident, org.id, 1000)
    db.session.commit()
    assert db.session.execute(
        select(CardTransaction.idempotency_key, CardTransaction.request_hash).where(
            CardTransaction.id == plain.id
        )
    ).one() == (None, None)


def test_keys_are_unique_per_actor_and_append_only_in_the_database(make, shop, resident):
    org, _owner = shop
    p = services.pay(resident, org.id, 1000, idempotency_key="same")
    other = make.user()
    services.topup(other, 5000, idempotency_key="same")  # another actor may use the same key
    db.session.commit()
    row = db.session.get(CardTransaction, p.id)
    duplicate = (
        "INSERT INTO card_transactions (seq, kind, user_id, actor_id, amount, memo, created_at, prev_hash, "
        "hash, idempotency_key, request_hash) VALUES (:seq, 'topup', :u, :u, 1, '', :at, :h, :h, 'same', :h)"
    )
    params = {"seq": 10_000, "u": resident.id, "at": row.created_at, "h": row.hash}
    with pytest.raises(RuntimeError, match="accepted"), transaction():
        db.session.execute(text(duplicate.replace("'same'", "'fresh'")), params)
        raise RuntimeError("accepted with another key; rolled back")
    with pytest.raises(DBAPIError), transaction():
        db.session.execute(text(duplicate), params)
    with pytest.raises(DBAPIError), transaction():
        db.session.execute(
            text("UPDATE card_transactions SET idempotency_key = 'changed' WHERE id = :id"), {"id": p.id}
        )
    with pytest.raises(DBAPIError), transaction():
        db.session.execute(
            text("UPDATE card_transactions SET request_hash = NULL WHERE id = :id"), {"id": p.id}
        )
    check_invariants()
