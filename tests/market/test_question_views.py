"""The question pages: asking from a listing, the thread, my threads, read-only threads, the shared
rate limit."""

from __future__ import annotations

import re

from sqlalchemy import select

from sharing.core.extensions import db
from sharing.market import services
from sharing.market.models import ListingQuestion
from tests.helpers import field_error, page_text


def _textarea(page: str, name: str) -> str | None:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    return match.group(1).strip() if match else None


def test_a_resident_asks_from_the_listing_and_sees_the_thread(client, make, auth, market):
    owner = make.user(name="올린이")
    listing = market.listing(owner, title="접이식 사다리")
    auth.login(make.user(name="묻는이"))
    page = page_text(client.get(f"/market/{listing.id}"))
    assert 'id="ask-owner"' in page and f'action="/market/{listing.id}/questions"' in page
    r = client.post(f"/market/{listing.id}/questions", data={"question": "높이가 얼마인가요?"})
    db.session.rollback()  # a fresh snapshot after the request (SQLite WAL)
    question = db.session.execute(select(ListingQuestion)).scalar_one()
    assert r.status_code == 302 and r.headers["Location"].endswith(
        f"/market/questions/{question.id}#messages"
    )
    thread = page_text(client.get(f"/market/questions/{question.id}"))
    assert "접이식 사다리" in thread and "높이가 얼마인가요?" in thread
    assert f'action="/market/questions/{question.id}/messages"' in thread
    # the listing page now links the asker's thread
    assert f"/market/questions/{question.id}" in page_text(client.get(f"/market/{listing.id}"))


def test_an_empty_or_long_question_comes_back_with_the_error_at_the_field(client, make, auth, market):
    listing = market.listing(make.user())
    auth.login(make.user())
    r = client.post(f"/market/{listing.id}/questions", data={"question": "  "})
    assert r.status_code == 200
    assert field_error(r, "question") == "오류: 필수 항목입니다."
    long = "가" * 2001
    r = client.post(f"/market/{listing.id}/questions", data={"question": long})
    assert "2000자 이하" in field_error(r, "question")
    assert _textarea(page_text(r), "question") == long  # kept as typed
    assert "autofocus" in re.search(r'<textarea[^>]*name="question"[^>]*>', page_text(r)).group(0)
    db.session.rollback()
    assert db.session.execute(select(ListingQuestion)).first() is None


def test_the_owner_cannot_ask_their_own_listing(client, make, auth, market):
    owner = make.user()
    listing = market.listing(owner)
    auth.login(owner)
    assert 'id="ask-owner"' not in page_text(client.get(f"/market/{listing.id}"))
    assert client.post(f"/market/{listing.id}/questions", data={"question": "제 물건"}).status_code == 403


def test_the_owner_sees_unread_threads_and_replies(client, make, auth, market):
    owner, asker = make.user(), make.user(name="묻는이")
    listing = market.listing(owner, title="캠핑 의자")
    question = services.ask_question(asker, listing.id, "두 개 있나요?")
    auth.login(owner)
    listing_page = page_text(client.get("/market/questions"))
    assert "캠핑 의자" in listing_page and "새 메시지" in listing_page and "묻는이" in listing_page
    client.get(f"/market/questions/{question.id}")
    assert "새 메시지" not in page_text(client.get("/market/questions"))  # read now
    r = client.post(f"/market/questions/{question.id}/messages", data={"body": "네, 두 개 있어요."})
    assert r.status_code == 302
    r = client.post(f"/market/questions/{question.id}/messages", data={"body": ""})
    assert r.status_code == 200 and field_error(r, "body") == "오류: 필수 항목입니다."
    auth.logout()
    auth.login(asker)
    mine = page_text(client.get("/market/questions"))
    assert "새 메시지" in mine
    assert "네, 두 개 있어요." in page_text(client.get(f"/market/questions/{question.id}"))


def test_my_questions_page_is_empty_then_pages(client, make, auth, market):
    asker = make.user()
    auth.login(asker)
    assert "아직 문의가 없습니다" in page_text(client.get("/market/questions"))
    owner = make.user()
    for n in range(21):
        services.ask_question(asker, market.listing(owner, title=f"물건 {n}").id, "있나요?")
    first = page_text(client.get("/market/questions"))
    second = page_text(client.get("/market/questions?page=2"))
    assert "21건" in first and first.count('class="card question-row') == 20
    assert second.count('class="card question-row') == 1 and "물건 0<" in second  # oldest last


def test_a_stranger_cannot_read_a_thread(client, make, auth, market):
    question = services.ask_question(make.user(), market.listing(make.user()).id, "질문")
    auth.login(make.user())
    assert client.get(f"/market/questions/{question.id}").status_code == 403
    assert client.get("/market/questions/99999").status_code == 404


def test_a_hidden_listing_leaves_a_read_only_thread(client, make, auth, market):
    owner, asker = make.user(), make.user()
    listing = market.listing(owner)
    question = services.ask_question(asker, listing.id, "질문")
    services.set_listing_hidden(make.centre(), listing.id, True)
    auth.login(asker)
    page = page_text(client.get(f"/market/questions/{question.id}"))
    assert "질문" in page and "읽기만 할 수 있습니다" in page and 'name="body"' not in page
    r = client.post(f"/market/questions/{question.id}/messages", data={"body": "더"}, follow_redirects=True)
    assert "더 쓸 수 없습니다" in page_text(r)


def test_the_request_page_links_the_earlier_question(client, make, auth, market):
    owner, asker = make.user(), make.user()
    listing = market.listing(owner)
    question = services.ask_question(asker, listing.id, "빌려도 될까요?")
    loan = market.request(listing, asker)
    auth.login(owner)
    assert f"/market/questions/{question.id}" in page_text(client.get(f"/market/requests/{loan.id}"))


def test_questions_and_request_messages_share_one_rate_limit(app_factory, make, market):
    limited = app_factory(RATELIMIT_ENABLED=True, MESSAGE_RATE_LIMIT="2 per minute")
    owner, asker = make.user(), make.user()
    listing = market.listing(owner)
    loan = market.request(listing, asker)
    client = limited.test_client()
    client.post("/auth/login", data={"email": asker.email, "password": make.PASSWORD})
    statuses = [
        client.post(f"/market/requests/{loan.id}/messages", data={"body": "하나"}).status_code,
        client.post(f"/market/{listing.id}/questions", data={"question": "둘"}).status_code,
        client.post(f"/market/{listing.id}/questions", data={"question": "셋"}).status_code,
    ]
    assert statuses == [302, 302, 429]
