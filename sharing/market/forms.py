"""Forms of the market's pages."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FileField,
    IntegerField,
    MultipleFileField,
    RadioField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, NumberRange, Optional

from ..core.vocab import LISTING_CATEGORIES
from ..web.forms import BaseForm, CodeField, choice_field, dong_field, length, required
from .common import CONDITION_LABELS, KIND_LABELS

REPORT_REASON_LABELS = {
    "spam": _l("광고·도배"),
    "unsafe": _l("위험하거나 불법인 물건"),
    "wrong_info": _l("잘못된 정보"),
    "abuse": _l("욕설·괴롭힘"),
    "other": _l("기타"),
}

_money = [Optional(), NumberRange(1, 10_000_000, message=_l("1원 이상 10,000,000원 이하로 입력해 주세요."))]


class ListingForm(BaseForm):
    title = StringField(_l("제목"), validators=[required(), length(100)])
    kind = choice_field(_l("거래 방식"), KIND_LABELS)
    # No default: the first category is not a guess at what the thing is. The blank choice asks.
    category = CodeField(
        _l("분류"),
        choices=[("", _l("분류를 골라 주세요"))] + list(LISTING_CATEGORIES.items()),
        validators=[DataRequired(message=_l("분류를 골라 주세요."))],
    )
    dong = dong_field(_l("거래할 동네(행정동)"))
    condition = choice_field(_l("물건 상태"), CONDITION_LABELS)
    description = TextAreaField(_l("설명"), validators=[length(5000)])
    price_per_day = IntegerField(_l("하루 대여료(원, 유료 대여)"), validators=_money)
    price = IntegerField(_l("가격(원, 중고 판매)"), validators=_money)
    deposit = StringField(_l("보증금 안내(선택)"), validators=[length(200)])
    organization_id = SelectField(_l("올리는 이름"), choices=[], validators=[Optional()])
    photos = MultipleFileField(_l("사진(JPEG·PNG·WebP, 한 장에 5MB, 8장까지)"))


class SearchForm(BaseForm):
    class Meta:
        csrf = False

    q = SearchField(_l("검색어"), validators=[length(100)])
    kind = choice_field(_l("거래 방식"), KIND_LABELS, allow_blank=True)
    category = choice_field(_l("분류"), LISTING_CATEGORIES, allow_blank=True)
    dong = dong_field(_l("행정동"), allow_blank=True)
    available_from = DateField(_l("빌릴 날(부터)"), validators=[Optional()])
    available_to = DateField(_l("빌릴 날(까지)"), validators=[Optional()])


class RequestForm(BaseForm):
    """Asking to borrow (share, rent): the days of the loan."""

    start_date = DateField(_l("시작일"), validators=[required()])
    end_date = DateField(_l("종료일(반납일)"), validators=[required()])
    message = TextAreaField(_l("메시지(선택)"), validators=[length(2000)])


class PickupRequestForm(BaseForm):
    """Asking to receive (giveaway, swap, sale): one day to meet, nothing is given back."""

    start_date = DateField(_l("받을 날"), validators=[required()])
    message = TextAreaField(_l("메시지(선택)"), validators=[length(2000)])

    @property
    def end_date(self):
        return self.start_date  # the service's one agreed day: start and end are the same


def request_form_for(listing, **kwargs) -> BaseForm:
    """The request form a listing asks for: the days of a loan, or the day to pick it up."""
    return (RequestForm if listing.borrowable else PickupRequestForm)(**kwargs)


class MessageForm(BaseForm):
    body = TextAreaField(_l("메시지"), validators=[required(), length(2000)])


class ReviewForm(BaseForm):
    rating = RadioField(
        _l("별점"),
        choices=[(str(n), _l("%(n)s점", n=n)) for n in range(5, 0, -1)],
        validators=[required()],
    )
    comment = TextAreaField(_l("후기(선택)"), validators=[length(1000)])


class ReportForm(BaseForm):
    reason = choice_field(_l("신고 사유"), REPORT_REASON_LABELS)
    comment = TextAreaField(_l("자세한 내용(선택)"), validators=[length(1000)])


class PhotoForm(BaseForm):
    file = FileField(_l("사진 추가"))


class ReturnForm(BaseForm):
    refund_unused = BooleanField(_l("남은 날의 대여료를 환불합니다"))


class QuestionForm(BaseForm):
    """A question to the owner from the listing page, before any request."""

    question = TextAreaField(_l("물어볼 내용"), validators=[required(), length(2000)])
