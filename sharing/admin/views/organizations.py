"""The organisations awaiting verification, and their card policy."""

from __future__ import annotations

from flask import flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ...orgs import services as org_services
from ...orgs.forms import CardPolicyForm
from ...web.api import paginate
from ...web.helpers import form_flag, page_arg
from .. import services
from ..forms import OrganizationFilterForm
from .common import PER_PAGE, back, clean, run


def organizations():
    form = OrganizationFilterForm(request.args)
    args = clean(form, "status", "kind", "dong")
    status = args.get("status", "pending")
    page = page_arg()
    stmt = services.organizations(current_user, status=status, kind=args.get("kind"), dong=args.get("dong"))
    orgs, total = paginate(stmt, page=page, per_page=PER_PAGE)
    policy_forms = {o.id: CardPolicyForm(obj=o, prefix=f"org{o.id}", formdata=None) for o in orgs}
    return render_template(
        "admin/organizations.html",
        form=form,
        orgs=orgs,
        founders=services.founders(orgs),
        policy_forms=policy_forms,
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=args,
        status=status,
    )


def verify_organization(org_id: int):
    verified = form_flag("verified")
    return run(
        lambda: org_services.set_verified(current_user, org_id, verified),
        _("조직을 인증했습니다.") if verified else _("조직 인증을 취소했습니다."),
        "admin.organizations",
    )


def organization_policy(org_id: int):
    form = CardPolicyForm(prefix=f"org{org_id}")
    if not form.validate_on_submit():
        for f in (form.discount_bp, form.mileage_bp):
            for message in f.errors:
                flash(f"{f.label.text}: {message}", "error")
        return back("admin.organizations")
    return run(
        lambda: org_services.set_card_policy(
            current_user, org_id, discount_bp=form.discount_bp.data, mileage_bp=form.mileage_bp.data
        ),
        _("카드 할인·적립 정책을 저장했습니다."),
        "admin.organizations",
    )
