"""Payouts that leave with a reference: a member requests, the centre approves with the transfer's
reference, and only then does money leave (API)."""

from __future__ import annotations

import threading

from sharing.auth.models import User
from sharing.card import services
from sharing.core.errors import Conflict
from sharing.core.extensions import db
from sharing.orgs import services as orgs

from .conftest import check_invariants, fresh, keyed, snapshot


def _setup(make):
    owner, payer, centre = make.user(), make.user(), make.centre()
    org = make.org(owner)
    services.topup(payer, 50_000)
    payment = services.pay(payer, org.id, 20_000)
    return org, owner, payer, centre, payment


def test_request_then_approve_with_a_reference(client, auth, make):
    org, owner, payer, centre, payment = _setup(make)
    url = f"/api/v1/organizations/{org.id}/payouts"
    h_owner, h_centre = auth.headers(owner), auth.headers(centre)
    assert client.post(url, json={"amount": 1000}, headers=h_owner).status_code == 422  # no key
    assert client.post(url, json={"amount": 1000}, headers=keyed(auth.headers(payer))).status_code == 403
    assert client.post(url, json={"amount": 1000}, headers=keyed(h_centre)).status_code == 403
    before = snapshot()
    r = client.post(url, json={"amount": 5000}, headers=keyed(h_owner, "po-1"))
    assert r.status_code == 201
    assert (r.json["status"], r.json["amount"], r.json["reference"]) == ("requested", 5000, None)
    assert client.post(url, json={"amount": 5000}, headers=keyed(h_owner, "po-1")).json == r.json
    assert client.post(url, json={"amount": 6000}, headers=keyed(h_owner, "po-1")).status_code == 409
    assert snapshot() == before  # a request moves nothing
    over = client.post(url, json={"amount": payment.merchant_net}, headers=keyed(h_owner))
    assert over.status_code == 409  # 5,000 of it is already requested
    approve = f"/api/v1/card/payouts/{r.json['id']}/approve"
    assert client.post(approve, json={"reference": "TR-1"}, headers=h_owner).status_code == 403
    assert client.post(approve, json={}, headers=h_centre).status_code == 422
    ok = client.post(approve, json={"reference": "신한 TR-2026-1"}, headers=h_centre)
    assert ok.status_code == 200
    assert (ok.json["status"], ok.json["reference"]) == ("posted", "신한 TR-2026-1")
    fresh()
    assert services.merchant_balance(org.id) == payment.merchant_net - 5000
    again = client.post(approve, json={"reference": "TR-2"}, headers=h_centre)
    assert again.status_code == 409 and again.json["error"]["code"] == "payout_already_posted"
    assert services.audit().pending["payouts"] == 0
    check_invariants()


def test_approval_rechecks_the_balance_after_a_refund(client, auth, make):
    org, owner, _payer, centre, payment = _setup(make)
    r = client.post(f"/api/v1/organizations/{org.id}/payouts", json={}, headers=keyed(auth.headers(owner)))
    assert r.status_code == 201 and r.json["amount"] == payment.merchant_net
    assert services.audit().pending == {
        "topups": 0,
        "topup_count": 0,
        "payouts": payment.merchant_net,
        "payout_count": 1,
    }
    services.refund(owner, payment.id, 1000)
    before = snapshot()
    approve = f"/api/v1/card/payouts/{r.json['id']}/approve"
    refused = client.post(approve, json={"reference": "TR-9"}, headers=auth.headers(centre))
    assert refused.status_code == 409 and refused.json["error"]["code"] == "insufficient_funds"
    assert snapshot() == before
    check_invariants()


def test_racing_payout_requests_never_reserve_more_than_the_balance(app, make):
    org, owner, _payer, _centre, payment = _setup(make)
    members = [owner] + [make.user() for _ in range(3)]
    for m in members[1:]:
        orgs.invite(owner, org.id, m.email)
    ids = [m.id for m in members]
    part = payment.merchant_net // 3 + 1  # three parts do not fit, two do
    results: list = []

    def request(user_id: int) -> None:
        with app.app_context():
            try:
                row = services.request_payout(db.session.get(User, user_id), org.id, part)
                results.append(row.amount)
            except Conflict as err:
                results.append(err.code)
            db.session.remove()

    threads = [threading.Thread(target=request, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results, key=str) == sorted(
        [part, part, "insufficient_funds", "insufficient_funds"], key=str
    )
    fresh()
    assert services.audit().pending["payouts"] == 2 * part <= payment.merchant_net
