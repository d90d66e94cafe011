"""What a card shop (카드 가맹 조직) is, once for every page and figure that counts or lists them.

A card shop is an organisation the centre has verified: the ledger accepts a payment to an
organisation exactly when its ``verified_at`` is set (:meth:`.ledger.Store.card_policy`), whatever its
discount and mileage rates (0 % is allowed) and whether it has been paid yet. The shop list, the fund
page's policies, the card's metrics and the plan's 3-1 figures all read :func:`shops_stmt`,
:func:`shop_count` or :func:`shop_count_at`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select

from ...core.extensions import db
from ...core.search import like_pattern
from ...core.vocab import ORG_KINDS
from ...orgs.models import Organization

SEARCH_MAX = 100


def is_shop():
    """The one rule, as a SQL condition on :class:`Organization`."""
    return Organization.verified_at.is_not(None)


def _kinds_matching(q: str) -> list[str]:
    """Organisation kinds whose code or Korean label contains ``q`` (a search for 협동조합 finds them)."""
    needle = q.casefold()
    return [code for code, label in ORG_KINDS.items() if needle in code or needle in str(label).casefold()]


def shops_stmt(q: str | None = None):
    """The card shops by name (a select statement, for paging); ``q`` searches the name, the address,
    the dong, the description and the kind."""
    stmt = select(Organization).where(is_shop()).order_by(Organization.name, Organization.id)
    q = (q or "").strip()[:SEARCH_MAX]
    if q:
        like = like_pattern(q)
        columns = (Organization.name, Organization.address, Organization.dong, Organization.description)
        conditions = [c.ilike(like, escape="\\") for c in columns]
        kinds = _kinds_matching(q)
        if kinds:
            conditions.append(Organization.kind.in_(kinds))
        stmt = stmt.where(or_(*conditions))
    return stmt


def shops(q: str | None = None) -> list[Organization]:
    return db.session.execute(shops_stmt(q)).scalars().all()


def shop_count() -> int:
    """How many organisations take the card now."""
    return int(db.session.execute(select(func.count(Organization.id)).where(is_shop())).scalar_one())


def shop_count_at(moment: datetime) -> int:
    """How many of today's card shops had been verified before ``moment`` (UTC). A withdrawn
    verification clears ``verified_at``, so a month's figure counts the shops that still take the card."""
    return int(
        db.session.execute(
            select(func.count(Organization.id)).where(is_shop(), Organization.verified_at < moment)
        ).scalar_one()
    )
