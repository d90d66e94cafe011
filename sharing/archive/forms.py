"""Forms of the archive pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, SearchField, SelectField, StringField, TextAreaField

from ..core.vocab import RESOURCE_CATEGORIES
from ..web.forms import BaseForm, CodeField, choice_field, dong_field, length, required
from .models import AVAILABILITY_MAX, CONTACT_MAX, DESCRIPTION_MAX, NAME_MAX
from .vocab import OUTSIDE, OUTSIDE_LABEL, RESOURCE_KINDS, ZONE_CODES

REPORT_REASONS = {
    "wrong_info": _l("잘못되었거나 오래된 정보"),
    "spam": _l("광고·스팸"),
    "unsafe": _l("위험하거나 불법인 내용"),
    "abuse": _l("욕설·혐오·개인정보 노출"),
    "other": _l("기타"),
}


class ResourceForm(BaseForm):
    kind = choice_field(_l("유형"), RESOURCE_KINDS)
    name = StringField(_l("이름"), validators=[required(), length(NAME_MAX)])
    category = choice_field(_l("분야"), RESOURCE_CATEGORIES)
    dong = dong_field(_l("행정동"))
    description = TextAreaField(_l("설명"), validators=[required(), length(DESCRIPTION_MAX)])
    tags = StringField(_l("태그"), validators=[length(10 * 31)])
    availability = StringField(_l("이용 시간·안내"), validators=[length(AVAILABILITY_MAX)])
    contact = StringField(_l("연락처"), validators=[length(CONTACT_MAX)])
    organization_id = SelectField(_l("연결할 조직"), choices=[], validate_choice=True)

    def set_organizations(self, organizations) -> None:
        self.organization_id.choices = [("", _l("연결하지 않음"))] + [
            (str(o.id), o.name) for o in organizations
        ]

    def values(self) -> dict:
        org = self.organization_id.data
        return {
            "kind": self.kind.data,
            "name": self.name.data or "",
            "category": self.category.data,
            "dong": self.dong.data,
            "description": self.description.data or "",
            "tags": self.tags.data or "",
            "availability": self.availability.data or "",
            "contact": self.contact.data or "",
            "organization_id": int(org) if org and org.isdigit() else None,
        }


class SearchForm(BaseForm):
    class Meta:
        csrf = False

    q = SearchField(_l("검색어"), validators=[length(100)])
    kind = choice_field(_l("유형"), RESOURCE_KINDS, allow_blank=True)
    category = choice_field(_l("분야"), RESOURCE_CATEGORIES, allow_blank=True)
    # Labels stay lazy (OUTSIDE_LABEL is translated per request); zone names are proper nouns.
    zone = CodeField(
        _l("권역"),
        choices=[("", _l("전체"))] + [(z, OUTSIDE_LABEL if z == OUTSIDE else z) for z in ZONE_CODES],
        validators=[],
    )
    dong = dong_field(_l("행정동"), allow_blank=True)
    tag = StringField(_l("태그"), validators=[length(30)])


class KindFilterForm(BaseForm):
    class Meta:
        csrf = False

    kind = choice_field(_l("유형"), RESOURCE_KINDS, allow_blank=True)


class ReportForm(BaseForm):
    reason = choice_field(_l("신고 사유"), REPORT_REASONS)
    comment = TextAreaField(_l("설명(선택)"), validators=[length(1000)])


class ImportForm(BaseForm):
    file = FileField(_l("CSV 파일"), validators=[required()])


class ImportCommitForm(BaseForm):
    token = HiddenField(validators=[required()])
