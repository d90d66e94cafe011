"""Top-ups backed by money: pending until the cash desk or a signed provider callback confirms them,
void after the expiry, counted toward the caps, reported apart by the audit. Both modes."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import update

from sharing.card import services
from sharing.card.pending_models import PendingTopup
from sharing.core.db import utcnow
from sharing.core.errors import Conflict, Forbidden
from sharing.core.extensions import db

from .conftest import check_invariants, fresh, keyed, snapshot

SECRET = "provider-secret-for-tests"


@pytest.fixture
def confirmed(app):
    app.config.update(TOPUP_MODE="confirmed", TOPUP_PROVIDER_SECRET=SECRET)
    return app


def _signed(body: dict, *, secret: str = SECRET, at: int | None = None) -> tuple[bytes, dict]:
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()) if at is None else at)
    mac = hmac.new(secret.encode(), stamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    return raw, {"X-Topup-Timestamp": stamp, "X-Topup-Signature": f"sha256={mac}"}


def _expire(topup_id: int) -> None:
    db.session.execute(
        update(PendingTopup)
        .where(PendingTopup.id == topup_id)
        .values(expires_at=utcnow() - timedelta(seconds=1))  # as if TOPUP_PENDING_HOURS had passed
    )
    db.session.commit()


def test_instant_mode_posts_at_once(app, make):
    assert app.config["TOPUP_MODE"] == "instant"  # the testing configuration
    user = make.user()
    result = services.topup(user, 5000)
    assert (result.status, result.balance) == ("posted", 5000)


def test_a_pending_topup_moves_nothing_until_the_cash_desk_confirms(confirmed, make):
    user, centre = make.user(), make.centre()
    before = snapshot()
    pending = services.topup(user, 30_000, idempotency_key="t-1")
    assert (pending.status, pending.balance) == ("pending", 0)
    assert snapshot() == before  # not in the ledger: not spendable
    assert services.card_summary(user).balance == 0
    assert services.pending_topups(user.id) == 30_000
    again = services.topup(user, 30_000, idempotency_key="t-1")
    assert (again.id, again.status) == (pending.id, "pending")
    with pytest.raises(Conflict) as err:
        services.topup(user, 1, idempotency_key="t-1")
    assert err.value.code == "idempotency_key_reused"
    report = services.audit()
    assert report.pending == {"topups": 30_000, "topup_count": 1, "payouts": 0, "payout_count": 0}
    with pytest.raises(Forbidden):
        services.confirm_topup(user, pending.id, "R-1")  # not the centre
    row = services.confirm_topup(centre, pending.id, "  창구 영수증 0042 ")
    assert (row.status, row.reference, row.source) == ("posted", "창구 영수증 0042", "cash_desk")
    assert services.card_summary(user).balance == 30_000
    assert services.pending_topups(user.id) == 0
    with pytest.raises(Conflict) as err:
        services.confirm_topup(centre, pending.id, "R-2")
    assert err.value.code == "topup_already_posted"
    assert services.topup(user, 30_000, idempotency_key="t-1").status == "posted"  # the replay says so
    assert services.audit().pending["topups"] == 0
    check_invariants()


def test_pending_topups_count_toward_both_caps(confirmed, make):
    confirmed.config.update(CARD_MONTHLY_TOPUP_CAP=50_000, CARD_BALANCE_CAP=40_000)
    user = make.user()
    services.topup(user, 30_000)
    with pytest.raises(Conflict) as err:
        services.topup(user, 15_000)  # 30,000 pending + 15,000 > the balance cap of 40,000
    assert err.value.code == "balance_cap_exceeded"
    confirmed.config["CARD_BALANCE_CAP"] = 1_000_000
    with pytest.raises(Conflict) as err:
        services.topup(user, 25_000)  # 30,000 pending + 25,000 > the monthly cap of 50,000
    assert err.value.code == "monthly_topup_cap_exceeded"
    assert services.topup(user, 20_000).status == "pending"


def test_void_after_expiry_lazily_and_by_the_cron_command(confirmed, make, runner):
    user, centre = make.user(), make.centre()
    first = services.topup(user, 10_000)
    second = services.topup(user, 20_000)
    _expire(first.id)
    assert services.pending_topups(user.id) == 20_000  # read as void already
    with pytest.raises(Conflict) as err:
        services.confirm_topup(centre, first.id, "R-1")
    assert err.value.code == "topup_voided"
    _expire(second.id)
    result = runner.invoke(args=["card", "void-pending"])
    assert result.exit_code == 0 and "voided 2" in result.output
    fresh()
    assert {r.status for r in db.session.query(PendingTopup)} == {"voided"}
    assert services.audit().pending["topup_count"] == 0
    assert services.card_summary(user).balance == 0


def test_api_topup_answers_pending_and_the_centre_confirms(confirmed, client, auth, make):
    user, centre = make.user(), make.centre()
    r = client.post("/api/v1/card/topups", json={"amount": 12_000}, headers=keyed(auth.headers(user)))
    assert r.status_code == 201
    assert (r.json["status"], r.json["balance"], r.json["amount"]) == ("pending", 0, 12_000)
    url = f"/api/v1/card/topups/{r.json['id']}/confirm"
    assert client.post(url, json={"reference": "R-1"}).status_code == 401
    assert client.post(url, json={"reference": "R-1"}, headers=auth.headers(user)).status_code == 403
    r2 = client.post(url, json={"reference": ""}, headers=auth.headers(centre))
    assert r2.status_code == 422 and "reference" in r2.json["error"]["fields"]
    ok = client.post(url, json={"reference": "R-1"}, headers=auth.headers(centre))
    assert ok.status_code == 200 and ok.json["status"] == "posted"
    assert client.get("/api/v1/card", headers=auth.headers(user)).json["balance"] == 12_000
    again = client.post(url, json={"reference": "R-1"}, headers=auth.headers(centre))
    assert again.status_code == 409 and again.json["error"]["code"] == "topup_already_posted"
    missing = client.post(
        "/api/v1/card/topups/987654/confirm", json={"reference": "R"}, headers=auth.headers(centre)
    )
    assert missing.status_code == 404


def test_provider_callback_is_signed_within_the_window(confirmed, client, auth, make):
    user = make.user()
    pending = services.topup(user, 8000)
    url = f"/api/v1/card/topups/{pending.id}/confirm"
    body = {"reference": "toss-pay-123"}
    before = snapshot()
    for raw, headers in (
        _signed(body, secret="wrong-secret"),
        _signed(body, at=int(time.time()) - 301),  # past the replay window
        _signed(body, at=int(time.time()) + 301),
        (json.dumps({"reference": "other"}).encode(), _signed(body)[1]),  # the body was changed
        (_signed(body)[0], {**_signed(body)[1], "X-Topup-Timestamp": "soon"}),
        (_signed(body)[0], {**_signed(body)[1], "X-Topup-Timestamp": "\u00b2"}),  # a digit, not ASCII
    ):
        r = client.post(url, data=raw, content_type="application/json", headers=headers)
        assert r.status_code == 401, headers
        assert r.json["error"]["code"] in ("invalid_signature", "signature_expired")
    assert snapshot() == before
    raw, headers = _signed(body)
    ok = client.post(url, data=raw, content_type="application/json", headers=headers)
    assert ok.status_code == 200 and ok.json["status"] == "posted"
    fresh()
    row = db.session.get(PendingTopup, pending.id)
    assert (row.source, row.reference, row.confirmed_by) == ("provider", "toss-pay-123", None)
    replay = client.post(url, data=raw, content_type="application/json", headers=headers)
    assert replay.status_code == 409  # a replayed callback moves nothing
    assert services.card_summary(user).balance == 8000
    check_invariants()


def test_without_a_provider_secret_no_signature_is_accepted(confirmed, client, make):
    confirmed.config["TOPUP_PROVIDER_SECRET"] = ""
    pending = services.topup(make.user(), 8000)
    raw, headers = _signed({"reference": "x"}, secret="")
    r = client.post(
        f"/api/v1/card/topups/{pending.id}/confirm",
        data=raw,
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 401


def test_web_topup_pending_and_the_desk_confirms(confirmed, client, auth, make):
    user, centre = make.user(name="창구주민"), make.centre()
    auth.login(user)
    r = client.post("/card/topup", data={"amount": 7000, "idempotency_key": "d" * 32}, follow_redirects=True)
    assert "충전 요청" in r.get_data(as_text=True)
    assert "입금 확인을 기다리는 충전" in client.get("/card").get_data(as_text=True)
    fresh()
    row = db.session.query(PendingTopup).one()
    auth.login(centre)
    desk = client.get("/card/desk").get_data(as_text=True)
    assert "창구주민" in desk and "7,000" in desk and "data-confirm" in desk
    r = client.post(f"/card/desk/topups/{row.id}/confirm", data={"reference": "영수증-7"})
    assert r.status_code == 302
    fresh()
    assert services.card_summary(user).balance == 7000
    assert "확인을 기다리는 충전이 없습니다" in client.get("/card/desk").get_data(as_text=True)


def test_production_keeps_topups_pending_by_default(database_url, tmp_path):
    from sharing import create_app
    from tests.factories import Factory

    app = create_app(
        "production",
        SECRET_KEY="s" * 32,
        SQLALCHEMY_DATABASE_URI=database_url,
        UPLOAD_DIR=str(tmp_path / "uploads"),
        TOPUP_PROVIDER_SECRET="",
        LEDGER_KEY="production-test-ledger-key-0123456789abcdef",  # production needs one
    )
    with app.app_context():
        try:
            user = Factory(app).user()
            result = services.topup(user, 5000)
            assert (result.status, result.balance) == ("pending", 0)
            assert services.card_summary(user).balance == 0
            assert db.session.get(PendingTopup, result.id).status == "pending"
        finally:
            db.session.remove()
            db.engine.dispose()
