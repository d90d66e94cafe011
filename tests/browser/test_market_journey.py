"""Market journey: a new resident lists a drill with a photo; a neighbour finds it by a Korean search
and borrows it through every step, requested -> accepted -> borrowed -> returned, to the review.

Both people use a 390 px phone; the page fixture checks console errors, off-server requests and
``lang="ko"`` for each of them at the end.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.browser.conftest import PHONE, scroll_width, text_of
from tests.browser.helpers import confirm_and_submit, flashes, sign_up, small_jpeg, submit, unique_email

pytestmark = pytest.mark.browser


def _seoul_today():
    from sharing.market.common import today

    return today()


def _status(page) -> str:
    """The request's status tag on its page (the first <dd> of the facts)."""
    return page.locator("dl.facts dd").first.inner_text().strip()


def test_resident_lists_a_drill_and_a_neighbour_borrows_it_to_the_review(new_page, live_server, tmp_path):
    lender = new_page()
    borrower = new_page()
    assert lender.viewport_size == PHONE and borrower.viewport_size == PHONE
    tag = uuid.uuid4().hex[:6]
    title = f"충전식 전동 드릴 {tag}"

    # --- a resident signs up and lists a drill with a photo ----------------------------------------
    sign_up(lender, email=unique_email("lender"), password="lender-pass-1", name="한여름", dong="정릉3동")
    lender.goto("/market")
    submit(lender, lender.get_by_role("link", name="물건 올리기"))
    assert lender.url.endswith("/market/new")
    form = lender.locator("main form")
    form.get_by_label("제목", exact=True).fill(title)
    form.get_by_label("거래 방식").select_option("share")
    form.get_by_label("분류", exact=True).select_option("tools")
    form.get_by_label("거래할 동네(행정동)").select_option("정릉3동")
    form.get_by_label("물건 상태").select_option("like_new")
    form.get_by_label("설명", exact=True).fill(
        "배터리 두 개와 드릴 날 세트를 함께 빌려드려요.\n벽에 선반 달 때 좋아요."
    )
    form.get_by_label("사진(JPEG·PNG·WebP, 한 장에 5MB, 8장까지)").set_input_files(str(small_jpeg(tmp_path)))
    submit(lender, form.get_by_role("button", name="올리기"))
    assert "물건을 올렸습니다." in flashes(lender)
    assert lender.locator("h1").inner_text() == title
    listing_url = lender.url
    photo = lender.locator("ul.photo-strip img").first
    assert photo.get_attribute("alt") == f"{title} 사진 1"
    photo.scroll_into_view_if_needed()
    lender.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert "무료 대여" in text_of(lender)
    assert scroll_width(lender) <= PHONE["width"], "the listing page scrolls sideways on a phone"

    # --- another resident finds it by a Korean search ------------------------------------------------
    live_server.login_as(borrower, "minji", next_path="/market")
    search = borrower.get_by_role("search", name="물건 찾기")
    search.get_by_label("검색어").fill("드릴")
    submit(borrower, search.get_by_role("button", name="찾기"))
    assert "q=%EB%93%9C%EB%A6%B4" in borrower.url  # 드릴
    assert "'드릴' 검색 결과" in text_of(borrower)
    result = borrower.locator("ul.listing-grid").get_by_role("link", name=title)
    assert result.count() == 1, text_of(borrower)
    card = borrower.locator("li.listing-card").filter(has=borrower.get_by_role("link", name=title))
    card_thumb = card.locator("img.thumb")
    assert card_thumb.count() == 1, "the card shows the photo's thumbnail"
    submit(borrower, result)
    assert borrower.url == listing_url

    # --- and asks to borrow it for three days ------------------------------------------------------------
    start = _seoul_today() + timedelta(days=2)
    end = start + timedelta(days=2)
    ask = borrower.locator("#request form")
    ask.get_by_label("시작일").fill(start.isoformat())
    ask.get_by_label("종료일(반납일)").fill(end.isoformat())
    ask.get_by_label("메시지(선택)").fill("주말에 선반을 달려고 해요. 토요일 오전에 받으러 갈게요.")
    submit(borrower, ask.get_by_role("button", name="요청 보내기"))
    assert "요청을 보냈습니다." in flashes(borrower)
    assert "/market/requests/" in borrower.url
    request_url = borrower.url
    assert _status(borrower) == "요청됨"
    assert "주말에 선반을 달려고 해요" in borrower.locator("#messages").inner_text()

    # --- the lender sees the request and accepts it --------------------------------------------------------
    lender.goto("/market/lending")
    assert title in text_of(lender)
    lender.goto(request_url)
    assert _status(lender) == "요청됨"
    actions = lender.locator("#actions")
    submit(lender, actions.get_by_role("button", name="수락"))
    assert "수락했습니다." in flashes(lender)
    assert _status(lender) == "수락됨"

    # the accepted days show as booked on the listing's calendar
    borrower.goto(f"{listing_url}?month={start:%Y-%m}")
    assert f"{start.year}년 {start.month}월 예약 현황" in text_of(borrower)
    booked = [int(d) for d in borrower.locator("table.calendar td.booked .day").all_inner_texts()]
    loan_days = [start + timedelta(days=n) for n in range(3)]
    assert booked == [d.day for d in loan_days if d.month == start.month]

    # --- hand-over and return, each confirmed in a dialog -----------------------------------------------
    confirm_and_submit(lender, lender.locator("#actions").get_by_role("button", name="건넸어요"))
    assert "건넸습니다." in flashes(lender)
    assert _status(lender) == "대여 중"
    borrower.goto(request_url)
    assert _status(borrower) == "대여 중"
    assert "다 쓰면 약속한 날까지 돌려주세요" in text_of(borrower)

    confirm_and_submit(lender, lender.locator("#actions").get_by_role("button", name="돌려받았어요"))
    assert "반납을 확인했습니다." in flashes(lender)
    assert _status(lender) == "완료"

    # --- the borrower leaves a review ------------------------------------------------------------------
    borrower.goto(request_url)
    assert _status(borrower) == "완료"
    review = borrower.locator("section[aria-labelledby=review-h] form")
    review.get_by_label("5점").check()
    review.get_by_label("후기(선택)").fill("배터리가 넉넉해서 선반 세 개를 달았어요. 고맙습니다!")
    submit(borrower, review.get_by_role("button", name="후기 남기기"))
    assert "후기를 남겼습니다." in flashes(borrower)
    reviews = borrower.locator("section[aria-labelledby=review-h]").inner_text()
    assert "김민지 님: 5점" in reviews and "선반 세 개를 달았어요" in reviews
    assert borrower.locator("section[aria-labelledby=review-h] form").count() == 0  # once only

    # the review shows on the listing for everyone, with the rating
    lender.goto(listing_url)
    body = text_of(lender)
    assert "별점 5.0점 (후기 1개)" in body
    assert "선반 세 개를 달았어요" in lender.locator("section[aria-labelledby=reviews-h]").inner_text()
    # the lender is notified along the way (request, return thanks are the borrower's)
    lender.goto("/inbox")
    assert "새 요청이 왔습니다" in text_of(lender)
