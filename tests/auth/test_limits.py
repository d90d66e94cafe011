"""Limits that hold: sign-in per account and per address across the web and the API, registration,
messages per sender, one open report per reporter and object, and production's shared counters."""

from __future__ import annotations

import itertools
import os
import runpy
import types
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from config import ProductionConfig, check_rate_limit_storage
from sharing import create_app
from sharing.market import services as market
from sharing.market.common import today
from tests.factories import Factory

ROOT = Path(__file__).resolve().parents[2]

_addresses = (f"10.1.{n // 250}.{n % 250 + 1}" for n in itertools.count())


def _from(address: str | None = None) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address or next(_addresses)}}


@pytest.fixture
def limited(app, app_factory):
    """An app with the limits on. Made after ``app``: the limiter is one instance, and the last
    app it was bound to decides whether it counts."""
    return app_factory(
        RATELIMIT_ENABLED=True,
        AUTH_RATE_LIMIT="3 per minute",
        REGISTER_RATE_LIMIT="2 per hour",
        MESSAGE_RATE_LIMIT="3 per minute",
        RATELIMIT_KEY_PREFIX=f"t-{uuid.uuid4().hex}",
    )


def _web_login(client, email, password="wrong-password-1", **kw):
    return client.post("/auth/login", data={"email": email, "password": password}, **kw).status_code


def _api_login(client, email, password="wrong-password-1", **kw):
    return client.post("/api/v1/tokens", json={"email": email, "password": password}, **kw).status_code


def test_one_limit_per_account_across_web_and_api_and_addresses(limited, make):
    user = make.user()
    client = limited.test_client()
    tries = [
        _api_login(client, user.email, **_from()),
        _web_login(client, user.email.upper(), **_from()),
        _api_login(client, user.email, **_from()),
    ]
    assert tries == [401, 401, 401]
    # the account is now limited, from any address and either door, even with the right password
    assert _web_login(client, user.email, Factory.PASSWORD, **_from()) == 429
    assert _api_login(client, user.email, Factory.PASSWORD, **_from()) == 429
    other = make.user()
    assert _api_login(client, other.email, Factory.PASSWORD, **_from()) == 201


def test_one_limit_per_address_across_web_and_api_and_accounts(limited, make):
    client = limited.test_client()
    here = _from("10.9.9.9")
    tries = [
        _web_login(client, "a@example.kr", **here),
        _api_login(client, "b@example.kr", **here),
        _web_login(client, "c@example.kr", **here),
    ]
    assert tries == [401, 401, 401]
    user = make.user()
    assert _api_login(client, user.email, Factory.PASSWORD, **here) == 429
    assert _web_login(client, user.email, Factory.PASSWORD, **here) == 429
    assert _api_login(client, user.email, Factory.PASSWORD, **_from()) == 201


def test_registration_is_limited_per_address_across_web_and_api(limited):
    client = limited.test_client()
    here = _from("10.8.8.8")

    def body(n):
        return {
            "email": f"new{n}@example.kr",
            "password": "gireum-dong-jajeongeo-42",
            "name": "새 주민",
            "dong": "종암동",
            "privacy_consent": True,
            "terms_consent": True,
        }

    assert client.post("/api/v1/users", json=body(1), **here).status_code == 201
    form = {**body(2), "password2": body(2)["password"], "privacy_consent": "y", "terms_consent": "y"}
    assert client.post("/auth/register", data=form, **here).status_code == 302
    r = client.post("/api/v1/users", json=body(3), **here)
    assert r.status_code == 429 and r.json["error"]["code"] == "too_many_requests"
    assert client.post("/auth/register", data={**form, "email": "new4@example.kr"}, **here).status_code == 429
    assert client.get("/auth/register", **here).status_code == 200  # only sign-ups count
    assert client.post("/api/v1/users", json=body(5), **_from()).status_code == 201


def _loan(make):
    owner, borrower = make.user(), make.user()
    data = market.ListingInput(
        title="전동드릴", kind="share", category="tools", dong="정릉3동", description=""
    )
    listing = market.create(owner, data)
    start = today() + timedelta(days=1)
    return owner, borrower, market.request(borrower, listing.id, start, start)


def test_messages_are_limited_per_sender(limited, make):
    owner, borrower, loan = _loan(make)
    headers = {"Authorization": f"Bearer {make.token(borrower)}"}
    client = limited.test_client()
    url = f"/api/v1/requests/{loan.id}/messages"
    statuses = [
        client.post(url, json={"body": f"안녕하세요 {n}"}, headers=headers).status_code for n in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    web = limited.test_client()
    web.post("/auth/login", data={"email": borrower.email, "password": Factory.PASSWORD})
    assert web.post(f"/market/requests/{loan.id}/messages", data={"body": "웹에서도"}).status_code == 429
    # the other side of the thread has its own count
    owner_headers = {"Authorization": f"Bearer {make.token(owner)}"}
    assert client.post(url, json={"body": "네, 답장합니다"}, headers=owner_headers).status_code == 201


# --- one open report per reporter and object -----------------------------------------------------


def test_the_same_report_twice_is_refused_everywhere(client, make, auth):
    from sharing.archive import services as archive
    from sharing.news.services import posts

    owner, borrower, loan = _loan(make)
    message = market.post_message(owner, loan.id, "메시지")
    member = make.user()
    org = make.org(member)
    post = posts.create(
        member, {"title": "소식", "body": "본문", "category": "notice", "organization_id": org.id}
    )
    resource = archive.create(
        member,
        {
            "kind": "equipment",
            "name": "마을 공구",
            "description": "설명",
            "category": "repair",
            "dong": "종암동",
        },
    )
    headers = auth.headers(borrower)
    body = {"reason": "spam", "comment": "광고입니다"}
    resource_report = {"target_type": "resource", "target_id": resource.id, **body}
    for url, sent in (
        (f"/api/v1/listings/{loan.listing_id}/reports", body),
        (f"/api/v1/messages/{message.id}/reports", body),
        (f"/api/v1/posts/{post.id}/reports", body),
        ("/api/v1/reports", resource_report),
    ):
        assert client.post(url, json=sent, headers=headers).status_code == 201, url
        again = [client.post(url, json=sent, headers=headers) for _ in range(3)]
        assert [r.status_code for r in again] == [409] * 3, url
        assert again[0].json["error"]["code"] == "already_reported"
        assert "이미 신고한" in again[0].json["error"]["message"]
    # the web forms answer the same: the archive's form and the market's
    auth.login(borrower)
    r = client.post(f"/archive/{resource.id}/report", data=body, follow_redirects=True)
    assert "이미 신고한" in r.get_data(as_text=True)
    # another resident may report the same thing
    r = client.post(f"/api/v1/posts/{post.id}/reports", json=body, headers=auth.headers(owner))
    assert r.status_code == 201


# --- production and shared counters ---------------------------------------------------------------


def test_production_refuses_in_memory_limits_with_several_workers(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret-0123456789")
    monkeypatch.setenv("WEB_CONCURRENCY", "2")

    def start(**over):
        return create_app(
            ProductionConfig,
            SQLALCHEMY_DATABASE_URI=database_url,
            UPLOAD_DIR=str(tmp_path),
            LEDGER_KEY="production-test-ledger-key-0123456789abcdef",  # production needs one
            **over,
        )

    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        start(RATELIMIT_STORAGE_URI="memory://")
    assert start(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15", RATELIMIT_ENABLED=False)
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    assert start(RATELIMIT_STORAGE_URI="memory://")


def test_the_gunicorn_hook_exports_the_workers_and_refuses_memory_in_production(monkeypatch):
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    server = types.SimpleNamespace(cfg=types.SimpleNamespace(workers=3))
    monkeypatch.setenv("WEB_CONCURRENCY", "1")  # the hook sets it: monkeypatch puts it back afterwards
    monkeypatch.setenv("SHARING_ENV", "development")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    hooks["on_starting"](server)
    assert os.environ["WEB_CONCURRENCY"] == "3"
    monkeypatch.setenv("SHARING_ENV", "production")
    with pytest.raises(RuntimeError, match="3 workers"):
        hooks["on_starting"](server)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    hooks["on_starting"](server)


def test_check_rate_limit_storage():
    check_rate_limit_storage("memory://", 1)
    check_rate_limit_storage("redis://127.0.0.1:6379/0", 4)
    with pytest.raises(RuntimeError):
        check_rate_limit_storage(None, 2)
