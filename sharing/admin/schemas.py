"""API schemas of the centre's console and of residents' reports."""

from marshmallow import fields, validate

from ..core.vocab import ORG_KINDS, ROLES
from ..records.models import REPORT_REASONS, REPORT_STATUSES, REPORT_TARGETS, RESOLUTIONS
from ..web.schemas import BaseSchema, Choice, Dong, SeoulDateTime, StrictInteger, Text
from .console import ORG_STATUSES
from .users import USER_STATUSES


class StrictBoolean(fields.Boolean):
    """A JSON true or false only (no "yes", 1 or "true")."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class _Paging(BaseSchema):
    page = fields.Integer(required=False)
    per_page = fields.Integer(required=False)


class ReportIn(BaseSchema):
    target_type = Choice(REPORT_TARGETS)
    target_id = StrictInteger(
        required=True, validate=validate.Range(min=1, max=2**31 - 1, error="1 이상의 번호여야 합니다.")
    )
    reason = Choice(REPORT_REASONS)
    comment = Text(1000, required=False, min_len=0, load_default="", multiline=True)


class ReportOut(BaseSchema):
    id = fields.Integer()
    target_type = fields.String()
    target_id = fields.Integer()
    reason = fields.String()
    comment = fields.String()
    status = fields.String()
    resolution = fields.String(allow_none=True)
    reporter_id = fields.Integer()
    resolved_by_id = fields.Integer(allow_none=True)
    resolved_at = SeoulDateTime(allow_none=True)
    created_at = SeoulDateTime()


class AdminTargetOut(BaseSchema):
    type = fields.String()
    id = fields.Integer()
    title = fields.String()
    author_id = fields.Integer(allow_none=True)
    author_name = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    hidden = fields.Boolean(allow_none=True)


class AdminReportGroupOut(BaseSchema):
    """The reports on one target."""

    report_id = fields.Integer(metadata={"description": "the latest report; resolve the group through it"})
    target_type = fields.Function(lambda g: g.target.type)
    target_id = fields.Function(lambda g: g.target.id)
    target = fields.Nested(AdminTargetOut)
    count = fields.Integer()
    reasons = fields.Dict(keys=fields.String(), values=fields.Integer())
    first_reported_at = SeoulDateTime(attribute="first_at")
    last_reported_at = SeoulDateTime(attribute="last_at")
    reports = fields.List(fields.Nested(ReportOut))


class AdminReportQuery(_Paging):
    status = Choice((*REPORT_STATUSES, "all"), required=False)
    target_type = Choice(REPORT_TARGETS, required=False)


class ResolveIn(BaseSchema):
    action = Choice(RESOLUTIONS)
    note = Text(1000, required=False, min_len=0, load_default="", multiline=True)


class ResolveOut(BaseSchema):
    action = fields.String()
    target_type = fields.String()
    target_id = fields.Integer()
    resolved = fields.List(fields.Nested(ReportOut))


class AdminUserOut(BaseSchema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    dong = fields.String()
    role = fields.String()
    suspended = fields.Function(lambda u: u.suspended_at is not None)
    suspended_at = SeoulDateTime(allow_none=True)
    created_at = SeoulDateTime()


class AdminUserQuery(_Paging):
    q = Text(254, required=False, min_len=0)
    role = Choice(ROLES, required=False)
    status = Choice(USER_STATUSES, required=False)


class AdminUserPatch(BaseSchema):
    # No ``role``: centre accounts are made only by the operator's command (flask users create-admin).
    suspended = StrictBoolean(required=True)


class AuditEntryOut(BaseSchema):
    id = fields.Integer()
    actor_id = fields.Integer(allow_none=True)
    actor_name = fields.Function(lambda e: e.actor.name if e.actor else None)
    action = fields.String()
    target_type = fields.String()
    target_id = fields.Integer(allow_none=True)
    detail = fields.Dict()
    created_at = SeoulDateTime()


class AuditQuery(_Paging):
    action = Text(60, required=False, min_len=0)
    actor_id = fields.Integer(
        required=False, validate=validate.Range(min=1, max=2**31 - 1, error="1 이상의 번호여야 합니다.")
    )
    target_type = Text(30, required=False, min_len=0)
    who = Text(254, required=False, min_len=0)


class AdminFounderOut(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()


class AdminOrganizationOut(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()
    dong = fields.String()
    verified = fields.Boolean()
    verified_at = SeoulDateTime(allow_none=True)
    discount_bp = fields.Integer()
    mileage_bp = fields.Integer()
    founder = fields.Nested(AdminFounderOut, allow_none=True)
    created_at = SeoulDateTime()


class AdminOrganizationQuery(_Paging):
    status = Choice(ORG_STATUSES, required=False)
    kind = Choice(ORG_KINDS, required=False)
    dong = Dong(required=False)


class AdminSummaryOut(BaseSchema):
    organizations_pending = fields.Integer()
    organizations_verified = fields.Integer()
    open_reports = fields.Integer()
    reported_targets = fields.Integer()
    users = fields.Integer()
    centre_users = fields.Integer()
    suspended_users = fields.Integer()
    recent_actions = fields.List(fields.Nested(AuditEntryOut))
