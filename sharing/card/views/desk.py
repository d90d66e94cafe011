"""The money's second phase on the web: a shop's payout request, and the centre's desk (pending
top-ups confirmed with the cash desk's receipt, requested payouts approved with the transfer's
reference). Routes of the card blueprint."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.errors import DomainError
from ...web.api import paginate
from ...web.helpers import page_arg
from .. import services
from ..forms import PayoutForm, ReferenceForm
from .base import PER_PAGE, bp, centre_only, fail, own_shop, won


def _form_errors(form) -> str:
    return " ".join(str(m) for ms in form.errors.values() for m in ms) or _("입력값을 확인해 주세요.")


@bp.post("/shop/<int:organization_id>/payout")
@login_required
def payout(organization_id: int):
    org = own_shop(organization_id)
    form = PayoutForm()
    if form.validate_on_submit():
        try:
            result = services.request_payout(
                current_user, org.id, form.amount.data, idempotency_key=form.idempotency_key.data
            )
        except DomainError as err:
            fail(err)
        else:
            flash(
                _(
                    "%(amount)s원 정산을 요청했습니다. 센터가 승인하고 이체하면 정산서에 참조 번호와 함께 기록됩니다.",
                    amount=won(result.amount),
                ),
                "success",
            )
    else:
        flash(_form_errors(form), "error")
    return redirect(url_for("card.shop", organization_id=org.id))


@bp.get("/desk")
@login_required
def desk():
    centre_only()
    topup_page = page_arg()
    topups, topup_total = paginate(services.pending_statement(), page=topup_page, per_page=PER_PAGE)
    payouts, payout_total = paginate(services.requested_statement(), page=1, per_page=100)
    return render_template(
        "card/desk.html",
        topups=topups,
        topup_total=topup_total,
        page=topup_page,
        per_page=PER_PAGE,
        names=services.user_names(t.user_id for t in topups),
        payouts=payouts,
        payout_total=payout_total,
        shops=services.organization_names(p.organization_id for p in payouts),
        form=ReferenceForm(),
    )


def _confirmed(call, success: str):
    form = ReferenceForm()
    if form.validate_on_submit():
        try:
            row = call(form.reference.data)
        except DomainError as err:
            if err.status in (403, 404):
                abort(err.status)
            flash(err.message, "error")
        else:
            flash(success % {"id": row.id, "amount": won(row.amount)}, "success")
    else:
        flash(_form_errors(form), "error")
    return redirect(url_for("card.desk"))


@bp.post("/desk/topups/<int:topup_id>/confirm")
@login_required
def desk_confirm_topup(topup_id: int):
    centre_only()
    return _confirmed(
        lambda reference: services.confirm_topup(current_user, topup_id, reference),
        _("충전 요청 %(id)s(%(amount)s원)을 확인해 카드에 넣었습니다."),
    )


@bp.post("/desk/payouts/<int:payout_id>/approve")
@login_required
def desk_approve_payout(payout_id: int):
    centre_only()
    return _confirmed(
        lambda reference: services.approve_payout(current_user, payout_id, reference),
        _("정산 요청 %(id)s(%(amount)s원)을 승인해 출금으로 기록했습니다."),
    )
