"""Small helpers the market shares: today in Seoul, loading rows for update, the labels of its codes."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.db import is_sqlite
from ..core.extensions import db
from ..core.i18n import labels
from ..core.time import seoul_today as today  # noqa: F401  (the market's "today": Seoul's date)
from ..core.vocab import LISTING_CATEGORIES

KIND_LABELS = {
    "share": _l("무료 대여"),
    "rent": _l("유료 대여"),
    "swap": _l("교환"),
    "giveaway": _l("나눔"),
    "sell": _l("중고 판매"),
}
CONDITION_LABELS = {
    "new": _l("새 물건"),
    "like_new": _l("거의 새것"),
    "good": _l("사용감 적음"),
    "fair": _l("사용감 있음"),
    "worn": _l("낡음"),
}
LISTING_STATUS_LABELS = {
    "active": _l("공개 중"),
    "paused": _l("잠시 멈춤"),
    "closed": _l("마감"),
    "deleted": _l("삭제됨"),
}
# The price line of each kind (``%(won)s``: the amount with thousands separators).
PRICE_TEXTS = {
    "rent": _l("하루 %(won)s원"),
    "sell": _l("%(won)s원"),
    "share": _l("무료 대여"),
    "giveaway": _l("무료 나눔"),
    "swap": _l("물물교환"),
}
LOAN_STATUS_LABELS = {
    "requested": _l("요청됨"),
    "accepted": _l("수락됨"),
    "declined": _l("거절됨"),
    "cancelled": _l("취소됨"),
    "borrowed": _l("대여 중"),
    "returned": _l("완료"),
}


def for_update(model, row_id: int):
    """One row of ``model`` loaded for update (FOR UPDATE OF its own table on PostgreSQL; the
    SQLite transaction already holds the write lock). Eagerly joined relations are re-read fresh."""
    stmt = select(model).where(model.id == row_id)
    if not is_sqlite():
        stmt = stmt.with_for_update(of=model)
    return db.session.execute(stmt.execution_options(populate_existing=True)).unique().scalar_one_or_none()


def price_line(listing, texts: dict[str, str]) -> str:
    """The price line: per day for rentals, the price for sales, else what the kind means (``texts``:
    ``PRICE_TEXTS`` translated)."""
    if listing.kind == "rent":
        return texts["rent"] % {"won": f"{listing.price_per_day:,}"}
    if listing.kind == "sell":
        return texts["sell"] % {"won": f"{listing.price:,}"}
    return texts.get(listing.kind) or texts["swap"]


class Labels:
    """What templates call to show codes as words (a Jinja global: ``market_labels``)."""

    @staticmethod
    def url(listing_id: int) -> str:
        """The listing's page (``market.show``)."""
        return url_for("market.show", listing_id=listing_id)

    @staticmethod
    def price(listing) -> str:
        return price_line(listing, labels(PRICE_TEXTS))

    @staticmethod
    def kind(code: str) -> str:
        return labels(KIND_LABELS).get(code, code)

    @staticmethod
    def category(code: str) -> str:
        return labels(LISTING_CATEGORIES).get(code, code)

    @staticmethod
    def condition(code: str) -> str:
        return labels(CONDITION_LABELS).get(code, code)

    @staticmethod
    def listing_status(code: str) -> str:
        return labels(LISTING_STATUS_LABELS).get(code, code)

    @staticmethod
    def loan_status(code: str) -> str:
        return labels(LOAN_STATUS_LABELS).get(code, code)
