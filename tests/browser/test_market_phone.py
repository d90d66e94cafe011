"""The market on a 390 px phone: a refused request keeps what was typed and shows the error at the
field, a giveaway asks for one pick-up date, a new listing's category must be chosen, and /market
shows its results first (the filters in a drawer), two compact cards a row, the first above the fold.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.browser.conftest import PHONE, scroll_width, text_of
from tests.browser.helpers import flashes, submit

pytestmark = pytest.mark.browser


def _listing_id(live_server, title: str) -> int:
    from sqlalchemy import select

    from sharing.core.extensions import db
    from sharing.market.models import Listing

    with live_server.app_context():
        listing_id = db.session.execute(select(Listing.id).where(Listing.title == title)).scalar_one()
        db.session.remove()
    return listing_id


def _today():
    from sharing.core.time import seoul_today

    return seoul_today()


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_a_refused_request_keeps_the_dates_and_shows_the_error_at_the_field(page, live_server):
    listing_id = _listing_id(live_server, "접이식 사다리 2m")  # junho's ladder, lent for days
    live_server.login_as(page, "minji", next_path=f"/market/{listing_id}")
    form = page.locator("#request form")
    start, end = _today() + timedelta(days=6), _today() + timedelta(days=3)
    form.get_by_label("시작일").fill(start.isoformat())
    form.get_by_label("종료일(반납일)").fill(end.isoformat())
    form.get_by_label("메시지(선택)").fill("주말에 선반 달 때 쓰고 싶어요")
    submit(page, form.get_by_role("button", name="요청 보내기"))

    form = page.locator("#request form")
    assert form.get_by_label("시작일").input_value() == start.isoformat()
    assert form.get_by_label("종료일(반납일)").input_value() == end.isoformat()
    assert form.get_by_label("메시지(선택)").input_value() == "주말에 선반 달 때 쓰고 싶어요"
    end_field = form.get_by_label("종료일(반납일)")
    assert end_field.get_attribute("aria-invalid") == "true"
    error = page.locator("#end_date-error")
    assert "종료일은 시작일과 같거나 뒤여야 합니다." in error.inner_text()
    assert end_field.get_attribute("aria-describedby") == "end_date-error"
    assert page.evaluate("document.activeElement.id") == "end_date", "the wrong field has the focus"
    assert _in_viewport(page, end_field) and _in_viewport(page, error), "the error is off-screen"


def test_dates_already_taken_show_at_the_field_with_what_was_typed(page, live_server):
    listing_id = _listing_id(live_server, "전동드릴 (충전식)")  # minji's drill, lent to seoyeon (demo)
    from sqlalchemy import select

    from sharing.core.extensions import db
    from sharing.market.models import BLOCKING_STATUSES, Loan

    with live_server.app_context():
        taken = db.session.execute(
            select(Loan).where(Loan.listing_id == listing_id, Loan.status.in_(BLOCKING_STATUSES))
        ).scalar()
        db.session.remove()
    if taken is None or taken.end_date < _today():
        pytest.skip("the demo has no current loan of the drill")
    start = max(taken.start_date, _today())
    live_server.login_as(page, "dohyun", next_path=f"/market/{listing_id}")
    form = page.locator("#request form")
    form.get_by_label("시작일").fill(start.isoformat())
    form.get_by_label("종료일(반납일)").fill(start.isoformat())
    submit(page, form.get_by_role("button", name="요청 보내기"))
    form = page.locator("#request form")
    assert form.get_by_label("시작일").input_value() == start.isoformat()
    error = page.locator("#start_date-error")
    assert "이미 대여가 약속되어 있습니다" in error.inner_text(), text_of(page)
    assert _in_viewport(page, error)


def test_a_giveaway_asks_for_a_pick_up_day_not_a_return_date(page, live_server):
    listing_id = _listing_id(live_server, "그림책 20권 묶음")  # minji's giveaway
    live_server.login_as(page, "junho", next_path=f"/market/{listing_id}")
    form = page.locator("#request form")
    assert form.get_by_label("종료일(반납일)").count() == 0, "a giveaway asks for a return date"
    assert "반납" not in form.inner_text()
    day = _today() + timedelta(days=2)
    form.get_by_label("받을 날").fill(day.isoformat())
    submit(page, form.get_by_role("button", name="요청 보내기"))
    assert "요청을 보냈습니다." in flashes(page), text_of(page)
    assert "/market/requests/" in page.url


def test_a_new_listing_asks_for_its_category(page, live_server):
    live_server.login_as(page, "seoyeon", next_path="/market/new")
    form = page.locator("main form")
    category = form.get_by_label("분류", exact=True)
    assert category.input_value() == "", "the category starts on a real choice"
    form.get_by_label("제목", exact=True).fill(f"돗자리 {uuid.uuid4().hex[:6]}")
    form.get_by_label("거래 방식").select_option("share")
    submit(page, form.get_by_role("button", name="올리기"))
    assert page.url.endswith("/market/new"), "a listing was saved without a category"
    error = page.locator("#category-error")
    assert "분류를 골라 주세요." in error.inner_text()
    assert page.locator("main form").get_by_label("분류", exact=True).get_attribute("aria-invalid") == "true"


def test_market_shows_results_first_two_compact_cards_a_row(page, live_server):
    page.goto("/market?kind=share&dong=")
    cards = page.locator("ul.listing-grid > li.listing-card")
    assert cards.count() >= 2
    first, second = cards.nth(0).bounding_box(), cards.nth(1).bounding_box()
    assert first["y"] < PHONE["height"], f"the first listing starts below the fold at {first['y']}px"
    assert abs(first["y"] - second["y"]) < 1, "two cards a row on a phone"
    assert first["width"] < PHONE["width"] / 2
    drawer = page.locator("details.filter-drawer")
    assert drawer.count() == 1 and drawer.get_attribute("open") is None, "the filters are a closed drawer"
    assert "1" in drawer.locator("summary").inner_text(), "the drawer says how many filters are on"
    summary_box = drawer.locator("summary").bounding_box()
    assert summary_box["height"] < 80
    drawer.locator("summary").click()
    assert drawer.get_by_label("거래 방식").is_visible()
    assert drawer.get_by_label("거래 방식").input_value() == "share"
    assert scroll_width(page) <= PHONE["width"]


def test_market_without_filters_says_none_are_on(page, live_server):
    page.goto("/market")
    summary = page.locator("details.filter-drawer summary")
    assert summary.count() == 1
    assert not any(ch.isdigit() for ch in summary.inner_text()), summary.inner_text()
    search = page.get_by_role("search", name="물건 찾기")
    assert search.get_by_label("검색어").is_visible(), "the search box stays out of the drawer"
    box = page.locator("ul.listing-grid > li.listing-card").first.bounding_box()
    assert box["y"] < PHONE["height"]


def test_signed_in_the_first_listings_are_still_above_the_fold(page, live_server):
    live_server.login_as(page, "minji", next_path="/market")
    box = page.locator("ul.listing-grid > li.listing-card").first.bounding_box()
    assert box["y"] < PHONE["height"], f"the first listing starts at {box['y']}px"


def test_a_request_shows_its_progress_as_steps(page, live_server):
    from sqlalchemy import select

    from sharing.core.extensions import db
    from sharing.market.models import Loan

    ladder = _listing_id(live_server, "접이식 사다리 2m")
    with live_server.app_context():
        loan_id = db.session.execute(
            select(Loan.id).where(Loan.listing_id == ladder, Loan.status == "requested")
        ).scalar()
        db.session.remove()
    live_server.login_as(page, "minji", next_path=f"/market/requests/{loan_id}")
    steps = page.get_by_role("list", name="진행 단계").get_by_role("listitem")
    assert [s.strip() for s in steps.all_inner_texts()] == ["요청", "수락", "전달", "반납", "후기"]
    assert page.locator('.loan-steps [aria-current="step"]').inner_text().strip() == "요청"
    assert "주고받을 곳" in text_of(page)
    assert scroll_width(page) <= PHONE["width"]
