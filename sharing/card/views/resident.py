"""The resident's card pages: the card and its history, top-up, the shops, paying a shop, a receipt."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.errors import DomainError
from ...orgs import services as orgs
from ...web.api import paginate
from ...web.helpers import page_arg
from .. import services
from ..forms import KIND_LABELS, HistoryFilterForm, PayForm, RefundForm, TopupForm
from .base import PER_PAGE, bp, fail, won


@bp.get("")
@login_required
def index():
    filters = HistoryFilterForm(request.args)
    kind = filters.kind.data if filters.kind.data in KIND_LABELS else None
    valid = filters.validate()
    date_from = filters.date_from.data if valid else None
    date_to = filters.date_to.data if valid else None
    page = page_arg()
    items, total = services.history(
        current_user, page=page, per_page=PER_PAGE, kind=kind, date_from=date_from, date_to=date_to
    )
    args = {
        k: v
        for k, v in (
            ("kind", kind),
            ("date_from", date_from and date_from.isoformat()),
            ("date_to", date_to and date_to.isoformat()),
        )
        if v
    }
    my_shops = [o for o in current_user.organizations if o.verified]
    return render_template(
        "card/index.html",
        summary=services.card_summary(current_user),
        items=items,
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=args,
        filters=filters,
        topup_form=TopupForm().fresh_key(),
        kinds=KIND_LABELS,
        my_shops=my_shops,
        month_topped_up=services.topped_up_this_month(current_user.id),
        pending_topups=services.pending_topups(current_user.id),
    )


@bp.post("/topup")
@login_required
def topup():
    form = TopupForm()
    if form.validate_on_submit():
        try:
            result = services.topup(current_user, form.amount.data, idempotency_key=form.idempotency_key.data)
        except DomainError as err:
            fail(err, form)
        else:
            if result.status == "pending":
                message = _(
                    "%(amount)s원 충전 요청(번호 %(id)s)을 접수했습니다. 센터 창구나 결제 대행사에서 입금이 "
                    "확인되면 잔액에 들어옵니다. 24시간 안에 확인되지 않으면 취소됩니다.",
                    amount=won(result.amount),
                    id=result.id,
                )
            else:
                message = _(
                    "%(amount)s원을 충전했습니다. 잔액 %(balance)s원.",
                    amount=won(result.amount),
                    balance=won(result.balance),
                )
            flash(message, "success")
            return redirect(url_for("card.index"))
    else:
        flash(
            " ".join(str(m) for ms in form.errors.values() for m in ms) or _("입력값을 확인해 주세요."),
            "error",
        )
    return redirect(url_for("card.index"))


@bp.get("/shops")
def shops():
    """The card shops, public: what each offers, where and when, with a search (phone first)."""
    q = (request.args.get("q") or "").strip()[: services.SHOP_SEARCH_MAX]
    page = page_arg()
    rows, total = paginate(services.shops_stmt(q), page=page, per_page=PER_PAGE)
    return render_template(
        "card/shops.html",
        shops=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        q=q,
        args={"q": q} if q else {},
    )


@bp.route("/pay/<int:organization_id>", methods=["GET", "POST"])
@login_required
def pay(organization_id: int):
    """The pay page; its form leads to the confirmation page (the figures, the card afterwards),
    whose button pays. Both steps POST here: no script is needed."""
    try:
        org = orgs.get_verified(organization_id)
    except DomainError as err:
        abort(err.status)
    form = PayForm()
    status = 200
    if form.validate_on_submit():
        use_mileage = bool(form.use_mileage.data)
        if not form.confirmed.data:
            return _confirmation(org, form, use_mileage)
        try:
            payment = services.pay(
                current_user,
                org.id,
                form.amount.data,
                use_mileage=use_mileage,
                idempotency_key=form.idempotency_key.data,
                expected=form.quote.data or "",
            )
        except DomainError as err:
            if err.code == "own_organization":
                raise  # the error page (403) with its own message
            if err.code == "figures_changed":
                flash(err.message, "error")
                return _confirmation(org, form, use_mileage, status=err.status)
            fail(err, form)
            status = err.status
        else:
            flash(_("%(org)s에 %(paid)s원을 결제했습니다.", org=org.name, paid=won(payment.paid)), "success")
            return redirect(url_for("card.receipt", payment_id=payment.id))
    elif request.method == "POST":
        status = 422
    else:
        form.amount.data = request.args.get("amount", type=int)
    form.fresh_key()
    summary = services.card_summary(current_user)
    own_shop = orgs.is_member(current_user, org.id)  # paying it would be refused (403)
    preview = None
    amount = form.amount.data
    if not own_shop and isinstance(amount, int) and services.AMOUNT_MIN <= amount <= services.AMOUNT_MAX:
        use_mileage = bool(form.use_mileage.data)
        preview = services.payment_preview(current_user, org.id, amount, use_mileage=use_mileage).figures
    return (
        render_template(
            "card/pay.html",
            org=org,
            form=form,
            summary=summary,
            preview=preview,
            fund_rate_bp=services.fund_rate_bp(),
            own_shop=own_shop,
        ),
        status,
    )


def _confirmation(org, form, use_mileage: bool, *, status: int = 200):
    """The confirmation page: the figures pay() would post now (services.payment_preview)."""
    try:
        preview = services.payment_preview(current_user, org.id, form.amount.data, use_mileage=use_mileage)
    except DomainError as err:
        if err.code == "own_organization":
            raise
        fail(err, form)
        return redirect(url_for("card.pay", organization_id=org.id))
    if preview.refusal is not None and status == 200:
        status = preview.refusal.status
    return (
        render_template(
            "card/pay_confirm.html", org=org, form=form, preview=preview, use_mileage=use_mileage
        ),
        status,
    )


@bp.get("/payments/<int:payment_id>")
@login_required
def receipt(payment_id: int):
    try:
        payment, refunds = services.view_payment(current_user, payment_id)
    except DomainError as err:
        abort(err.status)
    org = orgs.get(payment.organization_id)
    refunded = sum(r.amount for r in refunds)
    return render_template(
        "card/receipt.html",
        payment=payment,
        refunds=[(r, services.refund_amounts(r)) for r in refunds],
        refund_total=services.refund_amounts(refunds),
        org=org,
        refunded=refunded,
        can_refund=services.can_refund(current_user, payment),
        refund_form=RefundForm().fresh_key(),
    )
