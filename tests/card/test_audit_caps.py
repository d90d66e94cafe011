"""The audit checks, from the entries: the monthly top-up cap and the balance cap (top-ups only: a
refund may take a card above it), every account's owner key, and says how many problems it found and
whether the list was cut."""

import csv
import io

from sharing.card import services
from sharing.card.models import CardAccount
from sharing.card.services.audit_ledger import run
from sharing.core.extensions import db


def _checks(report):
    return sorted(p["check"] for p in report.problems)


def test_caps_are_checked_from_the_entries(app, make):
    user = make.user()
    app.config.update(CARD_MONTHLY_TOPUP_CAP=10**9, CARD_BALANCE_CAP=10**9)  # what a bypass would allow
    first = services.topup(user, 400_000)
    second = services.topup(user, 300_000)  # 700,000 this month: over the 500,000 monthly cap
    app.config.update(CARD_MONTHLY_TOPUP_CAP=500_000, CARD_BALANCE_CAP=600_000)
    report = run()
    assert _checks(report) == ["balance_cap", "monthly_topup_cap"]
    by_check = {p["check"]: p for p in report.problems}
    assert by_check["monthly_topup_cap"]["transaction_id"] == second.id != first.id
    assert (by_check["monthly_topup_cap"]["expected"], by_check["monthly_topup_cap"]["stored"]) == (
        500_000,
        700_000,
    )
    assert (by_check["balance_cap"]["expected"], by_check["balance_cap"]["stored"]) == (600_000, 700_000)
    app.config.update(CARD_MONTHLY_TOPUP_CAP=700_000, CARD_BALANCE_CAP=700_000)
    assert run().ok  # exactly at the caps is allowed


def test_a_refund_may_exceed_the_balance_cap(app, make):
    owner, user = make.user(), make.user()
    org = make.org(owner)
    app.config.update(CARD_BALANCE_CAP=100_000)
    services.topup(user, 100_000)
    payment = services.pay(user, org.id, 50_000)
    services.topup(user, 50_000)  # back at the cap
    services.refund(owner, payment.id)  # 150,000 on the card: allowed, not a top-up
    assert services.card_summary(user).balance == 150_000
    report = run()
    assert report.ok, report.problems


def test_owner_keys_must_match_kind_and_owner(app, make, tamper):
    a, b = make.user(), make.user()
    services.topup(a, 1000)
    services.topup(b, 2000)
    assert run().ok
    card_a = services.card_summary(a).account_id
    # Someone with database access swaps the owner columns of a's card to b (triggers lifted).
    tamper(
        "UPDATE card_accounts SET owner_key = 'x', user_id = :b WHERE id = :id",
        b=b.id,
        id=card_a,
    )
    report = run()
    assert "owner_key" in _checks(report)
    problem = next(p for p in report.problems if p["check"] == "owner_key")
    assert problem["account_id"] == card_a and problem["expected"] == f"card:{b.id}"
    db.session.commit()
    keys = dict(db.session.execute(db.select(CardAccount.id, CardAccount.owner_key)).all())
    assert keys[card_a] == "x"


def test_problem_count_and_truncated_in_api_and_csv(app, client, auth, make, tamper):
    user = make.user()
    for amount in (1000, 2000, 3000):
        services.topup(user, amount)
    tamper("UPDATE card_accounts SET balance = balance + 1")  # a balance problem per account
    full = run()
    assert full.problem_count == len(full.problems) >= 3 and not full.truncated
    cut = run(max_problems=2)
    assert cut.problem_count == full.problem_count and len(cut.problems) == 2 and cut.truncated
    auth.login(make.centre())
    body = client.get("/api/v1/fund/audit", headers=auth.headers(make.centre())).json
    assert body["problem_count"] == full.problem_count and body["truncated"] is False
    assert len(body["problems"]) == body["problem_count"]
    rows = list(
        csv.reader(io.StringIO(client.get("/card/fund/audit.csv").get_data(as_text=True).lstrip("\ufeff")))
    )
    summary = dict(zip(rows[0], rows[1], strict=True))
    assert summary["problem_count"] == str(full.problem_count) and summary["truncated"] == "False"


def test_api_and_csv_say_when_the_list_is_cut(app, client, auth, make, tamper):
    user = make.user()
    services.topup(user, 1000)
    tamper("UPDATE card_accounts SET balance = balance + 1")
    count = run().problem_count
    app.config["CARD_AUDIT_MAX_PROBLEMS"] = 1
    centre = make.centre()
    body = client.get("/api/v1/fund/audit", headers=auth.headers(centre)).json
    assert body["problem_count"] == count > 1 and body["truncated"] is True and len(body["problems"]) == 1
    auth.login(centre)
    rows = list(
        csv.reader(io.StringIO(client.get("/card/fund/audit.csv").get_data(as_text=True).lstrip("\ufeff")))
    )
    summary = dict(zip(rows[0], rows[1], strict=True))
    assert summary["problem_count"] == str(count) and summary["truncated"] == "True"
    assert len([r for r in rows[4:] if r]) == 1  # one problem row listed
