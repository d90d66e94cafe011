"""The world the API fuzzer (and the hostile-input tests) run in: objects with ids 1 and 2 everywhere."""

from __future__ import annotations

import contextvars
from datetime import timedelta

from flask import Flask
from sqlalchemy import text

from sharing.core.extensions import db
from sharing.market.common import today
from tests.factories import Factory

CENTRE_EMAIL = "factory-centre@example.kr"  # the centre account Factory.org verifies with (user 3)


def _call(app: Flask, method: str, path: str, token: str | None = None, *, key: str | None = None, **kw):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if key:
        headers["Idempotency-Key"] = key
    client = app.test_client()
    response = contextvars.Context().run(client.open, path, method=method, headers=headers, **kw)
    assert response.status_code < 300, (method, path, response.status_code, response.get_json())
    return response.get_json(silent=True)


def _reset_sequences() -> None:
    """PostgreSQL keeps counting ids after the previous test's rows were deleted: start again at 1, so
    the seeded objects get the small ids a fuzzer tries first (SQLite copies a fresh file per test)."""
    if db.engine.dialect.name != "postgresql":
        return
    rows = db.session.execute(
        text(
            "SELECT pg_get_serial_sequence(quote_ident(table_name), column_name) FROM "
            "information_schema.columns WHERE table_schema = 'public' AND column_default LIKE 'nextval%'"
        )
    ).scalars()
    for sequence in [r for r in rows if r]:
        db.session.execute(text(f"ALTER SEQUENCE {sequence} RESTART WITH 1"))
    db.session.commit()


def seed(app: Flask) -> str:
    """Objects with ids 1 and 2 everywhere; returns the bearer token of the fuzzing resident."""
    with app.app_context():
        _reset_sequences()
        make = Factory(app)
        resident = make.user(email="fuzz@example.kr", name="퍼즈 주민")
        neighbour = make.user(email="neighbour@example.kr", name="이웃")
        make.org(resident, discount_bp=500, mileage_bp=200)  # organisation 1, verified
        make.org(neighbour, verified=False)  # organisation 2, not verified
        me, other = make.token(resident), make.token(neighbour)
        db.session.remove()
    start = today() + timedelta(days=3)
    listing = {"description": "충전식입니다.", "category": "tools", "dong": "정릉3동"}
    # Listing 1 belongs to the neighbour (the resident may ask for it); listing 2 to the resident.
    _call(app, "POST", "/api/v1/listings", other, json={**listing, "title": "전동드릴", "kind": "share"})
    _call(app, "POST", "/api/v1/listings", me, json={**listing, "title": "사다리", "kind": "share"})
    dates = {"start_date": start.isoformat(), "end_date": (start + timedelta(days=1)).isoformat()}
    _call(app, "POST", "/api/v1/listings/1/requests", me, json={**dates, "message": "빌려주세요"})
    _call(app, "POST", "/api/v1/listings/2/requests", other, json={**dates, "message": "저도요"})
    _call(app, "POST", "/api/v1/requests/1/messages", me, json={"body": "안녕하세요"})
    _call(
        app,
        "POST",
        "/api/v1/posts",
        me,
        json={
            "title": "개울장 소식",
            "body": "**이번 주** 토요일",
            "category": "notice",
            "organization_id": 1,
        },
    )
    _call(
        app,
        "POST",
        "/api/v1/resources",
        me,
        json={
            "kind": "equipment",
            "name": "마을 공유 부엌",
            "description": "동네 사람 누구나 쓰는 부엌",
            "category": "food",
            "dong": "정릉3동",
        },
    )
    # The neighbour pays organisation 1 (transaction 2, the payment the resident's organisation may
    # refund: a member cannot pay their own organisation), then the resident tops up.
    _call(app, "POST", "/api/v1/card/topups", other, json={"amount": 50_000}, key="seed-1")
    _call(
        app,
        "POST",
        "/api/v1/card/payments",
        other,
        json={"organization_id": 1, "amount": 12_000},
        key="seed-2",
    )
    _call(app, "POST", "/api/v1/card/topups", me, json={"amount": 100_000}, key="seed-3")
    return me
