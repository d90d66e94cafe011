"""Money leaving or corrected in the ledger: the merchant's payout (merchant -> settlement) and the
centre's adjustment of an account. Same order as every ledger write (see :mod:`.payments`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from ..admin.log import record_action
from ..auth.services import require_centre
from ..db import transaction
from ..errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..orgs import services as orgs
from . import idempotency as idem
from . import ledger
from .models import CardAccount, CardTransaction
from .money import AMOUNT_MAX
from .payments import MEMO_MAX, aware, check_amount, user_id_of


@dataclass(frozen=True)
class Payout:
    id: int
    organization_id: int
    amount: int
    balance: int
    created_at: datetime


def payout(
    actor,
    organization_id: int,
    amount: int | None = None,
    *,
    idempotency_key: str | None = None,
    request_hash: str | None = None,
) -> Payout:
    """Pay the merchant's balance (or ``amount`` of it) out of the system: merchant -> settlement."""
    if amount is not None:
        check_amount(amount)
    key = idem.check_key(idempotency_key)
    req_hash = request_hash or idem.call_hash("payout", organization_id=organization_id, amount=amount)
    actor_id = user_id_of(actor)
    with transaction():
        store = ledger.Store()
        head = store.lock_head()
        earlier = idem.replayed(store, actor_id, key, req_hash, "payout")
        if earlier is not None:
            txn = db.session.get(CardTransaction, earlier)
            account_id, _b = ledger.balance_of(ledger.merchant_of(txn.organization_id))
            return Payout(
                txn.id,
                txn.organization_id,
                txn.amount,
                ledger.balance_after(account_id, txn.id),
                aware(txn.created_at),
            )
        org = orgs.get(organization_id)
        orgs.require_member_or_centre(actor, org)
        merchant = ledger.merchant_of(org.id)
        accounts = store.lock_accounts([merchant, ledger.SETTLEMENT])
        balance = accounts[merchant.key].balance
        if amount is None:
            amount = balance
        if amount <= 0:
            raise Conflict(_("정산할 잔액이 없습니다."), code="nothing_to_pay_out")
        if amount > balance:
            raise Conflict(
                _("정산할 수 있는 금액은 %(left)s원입니다.", left=f"{balance:,}"),
                code="insufficient_funds",
            )
        txn = ledger.post(
            store,
            head,
            "payout",
            entries=[(accounts[merchant.key], -amount), (accounts[ledger.SETTLEMENT.key], amount)],
            amount=amount,
            organization_id=org.id,
            actor_id=actor_id,
            idempotency_key=key,
            request_hash=req_hash,
        )
        if actor.is_centre:
            record_action(actor, "card.payout", "organization", org.id, amount=amount)
        return Payout(txn.id, org.id, amount, accounts[merchant.key].balance, txn.created_at)


def adjust(actor, account_id: int, amount: int, memo: str) -> CardTransaction:
    """A centre correction: ``amount`` (signed, non-zero) into an account, against settlement.

    The fund and settlement accounts cannot be adjusted: the fund holds exactly the fees accrued minus
    the fees refunded, and that is what the audit proves.
    """
    require_centre(actor)
    problems = {}
    if isinstance(amount, bool) or not isinstance(amount, int) or amount == 0 or abs(amount) > AMOUNT_MAX:
        problems["amount"] = [_("0이 아닌 정수(±10,000,000원 이내)여야 합니다.")]
    memo = (memo or "").strip()
    if not 1 <= len(memo) <= MEMO_MAX:
        problems["memo"] = [_("사유를 1자 이상 200자 이하로 입력해 주세요.")]
    if problems:
        raise Invalid(fields=problems)
    with transaction():
        store = ledger.Store()
        head = store.lock_head()
        target = db.session.get(CardAccount, account_id)
        if target is None:
            raise NotFound(_("계정을 찾을 수 없습니다."), code="account_not_found")
        if target.kind in ("fund", "settlement"):
            raise Conflict(_("기금과 정산 계정은 조정할 수 없습니다."), code="account_not_adjustable")
        spec = ledger.AccountSpec(target.owner_key, target.kind, target.user_id, target.organization_id)
        accounts = store.lock_accounts([spec, ledger.SETTLEMENT])
        txn = ledger.post(
            store,
            head,
            "adjustment",
            entries=[(accounts[spec.key], amount), (accounts[ledger.SETTLEMENT.key], -amount)],
            amount=amount,
            user_id=target.user_id,
            organization_id=target.organization_id,
            actor_id=actor.id,
            memo=memo,
        )
        record_action(actor, "card.adjust", "card_account", target.id, amount=amount, memo=memo)
        db.session.flush()
    return db.session.get(CardTransaction, txn.id)
