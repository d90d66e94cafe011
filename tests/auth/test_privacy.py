"""The resident's data as JSON, and deleting an account (개인정보 보호법)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sharing.auth import privacy
from sharing.auth import services as auth_services
from sharing.auth.models import ApiToken, User
from sharing.card import services as card
from sharing.card.models import CardEntry, CardTransaction
from sharing.core.extensions import db
from sharing.market import services as market
from sharing.market.common import today
from sharing.market.models import Listing, Loan
from sharing.news.models import Post
from sharing.notify.models import Notification
from sharing.notify.services import notify
from tests.factories import Factory


def _listing(owner, title="전동드릴 빌려드려요"):
    data = market.ListingInput(
        title=title, kind="share", category="tools", dong="정릉3동", description="설명"
    )
    return market.create(owner, data)


def _request(listing, borrower):
    start = today() + timedelta(days=1)
    return market.request(borrower, listing.id, start, start)


def _fresh(model, id_):
    db.session.rollback()
    return db.session.get(model, id_)


def _count(stmt) -> int:
    db.session.rollback()
    return db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()


# --- download ------------------------------------------------------------------------------------


def test_export_over_the_api_holds_the_residents_data(client, make, auth):
    user = make.user(name="김민지")
    neighbour = make.user()
    listing = _listing(user, "내 자전거")
    _listing(neighbour, "남의 물건")
    card.topup(user, 5000, idempotency_key="t1")
    headers = auth.headers(user)
    r = client.get("/api/v1/me/export", headers=headers)
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.headers["Cache-Control"] == "no-store"
    data = r.json
    assert data["profile"]["email"] == user.email and data["profile"]["name"] == "김민지"
    assert data["profile"]["privacy_consent_version"] == auth_services.PRIVACY_VERSION
    assert [row["title"] for row in data["listings"]] == ["내 자전거"]
    assert data["listings"][0]["id"] == listing.id
    assert data["card"]["balance"] == 5000
    assert [t["amount"] for t in data["card"]["transactions"]] == [5000]
    assert all("token_hash" not in t for t in data["api_tokens"]) and len(data["api_tokens"]) == 1
    assert "password_hash" not in str(data)
    assert client.get("/api/v1/me/export").status_code == 401


def test_export_from_the_profile_page(client, make, auth):
    user = make.user()
    auth.login(user)
    page = client.get("/auth/profile").get_data(as_text=True)
    assert 'href="/auth/export.json"' in page and 'href="/auth/delete"' in page
    r = client.get("/auth/export.json")
    assert r.status_code == 200 and r.json["profile"]["id"] == user.id


# --- deletion ------------------------------------------------------------------------------------


def test_deleting_an_account_anonymises_it_and_keeps_the_ledger(client, make, auth):
    user = make.user(name="김민지")
    email = user.email
    org = make.org()
    card.topup(user, 3000, idempotency_key="t1")
    card.pay(user, org.id, 3000, idempotency_key="p1")  # the balance is spent: nothing left to settle
    listing = _listing(user)
    waiting = _request(_listing(make.user()), user)
    asked = _request(listing, make.user())
    notify(user, "test", "알림")
    db.session.commit()
    headers = auth.headers(user)
    entries_before = _count(select(CardEntry.id))

    r = client.post("/api/v1/me/delete", json={"password": Factory.PASSWORD}, headers=headers)
    assert r.status_code == 204, r.json
    gone = _fresh(User, user.id)
    assert gone is not None and gone.deleted_at is not None
    assert gone.email != email and "김민지" not in gone.name
    assert auth_services.find_by_email(email) is None
    assert _count(select(CardEntry.id)) == entries_before  # financial records stay
    assert _count(select(CardTransaction.id).where(CardTransaction.user_id == user.id)) == 2
    assert _fresh(Listing, listing.id).status == "deleted"
    assert _fresh(Loan, waiting.id).status == "cancelled"
    assert _fresh(Loan, asked.id).status == "declined"
    assert _count(select(Notification.id).where(Notification.user_id == user.id)) == 0
    assert _count(select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))) == 0
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    r = client.post("/api/v1/tokens", json={"email": email, "password": Factory.PASSWORD})
    assert r.status_code == 401
    r = client.post("/api/v1/tokens", json={"email": gone.email, "password": Factory.PASSWORD})
    assert r.status_code == 401


def test_a_card_balance_must_be_settled_first(client, make, auth):
    user = make.user()
    card.topup(user, 12000, idempotency_key="t1")
    r = client.post("/api/v1/me/delete", json={"password": Factory.PASSWORD}, headers=auth.headers(user))
    assert r.status_code == 409 and r.json["error"]["code"] == "account_not_settled"
    assert "12,000원" in r.json["error"]["message"]
    assert _fresh(User, user.id).deleted_at is None


@pytest.mark.parametrize("side", ["owner", "borrower"])
def test_an_open_loan_must_be_settled_first(client, make, auth, side):
    owner, borrower = make.user(), make.user()
    loan = _request(_listing(owner), borrower)
    market.accept(owner, loan.id)
    who = owner if side == "owner" else borrower
    r = client.post("/api/v1/me/delete", json={"password": Factory.PASSWORD}, headers=auth.headers(who))
    assert r.status_code == 409 and "대여" in r.json["error"]["message"]
    assert _fresh(User, who.id).deleted_at is None


def test_deletion_needs_the_password(client, make, auth):
    user = make.user()
    r = client.post("/api/v1/me/delete", json={"password": "not-my-password"}, headers=auth.headers(user))
    assert r.status_code == 422 and "password" in r.json["error"]["fields"]
    assert _fresh(User, user.id).deleted_at is None


def test_deletion_from_the_web_page_asks_to_confirm(client, make, auth):
    user = make.user()
    post_author = make.user()
    org = make.org(post_author)
    from sharing.news.services import posts

    post = posts.create(
        post_author, {"title": "소식", "body": "본문", "category": "notice", "organization_id": org.id}
    )
    auth.login(post_author)
    page = client.get("/auth/delete").get_data(as_text=True)
    assert "data-confirm" in page and 'name="password"' in page
    r = client.post("/auth/delete", data={"password": "wrong"})
    assert r.status_code == 422
    r = client.post("/auth/delete", data={"password": Factory.PASSWORD})
    assert r.status_code == 302
    assert client.get("/auth/profile").status_code == 302  # signed out
    assert _fresh(Post, post.id).hidden_at is not None
    assert _fresh(User, post_author.id).deleted_at is not None
    assert _fresh(User, user.id).deleted_at is None


def test_the_page_explains_what_to_settle(client, make, auth):
    user = make.user()
    card.topup(user, 700, idempotency_key="t1")
    auth.login(user)
    page = client.get("/auth/delete").get_data(as_text=True)
    assert "700원" in page
    r = client.post("/auth/delete", data={"password": Factory.PASSWORD})
    assert r.status_code == 409 and _fresh(User, user.id).deleted_at is None


def test_centre_accounts_are_not_deleted_by_themselves(make):
    centre = make.centre()
    with pytest.raises(auth_services.Conflict):
        privacy.delete_account(centre, Factory.PASSWORD)


def test_export_and_deletion_handle_questions_before_a_request(client, make, auth):
    """The download holds the questions a resident asked and every message they wrote in a question's
    thread (apart from a request's); deleting the account keeps the messages for the other side,
    under the anonymised name, and the threads of its deleted listings become read-only."""
    from sharing.core.errors import Conflict

    user, neighbour = make.user(name="김민지"), make.user()
    theirs = _listing(neighbour, "이웃 사다리")
    mine = _listing(user, "내 자전거")
    asked = market.ask_question(user, theirs.id, "사다리 높이는요?")
    market.reply_question(neighbour, asked.id, "2미터예요")
    received = market.ask_question(neighbour, mine.id, "자전거 크기는요?")
    market.reply_question(user, received.id, "24인치예요")
    loan = _request(theirs, user)
    market.post_message(user, loan.id, "언제 만날까요?")
    db.session.commit()
    headers = auth.headers(user)

    data = client.get("/api/v1/me/export", headers=headers).json
    assert [q["listing_id"] for q in data["listing_questions"]] == [theirs.id]
    assert [m["body"] for m in data["question_messages"]] == ["사다리 높이는요?", "24인치예요"]
    assert [m["body"] for m in data["loan_messages"]] == ["언제 만날까요?"]
    assert all(m["loan_id"] is None for m in data["question_messages"])

    market.cancel(user, loan.id)
    r = client.post("/api/v1/me/delete", json={"password": Factory.PASSWORD}, headers=headers)
    assert r.status_code == 204, r.json
    db.session.rollback()
    _q, thread = market.read_question(neighbour, asked.id)
    assert [(m.body, m.author.name) for m in thread] == [
        ("사다리 높이는요?", privacy.DELETED_NAME),
        ("2미터예요", neighbour.name),
    ]
    _q, thread = market.read_question(neighbour, received.id)
    assert [m.body for m in thread] == ["자전거 크기는요?", "24인치예요"]
    with pytest.raises(Conflict):
        market.reply_question(neighbour, received.id, "아직 있나요?")  # the listing was deleted
