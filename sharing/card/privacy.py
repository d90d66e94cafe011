"""The card's share of a resident's data: the balance, the mileage and every transaction.

The ledger is never erased (the law keeps financial records); a balance must be spent or refunded
before the account can be deleted.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ..core.rows import plain
from . import services as card

HISTORY_PAGE = 100


def _history(user) -> list[dict]:
    rows, page = [], 1
    while True:
        items, total = card.history(user, page=page, per_page=HISTORY_PAGE)
        rows += [
            {"id": i.id, "kind": i.kind, "amount": i.amount, "card": i.card, "mileage": i.mileage,
             "organization_id": i.organization_id, "created_at": plain(i.created_at)}
            for i in items
        ]  # fmt: skip
        if not items or len(rows) >= total:
            return rows
        page += 1


def export(user) -> dict:
    summary = card.card_summary(user)
    return {"card": {"balance": summary.balance, "mileage": summary.mileage, "transactions": _history(user)}}


def blockers(user) -> list[str]:
    balance = card.card_summary(user).balance
    if not balance:
        return []
    return [
        _(
            "지역거래카드에 %(balance)s원이 남아 있습니다. 가맹점에서 모두 쓰거나 센터에 환급을 받은 뒤 탈퇴해 주세요. 거래 기록은 법에 따라 보관됩니다.",
            balance=f"{balance:,}",
        )
    ]
