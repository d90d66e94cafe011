"""Forms of the card pages. Money-moving forms carry an idempotency key generated per render, so a
double submit (or a reload of the POST) moves money once."""

import uuid

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from ..core.money import AMOUNT_MAX, AMOUNT_MIN
from ..web.forms import BaseForm, choice_field

KIND_LABELS = {
    "topup": _l("충전"),
    "payment": _l("결제"),
    "refund": _l("환불"),
    "payout": _l("정산"),
    "adjustment": _l("조정"),
}
HISTORY_KINDS = ("topup", "payment", "refund", "adjustment")
_AMOUNT_MESSAGE = _l("금액은 1원 이상 10,000,000원 이하의 정수여야 합니다.")


def _amount(label, *, required=True):
    validators = [
        DataRequired(message=_l("금액을 입력해 주세요.")) if required else Optional(),
        NumberRange(AMOUNT_MIN, AMOUNT_MAX, message=_AMOUNT_MESSAGE),
    ]
    return IntegerField(
        label,
        validators=validators,
        render_kw={"inputmode": "numeric", "min": AMOUNT_MIN, "max": AMOUNT_MAX, "step": 1},
    )


class MoneyForm(BaseForm):
    idempotency_key = HiddenField(validators=[Regexp(r"^[0-9a-f]{32}$")])

    def fresh_key(self) -> "MoneyForm":
        if not self.idempotency_key.data:
            self.idempotency_key.data = uuid.uuid4().hex
        return self


class TopupForm(MoneyForm):
    amount = _amount(_l("충전할 금액(원)"))


class PayForm(MoneyForm):
    """Sent twice: from the pay page (shows the confirmation page), then from the confirmation page
    with ``confirmed`` and the ``quote`` of the figures shown (pays, unless they changed)."""

    amount = _amount(_l("결제할 금액(원)"))
    use_mileage = BooleanField(_l("마일리지를 먼저 사용"))
    confirmed = HiddenField()
    quote = HiddenField(validators=[Optional(), Length(max=100)])


class RefundForm(MoneyForm):
    amount = _amount(_l("환불할 금액(원, 비우면 남은 금액 전부)"), required=False)


class PayoutForm(MoneyForm):
    amount = _amount(_l("정산할 금액(원, 비우면 잔액 전부)"), required=False)


class ReferenceForm(BaseForm):
    """The centre's confirmation of money that arrived or left: a receipt or transfer reference."""

    reference = StringField(
        _l("참조 번호(영수증·이체 번호)"),
        validators=[DataRequired(message=_l("참조 번호를 입력해 주세요.")), Length(max=100)],
    )


class HistoryFilterForm(BaseForm):
    class Meta:
        csrf = False

    kind = choice_field(_l("구분"), {k: KIND_LABELS[k] for k in HISTORY_KINDS}, allow_blank=True)
    date_from = DateField(_l("시작일"), validators=[Optional()])
    date_to = DateField(_l("종료일"), validators=[Optional()])
