"""The centre's console (마을사회적경제센터 관리), HTML pages under /admin.

The blueprint has no url_prefix so that the residents' report page (``/reports/new``) can live
beside it; every console route is written with its ``/admin`` prefix. The plan pages at
``/admin/plan`` are the plan blueprint's, not this one's.

The topic modules hold plain view functions; this module holds the blueprint and its URL map, so
the endpoint names (``admin.<function>``) and every URL of the console read in one place.
"""

from __future__ import annotations

from flask import Blueprint

from . import audit, common, organizations, report_form, reports, users

bp = Blueprint("admin", __name__)
bp.before_request(common.centre_only)
bp.app_template_filter("admin_iso")(common.admin_iso)
bp.context_processor(common.labels)

GET, POST = ["GET"], ["POST"]

bp.add_url_rule("/admin", view_func=audit.index, methods=GET)
bp.add_url_rule("/admin/organizations", view_func=organizations.organizations, methods=GET)
bp.add_url_rule(
    "/admin/organizations/<int:org_id>/verify", view_func=organizations.verify_organization, methods=POST
)
bp.add_url_rule(
    "/admin/organizations/<int:org_id>/card-policy",
    view_func=organizations.organization_policy,
    methods=POST,
)
bp.add_url_rule("/admin/reports", view_func=reports.reports, methods=GET)
bp.add_url_rule("/admin/reports/<int:report_id>/resolve", view_func=reports.resolve_report, methods=POST)
bp.add_url_rule("/admin/users", view_func=users.users, methods=GET)
bp.add_url_rule("/admin/users/<int:user_id>/suspend", view_func=users.user_suspend, methods=POST)
bp.add_url_rule("/admin/audit-log", view_func=audit.audit_log, methods=GET)
bp.add_url_rule("/admin/audit-log.csv", view_func=audit.audit_log_csv, methods=GET)
# The residents' side, outside /admin (PUBLIC_ENDPOINTS in common lets them past the guard).
bp.add_url_rule("/reports/new", view_func=report_form.new_report, methods=["GET", "POST"])
