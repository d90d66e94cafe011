"""The public directory of organisations and their pages; members and the centre manage them."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..auth.services import require_centre
from ..core.errors import DomainError
from ..web.api import paginate
from ..web.forms import apply_errors
from ..web.helpers import form_flag, page_arg
from . import services
from .forms import CardPolicyForm, FilterForm, InviteForm, OrganizationForm, ProfileForm

bp = Blueprint("orgs", __name__, url_prefix="/organizations")

PER_PAGE = 20


@bp.get("")
def index():
    form = FilterForm(request.args)
    kind = form.kind.data if form.kind.data in dict(form.kind.choices) else None
    dong = form.dong.data if form.dong.data in dict(form.dong.choices) else None
    page = page_arg()
    rows, total = paginate(
        services.search(kind=kind or None, dong=dong or None), page=page, per_page=PER_PAGE
    )
    args = {k: v for k, v in (("kind", kind), ("dong", dong)) if v}
    return render_template(
        "orgs/index.html", form=form, orgs=rows, total=total, page=page, per_page=PER_PAGE, args=args
    )


def _show(org_id: int, *, invite_form=None, policy_form=None, status: int = 200):
    org = services.get(org_id)
    is_member = current_user.is_authenticated and services.is_member(current_user, org.id)
    return render_template(
        "orgs/show.html",
        org=org,
        is_member=is_member,
        invite_form=invite_form or InviteForm(formdata=None),
        policy_form=policy_form or CardPolicyForm(formdata=None, obj=org),
    ), status


@bp.get("/<int:org_id>")
def show(org_id: int):
    return _show(org_id)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            org = services.create(
                current_user,
                services.OrganizationInput(
                    form.name.data, form.kind.data, form.dong.data, form.description.data or ""
                ),
            )
        except DomainError as err:
            apply_errors(form, err)
        else:
            flash(_("조직을 등록했습니다. 센터의 인증을 기다려 주세요."), "success")
            return redirect(url_for("orgs.show", org_id=org.id))
    return render_template("orgs/form.html", form=form), 422 if form.errors else 200


def _refuse(err: DomainError) -> None:
    """Permission and existence answers are the error pages; the rest is shown beside the form."""
    if err.status in (401, 403) or (err.status == 404 and err.code != "user_not_found"):
        abort(err.status)


@bp.post("/<int:org_id>/invite")
@login_required
def invite(org_id: int):
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invite(current_user, org_id, form.email.data)
        except DomainError as err:
            _refuse(err)
            form.email.errors = list(form.email.errors) + [err.message]
            return _show(org_id, invite_form=form, status=err.status)
        flash(_("구성원으로 추가했습니다."), "success")
        return redirect(url_for("orgs.show", org_id=org_id))
    # Only members and the centre see the form; anyone else gets the permission answer first.
    org = services.get(org_id)
    try:
        services.require_member_or_centre(current_user, org)
    except DomainError as err:
        _refuse(err)
    return _show(org_id, invite_form=form, status=422)


@bp.post("/<int:org_id>/verify")
@login_required
def verify(org_id: int):
    verified = form_flag("verified")
    try:
        services.set_verified(current_user, org_id, verified, request.form.get("reason", ""))
    except DomainError as err:
        _refuse(err)
        raise
    flash(_("인증했습니다.") if verified else _("인증을 취소했습니다."), "success")
    return redirect(url_for("orgs.show", org_id=org_id))


@bp.post("/<int:org_id>/card-policy")
@login_required
def card_policy(org_id: int):
    form = CardPolicyForm()
    if form.validate_on_submit():
        try:
            services.set_card_policy(
                current_user, org_id, discount_bp=form.discount_bp.data, mileage_bp=form.mileage_bp.data
            )
        except DomainError as err:
            _refuse(err)
            apply_errors(form, err)
            return _show(org_id, policy_form=form, status=err.status)
        flash(_("카드 정책을 저장했습니다."), "success")
        return redirect(url_for("orgs.show", org_id=org_id))
    services.get(org_id)
    try:
        require_centre(current_user)
    except DomainError as err:
        _refuse(err)
    return _show(org_id, policy_form=form, status=422)


@bp.route("/<int:org_id>/profile", methods=["GET", "POST"])
@login_required
def profile(org_id: int):
    """Address, opening hours (and the description while there is none): members and the centre."""
    org = services.get(org_id)
    try:
        services.require_member_or_centre(current_user, org)
    except DomainError as err:
        _refuse(err)
    form = ProfileForm(obj=org)
    needs_description = not (org.description or "").strip()
    if form.validate_on_submit():
        try:
            services.update_profile(
                current_user,
                org.id,
                address=form.address.data,
                opening_hours=form.opening_hours.data,
                description=form.description.data if needs_description else None,
            )
        except DomainError as err:
            _refuse(err)
            apply_errors(form, err)
        else:
            flash(_("주소와 영업시간을 저장했습니다."), "success")
            return redirect(url_for("orgs.show", org_id=org.id))
    status = 422 if form.errors else 200
    return render_template(
        "orgs/profile.html", org=org, form=form, needs_description=needs_description
    ), status
