"""News journey: a member of a verified organisation posts a market-day event (개울장); it shows on the
events calendar in its month, on its day, and in the month's list; a resident cannot write news."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from tests.browser.conftest import PHONE, scroll_width, text_of
from tests.browser.helpers import flashes, sign_up, submit, unique_email

pytestmark = pytest.mark.browser

ORG = "협동조합 에너토피아"  # a verified demo village enterprise; junho is its member


def _next_month_day(day: int) -> date:
    from sharing.market.common import today

    now = today()
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return date(year, month, day)


def test_organisation_member_posts_a_market_day_that_shows_on_the_calendar(new_page, live_server):
    page = new_page()
    title = f"장위동 개울장 {uuid.uuid4().hex[:4]}"
    when = _next_month_day(14)

    live_server.login_as(page, "junho", next_path="/news")
    submit(page, page.get_by_role("link", name="소식 쓰기"))
    assert page.url.endswith("/news/new")
    form = page.locator("main form")
    form.get_by_label("글쓴이(조직)").select_option(label=ORG)
    form.get_by_label("제목", exact=True).fill(title)
    form.get_by_label("본문", exact=True).fill(
        "**개울장**이 열립니다.\n\n- 집에서 안 쓰는 물건 나눔\n- 수리 상담\n\n장바구니를 챙겨 오세요."
    )
    form.get_by_label("분류", exact=True).select_option("market_day")
    form.get_by_label("행정동", exact=True).select_option("장위2동")
    form.get_by_label("행사 날짜").fill(when.isoformat())
    form.get_by_label("시작 시간").fill("10:00")
    form.get_by_label("끝나는 시간").fill("15:00")
    form.get_by_label("행사 장소").fill("장위2동 주민센터 앞마당")
    assert form.get_by_label("지금 게시").is_checked()
    submit(page, form.get_by_role("button", name="저장"))
    assert "게시했습니다." in flashes(page)
    assert page.locator("h1").inner_text() == title
    event_box = page.locator("section.news-event-box").inner_text()
    assert f"{when.year}년 {when.month}월 {when.day}일" in event_box
    assert "10:00 – 15:00" in event_box and "장위2동 주민센터 앞마당" in event_box
    assert page.locator(".news-body strong").inner_text() == "개울장"  # Markdown rendered
    assert ORG in text_of(page)

    # --- the calendar: this month, then the next month by its link ---------------------------------------
    page.goto("/news/events")
    assert title not in page.locator("table.news-calendar").inner_text()
    submit(page, page.get_by_role("link", name="다음 달"))
    assert page.url.endswith(f"/news/events?month={when:%Y-%m}")
    assert page.locator("#month-h").inner_text() == f"{when.year}년 {when.month}월"
    cell = page.locator("table.news-calendar td:not(.is-other)").filter(
        has=page.locator(".news-day", has_text=str(when.day))
    )
    cell = cell.filter(has=page.get_by_role("link", name=f"10:00 {title}"))
    assert cell.count() == 1, "the event is not in its day's cell"
    assert cell.locator(".tag.warn").first.inner_text() == "장터"
    listed = page.locator("#event-list li", has_text=title)
    assert listed.count() == 1
    assert listed.locator("time").get_attribute("datetime") == when.isoformat()
    assert "장위2동 주민센터 앞마당" in listed.inner_text()
    assert scroll_width(page) <= PHONE["width"], "the calendar scrolls sideways on a phone"

    # the calendar's link leads back to the post
    submit(page, listed.get_by_role("link", name=title))
    assert page.locator("h1").inner_text() == title


def test_a_resident_without_an_organisation_cannot_write_news(page, live_server):
    sign_up(page, email=unique_email("reader"), password="reader-pass-1", name="윤봄", dong="석관동")
    page.goto("/news")
    assert page.get_by_role("link", name="소식 쓰기").count() == 0
    response = page.goto("/news/new")
    assert response.status == 403
    assert "마을소식은 인증된 사회적경제조직의 구성원과 마을사회적경제센터만 올릴 수 있습니다" in text_of(
        page
    )
