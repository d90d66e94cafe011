"""API schemas for accounts."""

from marshmallow import fields

from ..schemas import BaseSchema, Dong, SeoulDateTime, Text


class RegisterIn(BaseSchema):
    email = Text(254)
    password = fields.String(required=True)
    name = Text(50)
    dong = Dong()


class TokenIn(BaseSchema):
    email = fields.String(required=True)
    password = fields.String(required=True)


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
