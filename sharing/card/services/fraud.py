"""Fraud patterns of a local voucher (상품권 깡): the centre's list of suspicious card activity.

A merchant who turns vouchers into cash without a sale leaves traces in the ledger: a card whose
top-ups all go to one shop, runs of the same round amount, and a shop paid out right after receiving
money that was topped up just before. Each rule is one set-based query (GROUP BY over the recent
window, never a loop over the ledger) and yields :class:`Anomaly` rows with a Korean reason.

Every threshold lives in :class:`Thresholds` (the window, ``CARD_ANOMALY_WINDOW_DAYS``, comes from the
config); the fund page explains the rules with the same figures (:func:`rules`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased

from ...core.db import is_sqlite
from ...core.extensions import db
from ...core.time import aware
from ...orgs.models import Organization
from ..models import CardTransaction, Payment, Refund


@dataclass(frozen=True)
class Thresholds:
    """The rules' figures, in one place."""

    window_days: int = 90  # every rule looks only this far back (config CARD_ANOMALY_WINDOW_DAYS)
    # concentrated_spending: >= share_pct % of what a card topped up went to one organisation ...
    share_pct: int = 80
    # ... and the card topped up at least this much in the window.
    share_min_topup: int = 100_000
    # round_amounts_*: payments of one identical amount that is a multiple of round_unit ...
    round_unit: int = 10_000
    round_days: int = 30  # ... within this many days (at most window_days) ...
    round_min_card: int = 5  # ... at least this many from one card ...
    round_min_shop: int = 10  # ... or at least this many to one shop.
    # quick_payout: a payout within payout_hours of payments made within topup_hours of a top-up
    # of the paying card, those payments adding up to at least payout_min won.
    payout_hours: int = 24
    topup_hours: int = 24
    payout_min: int = 100_000
    limit: int = 200  # at most this many rows per rule


def thresholds() -> Thresholds:
    return replace(Thresholds(), window_days=int(current_app.config["CARD_ANOMALY_WINDOW_DAYS"]))


@dataclass(frozen=True)
class Anomaly:
    rule: str
    reason: str
    user_id: int | None = None
    organization_id: int | None = None
    amount: int | None = None
    count: int | None = None
    first_at: datetime | None = None
    last_at: datetime | None = None
    organization_name: str | None = None


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    explanation: str


def rules(t: Thresholds | None = None) -> list[Rule]:
    """Each rule explained in Korean, with the thresholds in force (the fund page shows these)."""
    t = t or thresholds()
    round_days = min(t.round_days, t.window_days)
    return [
        Rule(
            "concentrated_spending",
            _("충전액 대부분을 한 조직에 결제"),
            _(
                "한 카드가 최근 %(days)s일 동안 충전한 금액(%(min)s원 이상)의 %(pct)s%% 이상을 한 조직에 "
                "결제했습니다(환불은 뺍니다). 물건을 사지 않고 상품권을 현금으로 바꾸는 전형적인 방법입니다.",
                days=t.window_days,
                min=f"{t.share_min_topup:,}",
                pct=t.share_pct,
            ),
        ),
        Rule(
            "round_amounts_card",
            _("한 카드의 같은 정액 결제 반복"),
            _(
                "한 카드가 최근 %(days)s일 동안 %(unit)s원 단위로 떨어지는 같은 금액을 %(n)s번 이상 "
                "결제했습니다.",
                days=round_days,
                unit=f"{t.round_unit:,}",
                n=t.round_min_card,
            ),
        ),
        Rule(
            "round_amounts_shop",
            _("한 조직의 같은 정액 결제 반복"),
            _(
                "한 조직이 최근 %(days)s일 동안 %(unit)s원 단위로 떨어지는 같은 금액을 %(n)s번 이상 "
                "결제받았습니다.",
                days=round_days,
                unit=f"{t.round_unit:,}",
                n=t.round_min_shop,
            ),
        ),
        Rule(
            "quick_payout",
            _("충전·결제 직후 정산"),
            _(
                "한 조직이 충전 후 %(th)s시간 안에 결제된 돈을 합계 %(min)s원 이상 받고, 그 결제 뒤 "
                "%(ph)s시간 안에 정산했습니다.",
                th=t.topup_hours,
                min=f"{t.payout_min:,}",
                ph=t.payout_hours,
            ),
        ),
    ]


def _hours_before(column, hours: int):
    """``column`` minus ``hours`` hours, comparable with the stored timestamps on both databases."""
    if is_sqlite():  # stored as naive UTC text 'YYYY-MM-DD HH:MM:SS.ffffff'
        return func.strftime("%Y-%m-%d %H:%M:%f", column, f"-{int(hours)} hours")
    return column - timedelta(hours=hours)


@dataclass(frozen=True)
class Window:
    since: datetime
    until: datetime

    def holds(self, column):
        return and_(column >= self.since, column <= self.until)


def _concentrated(t: Thresholds, w: Window) -> list[Anomaly]:
    """Cards that spent >= share_pct % of their top-ups at one organisation (net of refunds)."""
    topped = (
        select(CardTransaction.user_id, func.sum(CardTransaction.amount).label("topped"))
        .where(CardTransaction.kind == "topup", w.holds(CardTransaction.created_at))
        .group_by(CardTransaction.user_id)
        .subquery()
    )
    paid = (
        select(
            Payment.payer_id.label("user_id"),
            Payment.organization_id,
            func.sum(Payment.from_card).label("paid"),
            func.count().label("payments"),
            func.min(Payment.created_at).label("first_at"),
            func.max(Payment.created_at).label("last_at"),
        )
        .where(w.holds(Payment.created_at))
        .group_by(Payment.payer_id, Payment.organization_id)
        .subquery()
    )
    # What refunds of those payments gave back to the card (to_card less the mileage clawed back).
    back = (
        select(
            Payment.payer_id.label("user_id"),
            Payment.organization_id,
            func.sum(Refund.to_card - Refund.clawback_from_card).label("back"),
        )
        .join(Payment, Payment.id == Refund.payment_id)
        .where(w.holds(Payment.created_at))
        .group_by(Payment.payer_id, Payment.organization_id)
        .subquery()
    )
    spent = (
        select(
            paid.c.user_id,
            paid.c.organization_id,
            (paid.c.paid - func.coalesce(back.c.back, 0)).label("spent"),
            paid.c.payments,
            paid.c.first_at,
            paid.c.last_at,
        )
        .outerjoin(
            back, and_(back.c.user_id == paid.c.user_id, back.c.organization_id == paid.c.organization_id)
        )
        .subquery()
    )
    rows = db.session.execute(
        select(spent, topped.c.topped, Organization.name)
        .join(topped, topped.c.user_id == spent.c.user_id)
        .join(Organization, Organization.id == spent.c.organization_id)
        .where(topped.c.topped >= t.share_min_topup, spent.c.spent * 100 >= topped.c.topped * t.share_pct)
        .order_by(spent.c.spent.desc())
        .limit(t.limit)
    ).all()
    return [
        Anomaly(
            rule="concentrated_spending",
            reason=_(
                "충전한 %(topped)s원 중 %(spent)s원(%(pct)s%%)을 %(org)s에 결제했습니다.",
                topped=f"{r.topped:,}",
                spent=f"{r.spent:,}",
                pct=r.spent * 100 // r.topped,
                org=r.name,
            ),
            user_id=r.user_id,
            organization_id=r.organization_id,
            organization_name=r.name,
            amount=r.spent,
            count=r.payments,
            first_at=aware(r.first_at),
            last_at=aware(r.last_at),
        )
        for r in rows
    ]


def _round_amounts(t: Thresholds, w: Window, by_card: bool) -> list[Anomaly]:
    """Runs of one identical round amount, from one card (``by_card``) or to one shop."""
    w = Window(max(w.since, w.until - timedelta(days=t.round_days)), w.until)
    who = Payment.payer_id if by_card else Payment.organization_id
    least = t.round_min_card if by_card else t.round_min_shop
    rows = db.session.execute(
        select(
            who.label("who"),
            Payment.amount,
            func.count().label("n"),
            func.count(func.distinct(Payment.payer_id)).label("cards"),
            func.min(Payment.created_at).label("first_at"),
            func.max(Payment.created_at).label("last_at"),
        )
        .where(
            w.holds(Payment.created_at),
            Payment.amount >= t.round_unit,
            Payment.amount % t.round_unit == 0,
        )
        .group_by(who, Payment.amount)
        .having(func.count() >= least)
        .order_by(func.count().desc(), Payment.amount.desc())
        .limit(t.limit)
    ).all()
    names = {} if by_card else _names({r.who for r in rows})
    out = []
    for r in rows:
        won, first, last = f"{r.amount:,}", aware(r.first_at), aware(r.last_at)
        if by_card:
            reason = _("같은 카드로 %(won)s원을 %(n)s번 결제했습니다.", won=won, n=r.n)
            out.append(Anomaly("round_amounts_card", reason, r.who, None, r.amount, r.n, first, last))
        else:
            reason = _(
                "카드 %(cards)s장에서 %(won)s원을 %(n)s번 결제받았습니다.", cards=r.cards, won=won, n=r.n
            )
            out.append(
                Anomaly(
                    "round_amounts_shop", reason, None, r.who, r.amount, r.n, first, last, names.get(r.who)
                )
            )
    return out


def _names(org_ids: set[int]) -> dict[int, str]:
    if not org_ids:
        return {}
    return dict(
        db.session.execute(
            select(Organization.id, Organization.name).where(Organization.id.in_(org_ids))
        ).all()
    )


def _quick_payouts(t: Thresholds, w: Window) -> list[Anomaly]:
    """Payouts made soon after receiving payments that were funded by top-ups made just before."""
    # The ledger's indexes lead: a shop's payments by (organization_id, kind, id), a card's top-ups by
    # (user_id, id); ids follow the chain, so "before" is also a smaller id.
    out_txn, paid, top = aliased(CardTransaction), aliased(CardTransaction), aliased(CardTransaction)
    funded = exists().where(
        top.user_id == paid.user_id,
        top.id < paid.id,
        top.kind == "topup",
        top.created_at >= _hours_before(paid.created_at, t.topup_hours),
    )
    received = func.sum(Payment.from_card)
    rows = db.session.execute(
        select(
            out_txn.id,
            out_txn.organization_id,
            out_txn.amount.label("payout"),
            out_txn.created_at.label("paid_out_at"),
            Organization.name,
            received.label("received"),
            func.count(Payment.id).label("n"),
            func.count(func.distinct(Payment.payer_id)).label("cards"),
            func.min(Payment.created_at).label("first_at"),
        )
        .join(
            paid,
            and_(
                paid.organization_id == out_txn.organization_id,
                paid.kind == "payment",
                paid.id < out_txn.id,
                paid.created_at >= _hours_before(out_txn.created_at, t.payout_hours),
            ),
        )
        .join(Payment, Payment.id == paid.id)
        .join(Organization, Organization.id == out_txn.organization_id)
        .where(out_txn.kind == "payout", w.holds(out_txn.created_at), funded)
        .group_by(out_txn.id, out_txn.organization_id, out_txn.amount, out_txn.created_at, Organization.name)
        .having(received >= t.payout_min)
        .order_by(out_txn.id.desc())
        .limit(t.limit)
    ).all()
    return [
        Anomaly(
            rule="quick_payout",
            reason=_(
                "%(org)s이(가) 충전 직후의 카드 %(cards)s장에서 %(n)s건, %(won)s원을 받고 곧바로 "
                "%(payout)s원을 정산했습니다.",
                org=r.name,
                cards=r.cards,
                n=r.n,
                won=f"{r.received:,}",
                payout=f"{r.payout:,}",
            ),
            organization_id=r.organization_id,
            organization_name=r.name,
            amount=r.received,
            count=r.n,
            first_at=aware(r.first_at),
            last_at=aware(r.paid_out_at),
        )
        for r in rows
    ]


def find(t: Thresholds | None = None, *, now: datetime | None = None) -> list[Anomaly]:
    """Every anomaly of the window ending ``now`` (default: the current time), the most recent first."""
    t = t or thresholds()
    until = (now or datetime.now(UTC)).astimezone(UTC)
    w = Window(until - timedelta(days=t.window_days), until)
    found = [
        *_concentrated(t, w),
        *_round_amounts(t, w, by_card=True),
        *_round_amounts(t, w, by_card=False),
        *_quick_payouts(t, w),
    ]
    return sorted(found, key=lambda a: (a.last_at or until, a.rule), reverse=True)
