"""A request's progress as steps on its page: an ordered list, the current step with aria-current."""

from __future__ import annotations

import re

from sharing.market import services


def steps_of(page: str) -> list[tuple[str, bool]]:
    ol = re.search(r'<ol class="loan-steps"[^>]*>(.*?)</ol>', page, re.S)
    assert ol, "no steps on the page"
    items = re.findall(r"<li([^>]*)>(.*?)</li>", ol.group(1), re.S)
    return [
        (re.sub(r"<[^>]+>|✓|끝난 단계:", "", body).strip(), "aria-current" in attrs) for attrs, body in items
    ]


def test_the_steps_follow_the_request(client, make, auth, market):
    owner, borrower = make.user(), make.user()
    listing = market.listing(owner)
    loan = market.request(listing, borrower)
    auth.login(borrower)
    page = client.get(f"/market/requests/{loan.id}").get_data(as_text=True)
    assert [s for s, _c in steps_of(page)] == ["요청", "수락", "전달", "반납", "후기"]
    assert [s for s, current in steps_of(page) if current] == ["요청"]
    assert 'aria-current="step"' in page and "주고받을 곳" in page and listing.dong in page
    services.accept(owner, loan.id)
    services.handover(owner, loan.id)
    page = client.get(f"/market/requests/{loan.id}").get_data(as_text=True)
    assert [s for s, current in steps_of(page) if current] == ["전달"]
    services.return_(owner, loan.id)
    page = client.get(f"/market/requests/{loan.id}").get_data(as_text=True)
    assert [s for s, current in steps_of(page) if current] == ["후기"]
    services.review(borrower, loan.id, 5, "")
    page = client.get(f"/market/requests/{loan.id}").get_data(as_text=True)
    assert not any(current for _s, current in steps_of(page))


def test_a_giveaway_has_no_return_step_and_a_declined_request_no_current_step(client, make, auth, market):
    owner, taker = make.user(), make.user()
    listing = market.listing(owner, kind="giveaway", title="그림책 나눔")
    loan = market.request(listing, taker)
    auth.login(taker)
    page = client.get(f"/market/requests/{loan.id}").get_data(as_text=True)
    assert [s for s, _c in steps_of(page)] == ["요청", "수락", "전달", "후기"]
    services.decline(owner, loan.id)
    page = client.get(f"/market/requests/{loan.id}").get_data(as_text=True)
    assert not any(current for _s, current in steps_of(page))
