"""Organisation forms."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, StringField, TextAreaField
from wtforms.validators import NumberRange

from ..core.vocab import ORG_KINDS
from ..web.forms import BaseForm, choice_field, dong_field, length, required


class OrganizationForm(BaseForm):
    name = StringField(_l("조직 이름"), validators=[required(), length(100)])
    kind = choice_field(_l("조직 유형"), ORG_KINDS)
    dong = dong_field(_l("소재지(행정동)"))
    description = TextAreaField(_l("소개"), validators=[length(5000)])


class InviteForm(BaseForm):
    email = EmailField(_l("초대할 주민의 이메일"), validators=[required(), length(254)])


class CardPolicyForm(BaseForm):
    discount_bp = IntegerField(
        _l("할인율(bp, 100 = 1%)"),
        validators=[NumberRange(0, 2000, message=_l("0에서 2000 사이여야 합니다."))],
    )
    mileage_bp = IntegerField(
        _l("마일리지 적립률(bp, 100 = 1%)"),
        validators=[NumberRange(0, 2000, message=_l("0에서 2000 사이여야 합니다."))],
    )


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    kind = choice_field(_l("유형"), ORG_KINDS, allow_blank=True)
    dong = dong_field(_l("행정동"), allow_blank=True)
