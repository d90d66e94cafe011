"""The card's everyday flows on a phone (390 px): the history filter without a false error, the
payment confirmation page with its figures, refunds that say list price and amount returned."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, scroll_width

pytestmark = pytest.mark.browser


def _history_errors(page) -> list[str]:
    return page.locator("section[aria-labelledby=history-h] .error").all_inner_texts()


def test_my_card_shows_no_error_under_the_history_filter(page, live_server):
    live_server.login_as(page, "minji")
    page.goto("/card")
    history = page.locator("section[aria-labelledby=history-h]")
    assert history.get_by_label("구분").input_value() == ""
    assert _history_errors(page) == []
    assert history.locator(".has-error, [aria-invalid=true]").count() == 0
    assert scroll_width(page) <= PHONE["width"]
    # choosing a kind and coming back to "전체" stays clean too
    history.get_by_label("구분").select_option("payment")
    with page.expect_navigation():
        history.get_by_role("button", name="보기").click()
    assert _history_errors(page) == []
    page.goto("/card?lang=en")
    page.checks.lang = "en"
    assert _history_errors(page) == []
    assert "Not a valid choice" not in page.locator("main").inner_text()
