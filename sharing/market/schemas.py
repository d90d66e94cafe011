"""API schemas for the market."""

from __future__ import annotations

from marshmallow import fields, validate, validates_schema
from marshmallow.exceptions import ValidationError

from ..core.media import media_url
from ..core.vocab import LISTING_CATEGORIES
from ..records.models import REPORT_REASONS
from ..web.schemas import BaseSchema, Choice, Dong, Id, SeoulDateTime, StrictInteger, Text, Won
from .models import CONDITIONS, KINDS
from .services.loan_queries import is_overdue


class ListingIn(BaseSchema):
    title = Text(100)
    description = Text(5000, required=False, min_len=0, load_default="", multiline=True)
    kind = Choice(KINDS)
    category = Choice(LISTING_CATEGORIES)
    dong = Dong()
    condition = Choice(CONDITIONS, required=False, load_default="good")
    price = Won(required=False, allow_none=True, load_default=None)
    price_per_day = Won(required=False, allow_none=True, load_default=None)
    deposit = Text(200, required=False, min_len=0, allow_none=True, load_default=None)
    organization_id = Id(required=False, allow_none=True, load_default=None)


class ListingPatch(BaseSchema):
    title = Text(100, required=False)
    description = Text(5000, required=False, min_len=0, multiline=True)
    kind = Choice(KINDS, required=False)
    category = Choice(LISTING_CATEGORIES, required=False)
    dong = Dong(required=False)
    condition = Choice(CONDITIONS, required=False)
    price = Won(required=False, allow_none=True)
    price_per_day = Won(required=False, allow_none=True)
    deposit = Text(200, required=False, min_len=0, allow_none=True)
    status = Choice(("active", "paused", "closed"), required=False)


class RequestQuery(BaseSchema):
    role = Choice(
        ("borrower", "owner"),
        required=False,
        metadata={"description": "borrower (기본값): 내가 빌린 것, owner: 내가 빌려준 것"},
    )
    page = fields.Integer(required=False)
    per_page = fields.Integer(required=False)


class ListingQuery(BaseSchema):
    q = fields.String(required=False, validate=validate.Length(max=100, error="100자 이하로 입력해 주세요."))
    kind = Choice(KINDS, required=False)
    category = Choice(LISTING_CATEGORIES, required=False)
    dong = Dong(required=False)
    available_from = fields.Date(required=False)
    available_to = fields.Date(required=False)
    page = fields.Integer(required=False)
    per_page = fields.Integer(required=False)

    @validates_schema
    def _range(self, data, **_kw):
        start, end = data.get("available_from"), data.get("available_to")
        if start and end and end < start:
            raise ValidationError("종료일은 시작일과 같거나 뒤여야 합니다.", "available_to")


class MarketPersonOut(BaseSchema):
    id = fields.Integer()
    name = fields.String()


class ListingOrganization(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    verified = fields.Boolean()


class ListingPhotoOut(BaseSchema):
    id = fields.Integer()
    url = fields.Function(lambda p: media_url(p.key))
    thumb_url = fields.Function(lambda p: media_url(p.thumb_key))
    width = fields.Integer()
    height = fields.Integer()
    content_type = fields.String()


class MarketRatingOut(BaseSchema):
    average = fields.Float(allow_none=True)
    count = fields.Integer()


class ListingOut(BaseSchema):
    id = fields.Integer()
    title = fields.String()
    description = fields.String()
    kind = fields.String()
    category = fields.String()
    dong = fields.String()
    condition = fields.String()
    price = fields.Integer(allow_none=True)
    price_per_day = fields.Integer(allow_none=True)
    deposit = fields.String(allow_none=True)
    status = fields.String()
    hidden = fields.Boolean()
    card_payment = fields.Boolean(attribute="card_rental")
    organization_id = fields.Integer(allow_none=True)
    organization = fields.Nested(ListingOrganization, allow_none=True)
    owner = fields.Nested(MarketPersonOut)
    photos = fields.List(fields.Nested(ListingPhotoOut))
    rating = fields.Function(lambda item: {"average": item.rating_average, "count": item.rating_count})
    created_at = SeoulDateTime()
    updated_at = SeoulDateTime()


class RequestIn(BaseSchema):
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    message = Text(2000, required=False, min_len=0, load_default="", multiline=True)


class RequestOut(BaseSchema):
    id = fields.Integer()
    listing_id = fields.Integer()
    listing_title = fields.Function(lambda loan: loan.listing.title)
    listing_kind = fields.Function(lambda loan: loan.listing.kind)
    owner = fields.Function(lambda loan: {"id": loan.listing.owner.id, "name": loan.listing.owner.name})
    borrower = fields.Nested(MarketPersonOut)
    status = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    days = fields.Integer()
    message = fields.String()
    overdue = fields.Function(lambda loan: _overdue(loan))
    amount = fields.Integer(allow_none=True)
    price_per_day = fields.Integer(
        allow_none=True, metadata={"description": "대여: 요청할 때 정해진 하루 대여료"}
    )
    payment_id = fields.Integer(allow_none=True)
    refunded_amount = fields.Integer()
    created_at = SeoulDateTime()
    decided_at = SeoulDateTime(allow_none=True)
    handed_over_at = SeoulDateTime(allow_none=True)
    returned_at = SeoulDateTime(allow_none=True)
    cancelled_at = SeoulDateTime(allow_none=True)


def _overdue(loan) -> bool:
    return is_overdue(loan)


class RequestReturnIn(BaseSchema):
    refund_unused = fields.Boolean(required=False, load_default=False)


class RequestMessageIn(BaseSchema):
    body = Text(2000, multiline=True)


class RequestMessageOut(BaseSchema):
    id = fields.Integer()
    request_id = fields.Integer(attribute="loan_id")
    author = fields.Nested(MarketPersonOut)
    body = fields.Function(lambda m: None if m.hidden else m.body)
    hidden = fields.Boolean()
    created_at = SeoulDateTime()


class RequestReviewIn(BaseSchema):
    rating = StrictInteger(
        required=True, validate=validate.Range(min=1, max=5, error="별점은 1에서 5 사이의 정수여야 합니다.")
    )
    comment = Text(1000, required=False, min_len=0, load_default="", multiline=True)


class RequestReviewOut(BaseSchema):
    id = fields.Integer()
    request_id = fields.Integer(attribute="loan_id")
    listing_id = fields.Integer()
    role = fields.String()
    author = fields.Nested(MarketPersonOut)
    subject_id = fields.Integer()
    rating = fields.Integer()
    comment = fields.String()
    created_at = SeoulDateTime()


class MarketReportIn(BaseSchema):
    reason = Choice(REPORT_REASONS)
    comment = Text(1000, required=False, min_len=0, load_default="", multiline=True)


class MarketReportOut(BaseSchema):
    id = fields.Integer()
    target_type = fields.String()
    target_id = fields.Integer()
    reason = fields.String()
    status = fields.String()


class UserRatingsOut(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    as_lender = fields.Nested(MarketRatingOut)
    as_borrower = fields.Nested(MarketRatingOut)
