"""API schemas for the resource archive. Contacts are dumped for signed-in callers only."""

from marshmallow import fields, validate

from ..core.vocab import RESOURCE_CATEGORIES
from ..web.schemas import BaseSchema, Choice, Dong, Id, SeoulDateTime, Text
from .models import (
    AVAILABILITY_MAX,
    CONTACT_MAX,
    DESCRIPTION_MAX,
    EXTERNAL_ID_MAX,
    NAME_MAX,
    TAG_MAX,
    TAGS_MAX,
)
from .vocab import RESOURCE_KINDS, ZONE_CODES, zone_code, zone_label


def Tags(**kw):
    return fields.List(
        Text(TAG_MAX),
        validate=validate.Length(max=TAGS_MAX, error=f"태그는 {TAGS_MAX}개까지 붙일 수 있습니다."),
        **kw,
    )


class ResourceIn(BaseSchema):
    kind = Choice(RESOURCE_KINDS)
    name = Text(NAME_MAX)
    description = Text(DESCRIPTION_MAX, multiline=True)
    category = Choice(RESOURCE_CATEGORIES)
    dong = Dong()
    contact = Text(CONTACT_MAX, required=False, min_len=0)
    availability = Text(AVAILABILITY_MAX, required=False, min_len=0)
    tags = Tags(required=False)
    organization_id = Id(required=False, allow_none=True)
    external_id = Text(EXTERNAL_ID_MAX, required=False, min_len=0, allow_none=True)


class ResourcePatch(ResourceIn):
    """Every field optional (PATCH changes only what it names)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class ResourceQuery(BaseSchema):
    q = fields.String(required=False, validate=validate.Length(max=100))
    kind = Choice(RESOURCE_KINDS, required=False)
    category = Choice(RESOURCE_CATEGORIES, required=False)
    dong = Dong(required=False)
    zone = Choice(ZONE_CODES, required=False)
    tag = fields.String(required=False, validate=validate.Length(max=TAG_MAX))
    facets = fields.Boolean(required=False, metadata={"description": "1 adds facet counts"})
    page = fields.Integer(required=False)
    per_page = fields.Integer(required=False)


class ImportQuery(BaseSchema):
    dry_run = fields.Boolean(required=False, load_default=False)
    strict = fields.Boolean(required=False, load_default=False)


class ResourceOut(BaseSchema):
    id = fields.Integer()
    kind = fields.String()
    kind_label = fields.Function(lambda r: str(RESOURCE_KINDS.get(r.kind, r.kind)))
    category = fields.String()
    category_label = fields.Function(lambda r: str(RESOURCE_CATEGORIES.get(r.category, r.category)))
    name = fields.String()
    description = fields.String()
    dong = fields.String()
    zone = fields.Function(lambda r: zone_label(zone_code(r.dong)))
    tags = fields.Function(lambda r: r.tag_list)
    contact = fields.String()
    availability = fields.String()
    external_id = fields.String(allow_none=True)
    organization_id = fields.Integer(allow_none=True)
    organization_name = fields.String()
    owner_id = fields.Integer(allow_none=True)
    owner_name = fields.String()
    status = fields.String()
    confirmed_at = SeoulDateTime()
    created_at = SeoulDateTime()
    updated_at = SeoulDateTime()


def resource_out(user, **kw) -> ResourceOut:
    """The output schema for ``user``: anonymous callers never see contacts."""
    return ResourceOut(**kw) if user is not None else ResourceOut(exclude=("contact",), **kw)


class ImportRowOut(BaseSchema):
    row = fields.Integer()
    action = fields.String()
    id = fields.Integer(allow_none=True)
    name = fields.String()
    reasons = fields.List(fields.String())
    changed = fields.List(fields.String())


class ImportOut(BaseSchema):
    dry_run = fields.Boolean()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    rejected = fields.Integer()
    rows = fields.List(fields.Nested(ImportRowOut))
