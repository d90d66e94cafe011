"""Organisation forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, TextAreaField

from ..core.vocab import ORG_KINDS
from ..web.forms import BaseForm, PercentField, choice_field, dong_field, length, required


class OrganizationForm(BaseForm):
    name = StringField(_l("조직 이름"), validators=[required(), length(100)])
    kind = choice_field(_l("조직 유형"), ORG_KINDS)
    dong = dong_field(_l("소재지(행정동)"))
    description = TextAreaField(_l("소개"), validators=[length(5000)])


class ProfileForm(BaseForm):
    """Where and when: the card shop list shows both (and the description, while there is none)."""

    address = StringField(
        _l("주소"),
        validators=[length(200)],
        render_kw={"autocomplete": "street-address", "placeholder": _l("예: 서울 성북구 장위로 12, 1층")},
    )
    opening_hours = StringField(
        _l("영업시간"),
        validators=[length(200)],
        render_kw={"placeholder": _l("예: 평일 10:00-19:00, 일요일 휴무")},
    )
    description = TextAreaField(_l("소개"), validators=[length(5000)])


class InviteForm(BaseForm):
    email = EmailField(_l("초대할 주민의 이메일"), validators=[required(), length(254)])


class CardPolicyForm(BaseForm):
    """The rates in percent (5, 2.5); ``data`` is basis points, as the services take them."""

    discount_bp = PercentField(_l("할인율(%)"))
    mileage_bp = PercentField(_l("마일리지 적립률(%)"))


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    kind = choice_field(_l("유형"), ORG_KINDS, allow_blank=True)
    dong = dong_field(_l("행정동"), allow_blank=True)
