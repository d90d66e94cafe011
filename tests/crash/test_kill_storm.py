"""SIGKILL gunicorn in the middle of a storm of card payments and market actions (issue: crash safety).

gunicorn (2 workers) serves the suite's database (a SQLite file, or the PostgreSQL test database);
client threads fire top-ups and payments, each with its own Idempotency-Key, and market requests,
accepts and card-paid hand-overs. Once enough calls were answered, the master and every worker are
killed with SIGKILL while calls are in flight; the server restarts on the same data and the storm
and the kill happen once more. After the last restart:

- ``flask --app wsgi card audit`` and ``GET /api/v1/fund/audit`` are clean;
- every payment and top-up answered 201 is in the ledger with all its entries and its key;
- no transaction lacks its entries or its payment row, the chain has no gap, and every stored key
  was sent by a client (a call that got no answer is either whole or not there at all);
- replaying every answered key returns the same answer and moves nothing; retrying the unanswered
  ones completes each exactly once.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.crash.storm import (
    KEYS_SQL,
    PAYMENT_FIGURES,
    Attempt,
    Storm,
    call,
    check_answered_payments,
    check_answered_topups,
    check_keys_account_for_everything,
    check_ledger_complete,
    check_loans,
    flask_cli,
    replay,
    retry_unanswered,
    seed,
)

pytestmark = pytest.mark.slow


KILLS = 2  # storm, SIGKILL, restart ... twice: recovery from a crash must itself survive a crash


def test_sigkill_mid_storm_loses_nothing_answered_and_leaves_nothing_half_done(
    app, make, database_url, server
):
    world = seed(app, make)
    attempts, loans, handed = [], [], []
    for round_ in range(KILLS):
        storm = Storm(server.start(), world, seed=20170101 + round_, first_slot=round_ * 100)
        storm.start()
        storm.wait_for(payments=40, handovers=3)
        server.kill()  # master and workers at once, calls in flight
        storm.join()
        assert storm.errors == []
        assert {a.status for a in storm.attempts} <= {201, 409, None}  # 409: a card ran short; no 5xx
        attempts += storm.attempts
        loans += storm.loans
        handed += storm.handed_over()
        print(
            f"kill {round_ + 1}: after {len(storm.answered('payments'))} payments, "
            f"{len(storm.answered('topups'))} top-ups and {len(storm.handed_over())} hand-overs answered; "
            f"{sum(a.status is None for a in storm.attempts)} calls without an answer"
        )
    unanswered = [a for a in attempts if a.status is None]
    answered = [a for a in attempts if a.status == 201]

    base = server.start()  # the same database, after the crashes
    audit = flask_cli(server.env, "card", "audit")
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "OK" in audit.stdout
    status, report = call(base, "GET", "/api/v1/fund/audit", world.centre)
    assert status == 200 and report["ok"] and report["chain_intact"] and report["ledger_balanced"], report

    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            total = check_ledger_complete(conn)
            check_answered_payments(conn, attempts)
            check_answered_topups(conn, attempts)
            seeded = {(user_id, "seed-topup") for user_id, _token in world.borrowers}
            handovers = {(r.borrower_id, f"loan-{r.loan_id}-handover") for r in loans}
            check_keys_account_for_everything(conn, attempts, seeded | handovers)
            check_loans(conn, loans)
            stored = set(conn.execute(text(KEYS_SQL)).tuples())
        landed = sum((a.user_id, a.key) in stored for a in unanswered)
        print(f"{landed} of {len(unanswered)} unanswered calls had committed (whole) before the kill")
        assert total >= len(answered) + len(handed)
        assert replay(base, attempts, handed, world.owner, engine) == len(answered) + len(handed)
        assert retry_unanswered(base, attempts, engine) == len(unanswered)
        with engine.connect() as conn:
            check_ledger_complete(conn)
            check_answered_payments(conn, attempts)
    finally:
        engine.dispose()
    audit = flask_cli(server.env, "card", "audit")
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_the_checks_catch_a_half_written_payment(app, make, database_url, runner):
    """The crash checks can fail: a payment transaction without its entries and its payment row (what
    a torn write would leave), and a payment answered 201 that is not in the ledger."""
    from sharing.card import services as card
    from sharing.card.cli import audit

    payer = make.user()
    shop = make.org()
    card.topup(payer, 10_000)
    paid = card.pay(payer, shop.id, 3_000, idempotency_key="k-1")
    engine = create_engine(database_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            assert check_ledger_complete(conn) == 2
            answered = Attempt(payer.id, "", "/api/v1/card/payments", {}, "k-1", 201, {"id": paid.id})
            answered.answer.update({n: getattr(paid, n) for n in PAYMENT_FIGURES})
            check_answered_payments(conn, [answered])
            lost = Attempt(payer.id, "", "/api/v1/card/payments", {}, "k-2", 201, {"id": paid.id + 100})
            with pytest.raises(AssertionError, match="not in the ledger"):
                check_answered_payments(conn, [lost])
        with engine.begin() as conn:  # a torn payment: the transaction row alone
            conn.execute(
                text(
                    "INSERT INTO card_transactions (seq, kind, user_id, organization_id, actor_id, amount, "
                    "memo, created_at, prev_hash, hash) VALUES (3, 'payment', :u, :o, :u, 500, '', "
                    ":now, :h, :h)"
                ),
                {"u": payer.id, "o": shop.id, "now": paid.created_at, "h": "0" * 64},
            )
        with engine.connect() as conn, pytest.raises(AssertionError, match="balancing entries"):
            check_ledger_complete(conn)
    finally:
        engine.dispose()
    result = runner.invoke(audit, [])
    assert result.exit_code == 1, result.output
