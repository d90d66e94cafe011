"""The centre's console: every operation the admin pages and the admin API call.

The rules live in the topic modules; this module is the one entry point views and API routes use.
Organisation verification and card policy are ``sharing.orgs.services`` (set_verified,
set_card_policy); roles and suspension are ``sharing.auth.services`` (set_role, set_suspended).
Every one of them, and :func:`resolve`, writes the audit log.
"""

from .console import (
    ORG_STATUSES,
    audit_csv,
    audit_filter_choices,
    audit_log,
    dashboard,
    founders,
    organizations,
    seoul_iso,
)
from .moderation import (
    ReportGroup,
    Resolution,
    Target,
    create_report,
    describe,
    moderation_fn,
    report_queue,
    resolve,
)
from .users import USER_STATUSES, search_users, update_user

__all__ = [
    "ORG_STATUSES",
    "USER_STATUSES",
    "ReportGroup",
    "Resolution",
    "Target",
    "audit_csv",
    "audit_filter_choices",
    "audit_log",
    "create_report",
    "dashboard",
    "describe",
    "founders",
    "moderation_fn",
    "organizations",
    "report_queue",
    "resolve",
    "search_users",
    "seoul_iso",
    "update_user",
]
