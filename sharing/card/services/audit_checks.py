"""The audit's per-transaction checks: each payment's and refund's figures recompute, and each
transaction's entries are exactly its figures' legs on the right accounts (see :mod:`.audit_ledger`, which
walks the ledger and calls these for every transaction)."""

from __future__ import annotations

from flask_babel import gettext as _

from ..money import BP
from . import ledger
from .audit_report import AuditReport

_NP = len(ledger.PAYMENT_DETAIL)  # the payment's columns in a transaction row (see audit.TX_SQL)
_NR = len(ledger.REFUND_DETAIL)


def _legs(legs) -> dict[str, int]:
    sums: dict[str, int] = {}
    for leg in legs:
        sums[leg[3]] = sums.get(leg[3], 0) + leg[2]
    return {k: v for k, v in sums.items() if v}


def _expect_legs(report, txn_id, legs, expected: dict[str, int], *, user_id=None, org_id=None) -> None:
    expected = {k: v for k, v in expected.items() if v}
    got = _legs(legs)
    if got != expected:
        report.add(
            "entries",
            _("분개가 거래 금액과 맞지 않습니다."),
            transaction_id=txn_id,
            expected=expected,
            stored=got,
        )
    for leg in legs:
        kind = leg[3]
        if (kind in ("card", "mileage") and leg[4] != user_id) or (kind == "merchant" and leg[5] != org_id):
            report.add(
                "entry_account",
                _("분개가 다른 사람이나 조직의 계정에 기록되었습니다."),
                transaction_id=txn_id,
                account_id=leg[1],
            )


def check_payment(report: AuditReport, row, legs) -> int | None:
    """Recompute a payment from its recorded rates and match its entries (fast path, then detail)."""
    txn_id, user_id, org_id, amount = row[0], row[3], row[4], row[6]
    if row[11] is None:
        report.add("payment_missing", _("결제 내역이 없는 결제 거래입니다."), transaction_id=txn_id)
        return None
    payer_id, p_org = row[12], row[13]
    (p_amount, discount, paid, from_card, from_mileage, fee, earned, net, dbp, mbp, fbp) = row[14 : 14 + _NP]
    d = p_amount * dbp // BP
    pd = p_amount - d
    fee_e = pd * fbp // BP
    earned_e = pd * mbp // BP
    if (
        (p_amount, discount, paid, fee, earned, net)
        != (amount, d, pd, fee_e, earned_e, pd - fee_e - earned_e)
        or from_card + from_mileage != paid
        or from_card < 0
        or from_mileage < 0
        or payer_id != user_id
        or p_org != org_id
    ):
        _report_payment(report, row, (d, pd, fee_e, earned_e))
    card = mileage = merchant = fund = 0
    clean = True
    for leg in legs:
        kind = leg[3]
        if kind == "card":
            card += leg[2]
            clean = clean and leg[4] == user_id
        elif kind == "mileage":
            mileage += leg[2]
            clean = clean and leg[4] == user_id
        elif kind == "merchant":
            merchant += leg[2]
            clean = clean and leg[5] == org_id
        elif kind == "fund":
            fund += leg[2]
        else:
            clean = False
    if not clean or (card, mileage, merchant, fund) != (-from_card, earned - from_mileage, net, fee):
        _expect_legs(
            report,
            txn_id,
            legs,
            {"card": -from_card, "mileage": earned - from_mileage, "merchant": net, "fund": fee},
            user_id=user_id,
            org_id=org_id,
        )
    return fee


def _report_payment(report: AuditReport, row, recomputed) -> None:
    txn_id, user_id, org_id, amount = row[0], row[3], row[4], row[6]
    payer_id, p_org = row[12], row[13]
    (p_amount, discount, paid, from_card, from_mileage, fee, earned, net, *_rates) = row[14 : 14 + _NP]
    d, pd, fee_e, earned_e = recomputed
    expected = {
        "amount": amount,
        "discount": d,
        "paid": pd,
        "fund_fee": fee_e,
        "mileage_earned": earned_e,
        "merchant_net": pd - fee_e - earned_e,
    }
    stored = {
        "amount": p_amount,
        "discount": discount,
        "paid": paid,
        "fund_fee": fee,
        "mileage_earned": earned,
        "merchant_net": net,
    }
    for name, value in expected.items():
        if stored[name] != value:
            report.add(
                "payment_figures",
                _("결제의 %(field)s이(가) 기록된 요율로 다시 계산한 값과 다릅니다.", field=name),
                transaction_id=txn_id,
                expected=value,
                stored=stored[name],
            )
    if from_card + from_mileage != paid or from_card < 0 or from_mileage < 0:
        report.add(
            "payment_figures",
            _("카드와 마일리지 결제액의 합이 결제액과 다릅니다."),
            transaction_id=txn_id,
            expected=paid,
            stored=from_card + from_mileage,
        )
    if payer_id != user_id or p_org != org_id:
        report.add("payment_owner", _("결제의 주민이나 조직이 거래와 다릅니다."), transaction_id=txn_id)


def check_refund_legs(report: AuditReport, row, legs) -> int | None:
    txn_id, user_id, org_id = row[0], row[3], row[4]
    base = 14 + _NP
    if row[base] is None:
        report.add("refund_missing", _("환불 내역이 없는 환불 거래입니다."), transaction_id=txn_id)
        return None
    (_pid, amount, _d, _paid, to_card, to_mileage, fee, clawback, from_card, net) = row[
        base + 1 : base + 1 + _NR
    ]
    if amount != row[6]:
        report.add("refund_figures", _("환불 금액이 거래 금액과 다릅니다."), transaction_id=txn_id)
    _expect_legs(
        report,
        txn_id,
        legs,
        {
            "card": to_card - from_card,
            "mileage": to_mileage - (clawback - from_card),
            "merchant": -net,
            "fund": -fee,
        },
        user_id=user_id,
        org_id=org_id,
    )
    return fee


def check_simple(report: AuditReport, kind, txn_id, user_id, org_id, amount, legs) -> None:
    if kind == "topup":
        expected = {"card": amount, "settlement": -amount}
    elif kind == "payout":
        expected = {"merchant": -amount, "settlement": amount}
    elif kind == "adjustment":
        got = _legs(legs)
        target = {k: v for k, v in got.items() if k != "settlement"}
        expected = {"settlement": -amount, **({next(iter(target)): amount} if len(target) == 1 else {})}
    else:
        report.add("kind", _("알 수 없는 거래 유형입니다."), transaction_id=txn_id, stored=kind)
        return
    _expect_legs(report, txn_id, legs, expected, user_id=user_id, org_id=org_id)
