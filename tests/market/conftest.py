"""Market fixtures: listings and requests made through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sharing.market import services
from sharing.market.common import today


class MarketFactory:
    def __init__(self, make):
        self.make = make

    def listing(self, owner=None, *, kind="share", title="전동드릴 빌려드려요", **kw):
        owner = owner or self.make.user()
        data = {
            "title": title,
            "kind": kind,
            "category": kw.pop("category", "tools"),
            "dong": kw.pop("dong", "정릉3동"),
            "description": kw.pop("description", "충전식 전동드릴입니다."),
        }
        if kind == "rent":
            data["price_per_day"] = kw.pop("price_per_day", 3000)
        if kind == "sell":
            data["price"] = kw.pop("price", 10000)
        data.update(kw)
        return services.create(owner, services.ListingInput(**data))

    def request(self, listing, borrower=None, start=1, days=1, message=""):
        borrower = borrower or self.make.user()
        start_date = today() + timedelta(days=start)
        return services.request(
            borrower, listing.id, start_date, start_date + timedelta(days=days - 1), message
        )


@pytest.fixture
def market(make):
    return MarketFactory(make)


def day(n: int):
    return today() + timedelta(days=n)
