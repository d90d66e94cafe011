"""API schemas for accounts."""

from marshmallow import fields, validate

from ..schemas import BaseSchema, Dong, SeoulDateTime, Text


class RegisterIn(BaseSchema):
    email = Text(254)
    password = fields.String(
        required=True, validate=validate.Length(max=128, error="비밀번호는 8자 이상 128자 이하여야 합니다.")
    )
    name = Text(50)
    dong = Dong()


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
