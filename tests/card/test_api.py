"""The card and fund API, as API.md writes it."""

import pytest

from sharing.card import services
from sharing.core.extensions import db

from .conftest import check_invariants, keyed, moving_snapshot, snapshot

PAYMENT_FIELDS = {
    "id",
    "organization_id",
    "amount",
    "discount",
    "paid",
    "from_card",
    "from_mileage",
    "fund_fee",
    "fund_rate_bp",
    "mileage_earned",
    "merchant_net",
    "created_at",
}


@pytest.fixture
def people(make, auth):
    owner = make.user()
    org = make.org(owner, discount_bp=500, mileage_bp=300)
    payer = make.user()
    return {
        "org": org.id,
        "payer": auth.headers(payer),
        "payer_user": payer,
        "owner": auth.headers(owner),
        "other": auth.headers(make.user()),
        "centre": auth.headers(make.centre()),
    }


def _topup(client, headers, amount=100_000, key=None):
    h = keyed(headers, key)
    return client.post("/api/v1/card/topups", json={"amount": amount}, headers=h)


def _pay(client, headers, org, amount=10_001, key=None, **extra):
    h = keyed(headers, key)
    return client.post(
        "/api/v1/card/payments", json={"organization_id": org, "amount": amount, **extra}, headers=h
    )


def test_card_topup_payment_and_history(client, people):
    r = client.get("/api/v1/card", headers=people["payer"])
    assert r.status_code == 200
    assert r.json == {"account_id": None, "balance": 0, "mileage": 0}

    r = _topup(client, people["payer"])
    assert r.status_code == 201
    assert set(r.json) == {"id", "amount", "balance", "status"}
    assert r.json["status"] == "posted"  # testing keeps instant top-ups
    assert (r.json["amount"], r.json["balance"]) == (100_000, 100_000)

    r = _pay(client, people["payer"], people["org"])
    assert r.status_code == 201, r.json
    assert set(r.json) == PAYMENT_FIELDS
    body = r.json
    assert (body["amount"], body["discount"], body["paid"], body["from_card"], body["from_mileage"]) == (
        10_001,
        500,
        9501,
        9501,
        0,
    )
    assert (body["fund_fee"], body["fund_rate_bp"], body["mileage_earned"], body["merchant_net"]) == (
        95,
        100,
        285,
        9121,
    )
    assert body["created_at"].endswith("+09:00")

    card = client.get("/api/v1/card", headers=people["payer"]).json
    assert (card["balance"], card["mileage"]) == (100_000 - 9501, 285)
    assert isinstance(card["account_id"], int)

    r = client.get("/api/v1/card/transactions", headers=people["payer"])
    assert r.status_code == 200
    assert r.json["total"] == 2 and r.json["page"] == 1 and r.json["per_page"] == 20
    first, second = r.json["items"]
    assert (first["kind"], first["card"], first["mileage"]) == ("payment", -9501, 285)
    assert (second["kind"], second["card"]) == ("topup", 100_000)
    r = client.get("/api/v1/card/transactions?per_page=1&page=2&kind=topup", headers=people["payer"])
    assert r.json["total"] == 1 and r.json["items"] == []
    assert client.get("/api/v1/card/transactions?kind=bogus", headers=people["payer"]).status_code == 422
    assert client.get("/api/v1/card/transactions?per_page=101", headers=people["payer"]).status_code == 422
    r = client.get("/api/v1/card/transactions?from=2000-01-01&to=2000-12-31", headers=people["payer"])
    assert r.json["total"] == 0


def test_use_mileage(client, people):
    _topup(client, people["payer"])
    _pay(client, people["payer"], people["org"], 20_000)
    r = _pay(client, people["payer"], people["org"], 1000, use_mileage=True)
    assert r.status_code == 201
    assert (r.json["paid"], r.json["from_mileage"], r.json["from_card"]) == (950, 570, 380)


@pytest.mark.parametrize("amount", [0, -5, 10_000_001, 12.5, 1000.0, "1000", True, None, [1000], {"a": 1}])
def test_refused_amounts_are_422_and_move_nothing(client, people, amount):
    _topup(client, people["payer"])
    before = snapshot()
    r = _pay(client, people["payer"], people["org"], amount)
    assert r.status_code == 422
    assert "amount" in r.json["error"]["fields"]
    r = _topup(client, people["payer"], amount)
    assert r.status_code == 422
    assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        {"amount": 1000},
        {"organization_id": "1", "amount": 1000},
        {"organization_id": 1.0, "amount": 1000},
        {"organization_id": 1, "amount": 1000, "use_mileage": "yes"},
        {"organization_id": 1, "amount": 1000, "use_mileage": 1},
        {"organization_id": 1, "amount": 1000, "tip": 5},
    ],
)
def test_refused_payment_bodies(client, people, body):
    _topup(client, people["payer"])
    before = snapshot()
    r = client.post("/api/v1/card/payments", json=body, headers=keyed(people["payer"]))
    assert r.status_code == 422
    assert snapshot() == before


def test_unknown_or_unverified_organisation_is_404(client, people, make):
    _topup(client, people["payer"])
    pending = make.org(make.user(), verified=False)
    before = moving_snapshot()
    for org_id in (pending.id, 987_654):
        r = _pay(client, people["payer"], org_id, 1000)
        assert r.status_code == 404
        assert r.json["error"]["code"] == "organization_not_found"
    assert moving_snapshot() == before


def test_insufficient_funds(client, people):
    _topup(client, people["payer"], 1000)
    before = snapshot()
    r = _pay(client, people["payer"], people["org"], 5000)
    assert r.status_code == 409
    assert r.json["error"]["code"] == "insufficient_funds"
    assert snapshot() == before


def test_malformed_and_anonymous(client, people):
    assert client.get("/api/v1/card").status_code == 401
    assert client.post("/api/v1/card/topups", json={"amount": 1}).status_code == 401
    assert client.post("/api/v1/card/payments", json={"amount": 1}).status_code == 401
    assert client.get("/api/v1/card/transactions").status_code == 401
    assert client.post("/api/v1/card/payments/1/refunds", json={}).status_code == 401
    assert client.get("/api/v1/fund").status_code == 401
    assert client.get("/api/v1/fund/audit").status_code == 401
    r = client.post(
        "/api/v1/card/topups", data="{nope", content_type="application/json", headers=people["payer"]
    )
    assert r.status_code == 400


def test_idempotent_replay_returns_the_same_answer_and_moves_nothing(client, people):
    first = _topup(client, people["payer"], 50_000, key="top-1")
    assert first.status_code == 201
    pay = _pay(client, people["payer"], people["org"], 1000, key="pay-1")
    assert pay.status_code == 201
    before = snapshot()
    again = _topup(client, people["payer"], 50_000, key="top-1")
    assert (again.status_code, again.json) == (201, first.json)
    replay = _pay(client, people["payer"], people["org"], 1000, key="pay-1")
    assert (replay.status_code, replay.json) == (201, pay.json)
    assert snapshot() == before

    other = _pay(client, people["payer"], people["org"], 1001, key="pay-1")
    assert other.status_code == 409
    assert other.json["error"]["code"] == "idempotency_key_reused"
    other = _topup(client, people["payer"], 1000, key="pay-1")
    assert other.status_code == 409
    assert snapshot() == before

    # Keys are per account holder: another resident may use the same string.
    _topup(client, people["other"], 10_000)
    assert _pay(client, people["other"], people["org"], 1000, key="pay-1").status_code == 201


def test_idempotency_key_length(client, people):
    _topup(client, people["payer"])
    before = snapshot()
    r = _pay(client, people["payer"], people["org"], 1000, key="k" * 101)
    assert r.status_code == 422
    assert "Idempotency-Key" in r.json["error"]["fields"]
    assert _topup(client, people["payer"], 1000, key="k" * 101).status_code == 422
    assert snapshot() == before
    assert _pay(client, people["payer"], people["org"], 1000, key="k" * 100).status_code == 201
    assert _pay(client, people["payer"], people["org"], 1000, key="한글 키 ✓").status_code == 201


def test_refunds(client, people):
    _topup(client, people["payer"])
    pid = _pay(client, people["payer"], people["org"], 10_001).json["id"]
    url = f"/api/v1/card/payments/{pid}/refunds"
    before = snapshot()
    for who in ("payer", "other"):
        assert client.post(url, json={}, headers=keyed(people[who])).status_code == 403
    assert (
        client.post(
            "/api/v1/card/payments/999999/refunds", json={}, headers=keyed(people["owner"])
        ).status_code
        == 404
    )
    assert client.post(url, json={"amount": 0}, headers=keyed(people["owner"])).status_code == 422
    assert client.post(url, json={"amount": "5"}, headers=keyed(people["owner"])).status_code == 422
    r = client.post(url, json={"amount": 10_002}, headers=keyed(people["owner"]))
    assert r.status_code == 409 and r.json["error"]["code"] == "refund_exceeds_payment"
    assert snapshot() == before

    h = dict(people["owner"], **{"Idempotency-Key": "refund-1"})
    part = client.post(url, json={"amount": 4000}, headers=h)
    assert part.status_code == 201
    assert part.json["payment_id"] == pid and part.json["amount"] == 4000
    assert part.json["paid"] == 4000 - 200
    assert client.post(url, json={"amount": 4000}, headers=h).json == part.json
    rest = client.post(url, headers=keyed(people["centre"]))  # no body: the whole remainder
    assert rest.status_code == 201
    assert rest.json["amount"] == 6001
    assert part.json["fund_fee"] + rest.json["fund_fee"] == 95
    r = client.post(url, json={}, headers=keyed(people["owner"]))
    assert r.status_code == 409 and r.json["error"]["code"] == "already_refunded"
    assert client.get("/api/v1/card", headers=people["payer"]).json["balance"] == 100_000
    check_invariants()


def test_fund_and_audit_are_for_the_centre(client, people):
    _topup(client, people["payer"])
    _pay(client, people["payer"], people["org"], 10_001)
    for who in ("payer", "owner"):
        assert client.get("/api/v1/fund", headers=people[who]).status_code == 403
        assert client.get("/api/v1/fund/audit", headers=people[who]).status_code == 403
    r = client.get("/api/v1/fund", headers=people["centre"])
    assert r.status_code == 200
    assert r.json == {"balance": 95, "accrued": 95, "refunded": 0, "payments": 1}
    r = client.get("/api/v1/fund/audit", headers=people["centre"])
    assert r.status_code == 200
    assert r.json == {
        "ok": True,
        "payments_checked": 1,
        "fund_balance": 95,
        "expected_fund_balance": 95,
        "ledger_balanced": True,
        "chain_intact": True,
        "problem_count": 0,
        "truncated": False,
        "problems": [],
        "pending": {"topups": 0, "topup_count": 0, "payouts": 0, "payout_count": 0},
    }


def test_routes_are_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    paths = doc["paths"]
    for path, method in (
        ("/api/v1/card", "get"),
        ("/api/v1/card/topups", "post"),
        ("/api/v1/card/payments", "post"),
        ("/api/v1/card/transactions", "get"),
        ("/api/v1/card/payments/{payment_id}/refunds", "post"),
        ("/api/v1/fund", "get"),
        ("/api/v1/fund/audit", "get"),
        ("/api/v1/card/topups/{topup_id}/confirm", "post"),
        ("/api/v1/organizations/{organization_id}/payouts", "post"),
        ("/api/v1/card/payouts/{payout_id}/approve", "post"),
    ):
        assert method in paths[path], path
    for path in (
        "/api/v1/card/topups",
        "/api/v1/card/payments",
        "/api/v1/card/payments/{payment_id}/refunds",
    ):
        params = paths[path]["post"].get("parameters", [])
        assert [p["required"] for p in params if p.get("name") == "Idempotency-Key"] == [True], path
    refund_doc = paths["/api/v1/card/payments/{payment_id}/refunds"]["post"]["description"]
    assert "balance cap" in refund_doc
    assert "X-Topup-Signature" in paths["/api/v1/card/topups/{topup_id}/confirm"]["post"]["description"]
    for path in ("/api/v1/card/payments", "/api/v1/card/topups"):
        assert "503" in paths[path]["post"]["responses"], path


def test_market_style_metrics(client, people):
    _topup(client, people["payer"])
    _pay(client, people["payer"], people["org"], 10_001)
    db.session.commit()
    assert services.metrics()["card_volume"] == 10_001


def test_money_moving_calls_without_a_key_are_422_and_move_nothing(client, people):
    _topup(client, people["payer"])
    pid = _pay(client, people["payer"], people["org"], 1000).json["id"]
    before = snapshot()
    calls = [
        ("/api/v1/card/topups", {"amount": 1000}, people["payer"]),
        ("/api/v1/card/payments", {"organization_id": people["org"], "amount": 1000}, people["payer"]),
        (f"/api/v1/card/payments/{pid}/refunds", {"amount": 100}, people["owner"]),
    ]
    for url, body, headers in calls:
        r = client.post(url, json=body, headers=headers)
        assert r.status_code == 422, url
        assert r.json["error"]["code"] == "invalid"
        assert "Idempotency-Key" in r.json["error"]["fields"]
    assert snapshot() == before


def test_a_member_cannot_pay_their_own_organisation(client, people, auth, make):
    member_org = make.org(people["payer_user"])
    _topup(client, people["payer"])
    before = snapshot()
    r = _pay(client, people["payer"], member_org.id, 1000)
    assert r.status_code == 403
    assert r.json["error"]["code"] == "own_organization"
    assert "자기 조직" in r.json["error"]["message"]
    assert snapshot() == before
    assert _pay(client, people["payer"], people["org"], 1000).status_code == 201
