"""No two accepted or borrowed loans of one listing overlap, even when accepts race (threads, each
with its own app context and database connection), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from sharing.auth.models import User
from sharing.core.errors import Conflict
from sharing.core.extensions import db
from sharing.market import services
from sharing.market.common import today
from sharing.market.models import Loan


def _race(app, owner_id, loan_ids):
    barrier = threading.Barrier(len(loan_ids))
    results = {}

    def accept(loan_id):
        with app.app_context():
            owner = db.session.get(User, owner_id)
            barrier.wait()
            try:
                services.accept(owner, loan_id)
                results[loan_id] = "accepted"
            except Conflict as err:
                results[loan_id] = err.code
            finally:
                db.session.remove()

    threads = [threading.Thread(target=accept, args=(i,)) for i in loan_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.parametrize("round_", range(3))
def test_racing_accepts_leave_one_loan(app, make, market, round_):
    owner = make.user()
    listing = market.listing(owner)
    loans = [market.request(listing, start=1 + n % 2, days=3) for n in range(4)]  # all overlap
    results = _race(app, owner.id, [loan.id for loan in loans])
    assert sorted(results.values()).count("accepted") == 1, results
    db.session.rollback()  # end the test's read snapshot (SQLite WAL)
    statuses = db.session.execute(select(Loan.status).where(Loan.listing_id == listing.id)).scalars().all()
    assert statuses.count("accepted") == 1
    assert statuses.count("declined") == 3


def test_racing_accepts_of_disjoint_dates_all_succeed(app, make, market):
    owner = make.user()
    listing = market.listing(owner)
    loans = [market.request(listing, start=1 + 3 * n, days=2) for n in range(3)]
    results = _race(app, owner.id, [loan.id for loan in loans])
    assert list(results.values()) == ["accepted"] * 3


def test_postgresql_exclusion_constraint_backs_the_rule(app, make, market, backend):
    if backend != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    listing = market.listing(make.user())
    borrower = make.user()
    start = today() + timedelta(days=1)
    db.session.add(
        Loan(
            listing_id=listing.id,
            borrower_id=borrower.id,
            status="accepted",
            start_date=start,
            end_date=start + timedelta(days=2),
        )
    )
    db.session.commit()
    db.session.add(
        Loan(
            listing_id=listing.id,
            borrower_id=borrower.id,
            status="borrowed",
            start_date=start + timedelta(days=2),
            end_date=start + timedelta(days=4),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    # requested/declined rows may overlap freely
    db.session.add(
        Loan(
            listing_id=listing.id,
            borrower_id=borrower.id,
            status="requested",
            start_date=start,
            end_date=start,
        )
    )
    db.session.commit()
    found = db.session.execute(
        text("SELECT conname FROM pg_constraint WHERE conname = 'ex_loans_no_overlap'")
    ).scalar()
    assert found == "ex_loans_no_overlap"
