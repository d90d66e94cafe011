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
