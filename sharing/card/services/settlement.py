"""Money corrected in the ledger: the centre's adjustment of an account (the merchant's payout, requested
and approved, is in :mod:`.payouts`). Same order as every ledger write (see :mod:`.payments`)."""

from __future__ import annotations

from flask_babel import gettext as _

from ...auth.services import require_centre
from ...core.db import transaction
from ...core.errors import Conflict, Invalid, NotFound
from ...core.extensions import db
from ...core.money import AMOUNT_MAX
from ...records.log import record_action
from ..models import CardAccount, CardTransaction
from . import ledger
from .payments import MEMO_MAX


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
