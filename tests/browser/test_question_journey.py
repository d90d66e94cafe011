"""Asking before requesting, on a 390 px phone: a resident asks the owner from the listing page (an
empty question is answered at the field), the owner finds it unread under 문의 and replies, and the
asker sees the reply in the thread, with nothing cut off."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.conftest import PHONE, scroll_width, text_of
from tests.browser.helpers import flashes, submit

pytestmark = pytest.mark.browser


def _listing_of(live_server, who: str, title: str) -> int:
    from sharing.auth.services import find_by_email
    from sharing.core.extensions import db
    from sharing.market import services

    with live_server.app_context():
        owner = find_by_email(live_server.accounts[who][0])
        listing = services.create(
            owner,
            services.ListingInput(title=title, kind="share", category="tools", dong="정릉3동"),
        )
        listing_id = listing.id
        db.session.remove()
    return listing_id


def test_a_resident_asks_the_owner_who_replies_and_the_asker_sees_it(new_page, live_server):
    asker, owner = new_page(), new_page()
    assert asker.viewport_size == PHONE
    title = f"접이식 사다리 {uuid.uuid4().hex[:6]}"
    listing_id = _listing_of(live_server, "junho", title)

    live_server.login_as(asker, "minji")
    asker.goto(f"/market/{listing_id}")
    box = asker.locator("#ask-owner")
    submit(asker, box.get_by_role("button", name="문의 보내기"))  # empty: refused at the field
    field = asker.get_by_label("물어볼 내용")
    assert "필수 항목입니다." in asker.locator("#question-error").inner_text()
    assert field.get_attribute("aria-invalid") == "true"
    field.fill("사다리 높이가 얼마인가요? 주말에 빌릴 수 있나요?")
    submit(asker, asker.locator("#ask-owner").get_by_role("button", name="문의 보내기"))
    assert "문의를 보냈습니다." in flashes(asker)
    thread_url = asker.url.split("#")[0]
    assert title in text_of(asker, "h1")
    assert scroll_width(asker) <= PHONE["width"]

    live_server.login_as(owner, "junho")
    owner.goto("/market/questions")
    row = owner.locator("li.question-row", has_text=title)
    assert "새 메시지" in row.inner_text()
    submit(owner, row.get_by_role("link", name=title))
    assert "사다리 높이가 얼마인가요?" in text_of(owner, "#messages")
    owner.get_by_role("textbox", name="메시지").fill("2미터예요. 토요일 오전에 가능해요.")
    submit(owner, owner.get_by_role("button", name="보내기"))
    assert "메시지를 보냈습니다." in flashes(owner)
    assert scroll_width(owner) <= PHONE["width"]

    asker.goto("/market/questions")
    assert "새 메시지" in asker.locator("li.question-row", has_text=title).inner_text()
    asker.goto(thread_url)
    thread = text_of(asker, "#messages")
    assert "2미터예요. 토요일 오전에 가능해요." in thread
    assert thread.index("사다리 높이가") < thread.index("2미터예요")
    assert scroll_width(asker) <= PHONE["width"]
