"""Payouts that leave with a reference: a shop's member requests one, the centre approves it with the
bank transfer's reference, and only then is it posted (merchant -> settlement, the reference as the
transaction's memo, so the shop's statement shows it).

A request reserves its amount: the requests waiting for approval together never exceed the merchant
account's balance. Approval checks the balance again (a refund may have used it since).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ...auth.services import require_centre
from ...core import idempotency as idem
from ...core.db import transaction, utcnow
from ...core.errors import Conflict, Forbidden
from ...core.extensions import db
from ...orgs import services as orgs
from ...orgs.models import Organization
from ...records.log import record_action
from ..pending_models import PayoutRequest
from . import ledger
from .ledger import total
from .payments import check_amount, user_id_of
from .topups import check_reference, posted, second_phase


def reserved(organization_id: int) -> int:
    """What the shop's requests waiting for approval add up to."""
    return db.session.execute(
        select(total(PayoutRequest.amount)).where(
            PayoutRequest.organization_id == organization_id, PayoutRequest.status == "requested"
        )
    ).scalar_one()


def request_payout(
    actor,
    organization_id: int,
    amount: int | None = None,
    *,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> PayoutRequest:
    """A member asks for ``amount`` (None: all that is not already requested) to be paid out."""
    if amount is not None:
        check_amount(amount)
    key = idem.check_key(idempotency_key)
    req_hash = request_hash or idem.call_hash("payout", organization_id=organization_id, amount=amount)
    uid = user_id_of(actor)
    with transaction():
        store = ledger.Store()
        store.lock_head()  # serialises the reservation with every ledger write
        earlier = idem.replayed_row(PayoutRequest, PayoutRequest.requested_by, uid, key, req_hash)
        if earlier is not None:
            return earlier
        org = orgs.get(organization_id)
        if not orgs.is_member(actor, org.id):
            raise Forbidden(_("조직의 구성원만 정산을 요청할 수 있습니다."), code="not_a_member")
        merchant = ledger.merchant_of(org.id)
        available = store.lock_accounts([merchant])[merchant.key].balance - reserved(org.id)
        if amount is None:
            amount = available
        if amount <= 0:
            raise Conflict(_("정산할 잔액이 없습니다."), code="nothing_to_pay_out")
        if amount > available:
            raise Conflict(
                _("정산을 요청할 수 있는 금액은 %(left)s원입니다.", left=f"{max(available, 0):,}"),
                code="insufficient_funds",
            )
        row = PayoutRequest(
            organization_id=org.id,
            amount=amount,
            status="requested",
            requested_by=uid,
            created_at=utcnow(),
            idempotency_key=key,
            request_hash=req_hash if key is not None else None,
        )
        db.session.add(row)
        db.session.flush()
        return row


def approve(actor, payout_id: int, reference) -> PayoutRequest:
    """The centre approves a requested payout with the bank transfer's reference: it is posted now.
    409 when it is not waiting for approval, or the shop's balance no longer covers it."""
    require_centre(actor)
    reference = check_reference(reference)
    with second_phase(PayoutRequest, payout_id, _("정산 요청을 찾을 수 없습니다."), "payout_not_found") as (
        store,
        head,
        row,
    ):
        if row.status != "requested":
            raise Conflict(_("이미 처리된 정산 요청입니다."), code="payout_already_posted")
        merchant = ledger.merchant_of(row.organization_id)
        accounts = store.lock_accounts([merchant, ledger.SETTLEMENT])
        if accounts[merchant.key].balance < row.amount:
            raise Conflict(
                _("가맹점 잔액이 정산 요청액보다 적습니다(그사이 환불이 있었습니다)."),
                code="insufficient_funds",
            )
        txn = ledger.post(
            store,
            head,
            "payout",
            entries=[(accounts[merchant.key], -row.amount), (accounts[ledger.SETTLEMENT.key], row.amount)],
            amount=row.amount,
            organization_id=row.organization_id,
            actor_id=actor.id,
            memo=reference,
        )
        posted(row, txn, reference)
        row.approved_by = actor.id
        record_action(actor, "card.payout", "organization", row.organization_id, amount=row.amount)
    return row


def requested_statement():
    """The centre's list (paginate it): payouts waiting for approval, oldest first."""
    return select(PayoutRequest).where(PayoutRequest.status == "requested").order_by(PayoutRequest.id)


def organization_names(ids) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids))).all()
    )


def payouts_of(organization_id: int, *, limit: int = 20) -> list[PayoutRequest]:
    """A shop's latest payout requests (its page shows their state and reference)."""
    return list(
        db.session.execute(
            select(PayoutRequest)
            .where(PayoutRequest.organization_id == organization_id)
            .order_by(PayoutRequest.id.desc())
            .limit(limit)
        ).scalars()
    )
