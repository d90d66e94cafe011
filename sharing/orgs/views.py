"""The public directory of organisations and their pages; members and the centre manage them."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..api import paginate
from ..errors import DomainError
from ..forms import apply_errors
from . import services
from .forms import CardPolicyForm, FilterForm, InviteForm, OrganizationForm

bp = Blueprint("orgs", __name__, url_prefix="/organizations")


@bp.get("")
def index():
    form = FilterForm(request.args)
    kind = form.kind.data if form.kind.data in dict(form.kind.choices) else None
    dong = form.dong.data if form.dong.data in dict(form.dong.choices) else None
    page = request.args.get("page", 1, type=int) or 1
    rows, total = paginate(
        services.search(kind=kind or None, dong=dong or None), page=max(page, 1), per_page=20
    )
    args = {k: v for k, v in (("kind", kind), ("dong", dong)) if v}
    return render_template("orgs/index.html", form=form, orgs=rows, total=total, page=page, args=args)


@bp.get("/<int:org_id>")
def show(org_id: int):
    org = services.get(org_id)
    is_member = current_user.is_authenticated and services.is_member(current_user, org.id)
    return render_template(
        "orgs/show.html",
        org=org,
        is_member=is_member,
        invite_form=InviteForm(),
        policy_form=CardPolicyForm(obj=org),
    )


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


def _act(org_id: int, action) -> object:
    try:
        action()
    except DomainError as err:
        if err.status in (403, 404):
            abort(err.status)
        flash(
            err.message
            + (" " + " ".join(str(m) for ms in err.fields.values() for m in ms) if err.fields else ""),
            "error",
        )
    return redirect(url_for("orgs.show", org_id=org_id))


@bp.post("/<int:org_id>/invite")
@login_required
def invite(org_id: int):
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("초대할 주민의 이메일을 입력해 주세요."), "error")
        return redirect(url_for("orgs.show", org_id=org_id))

    def run():
        services.invite(current_user, org_id, form.email.data)
        flash(_("구성원으로 추가했습니다."), "success")

    return _act(org_id, run)


@bp.post("/<int:org_id>/verify")
@login_required
def verify(org_id: int):
    verified = request.form.get("verified", "1") == "1"

    def run():
        services.set_verified(current_user, org_id, verified)
        flash(_("인증했습니다.") if verified else _("인증을 취소했습니다."), "success")

    return _act(org_id, run)


@bp.post("/<int:org_id>/card-policy")
@login_required
def card_policy(org_id: int):
    form = CardPolicyForm()
    if not form.validate_on_submit():
        flash(_("할인율과 적립률은 0에서 2000 사이의 정수여야 합니다."), "error")
        return redirect(url_for("orgs.show", org_id=org_id))

    def run():
        services.set_card_policy(
            current_user, org_id, discount_bp=form.discount_bp.data, mileage_bp=form.mileage_bp.data
        )
        flash(_("카드 정책을 저장했습니다."), "success")

    return _act(org_id, run)
