"""Payments racing on one card: exactly the payments the balance covers succeed, nothing is spent twice,
nothing deadlocks, on SQLite (BEGIN IMMEDIATE) and PostgreSQL (row locks in id order)."""

import multiprocessing
import threading

import pytest

from sharing.auth.models import User
from sharing.card import services
from sharing.card.models import CardAccount
from sharing.core.errors import Conflict
from sharing.core.extensions import db

from .conftest import check_invariants

pytestmark = pytest.mark.slow

PRICE = 1000  # no discount, no mileage: paid 1,000, fee 10
COVERED = 12  # the balance covers exactly this many payments


@pytest.fixture
def race(make):
    owner = make.user()
    org = make.org(owner)
    payer = make.user()
    services.topup(payer, PRICE * COVERED)
    fund_before = services.fund_summary().balance
    return payer.id, org.id, fund_before


def _pay_many(app, user_id, org_id, attempts, results, key_prefix=None):
    with app.app_context():
        user = db.session.get(User, user_id)
        for n in range(attempts):
            key = f"{key_prefix}-{n}" if key_prefix else None
            try:
                results.append(services.pay(user, org_id, PRICE, idempotency_key=key).id)
            except Conflict as err:
                results.append(err.code)
        db.session.remove()


def _assert_exactly_covered(results, payer_id, org_id, fund_before):
    paid = [r for r in results if isinstance(r, int)]
    assert len(paid) == COVERED, results
    assert len(set(paid)) == COVERED
    assert set(results) - set(paid) <= {"insufficient_funds"}
    db.session.commit()  # end any read snapshot (SQLite WAL, PostgreSQL) and expire everything
    user = db.session.get(User, payer_id)
    assert services.card_summary(user).balance == 0
    assert services.fund_summary().balance == fund_before + COVERED * 10
    assert services.merchant_balance(org_id) == COVERED * (PRICE - 10)
    check_invariants()


def test_eight_threads_spend_each_won_once(app, race):
    payer_id, org_id, fund_before = race
    results: list = []
    threads = [threading.Thread(target=_pay_many, args=(app, payer_id, org_id, 3, results)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert len(results) == 24
    _assert_exactly_covered(results, payer_id, org_id, fund_before)


def test_the_same_key_from_eight_threads_pays_once(app, race):
    payer_id, org_id, _fund = race
    results: list = []
    threads = [
        threading.Thread(target=_pay_many, args=(app, payer_id, org_id, 1, results, "same")) for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == 8 and len(set(results)) == 1
    db.session.commit()  # end any read snapshot (SQLite WAL, PostgreSQL) and expire everything
    assert services.card_summary(db.session.get(User, payer_id)).balance == PRICE * (COVERED - 1)
    check_invariants()


def test_new_accounts_are_created_once_under_a_race(app, make):
    user = make.user()
    uid = user.id
    errors: list = []

    def top():
        with app.app_context():
            try:
                services.topup(db.session.get(User, uid), 1000)
            except Exception as err:  # pragma: no cover - the assertion below shows it
                errors.append(repr(err))
            db.session.remove()

    threads = [threading.Thread(target=top) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    db.session.commit()  # end any read snapshot (SQLite WAL, PostgreSQL) and expire everything
    assert db.session.query(CardAccount).filter_by(user_id=uid, kind="card").count() == 1
    assert services.card_summary(db.session.get(User, uid)).balance == 8000
    check_invariants()


def _process_worker(url, user_id, org_id, attempts, queue):
    from sharing import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    results: list = []
    _pay_many(app, user_id, org_id, attempts, results)
    with app.app_context():
        db.engine.dispose()
    queue.put(results)


def test_several_processes_spend_each_won_once(app, race, database_url):
    payer_id, org_id, fund_before = race
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_process_worker, args=(database_url, payer_id, org_id, 5, queue)) for _ in range(4)
    ]
    for p in procs:
        p.start()
    results: list = []
    for _ in procs:
        results.extend(queue.get(timeout=180))
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert len(results) == 20
    _assert_exactly_covered(results, payer_id, org_id, fund_before)
