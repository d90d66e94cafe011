"""HTML pages of the trade card: the resident's card, a shop's pay page and desk, the centre's fund."""

from __future__ import annotations

import io
from datetime import datetime

import segno
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core import csv as csvfile
from ..core.errors import DomainError
from ..core.i18n import number as won
from ..orgs import services as orgs
from ..web.api import paginate
from ..web.forms import apply_errors
from ..web.urls import absolute_url
from . import services
from .charts import bar_chart, hbar_chart
from .forms import KIND_LABELS, HistoryFilterForm, PayForm, PayoutForm, RefundForm, TopupForm
from .queries import SEOUL

bp = Blueprint("card", __name__, url_prefix="/card")
PER_PAGE = 20


def _page() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


def _fail(err: DomainError, form=None) -> None:
    """403/404 become the error page; anything else is told beside the form."""
    if err.status in (403, 404):
        abort(err.status)
    if form is not None:
        apply_errors(form, err)
    flash(err.message, "error")


def _csv(rows, filename: str) -> Response:
    return csvfile.download(csvfile.text(rows), filename, private=True)


def _local(ts) -> str:
    if ts is None:
        return ""
    if ts.tzinfo is None:
        from datetime import UTC

        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")


# --- Resident ----------------------------------------------------------------------------------


@bp.get("")
@login_required
def index():
    filters = HistoryFilterForm(request.args)
    kind = filters.kind.data if filters.kind.data in KIND_LABELS else None
    valid = filters.validate()
    date_from = filters.date_from.data if valid else None
    date_to = filters.date_to.data if valid else None
    page = _page()
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
            _fail(err, form)
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
@login_required
def shops():
    page = _page()
    rows, total = paginate(orgs.search(verified=True), page=page, per_page=PER_PAGE)
    return render_template("card/shops.html", shops=rows, total=total, page=page, per_page=PER_PAGE)


@bp.route("/pay/<int:organization_id>", methods=["GET", "POST"])
@login_required
def pay(organization_id: int):
    try:
        org = orgs.get_verified(organization_id)
    except DomainError as err:
        abort(err.status)
    form = PayForm()
    status = 200
    if form.validate_on_submit():
        try:
            payment = services.pay(
                current_user,
                org.id,
                form.amount.data,
                use_mileage=bool(form.use_mileage.data),
                idempotency_key=form.idempotency_key.data,
            )
        except DomainError as err:
            if err.code == "own_organization":
                raise  # the error page (403) with its own message
            _fail(err, form)
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
    preview = None
    amount = form.amount.data
    if isinstance(amount, int) and services.AMOUNT_MIN <= amount <= services.AMOUNT_MAX:
        preview = services.payment_figures(
            amount,
            discount_bp=org.discount_bp,
            mileage_bp=org.mileage_bp,
            fund_rate_bp=services.fund_rate_bp(),
            mileage_available=summary.mileage,
            use_mileage=bool(form.use_mileage.data),
        )
    return (
        render_template(
            "card/pay.html",
            org=org,
            form=form,
            summary=summary,
            preview=preview,
            fund_rate_bp=services.fund_rate_bp(),
            own_shop=orgs.is_member(current_user, org.id),  # paying it would be refused (403)
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
        refunds=refunds,
        org=org,
        refunded=refunded,
        can_refund=services.can_refund(current_user, payment),
        refund_form=RefundForm().fresh_key(),
    )


# --- Shop --------------------------------------------------------------------------------------


def _shop(organization_id: int):
    try:
        return services.shop_for(current_user, organization_id)
    except DomainError as err:
        abort(err.status)


@bp.get("/shop/<int:organization_id>")
@login_required
def shop(organization_id: int):
    org = _shop(organization_id)
    page = _page()
    received, total = services.received_payments(org.id, page=page, per_page=PER_PAGE)
    now = datetime.now(SEOUL)
    return render_template(
        "card/shop.html",
        org=org,
        balance=services.merchant_balance(org.id),
        received=received,
        total=total,
        page=page,
        per_page=PER_PAGE,
        payout_form=PayoutForm().fresh_key(),
        payouts=services.payouts_of(org.id),
        can_request_payout=orgs.is_member(current_user, org.id),  # the centre approves instead
        refund_form=RefundForm,
        this_month=now.strftime("%Y-%m"),
        fund_rate_bp=services.fund_rate_bp(),
    )


@bp.get("/shop/<int:organization_id>/qr")
@login_required
def qr_page(organization_id: int):
    org = _shop(organization_id)
    return render_template("card/qr.html", org=org, pay_url=absolute_url("card.pay", organization_id=org.id))


@bp.get("/shop/<int:organization_id>/qr.svg")
@login_required
def qr_svg(organization_id: int):
    org = _shop(organization_id)
    qr = segno.make(absolute_url("card.pay", organization_id=org.id), error="m")
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=8, border=4, title=org.name, omitsize=True)
    return Response(out.getvalue(), mimetype="image/svg+xml")


@bp.post("/shop/<int:organization_id>/payments/<int:payment_id>/refund")
@login_required
def refund(organization_id: int, payment_id: int):
    form = RefundForm()
    back = request.form.get("back") == "receipt"
    if form.validate_on_submit():
        try:
            result = services.refund(
                current_user, payment_id, form.amount.data, idempotency_key=form.idempotency_key.data
            )
        except DomainError as err:
            _fail(err)
        else:
            flash(_("%(paid)s원을 환불했습니다.", paid=won(result.paid)), "success")
    else:
        flash(" ".join(str(m) for ms in form.errors.values() for m in ms), "error")
    if back:
        return redirect(url_for("card.receipt", payment_id=payment_id))
    return redirect(url_for("card.shop", organization_id=organization_id))


@bp.get("/shop/<int:organization_id>/statement.csv")
@login_required
def statement(organization_id: int):
    org = _shop(organization_id)
    month = request.args.get("month") or datetime.now(SEOUL).strftime("%Y-%m")
    try:
        services.month_range(month)
    except ValueError:
        abort(404)
    rows = services.statement_rows(org.id, month)

    def lines():
        yield services.STATEMENT_HEADER
        for r in rows:
            yield (
                _local(r["created_at"]),
                str(KIND_LABELS.get(r["kind"], r["kind"])),
                r["id"],
                r["payment_id"],
                r["amount"],
                r["discount"],
                r["paid"],
                r["fund_fee"],
                r["mileage"],
                r["merchant"],
                r["reference"],
            )

    return _csv(lines(), f"card-statement-{org.id}-{month}.csv")


# --- Centre ------------------------------------------------------------------------------------


def _centre():
    try:
        services.require_centre_for_fund(current_user)
    except DomainError as err:
        abort(err.status)


@bp.get("/fund")
def fund():
    # Anyone sees the published checkpoints and their totals; the detailed tables are the centre's.
    latest = services.checkpoints(1, 10)[0]
    if not (current_user.is_authenticated and current_user.is_centre):
        return render_template("card/fund_public.html", checkpoints=latest)
    months = services.accrual_by_month()
    by_org = services.accrual_by_organization()
    return render_template(
        "card/fund.html",
        fund=services.fund_summary(),
        months=months,
        chart=bar_chart([(m.label, m.net) for m in months]),
        by_org=by_org,
        org_chart=hbar_chart([(a.label, a.net) for a in by_org[:15]]),
        policies=services.card_policies(),
        fund_rate_bp=services.fund_rate_bp(),
        checkpoints=latest,
        anomalies=services.anomalies(),
        anomaly_rules=services.anomaly_rules(),
    )


@bp.get("/fund/audit")
@login_required
def audit():
    _centre()
    return render_template("card/audit.html", report=services.audit())


@bp.get("/fund/audit.csv")
@login_required
def audit_csv():
    _centre()
    report = services.audit()
    stamp = datetime.now(SEOUL).strftime("%Y%m%d-%H%M")
    return _csv(services.audit_csv_rows(report), f"card-audit-{stamp}.csv")


from . import desk_views as desk_views  # noqa: E402  (the centre's desk pages and the payout request, on bp)
