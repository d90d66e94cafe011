"""Forms of the news pages. They check shapes; the service checks the rules (and says why in Korean)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Optional

from ..core.search import MAX_QUERY
from ..core.vocab import DONGS
from ..orgs.services import verified_names
from ..web.forms import BaseForm, choice_field, dong_field, length, required
from .models import ALT_MAX, BODY_MAX, CATEGORIES, PLACE_MAX, TITLE_MAX

REPORT_REASON_LABELS = {
    "spam": _l("광고·도배"),
    "unsafe": _l("위험하거나 불법적인 내용"),
    "wrong_info": _l("잘못된 정보"),
    "abuse": _l("욕설·혐오·괴롭힘"),
    "other": _l("기타"),
}

PUBLISH_MODES = (
    ("now", _l("지금 게시")),
    ("schedule", _l("예약 게시")),
    ("draft", _l("임시 저장")),
)


class PostForm(BaseForm):
    organization_id = SelectField(_l("글쓴이(조직)"), choices=[], validate_choice=True)
    title = StringField(_l("제목"), validators=[required(), length(TITLE_MAX)])
    body = TextAreaField(_l("본문"), validators=[required(), length(BODY_MAX)], render_kw={"rows": 12})
    category = choice_field(_l("분류"), CATEGORIES)
    dong = dong_field(_l("행정동"), allow_blank=True, blank_label=_l("성북구 전체"))
    event_date = DateField(_l("행사 날짜"), validators=[Optional()])
    event_time = TimeField(_l("시작 시간"), validators=[Optional()])
    event_end_time = TimeField(_l("끝나는 시간"), validators=[Optional()])
    event_place = StringField(_l("행사 장소"), validators=[Optional(), length(PLACE_MAX)])
    cover = FileField(_l("표지 사진 (JPEG, PNG, WebP, 5MB까지)"))
    cover_alt = StringField(_l("표지 사진 설명 (화면낭독기용)"), validators=[Optional(), length(ALT_MAX)])
    publish = RadioField(_l("게시 방법"), choices=PUBLISH_MODES, default="now")
    publish_at = DateTimeLocalField(
        _l("예약 시각"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[Optional()]
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.publish.data == "schedule" and self.publish_at.data is None and not self.publish_at.errors:
            self.publish_at.errors = [*self.publish_at.errors, _l("예약 게시에는 예약 시각이 필요합니다.")]
            return False
        return ok


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    q = SearchField(_l("검색어"), validators=[Optional(), length(MAX_QUERY)])
    category = choice_field(_l("분류"), CATEGORIES, allow_blank=True)
    dong = dong_field(_l("행정동"), allow_blank=True)
    organization_id = SelectField(_l("조직"), choices=[], validate_choice=False)


class ReportForm(BaseForm):
    reason = choice_field(_l("신고 사유"), REPORT_REASON_LABELS)
    comment = TextAreaField(_l("설명 (선택)"), validators=[Optional(), length(1000)], render_kw={"rows": 3})


class FollowForm(BaseForm):
    """One form per kind on the page; only the posted kind's select is read (the service checks it)."""

    kind = HiddenField(validators=[required()])
    category = SelectField(
        _l("분류"), choices=[("", _l("선택"))] + list(CATEGORIES.items()), validate_choice=False
    )
    dong = SelectField(
        _l("행정동"), choices=[("", _l("선택"))] + [(d, d) for d in DONGS], validate_choice=False
    )
    organization_id = SelectField(_l("조직"), choices=[], validate_choice=False)


def verified_org_choices(blank_label) -> list[tuple[str, str]]:
    """The organisation select's choices: ``blank_label`` first, then every verified organisation."""
    return [("", blank_label)] + [(str(i), name) for i, name in verified_names()]
