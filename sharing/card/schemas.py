"""API schemas for the trade card (API.md, "Trade card")."""

from marshmallow import fields

from ..web.schemas import BaseSchema, Choice, Id, SeoulDateTime, Won

TRANSACTION_KINDS = ("topup", "payment", "refund", "adjustment")


class StrictBoolean(fields.Boolean):
    """Only JSON true or false (no 1, "yes", "true")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class CardOut(BaseSchema):
    account_id = fields.Integer(allow_none=True)
    balance = fields.Integer()
    mileage = fields.Integer()


class TopupIn(BaseSchema):
    amount = Won()


class TopupOut(BaseSchema):
    id = fields.Integer()
    amount = fields.Integer()
    balance = fields.Integer()
    status = fields.String(
        metadata={"description": "posted, or pending until a settlement source confirms it"}
    )


class PaymentIn(BaseSchema):
    organization_id = Id(required=True)
    amount = Won()
    use_mileage = StrictBoolean(load_default=False)


class PaymentOut(BaseSchema):
    id = fields.Integer()
    organization_id = fields.Integer()
    amount = fields.Integer()
    discount = fields.Integer()
    paid = fields.Integer()
    from_card = fields.Integer()
    from_mileage = fields.Integer()
    fund_fee = fields.Integer()
    fund_rate_bp = fields.Integer()
    mileage_earned = fields.Integer()
    merchant_net = fields.Integer()
    created_at = SeoulDateTime()


class RefundIn(BaseSchema):
    amount = Won(required=False)


class RefundOut(BaseSchema):
    id = fields.Integer()
    payment_id = fields.Integer()
    amount = fields.Integer()
    discount = fields.Integer()
    paid = fields.Integer()
    to_card = fields.Integer()
    to_mileage = fields.Integer()
    fund_fee = fields.Integer()
    mileage_clawback = fields.Integer()
    clawback_from_card = fields.Integer()
    merchant_net = fields.Integer()
    created_at = SeoulDateTime()


class TransactionQuery(BaseSchema):
    kind = Choice(TRANSACTION_KINDS, required=False)
    date_from = fields.Date(required=False, data_key="from")
    date_to = fields.Date(required=False, data_key="to")
    page = fields.Integer(required=False)
    per_page = fields.Integer(required=False)


class TransactionOut(BaseSchema):
    id = fields.Integer()
    kind = fields.String()
    amount = fields.Integer()
    card = fields.Integer(metadata={"description": "what the transaction did to the card balance"})
    mileage = fields.Integer(metadata={"description": "what the transaction did to the mileage"})
    organization_id = fields.Integer(allow_none=True)
    organization_name = fields.String(allow_none=True)
    payment_id = fields.Integer(allow_none=True, metadata={"description": "for a refund"})
    refunded = fields.Integer(metadata={"description": "for a payment: price refunded so far"})
    created_at = SeoulDateTime()


class FundOut(BaseSchema):
    balance = fields.Integer()
    accrued = fields.Integer()
    refunded = fields.Integer()
    payments = fields.Integer()


class AuditProblemOut(BaseSchema):
    check = fields.String()
    transaction_id = fields.Integer(allow_none=True)
    account_id = fields.Integer(allow_none=True)
    expected = fields.Raw(allow_none=True)
    stored = fields.Raw(allow_none=True)
    message = fields.String()


class PendingOut(BaseSchema):
    """Money waiting for its second phase, outside the ledger's balances."""

    topups = fields.Integer(metadata={"description": "pending top-ups not yet confirmed nor void (won)"})
    topup_count = fields.Integer()
    payouts = fields.Integer(metadata={"description": "payouts requested, not yet approved (won)"})
    payout_count = fields.Integer()


class AuditOut(BaseSchema):
    ok = fields.Boolean()
    payments_checked = fields.Integer()
    fund_balance = fields.Integer()
    expected_fund_balance = fields.Integer()
    ledger_balanced = fields.Boolean()
    chain_intact = fields.Boolean()
    problem_count = fields.Integer(metadata={"description": "every problem found, listed or not"})
    truncated = fields.Boolean(metadata={"description": "true when problems lists fewer than problem_count"})
    problems = fields.List(fields.Nested(AuditProblemOut))
    pending = fields.Nested(PendingOut)


class CheckpointOut(BaseSchema):
    seq = fields.Integer()
    head = fields.String(metadata={"description": "the chain's hash at seq"})
    at = fields.String(metadata={"description": "when it was taken, ISO 8601 (Asia/Seoul)"})
    fund_balance = fields.Integer()
    issued = fields.Integer(metadata={"description": "every top-up so far, won"})
    circulating = fields.Integer(metadata={"description": "card, mileage and merchant balances, won"})
    key_id = fields.String()
    signature = fields.String(metadata={"description": "HMAC-SHA256 under the ledger key"})


class TopupConfirmIn(BaseSchema):
    reference = fields.String(
        required=True, metadata={"description": "the cash desk's receipt or the provider's payment reference"}
    )


class TopupConfirmOut(BaseSchema):
    id = fields.Integer()
    amount = fields.Integer()
    status = fields.String(metadata={"description": "posted"})
    reference = fields.String()
    transaction_id = fields.Integer()


class PayoutIn(BaseSchema):
    amount = Won(required=False, metadata={"description": "omitted: all that is not already requested"})


class PayoutOut(BaseSchema):
    id = fields.Integer()
    organization_id = fields.Integer()
    amount = fields.Integer()
    status = fields.String(metadata={"description": "requested, then posted once the centre approves it"})
    reference = fields.String(allow_none=True)
    transaction_id = fields.Integer(allow_none=True)
    created_at = SeoulDateTime()


class PayoutApproveIn(BaseSchema):
    reference = fields.String(required=True, metadata={"description": "the bank transfer's reference"})


class AnomalyOut(BaseSchema):
    rule = fields.String(
        metadata={
            "description": "concentrated_spending, round_amounts_card, round_amounts_shop or quick_payout"
        }
    )
    reason = fields.String()
    user_id = fields.Integer(allow_none=True)
    organization_id = fields.Integer(allow_none=True)
    amount = fields.Integer(allow_none=True)
    count = fields.Integer(allow_none=True)
    first_at = SeoulDateTime(allow_none=True)
    last_at = SeoulDateTime(allow_none=True)
