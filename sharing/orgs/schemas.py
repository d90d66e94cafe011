"""API schemas for organisations."""

from marshmallow import fields

from ..core.vocab import ORG_KINDS
from ..web.schemas import BaseSchema, BasisPoints, Choice, Dong, SeoulDateTime, Text


class OrganizationIn(BaseSchema):
    name = Text(100)
    kind = Choice(ORG_KINDS)
    dong = Dong()
    description = Text(5000, required=False, min_len=0, load_default="", multiline=True)


class OrganizationOut(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    dong = fields.String()
    description = fields.String()
    verified = fields.Boolean()
    discount_bp = fields.Integer()
    mileage_bp = fields.Integer()
    created_at = SeoulDateTime()


class OrganizationQuery(BaseSchema):
    kind = Choice(ORG_KINDS, required=False)
    dong = Dong(required=False)
    verified = fields.Boolean(required=False)
    page = fields.Integer(required=False)
    per_page = fields.Integer(required=False)


class CardPolicyIn(BaseSchema):
    discount_bp = BasisPoints(required=True)
    mileage_bp = BasisPoints(required=True)


class VerifyOut(BaseSchema):
    id = fields.Integer()
    verified = fields.Boolean()


class InviteIn(BaseSchema):
    email = Text(254)
