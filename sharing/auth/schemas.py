"""API schemas for accounts."""

from marshmallow import fields, validate

from ..web.schemas import BaseSchema, Dong, SeoulDateTime, Text


class Consent(fields.Boolean):
    """An agreement: required, and only JSON ``true`` counts (not 1, "yes" or false)."""

    def __init__(self, error: str):
        super().__init__(required=True, validate=validate.Equal(True, error=error))

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class RegisterIn(BaseSchema):
    email = Text(254)
    password = fields.String(
        required=True, validate=validate.Length(max=128, error="비밀번호는 8자 이상 128자 이하여야 합니다.")
    )
    name = Text(50)
    dong = Dong()
    privacy_consent = Consent("개인정보 수집·이용에 동의해야 가입할 수 있습니다.")
    terms_consent = Consent("이용약관에 동의해야 가입할 수 있습니다.")


class TokenIn(BaseSchema):
    email = fields.String(
        required=True, validate=validate.Length(max=254, error="254자 이하로 입력해 주세요.")
    )
    password = fields.String(
        required=True, validate=validate.Length(max=128, error="128자 이하로 입력해 주세요.")
    )


class TokenOut(BaseSchema):
    token = fields.String()
    expires_at = SeoulDateTime()


class MembershipOrgOut(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    verified = fields.Boolean()


class UserOut(BaseSchema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    dong = fields.String()
    role = fields.String()
    created_at = SeoulDateTime()


class MeOut(UserOut):
    organizations = fields.List(fields.Nested(MembershipOrgOut))


class ProfileIn(BaseSchema):
    name = Text(50, required=False)
    dong = Dong(required=False)


class DeleteAccountIn(BaseSchema):
    password = fields.String(
        required=True, validate=validate.Length(max=128, error="128자 이하로 입력해 주세요.")
    )


class ExportOut(BaseSchema):
    """Everything kept about the signed-in resident (sections of rows, as stored)."""

    profile = fields.Dict()
    organizations = fields.List(fields.Dict())
    listings = fields.List(fields.Dict())
    loan_requests = fields.List(fields.Dict())
    loan_messages = fields.List(fields.Dict())
    listing_questions = fields.List(fields.Dict())
    question_messages = fields.List(fields.Dict())
    reviews = fields.List(fields.Dict())
    posts = fields.List(fields.Dict())
    resources = fields.List(fields.Dict())
    reports = fields.List(fields.Dict())
    follows = fields.List(fields.Dict())
    notifications = fields.List(fields.Dict())
    card = fields.Dict()
    api_tokens = fields.List(fields.Dict())
