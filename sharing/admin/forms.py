"""Forms of the centre's console and of the residents' report page."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SearchField, SelectField, StringField, TextAreaField

from ..core.vocab import ORG_KINDS
from ..web.forms import BaseForm, choice_field, dong_field, length, required
from .vocab import REASON_LABELS, ROLE_LABELS, STATUS_LABELS, TARGET_LABELS


class ReportForm(BaseForm):
    """A resident reports a listing, message, post, resource or account."""

    target_type = HiddenField()
    target_id = HiddenField()
    next = HiddenField()
    reason = RadioField(
        _l("신고 사유"),
        choices=list(REASON_LABELS.items()),
        validators=[required()],
    )
    comment = TextAreaField(_l("자세한 내용 (선택)"), validators=[length(1000)])


class _Filters(BaseForm):
    class Meta:
        csrf = False


class OrganizationFilterForm(_Filters):
    status = SelectField(
        _l("상태"),
        choices=[("pending", _l("인증 대기")), ("verified", _l("인증됨")), ("all", _l("전체"))],
        default="pending",
    )
    kind = choice_field(_l("유형"), ORG_KINDS, allow_blank=True)
    dong = dong_field(_l("행정동"), allow_blank=True)


class ReportFilterForm(_Filters):
    status = SelectField(
        _l("처리 상태"),
        choices=[*STATUS_LABELS.items(), ("all", _l("전체"))],
        default="open",
    )
    target_type = choice_field(_l("대상"), TARGET_LABELS, allow_blank=True)


class UserFilterForm(_Filters):
    q = StringField(_l("이름 또는 이메일"), validators=[length(254)])
    role = choice_field(_l("역할"), ROLE_LABELS, allow_blank=True)
    status = SelectField(
        _l("계정 상태"),
        choices=[("", _l("전체")), ("active", _l("이용 중")), ("suspended", _l("정지됨"))],
        default="",
    )


class AuditFilterForm(_Filters):
    action = SelectField(_l("작업"), choices=[("", _l("전체"))], default="")
    who = SearchField(_l("처리한 사람 (이름 또는 이메일)"), validators=[length(254)])
    target_type = SelectField(_l("대상 유형"), choices=[("", _l("전체"))], default="")
